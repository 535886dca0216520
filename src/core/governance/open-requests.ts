// The replay's open requests, held as encoded records, not objects (issue 8, item 4;
// docs/format.md choice 53). A hostile log can park millions of requests that are never
// decided, approved or closed. In memory each one costs only its index slot: 8 bytes (the
// first 32 bits of its digest and its record's offset) at a load of at most 3/4. The record
// itself (digest, seq, line, expiry, state, names, gate, approvals) is appended to a
// RecordLog, which the CLI backs with a temp file past a memory window (record-log.ts).
//
// Interface: the subset of Map<digest, OpenRequest> the replay uses (has, get, set, delete,
// values). `get` hands out a live object; the replay mutates it in place and never keeps it
// past the statement it is applying, so the object is encoded back at the next call
// ("write-back"). Every shape of request takes the same path: there is no object fallback
// for a hostile log to fill.

import type { Decision, Gate, Request } from '../statements/schemas.ts';
import type { Instant } from '../statements/time.ts';
import { RecordLog, type ColdStore } from './record-log.ts';
import { RecordIndex } from './record-index.ts';
import type { RequestStatus } from './replay.ts';

export interface OpenRequest {
  request: Pick<Request, 'id' | 'requester' | 'skill' | 'skill_version' | 'expires_at'>;
  digest: string;
  seq: number;
  /** The bundle line of the request entry (REQ.pending is reported there). */
  line: number;
  expiresAt: Instant;
  decided: boolean;
  outcome: Decision['outcome'] | null;
  gate: (Gate & { expires_at: string }) | null;
  gateExpires: Instant | null;
  /** approval digest → what it is worth; made on the first approval (most requests have none) */
  approvals: Map<string, { approver: string; vote: 'approve' | 'reject'; counted: boolean }> | null;
  approvers: Set<string> | null;
  vetoed: boolean;
  status: RequestStatus;
  /** The replay observer's handle for this request (the report's request summary), or null. */
  handle: unknown;
}

export interface OpenRequestsOptions {
  /** Where records older than the memory window go (the CLI: a temp file). None: all stay in memory. */
  cold?: ColdStore | null;
  /** Bytes of records kept in memory when `cold` is given. Default: the cold store's, or 32 MiB. */
  windowBytes?: number;
}

const STATUSES: RequestStatus[] = ['undecided', 'allowed', 'denied', 'pending', 'executed', 'failed', 'closed'];
const OUTCOMES: (Decision['outcome'] | null)[] = [null, 'parked', 'allowed', 'denied'];
const F_DECIDED = 1;
const F_VETOED = 2;
const F_GATE = 4;
const F_GATE_EXPIRES = 8;
const F_HANDLE = 16;
const F_HEX = 32;
const F_APPROVALS = 64;
const F_APPROVERS = 128;
/** Names, skills, versions and gates repeat: each distinct text is kept once, up to these limits. */
const MAX_INTERNED = 1 << 16;
const MAX_INTERNED_BYTES = 16 << 20;
const MAX_INTERNED_TEXT = 1024;
/** Memory-only logs are compacted when this much and more than half of them is dead. */
const COMPACT_DEAD_BYTES = 16 << 20;

export class OpenRequests {
  #log: RecordLog;
  readonly #windowBytes: number | undefined;
  /** Digest (first 32 bits) → record offset; a candidate is confirmed by #matches. */
  #index = new RecordIndex();
  /** The request get() handed out last, encoded back at the next call. */
  #out: OpenRequest | null = null;
  /** Observer handles are objects: the observer keeps at most a few thousand (report layer). */
  readonly #handles = new Map<string, unknown>();
  readonly #codec = new RecordCodec();
  /** The digest being looked up, as bytes (when it is sha256:hex), and a record's first bytes. */
  readonly #probe = new Uint8Array(32);
  readonly #peek = new Uint8Array(128);
  /** What #find is looking for: the digest, and whether #probe holds it as bytes. */
  #wanted = '';
  #wantedHex = false;
  /** Whether the record at an offset is stored under #wanted (made once, not per lookup). */
  readonly #matches = (offset: number): boolean => {
    const hex = this.#wantedHex ? this.#probe : null;
    const same = this.#codec.isDigest(this.#log.peek(offset, this.#peek), hex, this.#wanted);
    return same === 'more' ? this.#codec.isDigest(this.#log.read(offset), null, this.#wanted) === true : same;
  };

  constructor(options: OpenRequestsOptions = {}) {
    this.#windowBytes = options.windowBytes;
    this.#log = new RecordLog(options.cold ?? null, this.#windowBytes);
  }

  get size(): number {
    return this.#index.size;
  }

  /** Bytes held in memory by the index and the record log's resident chunks (BENCHMARKS.md). */
  get byteLength(): number {
    return this.#index.byteLength + this.#log.residentBytes + this.#codec.internedBytes;
  }

  /** Bytes of records written, live and dead (on disk past the window when spilling). */
  get recordBytes(): number {
    return this.#log.length;
  }

  has(digest: string): boolean {
    if (this.#out?.digest === digest) return true;
    this.#writeBack();
    return this.#find(digest) >= 0;
  }

  get(digest: string): OpenRequest | undefined {
    if (this.#out?.digest === digest) return this.#out;
    this.#writeBack();
    const i = this.#find(digest);
    if (i < 0) return undefined;
    const req = this.#codec.decode(this.#log.read(this.#index.offsetAt(i)), digest, this.#handles);
    this.#out = req;
    return req;
  }

  set(digest: string, req: OpenRequest): void {
    this.#writeBack();
    this.delete(digest);
    if (req.digest !== digest) throw new TypeError('an open request is stored under its own digest');
    // Only these fields of the statement are kept (the type says so); the rest of a 1 MiB statement is not.
    const { id, requester, skill, skill_version, expires_at } = req.request;
    req.request = { id, requester, skill, skill_version, expires_at };
    this.#index.insert(this.#key(digest), this.#write(req));
  }

  delete(digest: string): boolean {
    if (this.#out?.digest === digest)
      this.#out = null; // dropped: nothing to write back
    else this.#writeBack();
    const i = this.#find(digest);
    if (i < 0) return false;
    this.#log.free(this.#index.offsetAt(i));
    this.#handles.delete(digest);
    this.#index.remove(i);
    this.#compactIfWorthIt();
    return true;
  }

  /**
   * Every open request in arrival (seq) order, as a Map iterates, decoded one at a time. These
   * are copies: the replay only reads them (REQ.pending at the end); it changes a request
   * through get().
   */
  values(): Generator<OpenRequest> {
    this.#writeBack();
    return this.#inSeqOrder(this.#offsets());
  }

  /**
   * values() at the end of a bundle, leaving the table empty: the index goes before the sort,
   * whose arrays (16 bytes a request) then take its place (issue 8: a flood of 10M open requests).
   */
  drain(): Generator<OpenRequest> {
    this.#writeBack();
    const offs = this.#offsets();
    this.#index = new RecordIndex();
    return this.#inSeqOrder(offs);
  }

  /** Every record's offset / 8 (what an index slot holds), in no order. */
  #offsets(): Uint32Array {
    const offs = new Uint32Array(this.#index.size);
    let n = 0;
    for (const i of this.#index.slots()) offs[n++] = this.#index.offsetAt(i) / 8;
    return offs;
  }

  *#inSeqOrder(offs: Uint32Array): Generator<OpenRequest> {
    // Offsets in log order, so both passes sweep the log (and the cold file) front to back.
    offs.sort();
    const n = offs.length;
    const seqOf = (k: number): number => this.#codec.seqOf(this.#log.read(offs[k]! * 8));
    // Ranks by seq from native sorts of typed arrays only: a sort with a comparator copies every
    // element into a boxed array. Equal seqs (a log with a broken chain) keep log order.
    const sorted = new Float64Array(n);
    for (let k = 0; k < n; k++) sorted[k] = seqOf(k);
    sorted.sort();
    const order = new Uint32Array(n);
    const nextRank = new Map<number, number>();
    for (let k = 0; k < n; k++) {
      const s = seqOf(k);
      let r = rankOf(sorted, s);
      if (r + 1 < n && sorted[r + 1] === s) {
        const at = nextRank.get(r) ?? r;
        nextRank.set(r, at + 1);
        r = at;
      }
      order[r] = k;
    }
    for (let r = 0; r < n; r++) yield this.#codec.decode(this.#log.read(offs[order[r]!]! * 8), null, this.#handles);
  }

  /** Releases the record log (and its temp file). */
  close(): void {
    this.#out = null;
    this.#log.close();
  }

  // --- records ------------------------------------------------------------------

  #write(req: OpenRequest): number {
    if (req.handle != null) this.#handles.set(req.digest, req.handle);
    else this.#handles.delete(req.digest);
    return this.#log.append(this.#codec.encode(req));
  }

  #writeBack(): void {
    const out = this.#out;
    if (!out) return;
    this.#out = null;
    const i = this.#find(out.digest);
    if (i < 0) return;
    this.#log.free(this.#index.offsetAt(i));
    this.#index.setOffset(i, this.#write(out));
    this.#compactIfWorthIt();
  }

  /** Memory-only logs drop their dead records; a spilling log leaves them in its file. */
  #compactIfWorthIt(): void {
    const log = this.#log;
    if (log.spills || log.deadBytes < COMPACT_DEAD_BYTES || log.deadBytes * 2 < log.length) return;
    const fresh = new RecordLog(null, this.#windowBytes);
    for (const i of this.#index.slots()) this.#index.setOffset(i, fresh.append(log.read(this.#index.offsetAt(i))));
    log.close();
    this.#log = fresh;
  }

  // --- index ----------------------------------------------------------------------

  /** The index key of a digest: its first 32 bits; #probe then holds its bytes when it is sha256:hex. */
  #key(digest: string): number {
    this.#wantedHex = parseHexDigest(digest, this.#probe);
    if (this.#wantedHex) return ((this.#probe[0]! << 24) | (this.#probe[1]! << 16) | (this.#probe[2]! << 8) | this.#probe[3]!) >>> 0;
    // Not a SHA-256 digest string (tests, or a future algorithm): FNV-1a of its text.
    let h = 0x811c9dc5;
    for (let k = 0; k < digest.length; k++) h = Math.imul(h ^ digest.charCodeAt(k), 0x01000193);
    return h >>> 0;
  }

  #find(digest: string): number {
    if (this.#index.size === 0) return -1;
    const key = this.#key(digest);
    this.#wanted = digest;
    return this.#index.find(key, this.#matches);
  }
}

/**
 * One open request as bytes:
 *   u8 flags, u8 outcome, u8 status, f64 seq, f64 line, f64 expiry s, u32 expiry ns,
 *   [f64 gate-expiry s, u32 ns], digest (32 bytes if sha256:hex, else text),
 *   id, requester, skill, version, expires_at, [gate JSON without its expiry, gate expires_at],
 *   [approvals], [approvers]
 * Texts are a u32 length and UTF-8; a length with the top bit set is an interned text's number.
 */
class RecordCodec {
  #buf = new Uint8Array(512);
  #view = new DataView(this.#buf.buffer);
  #at = 0;
  readonly #digest = new Uint8Array(32);
  readonly #enc = new TextEncoder();
  readonly #dec = new TextDecoder();
  readonly #byText = new Map<string, number>();
  readonly #texts: string[] = [];
  internedBytes = 0;

  encode(req: OpenRequest): Uint8Array {
    this.#at = 0;
    const hex = parseHexDigest(req.digest, this.#digest);
    let flags = 0;
    if (req.decided) flags |= F_DECIDED;
    if (req.vetoed) flags |= F_VETOED;
    if (req.gate) flags |= F_GATE;
    if (req.gateExpires) flags |= F_GATE_EXPIRES;
    if (req.handle != null) flags |= F_HANDLE;
    if (hex) flags |= F_HEX;
    if (req.approvals) flags |= F_APPROVALS;
    if (req.approvers) flags |= F_APPROVERS;
    this.#u8(flags);
    this.#u8(OUTCOMES.indexOf(req.outcome));
    this.#u8(STATUSES.indexOf(req.status));
    this.#f64(req.seq);
    this.#f64(req.line);
    this.#f64(req.expiresAt.sec);
    this.#u32(req.expiresAt.nanos);
    if (req.gateExpires) {
      this.#f64(req.gateExpires.sec);
      this.#u32(req.gateExpires.nanos);
    }
    if (hex) {
      this.#room(32);
      this.#buf.set(this.#digest, this.#at);
      this.#at += 32;
    } else this.#text(req.digest, false);
    const r = req.request;
    this.#text(r.id, false);
    this.#text(r.requester, true);
    this.#text(r.skill, true);
    this.#text(r.skill_version, true);
    this.#text(r.expires_at, false);
    if (req.gate) {
      // The gate repeats from request to request; its expiry does not.
      const { expires_at, ...gate } = req.gate;
      this.#text(JSON.stringify(gate), true);
      this.#text(expires_at, false);
    }
    if (req.approvals) {
      this.#u32(req.approvals.size);
      for (const [digest, a] of req.approvals) {
        this.#text(digest, false);
        this.#text(a.approver, true);
        this.#u8((a.vote === 'approve' ? 1 : 0) | (a.counted ? 2 : 0));
      }
    }
    if (req.approvers) {
      this.#u32(req.approvers.size);
      for (const p of req.approvers) this.#text(p, true);
    }
    return this.#buf.subarray(0, this.#at);
  }

  decode(body: Uint8Array, digest: string | null, handles: ReadonlyMap<string, unknown>): OpenRequest {
    const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
    let at = 0;
    const text = (): string => {
      const n = v.getUint32(at, true);
      at += 4;
      if (n >= 0x80000000) return this.#texts[n - 0x80000000]!;
      const s = this.#dec.decode(body.subarray(at, at + n));
      at += n;
      return s;
    };
    const flags = body[0]!;
    const outcome = OUTCOMES[body[1]!]!;
    const status = STATUSES[body[2]!]!;
    const seq = v.getFloat64(3, true);
    const line = v.getFloat64(11, true);
    const expiresAt: Instant = { sec: v.getFloat64(19, true), nanos: v.getUint32(27, true) };
    at = 31;
    let gateExpires: Instant | null = null;
    if (flags & F_GATE_EXPIRES) {
      gateExpires = { sec: v.getFloat64(at, true), nanos: v.getUint32(at + 8, true) };
      at += 12;
    }
    let d: string;
    if (flags & F_HEX) {
      at += 32;
      d = digest ?? digestText(body, at - 32);
    } else {
      const s = text();
      d = digest ?? s;
    }
    const request = { id: text(), requester: text(), skill: text(), skill_version: text(), expires_at: text() };
    const gate = flags & F_GATE ? ({ ...(JSON.parse(text()) as Gate), expires_at: text() } as OpenRequest['gate']) : null;
    let approvals: OpenRequest['approvals'] = null;
    if (flags & F_APPROVALS) {
      approvals = new Map();
      for (let n = v.getUint32((at += 4) - 4, true); n > 0; n--) {
        const key = text();
        const approver = text();
        const b = body[at++]!;
        approvals.set(key, { approver, vote: b & 1 ? 'approve' : 'reject', counted: (b & 2) !== 0 });
      }
    }
    let approvers: OpenRequest['approvers'] = null;
    if (flags & F_APPROVERS) {
      approvers = new Set();
      for (let n = v.getUint32((at += 4) - 4, true); n > 0; n--) approvers.add(text());
    }
    return {
      request,
      digest: d,
      seq,
      line,
      expiresAt,
      decided: (flags & F_DECIDED) !== 0,
      outcome,
      gate,
      gateExpires,
      approvals,
      approvers,
      vetoed: (flags & F_VETOED) !== 0,
      status,
      handle: flags & F_HANDLE ? (handles.get(d) ?? null) : null,
    };
  }

  /** Whether a record (its first bytes at least) is stored under this digest, given as bytes when it is sha256:hex. */
  isDigest(head: Uint8Array, bytes: Uint8Array | null, digest: string): boolean | 'more' {
    const at = head[0]! & F_GATE_EXPIRES ? 43 : 31;
    if (head[0]! & F_HEX) {
      if (!bytes) return false;
      for (let k = 0; k < 32; k++) if (head[at + k] !== bytes[k]) return false;
      return true;
    }
    if (bytes) return false;
    const n = new DataView(head.buffer, head.byteOffset + at, 4).getUint32(0, true);
    // A text digest longer than the first bytes read is compared on the whole record (never a sha256:hex).
    if (at + 4 + n > head.length) return 'more';
    return this.#dec.decode(head.subarray(at + 4, at + 4 + n)) === digest;
  }

  seqOf(body: Uint8Array): number {
    return new DataView(body.buffer, body.byteOffset, body.byteLength).getFloat64(3, true);
  }

  #room(n: number): void {
    if (this.#at + n <= this.#buf.length) return;
    const b = new Uint8Array(Math.max(this.#buf.length * 2, this.#at + n));
    b.set(this.#buf.subarray(0, this.#at));
    this.#buf = b;
    this.#view = new DataView(b.buffer);
  }
  #u8(x: number): void {
    this.#room(1);
    this.#buf[this.#at++] = x;
  }
  #u32(x: number): void {
    this.#room(4);
    this.#view.setUint32(this.#at, x, true);
    this.#at += 4;
  }
  #f64(x: number): void {
    this.#room(8);
    this.#view.setFloat64(this.#at, x, true);
    this.#at += 8;
  }
  #text(s: string, internable: boolean): void {
    if (internable) {
      let n = this.#byText.get(s);
      if (n === undefined && s.length <= MAX_INTERNED_TEXT && this.#texts.length < MAX_INTERNED && this.internedBytes < MAX_INTERNED_BYTES) {
        n = this.#texts.length;
        this.#texts.push(s);
        this.#byText.set(s, n);
        this.internedBytes += 2 * s.length + 64;
      }
      if (n !== undefined) return this.#u32(0x80000000 + n);
    }
    // UTF-8 is at most 3 bytes per UTF-16 unit.
    this.#room(4 + 3 * s.length);
    const { written } = this.#enc.encodeInto(s, this.#buf.subarray(this.#at + 4));
    this.#view.setUint32(this.#at, written, true);
    this.#at += 4 + written;
  }
}

const HEX_VALUE = new Int8Array(128).fill(-1);
for (let c = 0; c < 16; c++) HEX_VALUE['0123456789abcdef'.charCodeAt(c)] = c;

/** Decodes "sha256:" and 64 lowercase hex digits into `into`; false for any other text. */
function parseHexDigest(digest: string, into: Uint8Array): boolean {
  if (digest.length !== 71 || !digest.startsWith('sha256:')) return false;
  for (let k = 0; k < 32; k++) {
    const a = digest.charCodeAt(7 + 2 * k);
    const b = digest.charCodeAt(8 + 2 * k);
    const hi = a < 128 ? HEX_VALUE[a]! : -1;
    const lo = b < 128 ? HEX_VALUE[b]! : -1;
    if (hi < 0 || lo < 0) return false;
    into[k] = (hi << 4) | lo;
  }
  return true;
}

function digestText(body: Uint8Array, at: number): string {
  let s = 'sha256:';
  for (let k = 0; k < 32; k++) s += body[at + k]!.toString(16).padStart(2, '0');
  return s;
}

/** The first position of `s` in an ascending array that holds it. */
function rankOf(sorted: Float64Array, s: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
