// The per-line half of the Countersign verifier (issue 10), the half that depends on nothing
// but the line: a pool worker (workers/ in the page, worker_threads in the CLI) runs
// prepareLines on a batch of raw lines, and the verifier (countersign.ts) applies the replies
// in file order, doing there only what is sequential (CHAIN.seq/prev, the Merkle tree, the
// witness step, checkpoints, keys, the replay).
//
// For an entry line that is I-JSON, {"entry":…} and passes EntrySchema, the worker does the
// strict parse, the leaf hash (docs/format.md "The log and its checkpoints"), EntrySchema,
// opening the envelope (docs/format.md "Countersign statements and envelopes") and the
// Ed25519 check of every signature whose key it has been told about. Every other line (the
// header, checkpoints, blank, too long, not I-JSON, unknown kinds, schema failures) comes back
// as null and the verifier reads it itself with readLine, so those findings are raised by the
// one code path that raises them without a pool. A key the worker has not been told about
// yet (a roster in a batch still in flight) leaves that signature unchecked: the verifier
// checks it itself through the feed, and judges every signature there (judgeSignature).

import type { JsonValue } from '../encoding/json.ts';
import { readJsonBytes } from '../encoding/json-fast.ts';
import { encodeBase64, decodeBase64 } from '../encoding/base64.ts';
import { asDigest, type Digest, type DigestString } from '../encoding/bytes.ts';
import { decodeHex, encodeHex } from '../encoding/hex.ts';
import { keyIdOf, type SignatureBackend, type SigJob } from '../crypto/ed25519.ts';
import { entryLeafHash } from '../log/merkle.ts';
import { openValidEnvelope, type OpenedSignature } from '../statements/envelope.ts';
import type { FindingCode } from '../statements/findings.ts';
import { isEntry, type Statement } from '../statements/schemas.ts';

/** A batch of lines: their bytes back to back (too-long lines as empty ones), and where each ends. */
export interface PackedLines {
  bytes: Uint8Array;
  /** Exclusive end of line i in `bytes`. */
  ends: Uint32Array;
  /** The 1-based number of line 0 of the batch. */
  first: number;
}

/**
 * Prepares Countersign lines on other threads. The verifier hands over batches in file order,
 * with every public key it has registered so far (append-only: a pool sends each worker only
 * the keys it has not sent it yet), and applies the replies in file order; it keeps each
 * batch's bytes, so a failed batch is read on the verifier's thread instead.
 */
export interface CountersignLinePool {
  readonly size: number;
  /** Lines per batch (default 256; tests use small ones to cross many batch edges). */
  readonly batchLines?: number;
  /** What checks signatures on the pool's threads, for the report, when it is not the verifier's backend (the CLI: node:crypto). */
  readonly backendName?: string;
  /** Resolves to prepareLines(batch, keys) computed elsewhere. */
  prepare(batch: PackedLines, keys: readonly Uint8Array[]): Promise<string>;
}

/** keys[from…] back to back, 32 bytes each: what a pool sends a worker it has sent `from` keys before. */
export function packKeys(keys: readonly Uint8Array[], from: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(32 * (keys.length - from));
  for (let k = from, o = 0; k < keys.length; k++, o += 32) out.set(keys[k]!, o);
  return out;
}

/** packKeys' other end, in a pool worker: adds each 32-byte key to `keys` under its key id. */
export function unpackKeys(packed: Uint8Array, keys: Map<string, Uint8Array>): void {
  // Attacker-controlled only through the verifier: keys a roster of the log registered.
  for (let o = 0; o + 32 <= packed.length; o += 32) {
    const pub = packed.slice(o, o + 32);
    keys.set(keyIdOf(pub), pub);
  }
}

/** The value of a {"entry": …} line, or undefined for any other line kind (docs/format.md "Bundles"). */
export function entryOf(v: JsonValue): JsonValue | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const keys = Object.keys(v);
  return keys.length === 1 && keys[0] === 'entry' ? (v as { entry: JsonValue }).entry : undefined;
}

/** One prepared entry line on the wire (short names: the batch is one JSON text). */
interface WireEntry {
  /** leaf hash, hex */
  h: string;
  seq: number;
  prev: string;
  /** envelope problems as [code, message] */
  x?: [FindingCode, string][];
  /** the statement digest; absent when the envelope did not open */
  d?: DigestString;
  /** the schema-checked statement, as it stands (the batch's one JSON text carries it) */
  t?: Statement;
  /** per signature: [keyId, 1 | 0] checked, or [keyId, base64 signature] for the verifier to check */
  g?: [string, 0 | 1 | string][];
  /** base64 PAE, when some signature is left for the verifier */
  m?: string;
}

/** A prepared entry as the verifier applies it. */
export interface PreparedEntry {
  leaf: Digest;
  leafHex: string;
  seq: number;
  prev: string;
  problems: readonly [FindingCode, string][];
  opened: { digest: DigestString; signedMessage: Uint8Array; signatures: OpenedSignature[] } | null;
  statement: Statement | null;
  /** signatures the worker checked */
  checked: number;
}

/** What a pool worker runs on one batch. `keys`: public key by key id, as the verifier told it. */
export async function prepareLines(p: PackedLines, keys: ReadonlyMap<string, Uint8Array>, backend: Pick<SignatureBackend, 'verifyBatch'>): Promise<string> {
  const n = p.ends.length;
  const out: (WireEntry | null)[] = new Array(n);
  const jobs: SigJob[] = [];
  const slots: [string, 0 | 1 | string][] = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = p.ends[i]!;
    if (end < start || end > p.bytes.length) throw new RangeError(`line ${i} ends outside the batch`);
    out[i] = p.first + i === 1 || end === start ? null : prepareEntryLine(p.bytes.subarray(start, end), keys, jobs, slots);
    start = end;
  }
  const verdicts = jobs.length ? await backend.verifyBatch(jobs) : [];
  for (let j = 0; j < slots.length; j++) slots[j]![1] = verdicts[j] === true ? 1 : 0;
  return JSON.stringify(out);
}

function prepareEntryLine(bytes: Uint8Array, keys: ReadonlyMap<string, Uint8Array>, jobs: SigJob[], slots: [string, 0 | 1 | string][]): WireEntry | null {
  // Attacker-controlled: the whole line, read exactly as readLine/readEntry read it (json-fast.ts
  // gives json.ts's value or falls back to it).
  const parsed = readJsonBytes(bytes);
  if (!parsed.ok) return null;
  const entryValue = entryOf(parsed.value);
  if (entryValue === undefined) return null;
  if (!isEntry(entryValue)) return null; // the verifier reads it, and says what EntrySchema says
  const w: WireEntry = { h: encodeHex(entryLeafHash(entryValue, bytes)), seq: entryValue.seq, prev: entryValue.prev };
  const { opened, problems } = openValidEnvelope(entryValue.envelope, 'entry.envelope');
  if (problems.length) w.x = problems.map((q) => [q.code, q.message]);
  if (!opened) return w;
  w.d = opened.digest;
  // Without a statement nothing is replayed, so no signature is checked (GovernanceFeed.prepareEntry).
  if (!opened.statement) return w;
  w.t = opened.statement;
  const g: [string, 0 | 1 | string][] = [];
  let unchecked = false;
  for (const s of opened.signatures) {
    const pub = keys.get(s.keyId);
    if (pub) {
      const slot: [string, 0 | 1 | string] = [s.keyId, 0];
      jobs.push({ publicKey: pub, signature: s.signature, message: opened.signedMessage });
      slots.push(slot);
      g.push(slot);
    } else {
      g.push([s.keyId, encodeBase64(s.signature)]);
      unchecked = true;
    }
  }
  w.g = g;
  if (unchecked) w.m = encodeBase64(opened.signedMessage);
  return w;
}

const NO_BYTES = new Uint8Array(0);

/**
 * A pool's reply, line by line: null for a line the verifier reads itself. The text is a pool
 * worker's JSON.stringify of what prepareLines made from lines the strict reader and the
 * schemas passed, so the platform's JSON.parse reads it back exactly (and a reply that does
 * not fit its batch throws: the verifier then reads the batch itself).
 */
export function decodePreparedLines(text: string, p: PackedLines): (PreparedEntry | null)[] {
  const ws = JSON.parse(text) as (WireEntry | null)[];
  if (!Array.isArray(ws) || ws.length !== p.ends.length) throw new RangeError('a pool reply does not match its batch');
  const out: (PreparedEntry | null)[] = new Array(ws.length);
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i];
    if (!w) {
      out[i] = null;
      continue;
    }
    let checked = 0;
    const signatures: OpenedSignature[] = (w.g ?? []).map(([keyId, v]) => {
      if (typeof v === 'string') return { keyId, signature: decodeBase64(v) };
      checked++;
      return { keyId, signature: NO_BYTES, verified: v === 1 };
    });
    out[i] = {
      leaf: asDigest(decodeHex(w.h)),
      leafHex: w.h,
      seq: w.seq,
      prev: w.prev,
      problems: w.x ?? [],
      opened: w.d === undefined ? null : { digest: w.d, signedMessage: w.m === undefined ? NO_BYTES : decodeBase64(w.m), signatures },
      statement: w.t ?? null,
      checked,
    };
  }
  return out;
}
