// Builds the timeline index while the verifier reads: it sees the same
// decompressed bytes, finds where each row starts and ends, and reads a few
// literal fields without parsing (a row is parsed only when someone opens it).
//
// Countersign (docs/format.md "Bundles"): a row per line. The statement type is the one
// literal string an entry line carries, its payloadType; the seq is `"seq":N`.
// MakerChecker (docs/format.md "MakerChecker AAPR v1"): one JSON document; a small structural scanner
// follows strings and depth to find each element of the top-level `events`
// array, and captures its `event_type` and `seq` as they stream past.

import type { BundleKind, TimelineIndex } from './verify-api.ts';

const MAX_ROWS = 20_000_000;
/** Longest row whose fields are read (docs/format.md "Bundles" caps lines at 1 MiB). */
const MAX_CARRY = (1 << 20) + 2;

class Columns {
  count = 0;
  truncated = false;
  offset = new Float64Array(1024);
  length = new Uint32Array(1024);
  seq = new Int32Array(1024);
  type = new Uint16Array(1024);
  line: Uint32Array | null;
  readonly types: string[] = [];
  private readonly typeIds = new Map<string, number>();

  constructor(withLines: boolean) {
    this.line = withLines ? new Uint32Array(1024) : null;
  }

  typeId(name: string): number {
    let id = this.typeIds.get(name);
    if (id === undefined) {
      if (this.types.length >= 0xffff) return this.typeId('(other)');
      id = this.types.length;
      this.types.push(name);
      this.typeIds.set(name, id);
    }
    return id;
  }

  push(offset: number, length: number, seq: number, type: string, line = 0): void {
    if (this.count >= MAX_ROWS) {
      this.truncated = true;
      return;
    }
    if (this.count === this.offset.length) this.grow();
    const i = this.count++;
    this.offset[i] = offset;
    this.length[i] = length;
    this.seq[i] = seq;
    this.type[i] = this.typeId(type);
    if (this.line) this.line[i] = line;
  }

  private grow(): void {
    const n = this.offset.length * 2;
    const g = <T extends Float64Array | Uint32Array | Int32Array | Uint16Array>(a: T, C: new (n: number) => T): T => {
      const b = new C(n);
      b.set(a);
      return b;
    };
    this.offset = g(this.offset, Float64Array);
    this.length = g(this.length, Uint32Array);
    this.seq = g(this.seq, Int32Array);
    this.type = g(this.type, Uint16Array);
    if (this.line) this.line = g(this.line, Uint32Array);
  }

  finish(kind: BundleKind): Omit<TimelineIndex, 'findingRows'> {
    const n = this.count;
    return {
      kind,
      count: n,
      offset: this.offset.slice(0, n),
      length: this.length.slice(0, n),
      seq: this.seq.slice(0, n),
      type: this.type.slice(0, n),
      types: this.types,
      line: this.line ? this.line.slice(0, n) : null,
      truncated: this.truncated,
    };
  }
}

export interface Indexer {
  push(chunk: Uint8Array): void;
  finish(): Omit<TimelineIndex, 'findingRows'>;
  readonly rows: number;
}

const enc = new TextEncoder();
const PAYLOAD_TYPE = enc.encode('application/vnd.countersign.');
const SEQ_KEY = enc.encode('"seq"');
const ENTRY_KEY = enc.encode('"entry"');
const CHECKPOINT_KEY = enc.encode('"checkpoint"');

function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0]!;
  for (let i = hay.indexOf(first, from); i >= 0 && i + needle.length <= hay.length; i = hay.indexOf(first, i + 1)) {
    let k = 1;
    while (k < needle.length && hay[i + k] === needle[k]) k++;
    if (k === needle.length) return i;
  }
  return -1;
}

function isWs(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** Reads `"seq" : 123` from a line; -1 if absent or not a small integer. */
function readSeq(line: Uint8Array): number {
  const k = indexOfBytes(line, SEQ_KEY);
  if (k < 0) return -1;
  let i = k + SEQ_KEY.length;
  while (isWs(line[i])) i++;
  if (line[i] !== 0x3a) return -1;
  i++;
  while (isWs(line[i])) i++;
  let n = 0;
  let digits = 0;
  for (; line[i]! >= 0x30 && line[i]! <= 0x39 && digits < 10; i++, digits++) n = n * 10 + (line[i]! - 0x30);
  return digits && n <= 0x7fffffff ? n : -1;
}

function classifyLine(line: Uint8Array, row: number): { type: string; seq: number } {
  if (line.length === 0) return { type: 'blank line', seq: -1 };
  if (row === 0) return { type: 'header', seq: -1 };
  const p = indexOfBytes(line, ENTRY_KEY);
  if (p >= 0 && p < 16) {
    const t = indexOfBytes(line, PAYLOAD_TYPE);
    let type = 'entry';
    if (t >= 0) {
      const s = t + PAYLOAD_TYPE.length;
      let e = s;
      while (e < line.length && e - s < 32 && line[e] !== 0x2b && line[e] !== 0x22) e++; // '+' or '"'
      type = String.fromCharCode(...line.subarray(s, e)) || 'entry';
    }
    return { type, seq: readSeq(line) };
  }
  const c = indexOfBytes(line, CHECKPOINT_KEY);
  if (c >= 0 && c < 16) return { type: 'checkpoint', seq: -1 };
  return { type: 'other', seq: -1 };
}

/** Countersign: a row per line, split exactly as core's splitLines does (at 0x0A, a trailing 0x0D dropped). */
export class LineIndexer implements Indexer {
  private readonly cols = new Columns(false);
  private pos = 0;
  private lineStart = 0;
  private carry: Uint8Array[] = [];
  private carryLen = 0;
  private oversize = false;

  get rows(): number {
    return this.cols.count;
  }

  private emit(bytes: Uint8Array | null, length: number): void {
    let len = length;
    if (bytes && len && bytes[len - 1] === 0x0d) len--;
    const row = this.cols.count;
    const { type, seq } = bytes ? classifyLine(bytes.subarray(0, len), row) : { type: 'line over 1 MiB', seq: -1 };
    this.cols.push(this.lineStart, len, seq, type);
  }

  push(chunk: Uint8Array): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) break;
      const head = chunk.subarray(start, nl);
      const total = this.carryLen + head.length;
      if (this.oversize) this.emit(null, total);
      else if (this.carryLen === 0) this.emit(head, head.length);
      else {
        const whole = new Uint8Array(total);
        let o = 0;
        for (const p of this.carry) whole.set(p, (o += p.length) - p.length);
        whole.set(head, o);
        this.emit(whole, total);
      }
      this.carry = [];
      this.carryLen = 0;
      this.oversize = false;
      this.lineStart = this.pos + nl + 1;
      start = nl + 1;
    }
    if (start < chunk.length) {
      const tail = chunk.subarray(start);
      this.carryLen += tail.length;
      if (this.carryLen > MAX_CARRY) {
        this.oversize = true;
        this.carry = [];
      } else if (!this.oversize) this.carry.push(tail.slice());
    }
    this.pos += chunk.length;
  }

  finish(): Omit<TimelineIndex, 'findingRows'> {
    if (this.carryLen > 0 || this.oversize) {
      if (this.oversize) this.emit(null, this.carryLen);
      else {
        const whole = new Uint8Array(this.carryLen);
        let o = 0;
        for (const p of this.carry) whole.set(p, (o += p.length) - p.length);
        this.emit(whole, this.carryLen);
      }
    }
    return this.cols.finish('countersign');
  }
}

const CAPTURE_MAX = 96;

/**
 * MakerChecker: finds the elements of the top-level "events" array. Depth 1 is
 * the document object, depth 2 the events array, depth 3 one event.
 */
export class EventIndexer implements Indexer {
  private readonly cols = new Columns(true);
  private pos = 0;
  private line = 1;
  private depth = 0;
  private inString = false;
  /** Backslashes immediately before the current position, inside a string. */
  private backslashes = 0;
  /** At depth 1 or 3: the next string is a member name. */
  private expectKey = false;
  private topKey = '';
  private inEvents = false;
  private eventStart = -1;
  private eventLine = 0;
  private eventKey = '';
  private eventType = '';
  private eventSeq = -1;
  /** Capturing the current string (a member name, or a wanted value). */
  private capturing: 'none' | 'key' | 'value' = 'none';
  private capture: number[] = [];

  get rows(): number {
    return this.cols.count;
  }

  private captured(): string {
    // Member names and the captured values are short ASCII in practice; others are shown as read.
    const s = String.fromCharCode(...this.capture);
    this.capture = [];
    return s;
  }

  private endString(): void {
    if (this.capturing === 'key') {
      const k = this.captured();
      if (this.depth === 1) this.topKey = k;
      else this.eventKey = k;
    } else if (this.capturing === 'value') {
      const v = this.captured();
      if (this.eventKey === 'event_type') this.eventType = v;
      else if (this.eventKey === 'seq') this.eventSeq = /^\d{1,9}$/.test(v) ? Number(v) : -1;
    }
    this.capturing = 'none';
  }

  push(chunk: Uint8Array): void {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.inString) {
        // Jump to the next quote; copy what a capture needs on the way.
        const q = chunk.indexOf(0x22, i);
        const end = q < 0 ? n : q;
        if (this.capturing !== 'none') {
          for (let k = i; k < end && this.capture.length < CAPTURE_MAX; k++) this.capture.push(chunk[k]!);
        }
        // Count the backslashes right before `end` (they may continue from earlier bytes).
        let b = 0;
        let k = end - 1;
        while (k >= i && chunk[k] === 0x5c) {
          b++;
          k--;
        }
        const run = k < i ? this.backslashes + b : b;
        if (q < 0) {
          this.backslashes = run;
          break;
        }
        if (run % 2 === 1) {
          // An escaped quote: part of the string.
          if (this.capturing !== 'none' && this.capture.length < CAPTURE_MAX) this.capture.push(0x22);
          this.backslashes = 0;
          i = q + 1;
          continue;
        }
        this.inString = false;
        this.backslashes = 0;
        this.endString();
        i = q + 1;
        continue;
      }
      const c = chunk[i]!;
      switch (c) {
        case 0x0a:
          this.line++;
          break;
        case 0x22: // '"'
          this.inString = true;
          this.backslashes = 0;
          if ((this.depth === 1 || this.depth === 3) && this.expectKey) {
            this.capturing = 'key';
            this.expectKey = false;
          } else if (this.depth === 3 && this.inEvents && (this.eventKey === 'event_type' || this.eventKey === 'seq')) this.capturing = 'value';
          break;
        case 0x7b: // '{'
        case 0x5b: // '['
          this.depth++;
          if (this.depth === 2 && c === 0x5b && this.topKey === 'events') this.inEvents = true;
          if (this.depth === 3 && this.inEvents) {
            this.eventStart = this.pos + i;
            this.eventLine = this.line;
            this.eventType = '';
            this.eventSeq = -1;
            this.eventKey = '';
          }
          this.expectKey = c === 0x7b;
          break;
        case 0x7d: // '}'
        case 0x5d: // ']'
          if (this.depth === 3 && this.inEvents && this.eventStart >= 0) {
            const end = this.pos + i + 1;
            this.cols.push(this.eventStart, end - this.eventStart, this.eventSeq, this.eventType || 'event', this.eventLine);
            this.eventStart = -1;
          }
          if (this.depth === 2) this.inEvents = false;
          this.depth = Math.max(0, this.depth - 1);
          this.expectKey = false;
          break;
        case 0x2c: // ','
          this.expectKey = this.depth === 1 || this.depth === 3;
          break;
        case 0x3a: // ':'
          this.expectKey = false;
          break;
        default:
          // Scalars at depth 2 are not events; a non-object event is still a row.
          if (this.depth === 2 && this.inEvents && !isWs(c) && this.eventStart < 0) {
            this.cols.push(this.pos + i, 1, -1, '(not an object)', this.line);
          }
      }
      i++;
    }
    this.pos += n;
  }

  finish(): Omit<TimelineIndex, 'findingRows'> {
    return this.cols.finish('makerchecker');
  }
}

/** Per finding, the row it concerns: by line (Countersign rows are lines), else by seq. */
export function mapFindingRows(index: Omit<TimelineIndex, 'findingRows'>, findings: readonly { line: number; seq?: number | string }[]): Int32Array {
  const out = new Int32Array(findings.length).fill(-1);
  if (index.kind === 'countersign') {
    findings.forEach((f, i) => {
      if (f.line >= 1 && f.line <= index.count) out[i] = f.line - 1;
    });
    return out;
  }
  // MakerChecker: prefer the event seq; fall back to the line of the event that contains it.
  const wanted = new Map<number, number[]>();
  findings.forEach((f, i) => {
    const s = typeof f.seq === 'string' && /^\d{1,9}$/.test(f.seq) ? Number(f.seq) : typeof f.seq === 'number' ? f.seq : -1;
    if (s >= 0) {
      const list = wanted.get(s);
      if (list) list.push(i);
      else wanted.set(s, [i]);
    }
  });
  if (wanted.size) {
    for (let r = 0; r < index.count; r++) {
      const list = wanted.get(index.seq[r]!);
      if (list) {
        for (const i of list) out[i] = r;
        wanted.delete(index.seq[r]!);
        if (!wanted.size) break;
      }
    }
  }
  const lines = index.line;
  if (lines && index.count) {
    findings.forEach((f, i) => {
      if (out[i]! >= 0 || f.line < lines[0]!) return;
      let lo = 0;
      let hi = index.count - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (lines[mid]! <= f.line) lo = mid;
        else hi = mid - 1;
      }
      // Only where the line names one event: several events on one line are ambiguous.
      const unique = (lo + 1 >= index.count || lines[lo + 1]! > lines[lo]!) && (lo === 0 || lines[lo - 1]! < lines[lo]!);
      if (unique) out[i] = lo;
    });
  }
  return out;
}
