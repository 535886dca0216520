// The replay's open requests, held compactly (issue 8, item 4). A hostile log can
// park millions of requests that are never decided, approved or closed; as JS
// objects (the statement, a Map entry, Instants) each cost over a kilobyte. Here a
// quiet request costs one fixed-width record in typed arrays (~85 bytes: its digest,
// seq, line, expiry, state, interned requester/skill/version/gate and the offset of its
// id) plus a 4-byte index slot.
//
// Interface: the subset of Map<digest, OpenRequest> the replay uses (has, get, set,
// delete, values). `get` hands out a live object; the replay mutates it in place and
// never keeps it past the statement it is applying, so the object is folded back
// into its record at the next call ("write-back"). A request that does not fit a
// record (it has a summary, approvals, a veto, a gate not seen before, a long id…)
// simply stays an object: the compact form is an optimisation, never a different
// answer.

import type { Decision, Gate, Request } from '../statements/schemas.ts';
import { formatInstant, type Instant } from '../statements/time.ts';
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

const STATUSES: RequestStatus[] = ['undecided', 'allowed', 'denied', 'pending', 'executed', 'failed', 'closed'];
const OUTCOMES: (Decision['outcome'] | null)[] = [null, 'parked', 'allowed', 'denied'];
const MAX_INTERNED = 0xfffe;
const MAX_ID_UNITS = 128;
const EMPTY = -1;
const HEX = /^sha256:[0-9a-f]{64}$/;

/** Interns short strings (principals, skills, versions, gates) to 16-bit numbers; full at 65,534. */
class Interner {
  readonly #byText = new Map<string, number>();
  readonly #texts: string[] = [''];
  id(s: string): number {
    let n = this.#byText.get(s);
    if (n !== undefined) return n;
    if (this.#texts.length > MAX_INTERNED) return 0;
    n = this.#texts.length;
    this.#texts.push(s);
    this.#byText.set(s, n);
    return n;
  }
  text(n: number): string {
    return this.#texts[n]!;
  }
}

export class OpenRequests {
  // Records, column by column; `#live[r]` 0 = free, 1 = compact, 2 = out as an object.
  #cap = 0;
  #count = 0;
  #digest = new Uint8Array(0);
  #seq = new Float64Array(0);
  #line = new Float64Array(0);
  #expSec = new Float64Array(0);
  #expNanos = new Uint32Array(0);
  #gateSec = new Float64Array(0);
  #gateNanos = new Uint32Array(0);
  #state = new Uint8Array(0); // bit 0 decided, bits 1-2 outcome, bits 3-5 status
  #requester = new Uint16Array(0);
  #skill = new Uint16Array(0);
  #version = new Uint16Array(0);
  #gate = new Uint16Array(0);
  #idAt = new Uint32Array(0); // record index → offset of its id in #ids
  #idLen = new Uint16Array(0);
  #live = new Uint8Array(0);
  #free: number[] = [];
  // Ids as UTF-16 code units, in a reused arena: a freed record's id space is reused by the next.
  #ids = new Uint16Array(0);
  #idsUsed = 0;
  // Open addressing: slot → record index + 1 (0 empty); linear probing, backward-shift delete.
  #slots = new Int32Array(0);
  #mask = 0;
  // Requests that do not fit a record, and the one handed out last (written back at the next call).
  readonly #objects = new Map<string, OpenRequest>();
  #out: { req: OpenRequest; record: number } | null = null;
  readonly #names = new Interner();
  readonly #gates = new Interner();
  readonly #gateByIndex = new Map<number, Gate>();

  get size(): number {
    this.#writeBack();
    return this.#count + this.#objects.size;
  }

  /** Bytes held by the compact part (for BENCHMARKS.md). */
  get byteLength(): number {
    return this.#cap * 85 + this.#slots.byteLength + this.#ids.byteLength + this.#free.length * 8;
  }

  has(digest: string): boolean {
    this.#writeBack();
    return this.#objects.has(digest) || this.#find(digest) !== EMPTY;
  }

  get(digest: string): OpenRequest | undefined {
    this.#writeBack();
    const o = this.#objects.get(digest);
    if (o) return o;
    const r = this.#find(digest);
    if (r === EMPTY) return undefined;
    const req = this.#materialize(r, digest);
    this.#live[r] = 2;
    this.#out = { req, record: r };
    return req;
  }

  set(digest: string, req: OpenRequest): void {
    this.#writeBack();
    this.delete(digest);
    if (!this.#store(digest, req, this.#allocate())) this.#objects.set(digest, req);
  }

  delete(digest: string): boolean {
    if (this.#out && this.#out.req.digest === digest) {
      const r = this.#out.record;
      this.#out = null;
      this.#release(r, digest);
      return true;
    }
    this.#writeBack();
    if (this.#objects.delete(digest)) return true;
    const r = this.#find(digest);
    if (r === EMPTY) return false;
    this.#release(r, digest);
    return true;
  }

  /** Every open request in arrival (seq) order, as a Map iterates; compact ones materialised one at a time. */
  *values(): Generator<OpenRequest> {
    this.#writeBack();
    // 4 bytes per open record for the order, not an object each.
    const order = new Uint32Array(this.#count);
    let n = 0;
    for (let r = 0; r < this.#cap; r++) if (this.#live[r] === 1) order[n++] = r;
    const seq = this.#seq;
    order.sort((a, b) => seq[a]! - seq[b]!);
    const objects = [...this.#objects.values()].sort((a, b) => a.seq - b.seq);
    let i = 0;
    let j = 0;
    while (i < n || j < objects.length) {
      if (j >= objects.length || (i < n && seq[order[i]!]! < objects[j]!.seq)) {
        const r = order[i++]!;
        if (this.#live[r] === 1) yield this.#materialize(r, this.#digestText(r));
      } else yield objects[j++]!;
    }
  }

  // --- records ------------------------------------------------------------------

  #writeBack(): void {
    const out = this.#out;
    if (!out) return;
    this.#out = null;
    if (!this.#store(out.req.digest, out.req, out.record)) {
      this.#release(out.record, out.req.digest);
      this.#objects.set(out.req.digest, out.req);
    }
  }

  /** Writes `req` into record `r` and indexes it; false if it does not fit a record. */
  #store(digest: string, req: OpenRequest, r: number): boolean {
    if (req.handle != null || req.approvals || req.approvers || req.vetoed || !HEX.test(digest) || req.request.id.length > MAX_ID_UNITS) return false;
    const requester = this.#names.id(req.request.requester);
    const skill = this.#names.id(req.request.skill);
    const version = this.#names.id(req.request.skill_version);
    if (!requester || !skill || !version) return false;
    let gate = 0;
    if (req.gate) {
      if (!req.gateExpires) return false;
      const { expires_at: _e, ...rest } = req.gate;
      gate = this.#gates.id(JSON.stringify(rest));
      if (!gate) return false;
      if (!this.#gateByIndex.has(gate)) this.#gateByIndex.set(gate, rest);
    }
    const outcome = OUTCOMES.indexOf(req.outcome);
    const status = STATUSES.indexOf(req.status);
    if (outcome < 0 || status < 0 || !Number.isFinite(req.expiresAt.sec) || !Number.isSafeInteger(req.seq)) return false;
    if (this.#live[r] === 0) {
      // a new record: its digest, its id, its index slot
      for (let i = 0; i < 32; i++) this.#digest[r * 32 + i] = parseInt(digest.slice(7 + 2 * i, 9 + 2 * i), 16);
      this.#writeId(r, req.request.id);
      this.#index(r);
      this.#count++;
    } else if (this.#live[r] === 2 && this.#idText(r) !== req.request.id) return false;
    this.#seq[r] = req.seq;
    this.#line[r] = req.line;
    this.#expSec[r] = req.expiresAt.sec;
    this.#expNanos[r] = req.expiresAt.nanos;
    this.#gateSec[r] = req.gateExpires?.sec ?? 0;
    this.#gateNanos[r] = req.gateExpires?.nanos ?? 0;
    this.#state[r] = (req.decided ? 1 : 0) | (outcome << 1) | (status << 3);
    this.#requester[r] = requester;
    this.#skill[r] = skill;
    this.#version[r] = version;
    this.#gate[r] = gate;
    this.#live[r] = 1;
    return true;
  }

  #materialize(r: number, digest: string): OpenRequest {
    const expiresAt: Instant = { sec: this.#expSec[r]!, nanos: this.#expNanos[r]! };
    const g = this.#gate[r]!;
    const gateExpires: Instant | null = g ? { sec: this.#gateSec[r]!, nanos: this.#gateNanos[r]! } : null;
    const st = this.#state[r]!;
    return {
      request: {
        id: this.#idText(r),
        requester: this.#names.text(this.#requester[r]!),
        skill: this.#names.text(this.#skill[r]!),
        skill_version: this.#names.text(this.#version[r]!),
        expires_at: formatInstant(expiresAt),
      },
      digest,
      seq: this.#seq[r]!,
      line: this.#line[r]!,
      expiresAt,
      decided: (st & 1) === 1,
      outcome: OUTCOMES[(st >> 1) & 3]!,
      gate: g ? { ...(this.#gateByIndex.get(g) as Gate), expires_at: formatInstant(gateExpires!) } : null,
      gateExpires,
      approvals: null,
      approvers: null,
      vetoed: false,
      status: STATUSES[(st >> 3) & 7]!,
      handle: null,
    };
  }

  #allocate(): number {
    if (!this.#free.length) this.#grow();
    return this.#free.pop()!;
  }

  #release(r: number, digest: string): void {
    if (this.#live[r] === 0) return;
    this.#unindex(r, digest);
    this.#idsDead += this.#idLen[r]!;
    this.#live[r] = 0;
    this.#count--;
    this.#free.push(r);
  }

  #grow(): void {
    const cap = this.#cap === 0 ? 1024 : Math.ceil(this.#cap * 1.5);
    const grow = <T extends Float64Array | Uint32Array | Uint16Array | Uint8Array>(a: T, per = 1): T => {
      const b = new (a.constructor as new (n: number) => T)(cap * per);
      b.set(a);
      return b;
    };
    this.#digest = grow(this.#digest, 32);
    this.#seq = grow(this.#seq);
    this.#line = grow(this.#line);
    this.#expSec = grow(this.#expSec);
    this.#expNanos = grow(this.#expNanos);
    this.#gateSec = grow(this.#gateSec);
    this.#gateNanos = grow(this.#gateNanos);
    this.#state = grow(this.#state);
    this.#requester = grow(this.#requester);
    this.#skill = grow(this.#skill);
    this.#version = grow(this.#version);
    this.#gate = grow(this.#gate);
    this.#idAt = grow(this.#idAt);
    this.#idLen = grow(this.#idLen);
    this.#live = grow(this.#live);
    for (let r = cap - 1; r >= this.#cap; r--) this.#free.push(r);
    this.#cap = cap;
    // Index at most half full.
    let slots = this.#slots.length || 2048;
    while (slots < cap * 2) slots *= 2;
    if (slots !== this.#slots.length) {
      this.#slots = new Int32Array(slots);
      this.#mask = slots - 1;
      for (let r = 0; r < this.#cap; r++) if (this.#live[r] !== 0) this.#index(r);
    }
  }

  // --- ids: UTF-16 units appended to an arena; compacted when half of it is dead ---

  #idsDead = 0;

  #writeId(r: number, id: string): void {
    if (this.#idsUsed + id.length > this.#ids.length) {
      if (this.#idsDead * 2 > this.#idsUsed) this.#compactIds();
      if (this.#idsUsed + id.length > this.#ids.length) {
        const b = new Uint16Array(Math.max(1024, Math.ceil((this.#idsUsed + id.length) * 1.5)));
        b.set(this.#ids.subarray(0, this.#idsUsed));
        this.#ids = b;
      }
    }
    const at = this.#idsUsed;
    for (let i = 0; i < id.length; i++) this.#ids[at + i] = id.charCodeAt(i);
    this.#idAt[r] = at;
    this.#idLen[r] = id.length;
    this.#idsUsed += id.length;
  }

  #compactIds(): void {
    const b = new Uint16Array(this.#ids.length);
    let o = 0;
    for (let r = 0; r < this.#cap; r++) {
      if (this.#live[r] === 0) continue;
      const at = this.#idAt[r]!;
      const n = this.#idLen[r]!;
      b.set(this.#ids.subarray(at, at + n), o);
      this.#idAt[r] = o;
      o += n;
    }
    this.#ids = b;
    this.#idsUsed = o;
    this.#idsDead = 0;
  }

  #idText(r: number): string {
    const at = this.#idAt[r]!;
    const n = this.#idLen[r]!;
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(this.#ids[at + i]!);
    return s;
  }

  #digestText(r: number): string {
    let s = 'sha256:';
    for (let i = 0; i < 32; i++) s += this.#digest[r * 32 + i]!.toString(16).padStart(2, '0');
    return s;
  }

  // --- index ----------------------------------------------------------------------

  #hashOf(b: Uint8Array, o: number): number {
    return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
  }

  #index(r: number): void {
    let i = this.#hashOf(this.#digest, r * 32) & this.#mask;
    while (this.#slots[i] !== 0) i = (i + 1) & this.#mask;
    this.#slots[i] = r + 1;
  }

  #find(digest: string): number {
    if (this.#count === 0 || !HEX.test(digest)) return EMPTY;
    const d = new Uint8Array(32);
    for (let i = 0; i < 32; i++) d[i] = parseInt(digest.slice(7 + 2 * i, 9 + 2 * i), 16);
    let i = this.#hashOf(d, 0) & this.#mask;
    for (;;) {
      const s = this.#slots[i]!;
      if (s === 0) return EMPTY;
      const r = s - 1;
      let same = true;
      for (let k = 0; k < 32; k++)
        if (this.#digest[r * 32 + k] !== d[k]) {
          same = false;
          break;
        }
      if (same) return r;
      i = (i + 1) & this.#mask;
    }
  }

  /** Removes record `r` from the index (backward-shift deletion keeps probes unbroken). */
  #unindex(r: number, _digest: string): void {
    let i = this.#hashOf(this.#digest, r * 32) & this.#mask;
    while (this.#slots[i] !== r + 1) {
      if (this.#slots[i] === 0) return;
      i = (i + 1) & this.#mask;
    }
    let j = i;
    for (;;) {
      j = (j + 1) & this.#mask;
      const s = this.#slots[j]!;
      if (s === 0) break;
      const home = this.#hashOf(this.#digest, (s - 1) * 32) & this.#mask;
      // Move s into the hole at i if its home is not in (i, j].
      if (i <= j ? home <= i || home > j : home <= i && home > j) {
        this.#slots[i] = s;
        i = j;
      }
    }
    this.#slots[i] = 0;
  }
}
