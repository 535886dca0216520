// The per-event half of the MakerChecker verifier (makerchecker.ts), apart from the chain.
//
// Everything about one event that does not depend on any other event is worked out here:
// reading it (strict I-JSON, fast path first: json-fast.ts), its schema, and its recomputed
// hash. The result is a compact EventDigest. The verifier then applies the digests in file
// order (count, digest, links, run, head, lens), which is the only sequential part. So the
// same function runs on the verifier's own thread or in N workers (makerchecker-pool.ts),
// and the findings cannot differ: they are built from the same digests either way.
//
// Element bytes are attacker-controlled.

import { sha256HexOfUtf8 } from '../crypto/hash.ts';
import { isLowerHex } from '../encoding/hex.ts';
import { canonicalize } from '../encoding/jcs.ts';
import { parseJsonBytes, type JsonErrorKind, type JsonValue } from '../encoding/json.ts';
import { readJsonFast } from '../encoding/json-fast.ts';
import { clip, LENS_EVENT_TYPES } from './makerchecker-lens.ts';

/** `occurred_at` grammar: YYYY-MM-DDTHH:MM:SS.mmmZ, exactly three fraction digits. */
export const OCCURRED_AT = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$/;

type Obj = { [k: string]: JsonValue };

export function isObj(v: JsonValue | undefined): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function describeValue(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object'
    ? 'an object'
    : typeof v === 'string'
      ? `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`
      : `${typeof v} ${String(v)}`;
}

/** The camelCase object that is hashed (docs/format.md "MakerChecker AAPR v1"); `seq` is not hashed. */
export function eventHashInput(event: object): object {
  const row = event as { [k: string]: unknown };
  // Members in JCS order already (RFC 8785 §3.2.3), so canonicalize does not sort them.
  return {
    actor: row.actor,
    entityId: row.entity_id,
    entityType: row.entity_type,
    eventType: row.event_type,
    id: row.id,
    occurredAt: row.occurred_at,
    payload: row.payload,
    prevHash: row.prev_hash,
    runId: row.run_id,
  };
}

/** Event hash = lowercase hex SHA-256 of JCS of the camelCase object. */
export function makerCheckerEventHash(row: object): string {
  return sha256HexOfUtf8(canonicalize(eventHashInput(row)));
}

/** Why an element could not be read strictly (json.ts's error, positions relative to it). */
export interface ElementError {
  kind: JsonErrorKind | 'too_large';
  message: string;
  path: string;
  line: number;
  column: number;
  /** bad UTF-8 that is a UTF-8-encoded surrogate (ED A0..BF): an ill-formed string. */
  encodedSurrogate: boolean;
}

export interface ElementRead {
  /** The value, strictly read, or leniently recovered (strict false), or undefined. */
  value: JsonValue | undefined;
  strict: boolean;
  error: ElementError | null;
}

const lenientDecoder = new TextDecoder('utf-8');

/**
 * Best-effort reading of an element the strict parser refused (duplicate key, lone
 * surrogate, bad UTF-8): used only to keep the bookkeeping going (its seq for
 * messages, its stored hash for the digest and the next link), never to accept it.
 */
function recoverLeniently(bytes: Uint8Array): JsonValue | undefined {
  try {
    return JSON.parse(lenientDecoder.decode(bytes)) as JsonValue;
  } catch {
    return undefined;
  }
}

/** Offset of a UTF-8-encoded surrogate (ED A0..BF xx), which is an ill-formed string too. */
function findEncodedSurrogate(bytes: Uint8Array): number {
  let i = bytes.indexOf(0xed);
  while (i >= 0 && i + 1 < bytes.length) {
    const b = bytes[i + 1]!;
    if (b >= 0xa0 && b <= 0xbf) return i;
    i = bytes.indexOf(0xed, i + 1);
  }
  return -1;
}

/**
 * Reads one framed element: the fast path when `members` (':' outside strings, counted by
 * json-stream.ts) is known, else, or when in doubt, the exact reader (json.ts).
 */
export function readElementBytes(bytes: Uint8Array, members = -1): ElementRead {
  const fast = members >= 0 ? readJsonFast(bytes, members) : undefined;
  if (fast !== undefined) return { value: fast, strict: true, error: null };
  const parsed = parseJsonBytes(bytes);
  if (parsed.ok) return { value: parsed.value, strict: true, error: null };
  const e = parsed.error;
  return {
    value: recoverLeniently(bytes),
    strict: false,
    error: { ...e, encodedSurrogate: e.kind === 'utf8' && findEncodedSurrogate(bytes) >= 0 },
  };
}

/** FORMAT.schema for one event row (docs/format.md "MakerChecker AAPR v1"). */
export function eventSchemaProblems(ev: Obj): string[] {
  const p: string[] = [];
  for (const f of ['seq', 'id', 'occurred_at', 'event_type'] as const)
    if (typeof ev[f] !== 'string') p.push(`${f} must be a string, found ${describeValue(ev[f])}`);
  if (typeof ev.occurred_at === 'string' && !OCCURRED_AT.test(ev.occurred_at))
    p.push(`occurred_at ${JSON.stringify(clip(ev.occurred_at, 40))} is not YYYY-MM-DDTHH:MM:SS.mmmZ`);
  for (const f of ['entity_type', 'entity_id', 'run_id'] as const)
    if (ev[f] !== null && typeof ev[f] !== 'string') p.push(`${f} must be a string or null, found ${describeValue(ev[f])}`);
  if (!isObj(ev.actor)) p.push(`actor must be an object, found ${describeValue(ev.actor)}`);
  if (!isObj(ev.payload)) p.push(`payload must be an object, found ${describeValue(ev.payload)}`);
  for (const f of ['prev_hash', 'hash'] as const) {
    const h = ev[f];
    if (typeof h !== 'string') p.push(`${f} must be a string, found ${describeValue(h)}`);
    else if (!isLowerHex(h, 64)) p.push(`${f} must be 64 lowercase hex digits`);
  }
  return p;
}

/** Everything the sequential pass needs of one event. Structured-clonable. */
export interface EventDigest {
  /** Bytes over the element limit: not read (bytes were null). */
  tooLarge: boolean;
  strict: boolean;
  /** The strict reader's error, when not strict and the element was read at all. */
  error: ElementError | null;
  /** describeValue of a value that parsed but is not an object; null otherwise. */
  notObject: string | null;
  /** The row is an object (strictly read or leniently recovered). */
  row: boolean;
  /** `seq` as text when a string or number, clipped; null otherwise. */
  seqText: string | null;
  /** `seq ?? null` as read (for firstSeq / lastSeq), undefined when not a row. */
  seqValue: JsonValue | undefined;
  /** The stored `hash` when a string. */
  hash: string | null;
  prevHash: JsonValue | undefined;
  /** `run_id`, undefined read as null. */
  runId: JsonValue;
  eventType: JsonValue | undefined;
  /** The genesis payload's instanceId when the payload is exactly {"instanceId": string}. */
  genesisInstanceId: string | null;
  /** FORMAT.schema problems (strict rows only). */
  schema: string[] | null;
  /** The recomputed hash (strict rows with a stored hash); null when it could not be computed. */
  recomputed: string | null;
  /** What the governance lens reads of the row (the row itself, or its projection). */
  lens: JsonValue | null;
}

// The payload members the lens reads (makerchecker-lens.ts); `changes` only for roleId.
const LENS_PAYLOAD = [
  'roleId',
  'skill',
  'definition',
  'flowVersionId',
  'stepKey',
  'stepIndex',
  'skills',
  'requiredApprovals',
  'title',
  'decision',
  'code',
  'outcome',
  'skillRef',
] as const;

/**
 * The part of a row the lens reads, for crossing a thread boundary without the bulk
 * of the payload (an LLM prompt, a skill's input and output). Kept exactly: the lens
 * gives the same result on the projection as on the row (a property test checks it).
 */
export function lensProjection(ev: Obj): Obj {
  // Other types: the lens only looks at the type (of the first event).
  if (typeof ev.event_type !== 'string' || !LENS_EVENT_TYPES.has(ev.event_type)) return 'event_type' in ev ? { event_type: ev.event_type! } : {};
  const out: Obj = {};
  for (const f of ['event_type', 'actor', 'run_id', 'entity_id', 'occurred_at'] as const) if (f in ev) out[f] = ev[f]!;
  const p = ev.payload;
  if (!isObj(p)) return out; // the lens reads a non-object payload as {}
  const q: Obj = {};
  for (const f of LENS_PAYLOAD) if (Object.prototype.hasOwnProperty.call(p, f)) q[f] = p[f]!;
  if (Object.prototype.hasOwnProperty.call(p, 'changes')) {
    const c = p.changes;
    q.changes = isObj(c) ? (Object.prototype.hasOwnProperty.call(c, 'roleId') ? { roleId: c.roleId! } : {}) : null;
  }
  out.payload = q;
  return out;
}

/**
 * The digest of one events[] element. `bytes` null means over the element limit.
 * `project` replaces the lens row with its projection (for a worker's reply).
 */
export function digestMakerCheckerEvent(bytes: Uint8Array | null, members: number, project: boolean): EventDigest {
  const d: EventDigest = {
    tooLarge: bytes === null,
    strict: false,
    error: null,
    notObject: null,
    row: false,
    seqText: null,
    seqValue: undefined,
    hash: null,
    prevHash: undefined,
    runId: null,
    eventType: undefined,
    genesisInstanceId: null,
    schema: null,
    recomputed: null,
    lens: null,
  };
  if (bytes === null) return d;
  const { value, strict, error } = readElementBytes(bytes, members);
  d.strict = strict;
  d.error = error;
  if (value === undefined) return d;
  if (!isObj(value)) {
    d.notObject = describeValue(value);
    return d;
  }
  const ev = value;
  d.row = true;
  d.seqText = typeof ev.seq === 'string' ? clip(ev.seq, 64) : typeof ev.seq === 'number' ? clip(String(ev.seq), 64) : null;
  d.seqValue = ev.seq ?? null;
  d.hash = typeof ev.hash === 'string' ? ev.hash : null;
  d.prevHash = ev.prev_hash;
  d.runId = ev.run_id === undefined ? null : ev.run_id;
  d.eventType = ev.event_type;
  const p = isObj(ev.payload) ? ev.payload : null;
  if (p && typeof p.instanceId === 'string' && Object.keys(p).length === 1) d.genesisInstanceId = p.instanceId;
  if (strict) {
    d.schema = eventSchemaProblems(ev);
    if (d.hash !== null) {
      try {
        d.recomputed = makerCheckerEventHash(ev);
      } catch {
        d.recomputed = null;
      }
    }
  }
  d.lens = project ? lensProjection(ev) : ev;
  return d;
}

/** A batch of framed events[] elements, packed to cross a thread boundary as three buffers. */
export interface PackedElements {
  /** The elements' bytes, one after another. */
  bytes: Uint8Array;
  /** Exclusive end of element i in `bytes`. */
  ends: Uint32Array;
  /** Members of element i as counted by the scanner (json-stream.ts), or -1 if unknown. */
  members: Int32Array;
}

/**
 * Digests events on other threads (workers/ in the page, worker_threads in the CLI). The
 * verifier hands over batches in file order and applies the replies in file order.
 */
export interface MakerCheckerEventPool {
  readonly size: number;
  /** Bytes per batch (default 1 MiB; tests use small ones to cross many batch edges). */
  readonly batchBytes?: number;
  /**
   * Resolves to encodeDigests of digestPackedElements(batch), computed elsewhere. The pool
   * may transfer the batch's buffers away rather than copy them (the caller's views are
   * then empty): it hands the batch back as `batch` of the reply.
   */
  digest(batch: PackedElements): Promise<DigestReply>;
}

/** What a pool worker runs on one batch: the same digest as on the verifier's thread. */
export function digestPackedElements(p: PackedElements): EventDigest[] {
  const n = p.ends.length;
  if (p.members.length !== n) throw new RangeError('members and ends differ in length');
  const out: EventDigest[] = new Array(n);
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = p.ends[i]!;
    if (end < start || end > p.bytes.length) throw new RangeError(`element ${i} ends outside the batch`);
    out[i] = digestMakerCheckerEvent(p.bytes.subarray(start, end), p.members[i]!, true);
    start = end;
  }
  return out;
}

/** A listed row's digest on the wire: short names, defaults left out. */
interface WireDigest {
  s: string | null;
  v?: JsonValue;
  h: string | null;
  p?: JsonValue;
  u?: 1;
  r: JsonValue;
  e?: JsonValue;
  g?: string;
  x?: string[];
  c?: string;
  l: JsonValue | null;
}

/** DigestReply.cols: columns per row, and the kinds of row (column 0). */
const COLS = 4;
const PLAIN = 0;
const LISTED = 1;
const REREAD = 2;

/**
 * A batch's digests as they cross back to the verifier, in columns rather than one object
 * per row: the verifier's thread is the bottleneck of a pooled run, and reading one large
 * JSON text of small objects was most of its share (issue 10).
 *
 *   plain    (nearly every row) strictly read, no schema problem, hash recomputes, seq a
 *            string of at most 64 chars, prev_hash the previous row's hash in the batch:
 *            its seq, hash, run_id and event_type go in columns, its lens row only when
 *            the projection is more than its event_type
 *   listed   any other strictly read row: all of its digest, as before
 *   reread   a row not strictly read: digested again from the batch's bytes by the verifier
 *            itself, so a leniently recovered value (an Infinity, say) reaches the report
 *            exactly as without a pool
 *
 * JSON keeps strictly read values exactly (finite numbers, strings without lone
 * surrogates, no undefined: an absent field stays absent).
 */
export interface DigestReply {
  /** COLS Int32 per row: kind, run_id (index into `t`, -1 for null), event_type (index into `t`), 1 if its lens row is next in `l`. */
  cols: Int32Array;
  /** JSON text of WireColumns. */
  text: string;
  /** The batch, handed back when the pool transferred it away (see MakerCheckerEventPool). */
  batch?: PackedElements;
}

interface WireColumns {
  /** The run_id and event_type strings, each once. */
  t: string[];
  /** Plain rows' seq. */
  s: string[];
  /** Plain rows' stored hashes, 64 characters each, one after another. */
  h: string;
  /** Lens rows of the plain rows that have one in `l`. */
  l: JsonValue[];
  /** Listed rows. */
  x: WireDigest[];
}

function isPlain(d: EventDigest, before: EventDigest | null): boolean {
  return (
    before !== null &&
    d.strict &&
    d.row &&
    typeof d.seqValue === 'string' &&
    d.seqValue === d.seqText &&
    d.hash !== null &&
    d.hash.length === 64 &&
    d.recomputed === d.hash &&
    d.schema !== null &&
    d.schema.length === 0 &&
    typeof d.prevHash === 'string' &&
    d.prevHash === before.hash &&
    (d.runId === null || typeof d.runId === 'string') &&
    typeof d.eventType === 'string' &&
    d.genesisInstanceId === null &&
    isObj(d.lens ?? null)
  );
}

/** The lens row is just `{"event_type": type}` (lensProjection of a type the lens does not read). */
function onlyType(lens: Obj, type: string): boolean {
  let n = 0;
  for (const k in lens) if (++n > 1 || k !== 'event_type') return false;
  return n === 1 && lens.event_type === type;
}

export function encodeDigests(ds: EventDigest[]): DigestReply {
  const n = ds.length;
  const cols = new Int32Array(n * COLS);
  const w: WireColumns = { t: [], s: [], h: '', l: [], x: [] };
  const table = new Map<string, number>();
  const indexOf = (s: string) => {
    let k = table.get(s);
    if (k === undefined) table.set(s, (k = w.t.push(s) - 1));
    return k;
  };
  const hashes: string[] = [];
  for (let i = 0; i < n; i++) {
    const d = ds[i]!;
    const c = i * COLS;
    const before = i > 0 ? ds[i - 1]! : null;
    if (!d.strict || d.tooLarge || !d.row) {
      cols[c] = REREAD;
      continue;
    }
    if (isPlain(d, before)) {
      const type = d.eventType as string;
      cols[c] = PLAIN;
      cols[c + 1] = d.runId === null ? -1 : indexOf(d.runId as string);
      cols[c + 2] = indexOf(type);
      if (!onlyType(d.lens as Obj, type)) {
        cols[c + 3] = 1;
        w.l.push(d.lens!);
      }
      w.s.push(d.seqText!);
      hashes.push(d.hash!);
      continue;
    }
    cols[c] = LISTED;
    const x: WireDigest = { s: d.seqText, h: d.hash, r: d.runId, l: d.lens };
    if (d.seqValue !== d.seqText) x.v = d.seqValue!;
    // prev_hash is usually the previous row's hash: then it is left out (u: 1 for absent)
    if (d.prevHash === undefined) x.u = 1;
    else if (!(before && typeof d.prevHash === 'string' && d.prevHash === before.hash)) x.p = d.prevHash;
    if (d.eventType !== undefined) x.e = d.eventType;
    if (d.genesisInstanceId !== null) x.g = d.genesisInstanceId;
    if (d.schema && d.schema.length) x.x = d.schema;
    if (d.recomputed !== null && d.recomputed !== d.hash) x.c = d.recomputed;
    w.x.push(x);
  }
  w.h = hashes.join('');
  return { cols, text: JSON.stringify(w) };
}

/** The digests of batch `p` from its reply: equivalent, for the verifier, to digestPackedElements(p). */
export function decodeDigests(reply: DigestReply, p: PackedElements): EventDigest[] {
  const n = p.ends.length;
  const cols = reply.cols;
  if (cols.length !== n * COLS) throw new RangeError('a pool reply does not match its batch');
  const w = JSON.parse(reply.text) as WireColumns;
  const out: EventDigest[] = new Array(n);
  let si = 0;
  let li = 0;
  let xi = 0;
  for (let i = 0; i < n; i++) {
    const c = i * COLS;
    const kind = cols[c];
    if (kind === PLAIN) {
      if (i === 0 || si >= w.s.length) throw new RangeError('a pool reply does not match its batch');
      const seq = w.s[si]!;
      const hash = w.h.slice(si * 64, si * 64 + 64);
      si++;
      const run = cols[c + 1]!;
      const type = w.t[cols[c + 2]!]!;
      out[i] = {
        tooLarge: false,
        strict: true,
        error: null,
        notObject: null,
        row: true,
        seqText: seq,
        seqValue: seq,
        hash,
        prevHash: out[i - 1]!.hash,
        runId: run < 0 ? null : w.t[run]!,
        eventType: type,
        genesisInstanceId: null,
        schema: null,
        recomputed: hash,
        lens: cols[c + 3] ? w.l[li++]! : { event_type: type },
      };
    } else if (kind === LISTED) {
      const x = w.x[xi++];
      if (!x) throw new RangeError('a pool reply does not match its batch');
      out[i] = {
        tooLarge: false,
        strict: true,
        error: null,
        notObject: null,
        row: true,
        seqText: x.s,
        seqValue: 'v' in x ? x.v : x.s,
        hash: x.h,
        prevHash: 'p' in x ? x.p : x.u ? undefined : (out[i - 1]?.hash ?? undefined),
        runId: x.r,
        eventType: x.e,
        genesisInstanceId: x.g ?? null,
        schema: x.x ?? null,
        recomputed: x.c ?? x.h,
        lens: x.l,
      };
    } else out[i] = digestMakerCheckerEvent(p.bytes.subarray(p.ends[i - 1] ?? 0, p.ends[i]!), p.members[i]!, false);
  }
  if (si !== w.s.length || li !== w.l.length || xi !== w.x.length) throw new RangeError('a pool reply does not match its batch');
  return out;
}
