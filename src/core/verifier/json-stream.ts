// Streaming structural scanner for ONE MakerChecker bundle document,
// `{"manifest":{...},"events":[ {...}, ... ]}` (docs/format.md "MakerChecker AAPR v1" and "Scale").
//
// It never holds the whole file: it frames the top-level members and the elements
// of the `events` array, and hands each one over as raw bytes with the file line
// where it starts. Memory is bounded by the largest single element (MAX_ELEMENT_BYTES).
// The element bytes are then read by the strict I-JSON parser (json.ts), which owns
// duplicate keys, surrogates, UTF-8 and numbers inside them; this scanner owns the
// document around them: top-level member names (and their duplicates), the array
// framing, bracket matching, nesting depth, truncation and trailing data. The byte loop
// through a bracketed value is json-scan.ts's, the one the Countersign fast read runs too.
//
// Depth (RFC 7493 via docs/format.md "Bytes": at most 64 levels) is counted over the whole
// document here: the root object is level 1, `manifest` and `events` are level 2,
// an event object is level 3. An element can therefore never reach json.ts's own
// limit when parsed alone (an event is at most 62 levels deep relative to itself).
//
// Everything scanned is attacker-controlled.

import { parseJsonBytes } from '../encoding/json.ts';
import { membersOf, newValueScan, scanValue, ScanFault, type ValueScan } from '../encoding/json-scan.ts';

/** One element larger than this is not buffered (FORMAT.json), to bound memory. */
export const MAX_ELEMENT_BYTES = 64 * 1024 * 1024;
/** RFC 7493 nesting limit for the whole document (json.ts MAX_DEPTH). */
export const MAX_DOCUMENT_DEPTH = 64;

export type ScanItem =
  /** The value of the top-level `manifest` member (any JSON type). */
  | { kind: 'manifest'; bytes: Uint8Array | null; size: number; line: number; members: number }
  /**
   * One element of the top-level `events` array; `index` is 0-based. `members` counts the
   * ':' outside strings, which in valid JSON is its number of object members (json-fast.ts),
   * or is -1 when the fast path cannot prove the element (json-scan.ts membersOf).
   */
  | { kind: 'event'; bytes: Uint8Array | null; size: number; line: number; index: number; members: number }
  /** Any other top-level member, or `events` when it is not an array. */
  | { kind: 'member'; name: string; bytes: Uint8Array | null; size: number; line: number }
  /**
   * A problem with the document itself. `fatal` problems stop the scan: the rest
   * of the file cannot be framed reliably.
   */
  | { kind: 'problem'; code: 'FORMAT.json' | 'FORMAT.schema' | 'AAPR.ill_formed_string'; line: number; message: string; fatal: boolean };

export interface ScanSummary {
  /** The document was read to its closing brace, with nothing but whitespace after. */
  complete: boolean;
  sawManifest: boolean;
  /** A top-level `events` array was opened, and whether it was closed. */
  sawEvents: boolean;
  eventsClosed: boolean;
  events: number;
  /** Lines in the file (a final line without a newline counts). */
  lines: number;
}

// Structural states outside captured values.
const enum S {
  BeforeDoc,
  ObjFirst, // after '{': a member name or '}'
  ObjKey, // after ',': a member name
  Colon,
  Value,
  ObjNext, // after a member value: ',' or '}'
  ArrFirst, // after '[' of events: an element or ']'
  ArrElem, // after ',' in events: an element
  ArrNext, // after an element: ',' or ']'
  AfterDoc,
  Capture,
  Dead,
}

// What a capture is for.
const enum C {
  Key,
  Member,
  Event,
  Skip, // a duplicate member's value: framed, not kept
}

const QUOTE = 0x22;
const LF = 0x0a;

function isScalarByte(b: number): boolean {
  // numbers and the literals true/false/null; json.ts validates the exact grammar
  return (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || b === 0x2d || b === 0x2b || b === 0x2e;
}

function describe(b: number): string {
  return b >= 0x20 && b < 0x7f ? `'${String.fromCharCode(b)}'` : `byte 0x${b.toString(16).padStart(2, '0')}`;
}

/**
 * Push-based scanner: feed chunks with `write`, then call `end`. Items are handed
 * to `onItem` synchronously, in file order, so a verifier pays no await per event.
 * An item's `bytes` may be a view into the chunk being written: use or copy it
 * before `write` returns. `bytes` is null (and `size` the length) when the element
 * exceeded MAX_ELEMENT_BYTES.
 */
export class BundleScanner {
  private state = S.BeforeDoc;
  private line = 1;
  private lastByteWasLf = false;
  private anyBytes = false;

  // top level
  private readonly seenKeys = new Set<string>();
  /** The member name just read; null when it could not be read (already reported). */
  private key: string | null = '';
  private keyLine = 0;
  private eventsOpen = false;
  private eventsClosed = false;
  private sawManifest = false;
  private sawEvents = false;
  private complete = false;
  private events = 0;
  private dead = false;

  // capture
  private purpose = C.Member;
  /** The bracketed value being captured (json-scan.ts: depth, strings, ':' count). */
  private readonly value: ValueScan = newValueScan(MAX_DOCUMENT_DEPTH - 1, MAX_DOCUMENT_DEPTH + 2);
  private scalar = false;
  private keep = true;
  private parts: Uint8Array[] = [];
  private partsLen = 0;
  private size = 0;
  private startLine = 0;
  private after = S.ObjNext;

  constructor(
    private readonly onItem: (item: ScanItem) => void,
    private readonly maxElement = MAX_ELEMENT_BYTES,
  ) {}

  write(chunk: Uint8Array): void {
    const n = chunk.length;
    if (n === 0) return;
    this.anyBytes = true;
    this.lastByteWasLf = chunk[n - 1] === LF;
    this.value.seen = null; // a reader may refill the same buffer (json-scan.ts ValueScan.seen)
    let i = 0;
    while (i < n) {
      const state = this.state;
      if (state === S.Capture) {
        i = this.scanCapture(chunk, i);
        continue;
      }
      if (state === S.Dead) {
        this.countLines(chunk, i);
        return;
      }
      const b = chunk[i]!;
      if (b === LF) {
        this.line++;
        i++;
        continue;
      }
      if (b === 0x20 || b === 0x0d || b === 0x09) {
        i++;
        continue;
      }
      switch (state) {
        case S.BeforeDoc:
          if (b === 0x7b) this.state = S.ObjFirst;
          else if (b === 0x5b || b === QUOTE || isScalarByte(b))
            this.fatal('FORMAT.schema', 'the file is JSON but not a bundle: expected an object {"manifest":…,"events":[…]}');
          else this.fatal('FORMAT.json', `the file does not start with a JSON object: ${describe(b)}`);
          i++;
          break;
        case S.ObjFirst:
        case S.ObjKey:
          if (b === QUOTE) i = this.startElement(chunk, i, b, C.Key, 1, S.Colon);
          else if (b === 0x7d && state === S.ObjFirst) {
            this.state = S.AfterDoc;
            this.complete = true;
            i++;
          } else {
            this.fatal('FORMAT.json', `expected a member name, found ${describe(b)}`);
            i++;
          }
          break;
        case S.Colon:
          if (b === 0x3a) this.state = S.Value;
          else this.fatal('FORMAT.json', `expected ':' after member name ${JSON.stringify(this.key)}, found ${describe(b)}`);
          i++;
          break;
        case S.Value:
          i = this.startValue(chunk, i, b);
          break;
        case S.ObjNext:
          if (b === 0x2c) this.state = S.ObjKey;
          else if (b === 0x7d) {
            this.state = S.AfterDoc;
            this.complete = true;
          } else this.fatal('FORMAT.json', `expected ',' or '}' after the value of ${JSON.stringify(this.key)}, found ${describe(b)}`);
          i++;
          break;
        case S.ArrFirst:
        case S.ArrElem:
          if (b === 0x5d && state === S.ArrFirst) {
            this.closeEvents();
            i++;
          } else if (b === 0x5d) {
            this.fatal('FORMAT.json', "a trailing ',' before ']' in the events array");
            i++;
          } else i = this.startElement(chunk, i, b, C.Event, 2, S.ArrNext);
          break;
        case S.ArrNext:
          if (b === 0x2c) this.state = S.ArrElem;
          else if (b === 0x5d) this.closeEvents();
          else this.fatal('FORMAT.json', `expected ',' or ']' after event ${this.events}, found ${describe(b)}`);
          i++;
          break;
        case S.AfterDoc:
          this.fatal('FORMAT.json', `unexpected ${describe(b)} after the end of the JSON document (trailing data)`);
          i++;
          break;
      }
    }
  }

  /** Ends the input; reports truncation. Returns what was seen. */
  end(): ScanSummary {
    if (!this.dead) {
      if (this.state === S.BeforeDoc) this.fatal('FORMAT.json', this.anyBytes ? 'the file holds only whitespace' : 'the file is empty');
      else if (this.state !== S.AfterDoc) {
        const where = this.eventsOpen
          ? `inside the events array, after ${this.events} event(s)`
          : this.state === S.Capture && this.purpose === C.Event
            ? `inside event ${this.events + 1}`
            : 'inside the document';
        this.fatal('FORMAT.json', `the file ends ${where}: the JSON document is truncated`);
      }
    }
    return {
      complete: this.complete && !this.dead,
      sawManifest: this.sawManifest,
      sawEvents: this.sawEvents,
      eventsClosed: this.eventsClosed,
      events: this.events,
      lines: this.lastByteWasLf || !this.anyBytes ? this.line - 1 : this.line,
    };
  }

  /** The line the scanner is on (1-based). */
  currentLine(): number {
    return this.line;
  }

  // --- internals ----------------------------------------------------------------

  private fatal(code: 'FORMAT.json' | 'FORMAT.schema', message: string): void {
    this.dead = true;
    this.state = S.Dead;
    this.parts = [];
    this.onItem({ kind: 'problem', code, line: this.line, message, fatal: true });
  }

  private countLines(chunk: Uint8Array, from: number): void {
    let i = chunk.indexOf(LF, from);
    while (i >= 0) {
      this.line++;
      i = chunk.indexOf(LF, i + 1);
    }
  }

  private closeEvents(): void {
    this.eventsOpen = false;
    this.eventsClosed = true;
    this.state = S.ObjNext;
  }

  /** A top-level member value begins at chunk[i] (= b). */
  private startValue(chunk: Uint8Array, i: number, b: number): number {
    const name = this.key;
    if (name === null) return this.startElement(chunk, i, b, C.Skip, 1, S.ObjNext);
    const duplicate = this.seenKeys.has(name);
    this.seenKeys.add(name);
    if (duplicate) {
      this.onItem({
        kind: 'problem',
        code: 'FORMAT.json',
        line: this.keyLine,
        message: `duplicate top-level member name ${JSON.stringify(name)} (I-JSON forbids duplicate names); its second value is ignored`,
        fatal: false,
      });
      return this.startElement(chunk, i, b, C.Skip, 1, S.ObjNext);
    }
    if (name === 'events' && b === 0x5b) {
      this.sawEvents = true;
      this.eventsOpen = true;
      this.state = S.ArrFirst;
      return i + 1;
    }
    if (name === 'manifest') this.sawManifest = true;
    return this.startElement(chunk, i, b, C.Member, 1, S.ObjNext);
  }

  private startElement(chunk: Uint8Array, i: number, b: number, purpose: C, baseDepth: number, after: S): number {
    if (b === 0x7b || b === 0x5b) {
      this.startCapture(purpose, after, baseDepth);
      return this.scanCapture(chunk, i); // the bracket itself is scanned (depth 1)
    }
    if (b === QUOTE) {
      this.startCapture(purpose, after, baseDepth);
      this.value.inString = true;
      return this.scanCapture(chunk, i + 1, i);
    }
    if (isScalarByte(b)) {
      this.startCapture(purpose, after, baseDepth);
      this.scalar = true;
      this.value.fractions = true; // a bare number: no member count, json.ts reads it (json-scan.ts)
      return this.scanCapture(chunk, i);
    }
    this.fatal('FORMAT.json', `expected a JSON value, found ${describe(b)}`);
    return i + 1;
  }

  private startCapture(purpose: C, after: S, baseDepth: number): void {
    this.state = S.Capture;
    this.purpose = purpose;
    this.after = after;
    const v = this.value;
    v.room = MAX_DOCUMENT_DEPTH - baseDepth;
    v.depth = 0;
    v.inString = false;
    v.escape = false;
    v.colons = 0;
    v.fractions = false;
    v.fault = ScanFault.None;
    this.scalar = false;
    this.keep = purpose !== C.Skip;
    this.parts = [];
    this.partsLen = 0;
    this.size = 0;
    this.startLine = this.line;
    if (purpose === C.Key) this.keyLine = this.line;
  }

  /**
   * Scans a captured value from chunk[i]. `start` is where the value's bytes begin
   * in this chunk (i, or earlier when the caller already consumed a byte). Returns
   * the index after the value, or chunk.length if it continues in the next chunk.
   */
  private scanCapture(chunk: Uint8Array, i: number, start = i): number {
    const n = chunk.length;
    let end = -1; // exclusive end of the value in this chunk
    if (this.scalar) {
      while (i < n && isScalarByte(chunk[i]!)) i++;
      if (i < n) end = i;
    } else {
      const v = this.value;
      v.line = this.line;
      end = scanValue(chunk, i, v);
      this.line = v.line;
      if (end === -2) {
        if (v.fault === ScanFault.Depth) this.fatal('FORMAT.json', `nesting deeper than ${MAX_DOCUMENT_DEPTH} levels (I-JSON limit)`);
        else this.fatal('FORMAT.json', `unexpected ${describe(chunk[v.at]!)}: brackets do not match`);
        this.countLines(chunk, v.at + 1);
        return n;
      }
    }
    const stop = end >= 0 ? end : n;
    const len = stop - start;
    this.size += len;
    if (this.keep && this.size > this.maxElement) {
      this.keep = false;
      this.parts = [];
      this.partsLen = 0;
    }
    if (end < 0) {
      // Copy: the producer may reuse its chunk buffer.
      if (this.keep && len > 0) {
        this.parts.push(chunk.slice(start, stop));
        this.partsLen += len;
      }
      return n;
    }
    let bytes: Uint8Array | null = null;
    if (this.keep) {
      if (this.partsLen === 0) bytes = chunk.subarray(start, end);
      else {
        bytes = new Uint8Array(this.partsLen + len);
        let o = 0;
        for (const p of this.parts) {
          bytes.set(p, o);
          o += p.length;
        }
        bytes.set(chunk.subarray(start, end), o);
      }
    }
    this.parts = [];
    this.partsLen = 0;
    this.state = this.after;
    this.emit(bytes);
    return end;
  }

  private emit(bytes: Uint8Array | null): void {
    const size = this.size;
    const line = this.startLine;
    switch (this.purpose) {
      case C.Key:
        this.key = this.readKey(bytes, line);
        return;
      case C.Event:
        this.onItem({ kind: 'event', bytes, size, line, index: this.events++, members: membersOf(this.value) });
        return;
      case C.Member:
        if (this.key === null) return;
        if (this.key === 'manifest') this.onItem({ kind: 'manifest', bytes, size, line, members: membersOf(this.value) });
        else this.onItem({ kind: 'member', name: this.key, bytes, size, line });
        return;
      case C.Skip:
        return;
    }
  }

  /** A member name's bytes (with quotes) as a string; escapes are decoded. */
  private readKey(bytes: Uint8Array | null, line: number): string | null {
    if (bytes === null) {
      this.onItem({ kind: 'problem', code: 'FORMAT.json', line, message: `a member name of ${this.size} bytes, over the limit`, fatal: false });
      return null;
    }
    const r = parseJsonBytes(bytes);
    if (r.ok) return r.value as string;
    const e = r.error;
    const ill = e.kind === 'lone_surrogate';
    this.onItem({
      kind: 'problem',
      code: ill ? 'AAPR.ill_formed_string' : 'FORMAT.json',
      line,
      message: ill ? `a top-level member name contains an ill-formed string (unpaired surrogate)` : `top-level member name at line ${line}: ${e.message}`,
      fatal: false,
    });
    return null;
  }
}

/**
 * Async form: scans a stream of chunks and yields the items in file order. The
 * final item is `{kind:'end', summary}`. Items from one chunk are yielded before
 * the next chunk is read; copy `bytes` to keep them beyond the next step.
 */
export async function* scanBundle(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  maxElement = MAX_ELEMENT_BYTES,
): AsyncGenerator<ScanItem | { kind: 'end'; summary: ScanSummary }> {
  let pending: ScanItem[] = [];
  const scanner = new BundleScanner((item) => pending.push(item), maxElement);
  for await (const chunk of chunks as AsyncIterable<Uint8Array>) {
    scanner.write(chunk);
    if (pending.length) {
      const out = pending;
      pending = [];
      yield* out;
    }
  }
  const summary = scanner.end();
  yield* pending;
  yield { kind: 'end', summary };
}
