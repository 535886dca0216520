// The structural byte scan of one JSON value (issue 10): where it ends, bracket matching,
// nesting depth and the ':' outside strings. One loop, used twice: json-stream.ts frames a
// MakerChecker document with it chunk by chunk, and countMembers runs it over one whole
// element (a Countersign line, a statement payload) for the fast path (json-fast.ts).
//
// It judges no grammar: the strict reader (json.ts) or the platform's JSON.parse does.
// A ':' outside strings is one object member in valid JSON, which is what json-fast.ts
// needs to see a duplicate name that JSON.parse silently dropped. A '.', 'E', or 'e' after
// a digit outside strings is a number written with a fraction or an exponent, which
// json.ts refuses when it reads as an integer ("0.99999999999999999", "1e-400"; docs/format.md
// "Bytes"): JSON.parse's value cannot tell, so such a value gets no member count.
// The input is attacker-controlled.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LF = 0x0a;

/** Why a scan stopped early. */
export const enum ScanFault {
  None,
  /** A '{' or '[' would open more levels than `room`. */
  Depth,
  /** A '}' or ']' does not close the innermost open bracket. */
  Bracket,
}

/** A scan through one value, resumable from chunk to chunk. */
export interface ValueScan {
  depth: number;
  inString: boolean;
  escape: boolean;
  /** LF bytes passed (json-stream.ts numbers file lines with it). */
  line: number;
  colons: number;
  /** A number written with a fraction or an exponent was seen. */
  fractions: boolean;
  /** How many levels the value may open: RFC 7493's 64 less the levels around it. */
  room: number;
  /** The closing bracket expected at each open level (room + 1 bytes or more). */
  readonly stack: Uint8Array;
  fault: ScanFault;
  /** Where the fault is, in the chunk. */
  at: number;
  /**
   * The chunk the next '"', '\\' and LF positions below were found in. A caller that may
   * hand over the same buffer with new bytes sets it to null first (json-stream.ts does so
   * on every write): without these, each value in a chunk searched to the chunk's end for
   * a '\\' or LF it did not have, quadratic in the values per chunk.
   */
  seen: Uint8Array | null;
  nextQuote: number;
  nextBackslash: number;
  nextLf: number;
}

export function newValueScan(room: number, stackSize = room + 2): ValueScan {
  return {
    depth: 0,
    inString: false,
    escape: false,
    line: 0,
    colons: 0,
    fractions: false,
    room,
    stack: new Uint8Array(stackSize),
    fault: ScanFault.None,
    at: 0,
    seen: null,
    nextQuote: -1,
    nextBackslash: -1,
    nextLf: -1,
  };
}

function indexOrEnd(chunk: Uint8Array, b: number, from: number): number {
  const i = chunk.indexOf(b, from);
  return i < 0 ? chunk.length : i;
}

/**
 * Scans from chunk[i] (a value's first byte, or where the last chunk left off). Returns the
 * exclusive end of the value in this chunk, -1 when it continues past the chunk, or -2 on a
 * fault (st.fault, st.at). A scalar outside any bracket or string never ends here: callers
 * frame those themselves.
 */
export function scanValue(chunk: Uint8Array, i: number, st: ValueScan): number {
  const n = chunk.length;
  let depth = st.depth;
  let inString = st.inString;
  let escape = st.escape;
  let line = st.line;
  let colons = st.colons;
  let fractions = st.fractions;
  const room = st.room;
  const stack = st.stack;
  let end = -1;
  // next '"', '\\' and LF at or after the string position (n: none), kept across the values of one chunk
  const known = st.seen === chunk;
  let nq = known ? st.nextQuote : -1;
  let nb = known ? st.nextBackslash : -1;
  let nl = known ? st.nextLf : -1;
  for (; i < n; i++) {
    if (inString) {
      if (escape) {
        escape = false;
        continue;
      }
      // The inside of a string is most of the bytes: jump to the next '"', '\\' or LF
      // with the platform's byte search (memchr), each position kept until passed.
      if (nq < i) nq = indexOrEnd(chunk, QUOTE, i);
      if (nb < i) nb = indexOrEnd(chunk, BACKSLASH, i);
      if (nl < i) nl = indexOrEnd(chunk, LF, i);
      i = nq < nb ? (nq < nl ? nq : nl) : nb < nl ? nb : nl;
      if (i >= n) break;
      const b0 = chunk[i]!;
      if (b0 === BACKSLASH) escape = true;
      else if (b0 === QUOTE) {
        inString = false;
        if (depth === 0) {
          end = i + 1;
          break;
        }
      } else if (b0 === LF) line++; // invalid in a string; the reader reports it, lines stay right
      continue;
    }
    const b = chunk[i]!;
    switch (b) {
      case QUOTE:
        inString = true;
        break;
      case LF:
        line++;
        break;
      case 0x3a: // ':' outside strings: one object member
        colons++;
        break;
      case 0x2e: // '.'
      case 0x45: // 'E'
        fractions = true;
        break;
      case 0x65: // 'e' after a digit: an exponent ("true" and "false" end in 'e' too)
        if (i === 0 || (chunk[i - 1]! >= 0x30 && chunk[i - 1]! <= 0x39)) fractions = true;
        break;
      case 0x7b: // {
      case 0x5b: // [
        if (depth + 1 > room) {
          st.line = line;
          st.seen = null;
          st.fault = ScanFault.Depth;
          st.at = i;
          return -2;
        }
        stack[depth++] = b === 0x7b ? 0x7d : 0x5d;
        break;
      case 0x7d: // }
      case 0x5d: // ]
        if (depth === 0 || stack[depth - 1] !== b) {
          st.line = line;
          st.seen = null;
          st.fault = ScanFault.Bracket;
          st.at = i;
          return -2;
        }
        depth--;
        if (depth === 0) end = i + 1;
        break;
    }
    if (end >= 0) break;
  }
  st.line = line;
  st.colons = colons;
  st.fractions = fractions;
  st.depth = depth;
  st.inString = inString;
  st.escape = escape;
  st.seen = chunk;
  st.nextQuote = nq;
  st.nextBackslash = nb;
  st.nextLf = nl;
  return end;
}

/**
 * The member count json-fast.ts may rely on once the value has ended: the ':' outside
 * strings, or -1 (read it with json.ts) when a number has a fraction or an exponent.
 */
export function membersOf(st: ValueScan): number {
  return st.fractions ? -1 : st.colons;
}

/** RFC 7493 nesting limit (json.ts MAX_DEPTH; docs/format.md "Bytes"). */
const ROOM = 64;
const one = newValueScan(ROOM);

/**
 * membersOf the one bracketed value in `bytes` (its object members, when it is valid JSON),
 * or -1 when it is not a bracketed value that ends in `bytes` within 64 levels. Bytes after
 * its end are not looked at: JSON.parse refuses all but whitespace.
 */
export function countMembers(bytes: Uint8Array): number {
  const st = one;
  st.depth = 0;
  st.inString = false;
  st.escape = false;
  st.colons = 0;
  st.fractions = false;
  st.fault = ScanFault.None;
  st.seen = null;
  const end = scanValue(bytes, 0, st);
  st.seen = null; // hold no caller's bytes
  return end >= 0 ? membersOf(st) : -1;
}
