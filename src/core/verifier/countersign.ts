// The Countersign bundle verifier (FORMAT.md §4 and §6), as fixed, named steps:
//
//   readHeader      line 1 is {"countersign":"bundle/v1","log":...}
//   readEntry       I-JSON, entry schema, CHAIN.seq/prev, leaf into the Merkle tree,
//                   envelope opened (FORMAT.*, SIG.payload_type), signatures queued
//   readCheckpoint  note well-formed and of this origin, CKPT.size, CKPT.root,
//                   candidate gate-key signatures queued
//   checkSignatures the queued Ed25519 checks, a batch at a time, on the backend
//   replay          SIG/STMT/GOV/POLICY/TIME in log order (replay.ts), CKPT.signature
//   finish          CKPT.unanchored, REQ.pending, TRUST.*
//
// It reads the file once, front to back; what it holds is the Merkle frontier
// (O(log n)), the roster and policy in force, open requests, and one batch.

import { decodeBase64 } from '../encoding/base64.ts';
import { encodeHex } from '../encoding/hex.ts';
import { canonicalBytes } from '../encoding/jcs.ts';
import { parseJsonBytes, type JsonValue } from '../encoding/json.ts';
import { equalBytes } from '../encoding/bytes.ts';
import { decodeUtf8 } from '../encoding/utf8.ts';
import { fingerprintOf, keyIdOf, type SignatureBackend } from '../crypto/ed25519.ts';
import { parseCheckpoint, type Checkpoint } from '../log/checkpoint.ts';
import { leafHash, MerkleAccumulator } from '../log/merkle.ts';
import { FindingSink, type FindingCode } from '../statements/findings.ts';
import {
  anchorText,
  buildReport,
  type Report,
  type SignerInfo,
  type TrustAnchor,
  type TrustSummary,
  type VerifierOptions,
} from '../report/report.ts';
import { BundleHeaderSchema, EntrySchema, describeZodError } from '../statements/schemas.ts';
import { splitLines, throwIfAborted, type Line, type SourceStats } from './byte-source.ts';
import type { GovernanceReplay, ReplayEntry } from '../governance/replay.ts';
import { BatchedSignatures, GovernanceFeed, type PreparedCheckpoint } from '../governance/feed.ts';
import { CHECKPOINT_REASON_TABLE } from '../governance/reasons.ts';
import { ZERO_PREV } from '../encoding/constants.ts';
import { publicKeyFromPem } from './pem.ts';

/** FORMAT.md §4: "A line longer than 1 MiB is an error." */
export const MAX_LINE_BYTES = 1 << 20;
const BATCH_ENTRIES = 512;

export interface VerifyOptions extends VerifierOptions {
  backend: SignatureBackend;
  /** false: integrity only, no policy replay (benchmarks compare the two). Default true. */
  policy?: boolean;
}

/** A line waiting for its batch's signature verdicts: an entry to replay, or a checkpoint to judge. */
type LineRecord =
  | ReplayEntry
  | {
      line: number;
      checkpoint: Checkpoint;
      /** size and root agree with the entries before the line */
      consistent: boolean;
      signatures: PreparedCheckpoint;
    };

const now = () => (typeof performance !== 'undefined' && performance ? performance.now() : Date.now());

export async function verifyCountersign(chunks: AsyncIterable<Uint8Array>, stats: SourceStats, opts: VerifyOptions): Promise<Report> {
  const t0 = now();
  const sink = new FindingSink(opts.capPerCode ?? 100);
  const trust = opts.trust ?? [];
  const backend = opts.backend;

  let origin: string | null = null;
  let feed: GovernanceFeed | null = null;
  const signaturesQueue = new BatchedSignatures();
  const newFeed = () => new GovernanceFeed(sink, origin, signaturesQueue, { policy: opts.policy ?? true });
  const merkle = new MerkleAccumulator();
  let entries = 0;
  let expectedSeq = 0;
  let prevHex = ZERO_PREV;
  let genesisHex: string | null = null;
  let checkpoints = 0;
  let lastAnchored = 0;
  let lastCheckpoint: { size: number; root: string } | null = null;
  let lines = 0;
  let signatures = 0;
  const checkpointSigners = new Map<string, number>();

  let batch: LineRecord[] = [];

  // --- step: readHeader -------------------------------------------------------
  const readHeader = (line: Line, value: JsonValue) => {
    const h = BundleHeaderSchema.safeParse(value);
    if (!h.success) {
      sink.add('FORMAT.line', line.number, `line 1 is not a bundle/v1 header: ${describeZodError(h.error, 'header')}`);
      const v = value as { log?: unknown };
      if (v && typeof v === 'object' && typeof v.log === 'string') origin = v.log;
    } else origin = h.data.log;
    feed = newFeed();
  };

  // --- step: readEntry ------------------------------------------------------------
  const readEntry = (line: Line, entryValue: JsonValue) => {
    // Attacker-controlled: the whole entry. The leaf is C(entry) however the line is spaced.
    const lh = leafHash(canonicalBytes(entryValue));
    merkle.appendLeafHash(lh);
    const lhHex = encodeHex(lh);
    const position = entries++;
    if (position === 0) genesisHex = lhHex;
    const parsed = EntrySchema.safeParse(entryValue);
    const ev = entryValue as { seq?: unknown; prev?: unknown };
    const seq = typeof ev?.seq === 'number' ? ev.seq : position;
    if (typeof ev?.seq === 'number' && ev.seq !== expectedSeq) {
      sink.add('CHAIN.seq', line.number, `entry.seq is ${ev.seq}, expected ${expectedSeq}`, seq);
      expectedSeq = ev.seq + 1; // resynchronise: one gap is one finding
    } else expectedSeq++;
    if (typeof ev?.prev === 'string' && ev.prev !== prevHex)
      sink.add('CHAIN.prev', line.number, `entry.prev is ${ev.prev.slice(0, 16)}…, the previous leaf hash is ${prevHex.slice(0, 16)}…`, seq);
    prevHex = lhHex;
    if (!parsed.success) {
      sink.add('FORMAT.schema', line.number, describeZodError(parsed.error, 'entry'), seq);
      return;
    }
    // Open, register keys, queue signatures (governance/feed.ts); replayed once the batch settles.
    const r = feed!.prepareEntry(parsed.data.envelope, line.number, seq, true);
    if (r) batch.push(r);
  };

  // --- step: readCheckpoint -------------------------------------------------------
  const readCheckpoint = (line: Line, text: JsonValue) => {
    if (typeof text !== 'string') {
      sink.add('FORMAT.line', line.number, 'checkpoint: must be a string holding a signed note');
      return;
    }
    const p = parseCheckpoint(text);
    if (!p.ok) {
      sink.add('FORMAT.line', line.number, `checkpoint is not a well-formed signed note: ${p.message}`);
      return;
    }
    const cp = p.checkpoint;
    if (cp.origin !== origin) {
      sink.add('FORMAT.line', line.number, `checkpoint origin "${cp.origin}" is not this log's origin "${origin}"`);
      return;
    }
    checkpoints++;
    let consistent = true;
    if (cp.size !== entries) {
      sink.add('CKPT.size', line.number, `checkpoint size is ${cp.size}, but ${entries} entries precede it`);
      consistent = false;
    } else if (!equalBytes(cp.root, merkle.root())) {
      sink.add('CKPT.root', line.number, `checkpoint root for size ${cp.size} differs from the root of the entries`);
      consistent = false;
    }
    batch.push({ line: line.number, checkpoint: cp, consistent, signatures: feed!.prepareCheckpoint(cp) });
  };

  // --- step: checkSignatures + replay -----------------------------------------------
  // The Ed25519 work of batch k runs (on the platform's threads) while the main
  // thread reads batch k+1; replay of batch k waits for its verdicts, in order.
  let inflight: Promise<void> | null = null;
  const settle = (records: LineRecord[]) => {
    const f = feed!;
    for (const rec of records) {
      if ('statement' in rec) {
        f.apply(rec);
        continue;
      }
      // Without a valid genesis there is no gate to judge by; GOV.genesis already failed the log.
      if (!f.replay.genesisOk) continue;
      const j = f.judgeCheckpoint(rec.signatures);
      if (j.reason !== null) {
        const why = CHECKPOINT_REASON_TABLE[j.reason].words({ origin: String(origin), gate: f.replay.gatePrincipal ?? '' });
        sink.add('CKPT.signature', rec.line, `checkpoint of size ${rec.checkpoint.size}: ${why}`);
      } else {
        checkpointSigners.set(j.keyId, (checkpointSigners.get(j.keyId) ?? 0) + 1);
        if (rec.consistent) {
          lastAnchored = rec.checkpoint.size;
          lastCheckpoint = { size: rec.checkpoint.size, root: encodeHex(rec.checkpoint.root) };
        }
      }
    }
  };
  const flush = async () => {
    if (!batch.length) return;
    const records = batch;
    const { jobs, checks } = signaturesQueue.take();
    const pending = jobs.length ? backend.verifyBatch(jobs) : Promise.resolve([] as boolean[]);
    signatures += jobs.length;
    batch = [];
    const previous = inflight;
    inflight = (async () => {
      const verdicts = await pending;
      await previous;
      BatchedSignatures.settle(checks, verdicts);
      settle(records);
    })();
    // At most two batches outstanding: wait for the one before this.
    if (previous) await previous;
  };
  const drain = async () => {
    await flush();
    if (inflight) await inflight;
    inflight = null;
  };

  // --- the pass -----------------------------------------------------------------
  let lastProgress = t0;
  const progress = () => {
    opts.onProgress?.({
      bytes: stats.bytes,
      decompressedBytes: stats.decompressedBytes,
      ...(opts.totalBytes !== undefined ? { totalBytes: opts.totalBytes } : {}),
      entries,
      elapsedMs: now() - t0,
    });
  };

  for await (const line of splitLines(chunks, MAX_LINE_BYTES)) {
    throwIfAborted(opts.signal);
    lines = line.number;
    if (line.tooLong) {
      sink.add('FORMAT.line', line.number, `line is ${line.length} bytes, over the 1 MiB limit`);
      if (line.number === 1) feed = newFeed();
      continue;
    }
    if (line.bytes.length === 0) {
      sink.add('FORMAT.line', line.number, 'blank line');
      if (line.number === 1) feed = newFeed();
      continue;
    }
    const parsed = parseJsonBytes(line.bytes);
    if (!parsed.ok) {
      const e = parsed.error;
      sink.add('FORMAT.json', line.number, `line ${line.number}, column ${e.column}: ${e.message} at ${e.path}`);
      if (line.number === 1) feed = newFeed();
      continue;
    }
    const v = parsed.value;
    if (line.number === 1) {
      readHeader(line, v);
      continue;
    }
    const keys = v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : [];
    if (keys.length === 1 && keys[0] === 'entry') readEntry(line, (v as { entry: JsonValue }).entry);
    else if (keys.length === 1 && keys[0] === 'checkpoint') readCheckpoint(line, (v as { checkpoint: JsonValue }).checkpoint);
    else
      sink.add(
        'FORMAT.line',
        line.number,
        keys.length ? `unknown line kind with fields ${keys.map((k) => JSON.stringify(k)).join(', ')}` : 'a line must be an object with "entry" or "checkpoint"',
      );
    if (batch.length >= BATCH_ENTRIES) {
      await flush();
      const t = now();
      if (t - lastProgress > 100) {
        lastProgress = t;
        progress();
      }
    }
  }
  await drain();
  progress();
  if (!feed) feed = newFeed();
  const fd: GovernanceFeed = feed;
  const rp: GovernanceReplay = fd.replay;

  // --- step: finish ----------------------------------------------------------------
  if (entries === 0) sink.add('GOV.genesis', Math.max(lines, 1), 'the bundle has no entries, so no genesis');
  if (entries > lastAnchored && rp.genesisOk)
    sink.add(
      'CKPT.unanchored',
      lines,
      lastAnchored === 0
        ? `none of the ${entries} entries is covered by a valid checkpoint`
        : `${entries - lastAnchored} entries after the last valid checkpoint (size ${lastAnchored})`,
    );
  rp.finish(lines, (id) => fd.keys.known.has(id));
  const trustSummary = evaluateTrust(trust, sink, genesisHex, rp, lines);

  const signers: SignerInfo[] = [...rp.signers.values()];
  for (const [keyId, n] of checkpointSigners) {
    const s = signers.find((x) => x.keyId === keyId);
    if (s) {
      if (!s.roles?.includes('checkpoint')) s.roles = [...(s.roles ?? []), 'checkpoint'];
    } else signers.push({ keyId, fingerprint: fingerprintOf(keyId), roles: ['checkpoint'], signatures: n });
  }

  // Stable sort: the signature stage reports after the read stage of later lines.
  sink.findings.sort((x, y) => x.line - y.line);
  return {
    ...buildReport({
      format: 'countersign-bundle/v1',
      sink,
      stats,
      lines,
      log: origin,
      entries,
      checkpoints,
      genesis: genesisHex,
      signers,
      trust: trustSummary,
      totalMs: now() - t0,
      signatureBackend: backend.name,
      signatures,
    }),
    checkpoint: lastCheckpoint,
    governance: rp.report(),
  };
}

/**
 * TRUST.* (FORMAT.md §6). Anchors are alternatives: the bundle is pinned when
 * any genesis anchor equals leafhash(0), or when the pinned keys together give
 * the genesis at least governance.approvals_required valid signatures from
 * distinct governance principals (the TUF root-key rule).
 */
function evaluateTrust(
  anchors: TrustAnchor[],
  sink: FindingSink,
  genesisHex: string | null,
  rp: GovernanceReplay,
  lines: number,
): TrustSummary {
  const proves = [
    'Every entry is chained to the one before it, and every checkpoint root matches the entries.',
    'Every signature was checked against the roster in force at its position.',
    'Every executed action was checked against the policy, approvals and roster in force.',
  ];
  const doesNotProve = ['That the gate recorded every request it received: only what is in the log is checked.'];
  const texts = anchors.map(anchorText);
  if (anchors.length === 0) {
    sink.add('TRUST.unpinned', 0, 'no trust anchor was given: this proves the log is self-consistent, not whose log it is');
    return {
      status: 'unpinned',
      anchors: [],
      proves,
      doesNotProve: [...doesNotProve, 'Whose log this is: no trust anchor was given; compare the genesis digest and governance key fingerprints out of band.'],
    };
  }
  const mismatch = (why: string): TrustSummary => {
    sink.add('TRUST.mismatch', 0, why, 0);
    return { status: 'mismatch', anchors: texts, proves, doesNotProve: [...doesNotProve, 'That this is the pinned log: ' + why] };
  };
  for (const a of anchors)
    if (a.kind === 'genesis' && genesisHex !== null && a.hex.toLowerCase() === genesisHex)
      return { status: 'pinned', anchors: texts, matched: anchorText(a), proves: [...proves, 'The genesis is the pinned one.'], doesNotProve };
  const pinned = new Set<string>();
  for (const a of anchors) {
    if (a.kind === 'key') pinned.add(a.hex.toLowerCase());
    else if (a.kind === 'pem') {
      const pub = publicKeyFromPem(a.pem);
      if (pub) pinned.add(keyIdOf(pub));
    }
  }
  if (pinned.size === 0) return mismatch(`the genesis digest ${genesisHex ?? '(none)'} is not the pinned one`);
  const g = rp.genesisStatement;
  if (!g) return mismatch('the bundle has no valid genesis to check the pinned keys against');
  const roster = new Map<string, string>(); // keyId → governance principal
  for (const p of g.roster.principals)
    if (p.roles.includes(g.governance.role)) for (const k of p.keys) roster.set(keyIdOf(decodeBase64(k.pub)), p.id);
  const principals = new Set<string>();
  const counted: string[] = [];
  for (const s of rp.genesisSignatures) {
    const who = roster.get(s.keyId);
    if (s.valid === true && pinned.has(s.keyId) && who && !principals.has(who)) {
      principals.add(who);
      counted.push(s.keyId);
    }
  }
  const need = g.governance.approvals_required;
  if (principals.size < need)
    return mismatch(
      `the genesis carries valid signatures from ${principals.size} pinned governance key(s); ${need} are required (pin the whole governance set)`,
    );
  return {
    status: 'pinned',
    anchors: texts,
    matched: counted.map((k) => 'key:' + k).join(', '),
    proves: [...proves, `The genesis is signed by ${principals.size} pinned governance keys.`],
    doesNotProve,
  };
}

/** Used by the demo and tests: UTF-8 of a bundle line, for messages. */
export function lineText(bytes: Uint8Array): string {
  return decodeUtf8(bytes);
}

export type { FindingCode };
