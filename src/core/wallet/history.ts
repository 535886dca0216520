// The wallet's own record of every vote it signed (approve or reject): append-only and hash
// chained, so that a record removed, reordered or edited afterwards shows.
//
//   record n = {"v":1,"seq":n,"prev":"<hash of record n-1, 64 zeros for 0>","at":...,
//               "key":"<key id>","pub":"<base64>","request":"sha256:...","request_id":...,
//               "skill":...,"vote":...,"log":...,"envelope":<the approval envelope>}
//   hash(n)  = hex SHA-256(JCS(record n))
//
// The export is JSON Lines: a header {"countersign":"wallet-history/v1","count":N,"head":hash}
// then one record a line. Each record carries the public key, so the file verifies alone:
// the chain, and every envelope's signature under its record's key.

import { ZERO_PREV } from '../encoding/constants.ts';
import { decodeBase64 } from '../encoding/base64.ts';
import { encodeHex } from '../encoding/hex.ts';
import { canonicalBytes } from '../encoding/jcs.ts';
import { parseJsonText } from '../encoding/json.ts';
import { sha256 } from '../crypto/hash.ts';
import { keyIdOf, verifyStrict } from '../crypto/ed25519.ts';
import { openEnvelope } from '../statements/envelope.ts';
import type { Approval, Envelope } from '../statements/schemas.ts';

export const HISTORY_ZERO = ZERO_PREV;

export interface HistoryRecord {
  v: 1;
  seq: number;
  prev: string;
  at: string;
  key: string;
  pub: string;
  request: string;
  request_id: string;
  skill: string;
  vote: 'approve' | 'reject';
  log: string;
  envelope: Envelope;
}

export function historyHash(record: HistoryRecord): string {
  return encodeHex(sha256(canonicalBytes(record)));
}

/** The next record after `last` (null for the first), for the given signed approval. */
export function nextHistoryRecord(last: HistoryRecord | null, args: { at: string; pub: string; envelope: Envelope }): HistoryRecord {
  const opened = openEnvelope(args.envelope, 'approval');
  const st = opened.opened?.statement;
  if (!st || st.type !== 'approval' || opened.problems.length) throw new RangeError('history holds approval envelopes only');
  const ap = st as Approval;
  return {
    v: 1,
    seq: last ? last.seq + 1 : 0,
    prev: last ? historyHash(last) : HISTORY_ZERO,
    at: args.at,
    key: keyIdOf(decodeBase64(args.pub)),
    pub: args.pub,
    request: ap.request,
    request_id: ap.request_id,
    skill: ap.skill,
    vote: ap.vote,
    log: ap.log,
    envelope: args.envelope,
  };
}

export interface HistoryStatus {
  ok: boolean;
  count: number;
  /** Hash of the last record (64 zeros when empty). */
  head: string;
  problems: { seq: number; message: string }[];
}

/** Verifies the chain and every record's signature. Never throws. */
export function verifyHistory(records: readonly unknown[]): HistoryStatus {
  const problems: HistoryStatus['problems'] = [];
  let prev = HISTORY_ZERO;
  records.forEach((raw, i) => {
    const bad = (message: string) => problems.push({ seq: i, message });
    try {
      const r = raw as HistoryRecord;
      if (r === null || typeof r !== 'object') return bad('not a record');
      if (r.v !== 1) bad('unknown record version');
      if (r.seq !== i) bad(`seq is ${String(r.seq)}, expected ${i}`);
      if (r.prev !== prev) bad('prev is not the hash of the record before it: a record was removed, reordered or edited');
      prev = historyHash(r);
      const pub = decodeBase64(r.pub);
      if (keyIdOf(pub) !== r.key) bad('key is not the key id of pub');
      const o = openEnvelope(r.envelope, 'envelope');
      const st = o.opened?.statement;
      if (!o.opened || !st || st.type !== 'approval' || o.problems.length) return bad('the envelope is not a well-formed approval');
      const ap = st as Approval;
      if (ap.request !== r.request || ap.request_id !== r.request_id || ap.skill !== r.skill || ap.vote !== r.vote || ap.log !== r.log)
        bad('the record does not match the approval it holds');
      const sig = o.opened.signatures.find((s) => s.keyId === r.key);
      if (!sig || !verifyStrict(sig.signature, o.opened.signedMessage, pub)) bad('the approval is not signed by the record key');
    } catch (e) {
      bad(`unreadable: ${(e as Error).message}`);
    }
  });
  return { ok: problems.length === 0, count: records.length, head: prev, problems };
}

export function exportHistory(records: readonly HistoryRecord[]): string {
  const status = verifyHistory(records);
  const header = { countersign: 'wallet-history/v1', count: records.length, head: status.head };
  return [header, ...records].map((x) => JSON.stringify(x)).join('\n') + '\n';
}

/** Reads an exported history file and verifies it, header included. Never throws. */
export function verifyHistoryExport(text: string): HistoryStatus {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const values: unknown[] = [];
  for (const [i, l] of lines.entries()) {
    const p = parseJsonText(l);
    if (!p.ok) return { ok: false, count: 0, head: HISTORY_ZERO, problems: [{ seq: i - 1, message: `line ${i + 1} is not valid JSON` }] };
    values.push(p.value);
  }
  const header = values.shift() as { countersign?: unknown; count?: unknown; head?: unknown } | undefined;
  if (!header || header.countersign !== 'wallet-history/v1')
    return { ok: false, count: 0, head: HISTORY_ZERO, problems: [{ seq: -1, message: 'not a wallet-history/v1 file' }] };
  const status = verifyHistory(values);
  if (header.count !== values.length)
    status.problems.push({ seq: -1, message: `the header says ${String(header.count)} records, the file has ${values.length}` });
  if (header.head !== status.head) status.problems.push({ seq: -1, message: 'the header head hash is not the hash of the last record' });
  status.ok = status.problems.length === 0;
  return status;
}
