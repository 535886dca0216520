// The MakerChecker AAPR v1 bundle verifier (docs/format.md "MakerChecker AAPR v1"), streamed:
//
//   scan           json-stream.ts frames the document: the manifest value and each element
//                  of `events`, as raw bytes, without holding the whole file
//   readManifest   I-JSON, schema, key (Ed25519 SPKI PEM), signature bytes
//   readEvent      I-JSON, schema, AAPR.hash, running count / digest / first-last seq / head,
//                  AAPR.link (full), AAPR.run (run), governance lens
//   finish         AAPR.signature, AAPR.count, AAPR.digest, AAPR.head, TRUST.*
//
// Every failure is reported, not only the first (MakerChecker stops at its first), and
// the findings are then listed in MakerChecker's order of checks, so the first one
// matches the reason MakerChecker's own verifier gives.
//
// State is O(1) in the number of events: the running SHA-256 of the event hashes,
// the count, the first and last seq, the last hash. The manifest may come after the
// events (members in either order): then the checks that need it (AAPR.link needs the
// bundle kind and instance id, AAPR.run the run id) are deferred with bounded memory:
// the first event's genesis facts, at most capPerCode link breaks (the rest counted),
// and, per distinct run id (at most MAX_DEFERRED_RUN_IDS), its event count and its first
// capPerCode positions.

import { fingerprintOf, keyIdOf, verifyStrict, type SigJob, type SignatureBackend } from '../crypto/ed25519.ts';
import { createSha256, sha256 } from '../crypto/hash.ts';
import { decodeBase64 } from '../encoding/base64.ts';
import { equalBytes } from '../encoding/bytes.ts';
import { encodeHex, isLowerHex } from '../encoding/hex.ts';
import { canonicalize } from '../encoding/jcs.ts';
import type { JsonValue } from '../encoding/json.ts';
import { encodeUtf8 } from '../encoding/utf8.ts';
import { FindingSink, type FindingCode } from '../statements/findings.ts';
import { buildReport, anchorText, type Report, type SignerInfo, type TrustAnchor, type TrustSummary, type VerifierOptions } from './report-v1.ts';
import { throwIfAborted, type SourceStats } from './byte-source.ts';
import { BundleScanner, MAX_ELEMENT_BYTES, type ScanItem } from './json-stream.ts';
import { clip, keyOf, MakerCheckerLens } from './makerchecker-lens.ts';
import { anchorsFor } from './anchors.ts';
import { own } from '../encoding/detach.ts';
import { publicKeyFromPem, spkiFromPem } from './pem.ts';
import {
  describeValue,
  digestMakerCheckerEvent,
  digestPackedElements,
  eventHashInput,
  isObj,
  makerCheckerEventHash,
  OCCURRED_AT,
  readElementBytes,
  decodeDigests,
  type ElementError,
  type DigestReply,
  type EventDigest,
  type MakerCheckerEventPool,
  type PackedElements,
} from './makerchecker-event.ts';

export { eventHashInput, makerCheckerEventHash, OCCURRED_AT };

export interface MakerCheckerOptions extends VerifierOptions {
  /** For the one manifest signature; strict pure-JS verification when absent. */
  backend?: SignatureBackend;
  /** Largest single element buffered (default 64 MiB). */
  maxElementBytes?: number;
  /**
   * false: read every element with the exact reader only (json.ts), never the platform
   * parser first (json-fast.ts). Tests use it to prove both give the same report.
   */
  fastPath?: boolean;
  /** Digest events on other threads (N workers); the report is the same for every N. */
  eventPool?: MakerCheckerEventPool;
}

/** docs/format.md "MakerChecker AAPR v1": genesisPrevHash = hex SHA-256("makerchecker-genesis:" + instanceId). */
export const GENESIS_PREFIX = 'makerchecker-genesis:';
const MAX_DEFERRED_RUN_IDS = 1000;
/** A pool batch: about this many bytes or events, whichever comes first. */
const BATCH_BYTES = 1 << 20;
const BATCH_EVENTS = 2048;
const PROGRESS_EVERY = 1000;

export function genesisPrevHash(instanceId: string): string {
  return encodeHex(sha256(encodeUtf8(GENESIS_PREFIX + instanceId)));
}

/** Exactly the 10 signed manifest fields (docs/format.md "MakerChecker AAPR v1"). */
export function manifestSignedFields(manifest: object): object {
  const m = manifest as { [k: string]: unknown };
  return {
    bundleKind: m.bundleKind,
    schemaVersion: m.schemaVersion,
    instanceId: m.instanceId,
    exportedAt: m.exportedAt,
    runId: m.runId,
    count: m.count,
    firstSeq: m.firstSeq,
    lastSeq: m.lastSeq,
    headHash: m.headHash,
    eventHashesDigest: m.eventHashesDigest,
  };
}

/** The signed message: UTF-8 of JCS of the 10 signed fields. */
export function manifestSigningBytes(m: object): Uint8Array {
  return encodeUtf8(canonicalize(manifestSignedFields(m)));
}

type Obj = { [k: string]: JsonValue };

function short(h: unknown): string {
  return typeof h === 'string' ? (h.length > 16 ? h.slice(0, 16) + '…' : JSON.stringify(h)) : String(h);
}

const now = () => (typeof performance !== 'undefined' && performance ? performance.now() : Date.now());

/** MakerChecker's order of checks (reference verifier), used to list the findings. */
const ORDER: FindingCode[] = [
  'FORMAT.json',
  'AAPR.ill_formed_string',
  'FORMAT.schema',
  'TRUST.mismatch',
  'AAPR.signature',
  'AAPR.count',
  'AAPR.digest',
  'AAPR.run',
  'AAPR.hash',
  'AAPR.link',
  'AAPR.head',
  'TRUST.unpinned',
];

interface ManifestState {
  value: Obj;
  line: number;
  /** Read by the strict parser; a leniently recovered manifest is not signature-checked. */
  strict: boolean;
  kind: 'full' | 'run' | null;
  instanceId: string | null;
  runId: string | null;
  publicKey: Uint8Array | null;
  spki: Uint8Array | null;
  signature: Uint8Array | null;
}

interface FirstEventFacts {
  line: number;
  seq: string;
  prevHash: unknown;
  eventType: unknown;
  /** The genesis payload's instanceId when the payload is exactly {"instanceId": string}. */
  genesisInstanceId: string | null;
}

/** Findings waiting for the manifest: bounded list plus a count of the rest. */
class Deferred {
  readonly items: { line: number; seq: string; message: string }[] = [];
  total = 0;
  constructor(private readonly cap: number) {}
  push(line: number, seq: string, message: string): void {
    this.total++;
    if (this.items.length < this.cap) this.items.push({ line, seq, message: own(message) });
  }
}

/** Counts findings that were not kept while deferred, as the sink counts its dropped ones. */
function countUnlisted(sink: FindingSink, code: FindingCode, n: number): void {
  if (n <= 0) return;
  sink.counts[code] = (sink.counts[code] ?? 0) + n;
  sink.dropped[code] = (sink.dropped[code] ?? 0) + n;
}

export async function verifyMakerChecker(chunks: AsyncIterable<Uint8Array>, stats: SourceStats, opts: MakerCheckerOptions = {}): Promise<Report> {
  const t0 = now();
  const cap = opts.capPerCode ?? 100;
  const fast = opts.fastPath !== false;
  const sink = new FindingSink(cap);
  const lens = new MakerCheckerLens(cap);
  // Findings outlive their event: keep messages short and owned (see `own`), and do not
  // build what the per-code cap would drop anyway.
  const add = (code: FindingCode, line: number, message: string, seq?: string) =>
    sink.add(code, line, (sink.counts[code] ?? 0) < cap ? own(clip(message, 1000)) : '', seq);

  let manifest: ManifestState | null = null;
  let manifestSeen = false;
  let eventsMember = false;

  // running state over the events
  let count = 0;
  const digest = createSha256();
  let digestKnown = true;
  let firstSeq: unknown = undefined; // undefined: unknown (unreadable event)
  let lastSeq: unknown = undefined;
  let lastHash: string | null = null; // stored hash of the previous event, null if unknown
  let headKnown = true;
  let firstFacts: FirstEventFacts | null = null;
  const deferredLinks = new Deferred(cap);
  const deferredRuns = new Map<string | null, { count: number; items: { line: number; seq: string }[] }>();
  let deferredRunOverflow = 0;

  let digestText = '';

  // --- step: parse one element (manifest or event) ------------------------------
  /** Reports why an element was not read strictly (nothing when it was). */
  const reportElement = (
    r: { tooLarge: boolean; size: number; error: ElementError | null },
    line: number,
    /** How messages name the element, given its seq when known. */
    label: (seq?: string) => string,
    /** JSONPath of the element in the document, e.g. `$.events[3]`. */
    path: string,
    seq?: string,
  ) => {
    if (r.tooLarge) {
      const limit = opts.maxElementBytes ?? MAX_ELEMENT_BYTES;
      const text = limit >= 1048576 ? `${limit / 1048576} MiB` : `${limit} bytes`;
      add('FORMAT.json', line, `${label(seq)} is ${r.size} bytes, over the ${text} limit for one element (not read, to bound memory)`, seq);
      return;
    }
    const e = r.error;
    if (!e) return;
    const at = line + e.line - 1;
    const where = path + e.path.slice(1);
    if (e.kind === 'lone_surrogate')
      add(
        'AAPR.ill_formed_string',
        at,
        `${label(seq)} contains an ill-formed string (unpaired surrogate) at ${where}: the spec requires I-JSON (RFC 7493), so its hash is not defined and the bundle can never cross-verify`,
        seq,
      );
    else if (e.encodedSurrogate)
      add(
        'AAPR.ill_formed_string',
        at,
        `${label(seq)} contains an ill-formed string (a surrogate encoded in UTF-8): the spec requires I-JSON (RFC 7493), so the bundle can never cross-verify`,
        seq,
      );
    else add('FORMAT.json', at, `${label(seq)} is not I-JSON: ${e.message} at ${where} (line ${at}, column ${e.column})`, seq);
  };
  const readElement = (
    bytes: Uint8Array | null,
    size: number,
    line: number,
    label: (seq?: string) => string,
    path: string,
    members = -1,
  ): { value: JsonValue | undefined; strict: boolean; report: (seq?: string) => void } => {
    if (bytes === null)
      return { value: undefined, strict: false, report: (seq) => reportElement({ tooLarge: true, size, error: null }, line, label, path, seq) };
    const r = readElementBytes(bytes, fast ? members : -1);
    return { value: r.value, strict: r.strict, report: (seq) => reportElement({ tooLarge: false, size, error: r.error }, line, label, path, seq) };
  };

  // --- step: readManifest ----------------------------------------------------------
  const readManifest = (item: Extract<ScanItem, { kind: 'manifest' }>) => {
    manifestSeen = true;
    const { value, strict, report } = readElement(item.bytes, item.size, item.line, () => 'manifest', '$.manifest', item.members);
    report();
    if (value === undefined) return;
    if (!isObj(value)) {
      add('FORMAT.schema', item.line, `manifest must be a JSON object, found ${describeValue(value)}`);
      return;
    }
    const m = value;
    const problems: string[] = [];
    const kind = m.bundleKind === 'full' || m.bundleKind === 'run' ? m.bundleKind : null;
    if (kind === null)
      problems.push(
        typeof m.bundleKind === 'string'
          ? `unknown bundleKind ${JSON.stringify(clip(m.bundleKind, 40))} (expected "full" or "run")`
          : `bundleKind is ${describeValue(m.bundleKind)}`,
      );
    if (m.schemaVersion !== 1)
      problems.push(
        typeof m.schemaVersion === 'number'
          ? `schemaVersion ${m.schemaVersion} is not supported (only 1)`
          : `schemaVersion is ${describeValue(m.schemaVersion)}`,
      );
    for (const f of ['instanceId', 'exportedAt', 'eventHashesDigest', 'publicKeyPem', 'signature'] as const)
      if (typeof m[f] !== 'string') problems.push(`${f} must be a string, found ${describeValue(m[f])}`);
    for (const f of ['runId', 'firstSeq', 'lastSeq', 'headHash'] as const)
      if (m[f] !== null && typeof m[f] !== 'string') problems.push(`${f} must be a string or null, found ${describeValue(m[f])}`);
    if (typeof m.count !== 'number' || !Number.isInteger(m.count) || m.count < 0)
      problems.push(`count must be a non-negative integer, found ${describeValue(m.count)}`);
    if (typeof m.eventHashesDigest === 'string' && !isLowerHex(m.eventHashesDigest, 64)) problems.push('eventHashesDigest must be 64 lowercase hex digits');
    if (kind === 'full' && m.runId !== null && m.runId !== undefined) problems.push('runId must be null in a full bundle');
    let spki: Uint8Array | null = null;
    if (typeof m.publicKeyPem === 'string') {
      spki = spkiFromPem(m.publicKeyPem);
      if (!spki) problems.push('publicKeyPem is not an Ed25519 public key in SPKI PEM (RFC 8410: 302a300506032b6570032100 followed by 32 bytes)');
    }
    if (problems.length) add('FORMAT.schema', item.line, `manifest: ${problems.join('; ')}`);
    let signature: Uint8Array | null = null;
    if (typeof m.signature === 'string') {
      try {
        signature = decodeBase64(m.signature);
      } catch {
        signature = null;
      }
      if (!signature || signature.length !== 64) {
        add('AAPR.signature', item.line, 'manifest signature is not the base64 of a 64-byte Ed25519 signature, so it cannot verify');
        signature = null;
      }
    }
    const runId = typeof m.runId === 'string' ? m.runId : null;
    if (kind === 'run' && runId === null) add('AAPR.run', item.line, 'run bundle manifest is missing runId');
    manifest = {
      value: m,
      line: item.line,
      strict,
      kind,
      instanceId: typeof m.instanceId === 'string' ? m.instanceId : null,
      runId,
      publicKey: spki ? spki.slice(12) : null,
      spki,
      signature,
    };
    applyDeferred(manifest);
  };

  // --- checks that need the manifest, now or deferred ------------------------------
  const checkFirst = (m: ManifestState, f: FirstEventFacts) => checkFirstEvent(add, m, f);

  const applyDeferred = (m: ManifestState) => {
    if (firstFacts) checkFirst(m, firstFacts);
    if (m.kind === 'full') {
      for (const d of deferredLinks.items) add('AAPR.link', d.line, d.message, d.seq);
      countUnlisted(sink, 'AAPR.link', deferredLinks.total - deferredLinks.items.length);
    }
    if (m.kind === 'run' && m.runId !== null) {
      const foreign: { line: number; seq: string; runId: string | null }[] = [];
      let unlisted = 0;
      for (const [id, r] of deferredRuns) {
        if (id === keyOf(m.runId)) continue;
        for (const it of r.items) foreign.push({ ...it, runId: id });
        unlisted += r.count - r.items.length;
      }
      foreign.sort((a, b) => a.line - b.line);
      for (const f of foreign) add('AAPR.run', f.line, runMessage(f.seq, m.runId, f.runId), f.seq);
      countUnlisted(sink, 'AAPR.run', unlisted);
      if (deferredRunOverflow)
        add(
          'AAPR.run',
          0,
          `${deferredRunOverflow} event(s) of more than ${MAX_DEFERRED_RUN_IDS} distinct run ids came before the manifest and were not checked one by one; a run bundle holds one run`,
        );
    }
    firstFacts = null;
    deferredLinks.items.length = 0;
    deferredRuns.clear();
  };

  const runMessage = (seq: string, runId: string, found: unknown) =>
    `event seq ${seq} does not belong to run ${clip(runId, 100)} (its run_id is ${found === null ? 'null' : JSON.stringify(clip(String(found), 100))})`;

  // --- step: readEvent (its per-event half is digestMakerCheckerEvent) ---------------
  const applyEvent = (d: EventDigest, line: number, size: number) => {
    const index = count++;
    const seq = own(d.seqText ?? `#${index + 1}`);
    // (most rows have nothing to report: no label, path or record is built for them)
    if (d.tooLarge || d.error) {
      const label = (seq?: string) => (seq !== undefined && !seq.startsWith('#') ? `event seq ${seq}` : `event ${index + 1}`);
      reportElement({ tooLarge: d.tooLarge, size, error: d.error }, line, label, `$.events[${index}]`, seq);
    }
    if (d.notObject !== null) add('FORMAT.schema', line, `event ${index + 1} must be a JSON object, found ${d.notObject}`);

    // running count / seq bounds / digest / head, whatever else is wrong
    const seqValue = d.row ? d.seqValue : undefined;
    if (index === 0) firstSeq = seqValue;
    lastSeq = seqValue;
    const stored = d.row ? d.hash : null;
    if (stored === null) digestKnown = false;
    else {
      // the hashes joined with "\n", hashed in pieces of about 64 KiB, not two calls per event
      digestText += index > 0 ? '\n' + stored : stored;
      if (digestText.length >= 65536) {
        digest.update(encodeUtf8(digestText));
        digestText = '';
      }
    }
    const prevStored = lastHash;
    const prevKnown = headKnown;
    lastHash = stored;
    headKnown = stored !== null;
    if (!d.row) return;
    const strict = d.strict;

    // schema
    if (strict && d.schema && d.schema.length) add('FORMAT.schema', line, `event seq ${seq}: ${d.schema.join('; ')}`, seq);

    // AAPR.hash: only over strictly read rows (an ill-formed string has no defined hash)
    if (strict && stored !== null && d.recomputed !== null && d.recomputed !== stored)
      add('AAPR.hash', line, `event seq ${seq} hash mismatch (row tampered): stored ${short(stored)}, recomputed ${short(d.recomputed)}`, seq);

    // AAPR.link (full bundles)
    const m = manifest;
    lens.observe(d.lens!, line, seq);
    // A leniently recovered row only keeps the bookkeeping going: no verdict on it.
    if (!strict) return;
    if (index === 0) {
      const facts: FirstEventFacts = {
        line,
        seq,
        prevHash: d.prevHash,
        eventType: d.eventType,
        genesisInstanceId: d.genesisInstanceId,
      };
      if (m) checkFirst(m, facts);
      else if (!manifestSeen) firstFacts = facts;
    } else if (prevKnown && prevStored !== null && d.prevHash !== prevStored) {
      const msg = `event seq ${seq} breaks chain linkage: prev_hash ${short(d.prevHash)} is not the previous event's hash ${short(prevStored)}`;
      if (m) {
        if (m.kind === 'full') add('AAPR.link', line, msg, seq);
      } else if (!manifestSeen) deferredLinks.push(line, seq, msg);
    }

    // AAPR.run (run bundles)
    const runId = d.runId as string | null;
    if (m) {
      if (m.kind === 'run' && m.runId !== null && runId !== m.runId) add('AAPR.run', line, runMessage(seq, m.runId, runId), seq);
    } else if (!manifestSeen) {
      const key = typeof runId === 'string' ? own(keyOf(runId)) : runId === null ? null : own(keyOf(JSON.stringify(runId)));
      let r = deferredRuns.get(key);
      if (!r && deferredRuns.size < MAX_DEFERRED_RUN_IDS) deferredRuns.set(key, (r = { count: 0, items: [] }));
      if (r) {
        r.count++;
        if (r.items.length < cap) r.items.push({ line, seq });
      } else deferredRunOverflow++;
    }
  };

  // --- the pass ----------------------------------------------------------------------
  const progress = () =>
    opts.onProgress?.({
      bytes: stats.bytes,
      decompressedBytes: stats.decompressedBytes,
      ...(opts.totalBytes !== undefined ? { totalBytes: opts.totalBytes } : {}),
      entries: count,
      elapsedMs: now() - t0,
    });

  const handleItem = (item: ScanItem) => {
    switch (item.kind) {
      case 'event':
        applyEvent(digestMakerCheckerEvent(item.bytes, fast ? item.members : -1, false), item.line, item.size);
        if (count % PROGRESS_EVERY === 0) progress();
        return;
      case 'manifest':
        readManifest(item);
        return;
      case 'member':
        if (item.name === 'events') {
          eventsMember = true;
          add('FORMAT.schema', item.line, 'events must be a JSON array');
        } else add('FORMAT.schema', item.line, `unknown top-level member ${JSON.stringify(clip(item.name, 100))}: a bundle is {"manifest":…,"events":[…]}`);
        if (item.bytes) {
          const name = JSON.stringify(clip(item.name, 100));
          readElement(item.bytes, item.size, item.line, () => `member ${name}`, `$[${name}]`).report();
        }
        return;
      case 'problem':
        add(item.code, item.line, item.message);
        return;
    }
  };

  // With a pool, events are digested on other threads in batches and applied here in file
  // order; every other item waits its turn in the same queue, so the order of everything
  // the sequential pass sees (and so the report) is the same as without a pool.
  const pool = opts.eventPool && opts.eventPool.size > 0 ? opts.eventPool : null;
  type Pending =
    { digests: Promise<DigestReply | EventDigest[]> | EventDigest[]; batch: PackedElements | null; lines: number[]; sizes: number[] } | { item: ScanItem };
  const queue: Pending[] = [];
  const maxQueue = pool ? 2 * pool.size + 2 : 0;
  const batchBytes = Math.max(1, pool?.batchBytes ?? BATCH_BYTES);
  let batch = new Uint8Array(0);
  let batchLen = 0;
  let ends: number[] = [];
  let members: number[] = [];
  let lineList: number[] = [];
  let sizes: number[] = [];
  const flush = () => {
    if (!ends.length) return;
    const packed: PackedElements = { bytes: batch.subarray(0, batchLen), ends: Uint32Array.from(ends), members: Int32Array.from(members) };
    // No digesting here when the workers seem behind: this thread frames, hashes the file and
    // applies, and is the one that limits (a page profile had the workers 78 % idle while it
    // digested batches whose replies sat unread in its own message queue). The bounded queue
    // below is the back-pressure.
    const digests = pool!.digest(packed).catch((e: unknown): EventDigest[] => {
      // A batch whose worker failed is digested here when it is still ours (the page's pool
      // sends a copy; sub-worker-pool.ts); one the pool transferred away (the CLI's) is
      // detached, and the run ends with the error rather than a guessed verdict.
      if (packed.ends.length === 0) throw e;
      return digestPackedElements(packed); // what the worker would have run
    });
    digests.catch(() => {}); // awaited in order below; this keeps a failure from counting as unhandled meanwhile
    queue.push({ digests, batch: packed, lines: lineList, sizes });
    batch = new Uint8Array(0);
    batchLen = 0;
    ends = [];
    members = [];
    lineList = [];
    sizes = [];
  };
  const enqueue = (item: ScanItem) => {
    if (item.kind === 'event' && item.bytes) {
      const n = item.bytes.length;
      if (batchLen + n > batch.length) {
        if (batchLen >= batchBytes / 2 || ends.length >= BATCH_EVENTS) flush();
        const grown = new Uint8Array(Math.max(batchBytes, batchLen + n));
        grown.set(batch.subarray(0, batchLen));
        batch = grown;
      }
      batch.set(item.bytes, batchLen);
      batchLen += n;
      ends.push(batchLen);
      members.push(fast ? item.members : -1);
      lineList.push(item.line);
      sizes.push(item.size);
      if (batchLen >= batchBytes || ends.length >= BATCH_EVENTS) flush();
      return;
    }
    flush();
    if (item.kind === 'event') queue.push({ digests: [digestMakerCheckerEvent(null, -1, false)], batch: null, lines: [item.line], sizes: [item.size] });
    // The scanner's bytes may be a view into the chunk being written: keep a copy.
    else queue.push({ item: 'bytes' in item && item.bytes ? { ...item, bytes: item.bytes.slice() } : item });
  };
  const applyHead = async () => {
    const head = queue.shift()!;
    if ('item' in head) return handleItem(head.item);
    const reply = Array.isArray(head.digests) ? head.digests : await head.digests;
    const ds = Array.isArray(reply) ? reply : decodeDigests(reply, reply.batch ?? head.batch!);
    for (let i = 0; i < ds.length; i++) {
      applyEvent(ds[i]!, head.lines[i]!, head.sizes[i]!);
      if (count % PROGRESS_EVERY === 0) progress();
    }
  };

  const scanner = new BundleScanner(pool ? enqueue : handleItem, opts.maxElementBytes ?? MAX_ELEMENT_BYTES);
  for await (const chunk of chunks) {
    throwIfAborted(opts.signal);
    scanner.write(chunk);
    while (queue.length > maxQueue) await applyHead();
  }
  throwIfAborted(opts.signal);
  const summary = scanner.end();
  if (pool) {
    flush();
    while (queue.length) await applyHead();
  }
  const lines = summary.lines;
  const lastLine = Math.max(lines, 1);
  progress();

  // The event hashes still buffered as text go into the running digest (AAPR.digest).
  if (digestText) digest.update(encodeUtf8(digestText));
  digestText = '';

  // --- step: finish --------------------------------------------------------------------
  return finishMakerChecker({
    sink,
    lens,
    add,
    opts,
    stats,
    t0,
    summary,
    lines,
    lastLine,
    manifestSeen,
    eventsMember,
    manifest: manifest as ManifestState | null,
    count,
    digest,
    digestKnown,
    headKnown,
    lastHash,
    firstSeq,
    lastSeq,
  });
}

/** What the finish step reads: the state of the pass, final by now. */
interface FinishState {
  sink: FindingSink;
  lens: MakerCheckerLens;
  add: (code: FindingCode, line: number, message: string, seq?: string) => void;
  opts: MakerCheckerOptions;
  stats: SourceStats;
  t0: number;
  summary: ReturnType<BundleScanner['end']>;
  lines: number;
  lastLine: number;
  manifestSeen: boolean;
  eventsMember: boolean;
  manifest: ManifestState | null;
  count: number;
  digest: ReturnType<typeof createSha256>;
  digestKnown: boolean;
  headKnown: boolean;
  lastHash: string | null;
  firstSeq: unknown;
  lastSeq: unknown;
}

/** Step finish: AAPR.signature, AAPR.count, AAPR.digest, AAPR.head, evaluateTrust (TRUST.*), the report. */
async function finishMakerChecker(state: FinishState): Promise<Report> {
  const {
    sink,
    lens,
    add,
    opts,
    stats,
    t0,
    summary,
    lines,
    lastLine,
    manifestSeen,
    eventsMember,
    manifest,
    count,
    digest,
    digestKnown,
    headKnown,
    lastHash,
    firstSeq,
    lastSeq,
  } = state;
  if (!manifestSeen && summary.complete) add('FORMAT.schema', lastLine, 'the bundle has no manifest');
  if (!summary.sawEvents && !eventsMember && summary.complete) add('FORMAT.schema', lastLine, 'the bundle has no events array');
  const eventsComplete = summary.eventsClosed;
  const m = manifest as ManifestState | null;
  let signatures = 0;
  const backendName = opts.backend?.name ?? 'noble';
  if (m) {
    const v = m.value;
    // AAPR.signature
    if (m.strict && m.publicKey && m.signature) {
      let message: Uint8Array | null;
      try {
        message = manifestSigningBytes(v);
      } catch {
        message = null;
      }
      if (message) {
        const job: SigJob = { publicKey: m.publicKey, signature: m.signature, message };
        const ok = opts.backend ? (await opts.backend.verifyBatch([job]))[0] === true : verifyStrict(job.signature, job.message, job.publicKey);
        signatures = 1;
        if (!ok) add('AAPR.signature', m.line, "manifest signature invalid: it does not verify under the manifest's publicKeyPem over the 10 signed fields");
      }
    }
    if (eventsComplete) {
      // AAPR.count
      if (typeof v.count === 'number' && v.count !== count)
        add('AAPR.count', m.line, `event count ${count} != manifest count ${v.count}: the events array does not hold the signed number of events`);
      // AAPR.digest
      if (typeof v.eventHashesDigest === 'string' && digestKnown) {
        const d = encodeHex(digest.digest());
        if (d !== v.eventHashesDigest)
          add(
            'AAPR.digest',
            m.line,
            `event hash set does not match the signed digest: eventHashesDigest is ${short(v.eventHashesDigest)}, the event hashes in order give ${short(d)} (events added, removed or reordered)`,
          );
      }
      // AAPR.head
      const head = count === 0 ? null : lastHash;
      if ((count === 0 || headKnown) && head !== v.headHash && (v.headHash === null || typeof v.headHash === 'string'))
        add('AAPR.head', m.line, `head hash does not match manifest: headHash is ${short(v.headHash)}, the last event's hash is ${short(head)}`);
      const first = count === 0 ? null : firstSeq;
      const last = count === 0 ? null : lastSeq;
      if (first !== undefined && first !== v.firstSeq)
        add(
          'AAPR.head',
          m.line,
          `first seq does not match manifest: firstSeq is ${describeValue(v.firstSeq)}, the first event's seq is ${describeValue(first)}`,
        );
      if (last !== undefined && last !== v.lastSeq)
        add('AAPR.head', m.line, `last seq does not match manifest: lastSeq is ${describeValue(v.lastSeq)}, the last event's seq is ${describeValue(last)}`);
    }
  }

  const trustSummary = evaluateTrust(opts.trust ?? [], sink, m);
  const signers: SignerInfo[] = [];
  if (m?.publicKey && m.spki) {
    const keyId = keyIdOf(m.publicKey);
    signers.push({
      keyId,
      fingerprint: fingerprintOf(keyId),
      principal: 'makerchecker-instance',
      ...(m.instanceId !== null ? { name: m.instanceId } : {}),
      roles: ['instance'],
      spkiSha256: encodeHex(sha256(m.spki)),
      signatures,
    });
  }

  // List the findings in MakerChecker's order of checks, then by line.
  const rank = (c: FindingCode) => {
    const r = ORDER.indexOf(c);
    return r < 0 ? ORDER.length : r;
  };
  sink.findings.sort((a, b) => rank(a.code) - rank(b.code) || a.line - b.line);

  const v = m?.value;
  return {
    ...buildReport({
      format: 'makerchecker-aapr/v1',
      sink,
      stats,
      lines,
      log: m?.instanceId ?? null,
      entries: count,
      checkpoints: 0,
      genesis: m?.instanceId != null ? genesisPrevHash(m.instanceId) : null,
      signers,
      trust: trustSummary,
      totalMs: now() - t0,
      signatureBackend: backendName,
      signatures,
    }),
    ...(v
      ? {
          makerchecker: {
            bundleKind: typeof v.bundleKind === 'string' ? v.bundleKind : '',
            schemaVersion: typeof v.schemaVersion === 'number' ? v.schemaVersion : 0,
            instanceId: typeof v.instanceId === 'string' ? v.instanceId : '',
            runId: typeof v.runId === 'string' ? v.runId : null,
            exportedAt: typeof v.exportedAt === 'string' ? v.exportedAt : '',
            headHash: typeof v.headHash === 'string' ? v.headHash : '',
          },
        }
      : {}),
    governance: lens.finish(),
  };
}

/**
 * TRUST.* (docs/format.md "MakerChecker AAPR v1"): a key is pinned as a PEM, or as `key:HEX` where HEX
 * is the SHA-256 of the SPKI DER (MakerChecker's fingerprint) or the Countersign key id
 * (SHA-256 of the raw 32 bytes). Anchors are alternatives: one match pins the bundle.
 */
function evaluateTrust(anchors: TrustAnchor[], sink: FindingSink, m: ManifestState | null): TrustSummary {
  const proves = [
    'The manifest is signed by the key it carries (publicKeyPem), over the event count, the first and last seq, the head hash and the digest of every event hash in order.',
    'Every event hash recomputes from its fields, so no event was altered after it was hashed.',
  ];
  if (m?.kind === 'full')
    proves.push("Every event links to the one before it, back to this instance's genesis root: nothing in the chain up to the head was removed or reordered.");
  if (m?.kind === 'run') proves.push('Every event belongs to the run named in the signed manifest.');
  const doesNotProve = ['That the approvers approved: MakerChecker approvals are recorded by the server, not signed by the approvers themselves.'];
  if (m?.kind === 'run')
    doesNotProve.push(
      "That the instance's log is complete: a run bundle holds one run's events only, so it cannot show what else the instance recorded, or events of the run the export left out; only a full bundle's chain proves completeness up to its head.",
    );
  else doesNotProve.push('That nothing was recorded after the export: events after the head are not covered.');
  const texts = anchors.map(anchorText);
  const keyId = m?.publicKey ? keyIdOf(m.publicKey) : null;
  const spkiHash = m?.spki ? encodeHex(sha256(m.spki)) : null;
  if (anchors.length === 0) {
    sink.add(
      'TRUST.unpinned',
      0,
      keyId
        ? `no key was pinned: the bundle is consistent under the key it carries, which anyone could make; compare its fingerprints out of band (SPKI SHA-256 ${spkiHash}, key id ${keyId})`
        : 'no key was pinned, and the manifest carries no readable key',
    );
    return {
      status: 'unpinned',
      anchors: [],
      proves,
      doesNotProve: [...doesNotProve, "Whose export this is: no key was pinned; compare the instance key's fingerprints out of band."],
    };
  }
  const mismatch = (why: string): TrustSummary => {
    sink.add('TRUST.mismatch', m?.line ?? 0, why);
    return { status: 'mismatch', anchors: texts, proves, doesNotProve: [...doesNotProve, 'That this is the pinned instance: ' + why] };
  };
  if (!m?.publicKey || keyId === null) return mismatch('the manifest carries no readable Ed25519 key to compare with the pinned key');
  // Which anchors can pin an instance key: the one rule (anchors.ts, docs/format.md choice 30).
  const { apply, notApplicable } = anchorsFor('makerchecker-aapr/v1', anchors);
  let pinnedKeys = 0;
  for (const a of apply) {
    let match = false;
    if (a.kind === 'pem') {
      const pub = publicKeyFromPem(a.pem);
      if (pub) {
        pinnedKeys++;
        match = equalBytes(pub, m.publicKey);
      }
    } else if (a.kind === 'key') {
      pinnedKeys++;
      const hex = a.hex.toLowerCase();
      match = hex === keyId || hex === spkiHash;
    }
    if (match)
      return {
        status: 'pinned',
        anchors: texts,
        matched: anchorText(a),
        proves: [...proves, 'The manifest key is the pinned instance key.'],
        doesNotProve,
      };
  }
  if (pinnedKeys === 0 && notApplicable.length)
    return mismatch(
      'a genesis: anchor pins a Countersign log and does not apply to a MakerChecker bundle, so no pinned key matches; pin the instance key (pem: or key:)',
    );
  if (pinnedKeys === 0) return mismatch('the pinned PEM is not an Ed25519 public key, so no pinned key can match');
  return mismatch(`manifest public key does not match the pinned key (the manifest's key has SPKI SHA-256 ${spkiHash}, key id ${keyId})`);
}

/** AAPR.link for a full bundle's first event, once the manifest is known (docs/format.md choice 24). */
function checkFirstEvent(add: (code: FindingCode, line: number, message: string, seq?: string) => void, m: ManifestState, f: FirstEventFacts): void {
  if (m.kind !== 'full') return;
  if (f.eventType !== 'audit.genesis') add('AAPR.link', f.line, `the first event of a full bundle is ${describeValue(f.eventType)}, not audit.genesis`, f.seq);
  if (m.instanceId !== null) {
    const root = genesisPrevHash(m.instanceId);
    if (f.prevHash !== root)
      add(
        'AAPR.link',
        f.line,
        `event seq ${f.seq} breaks chain linkage: the first prev_hash ${short(f.prevHash)} is not the genesis root ${short(root)} = SHA-256("${GENESIS_PREFIX}" + instanceId)`,
        f.seq,
      );
    if (f.eventType === 'audit.genesis' && f.genesisInstanceId !== m.instanceId)
      add('AAPR.link', f.line, `the genesis event's payload is not {"instanceId": ${JSON.stringify(clip(m.instanceId, 100))}}`, f.seq);
  }
}
