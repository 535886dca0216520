// JCS (RFC 8785) straight from an element's bytes, when they are right already (issue 10).
//
// jcs.ts is the one JCS implementation: it serialises a parsed value. Most MakerChecker
// events (docs/format.md "MakerChecker AAPR v1") are written by a JCS-minded writer, so each
// token of a hashed member's value is already in canonical form and only the whitespace
// between tokens differs. This module copies such a value token by token, dropping the
// whitespace between tokens (RFC 8259 §2: insignificant), and answers only when every
// token is exactly what RFC 8785 would write:
//
//   strings   §3.2.2.2: raw UTF-8, escapes only \" \\ \b \f \n \r \t and lowercase
//             \u00xx for the other controls; any other escape (\/, \u0041, \uD83D…) is in doubt
//   numbers   §3.2.2.3 (Number::toString): only integers of at most 15 digits, no "-0";
//             a fraction, an exponent or more digits is in doubt
//   literals  true, false, null as they are
//   members   §3.2.3: sorted by UTF-16 code units, no duplicates. Names are compared as
//             bytes, which is code-unit order only without escapes and without 4-byte UTF-8
//             (U+10000 and up sort below U+E000 in UTF-16): either is in doubt. Members out
//             of order are put in order here (MakerChecker's own exports, the conformance
//             vectors, write nested objects in insertion order); a duplicate is in doubt
//
// Anything in doubt returns undefined and the caller uses jcs.ts on the parsed value, so
// this may only ever give jcs.ts's bytes (test/unit/jcs-bytes.test.ts proves the rules agree).
// Precondition: the bytes were strictly read first (json.ts / json-fast.ts: valid UTF-8,
// no lone surrogate, no duplicate name, depth bounded); this module does not check UTF-8.
// Attacker-controlled: the bytes are one events[] element of the file.

const enc = new TextEncoder();

// Output: one scratch buffer reused from call to call, written as the source is scanned.
// Canonical bytes are the source bytes minus whitespace, so they fit in the element's
// length; as much again past them is room for reordering members and for assembling the
// projection, without allocating.
let scratch = new Uint8Array(8192);
let o = 0;
function reserve(length: number): void {
  if (scratch.length < 2 * length + 1024) scratch = new Uint8Array(4 * length + 1024);
}

/** Copies src[i..j) to the output. */
function copy(src: Uint8Array, i: number, j: number): void {
  // set() makes a view per call: dearer than a loop for short spans
  const out = scratch;
  if (j - i > 64) out.set(src.subarray(i, j), o);
  else for (let k = i, p = o; k < j; k++, p++) out[p] = src[k]!;
  o += j - i;
}

/** Skips insignificant whitespace (RFC 8259 §2) at `i`. */
function skipWs(src: Uint8Array, i: number): number {
  let c = src[i]!;
  while (c <= 0x20 && (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) c = src[++i]!;
  return i;
}

/** The first '\\' at or after the long string being scanned (src.length if none); -1 before the first look. */
let backslash = -1;

function isLowerHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66);
}

/** End of the member name at `i` (the opening quote) when plain (no escape, no 4-byte UTF-8), or -1. */
function nameEnd(src: Uint8Array, i: number): number {
  const n = src.length;
  let j = i + 1;
  let c = 0;
  while (j < n && (c = src[j]!) !== 0x22 && c !== 0x5c && c < 0xf0) j++;
  return j < n && c === 0x22 ? j + 1 : -1;
}

/** Copies the canonical string at `i` (the opening quote); its end, or -1. */
function copyString(src: Uint8Array, i: number): number {
  const n = src.length;
  let j = i + 1;
  let c = 0;
  // Raw controls cannot occur (the strict reader refused them: see the precondition above).
  const stop = Math.min(n, j + 32);
  while (j < stop && (c = src[j]!) !== 0x22 && c !== 0x5c) j++;
  if (j === stop && j < n) {
    // A long string (an LLM prompt): the platform's search is faster than a loop. The next
    // '\\' is looked for once and remembered, not once per string.
    if (backslash < j) {
      backslash = src.indexOf(0x5c, j);
      if (backslash < 0) backslash = n;
    }
    const q = src.indexOf(0x22, j);
    j = q < 0 ? n : Math.min(q, backslash);
    c = j < n ? src[j]! : 0;
  }
  if (j >= n || c !== 0x22) {
    if (c !== 0x5c) return -1;
    j = escapedString(src, j);
    if (j < 0) return -1;
  }
  copy(src, i, j + 1);
  return j + 1;
}

/** The closing quote of a string whose escape at `j` and after are all canonical, or -1. */
function escapedString(src: Uint8Array, j: number): number {
  for (;;) {
    const c = src[j];
    if (c === undefined || c < 0x20) return -1;
    if (c === 0x22) return j;
    if (c !== 0x5c) {
      j++;
      continue;
    }
    const e = src[j + 1];
    // \" \\ \b \f \n \r \t
    if (e === 0x22 || e === 0x5c || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
      j += 2;
      continue;
    }
    if (e !== 0x75 || src[j + 2] !== 0x30 || src[j + 3] !== 0x30) return -1;
    const h = src[j + 4]!;
    const l = src[j + 5]!;
    if ((h !== 0x30 && h !== 0x31) || !isLowerHexDigit(l)) return -1;
    // a control with a short form (\b \t \n \f \r) is never written as \u00xx
    if (h === 0x30 && (l === 0x38 || l === 0x39 || l === 0x61 || l === 0x63 || l === 0x64)) return -1;
    j += 6;
  }
}

function copyNumber(src: Uint8Array, i: number): number {
  let j = i;
  if (src[j] === 0x2d) j++;
  const first = src[j];
  if (first === 0x30) {
    if (j > i) return -1; // -0 is written 0
    j++;
  } else if (first !== undefined && first >= 0x31 && first <= 0x39) {
    const start = j;
    while (j < src.length && src[j]! >= 0x30 && src[j]! <= 0x39) j++;
    if (j - start > 15) return -1; // beyond 2^53 Number::toString may differ
  } else return -1;
  const c = src[j];
  if (c === 0x2e || c === 0x65 || c === 0x45 || (c !== undefined && c >= 0x30 && c <= 0x39)) return -1;
  copy(src, i, j);
  return j;
}

function copyLiteral(src: Uint8Array, i: number, text: Uint8Array): number {
  for (let k = 0; k < text.length; k++) if (src[i + k] !== text[k]) return -1;
  copy(src, i, i + text.length);
  return i + text.length;
}
const TRUE = enc.encode('true');
const FALSE = enc.encode('false');
const NULL = enc.encode('null');

/** a (bytes a0..a1) sorts strictly before b (b0..b1), both canonical names without escapes. */
function before(src: Uint8Array, a0: number, a1: number, b0: number, b1: number): boolean {
  const n = Math.min(a1 - a0, b1 - b0);
  for (let k = 0; k < n; k++) {
    const x = src[a0 + k]!;
    const y = src[b0 + k]!;
    if (x !== y) return x < y;
  }
  return a1 - a0 < b1 - b0;
}

// The members of the objects being copied, 4 ints each: the name's bytes in the source
// (start, end, without the quotes), the member's text `"name":value` in the output (start, end).
let stack = new Int32Array(256);
let sp = 0;
let order = new Int32Array(64);

function push(k0: number, k1: number, out0: number): void {
  if (sp + 4 > stack.length) {
    const grown = new Int32Array(stack.length * 2);
    grown.set(stack);
    stack = grown;
  }
  stack[sp] = k0;
  stack[sp + 1] = k1;
  stack[sp + 2] = out0;
  sp += 4;
}

/**
 * Rewrites the members of an object copied out of order (most writers keep insertion
 * order: MakerChecker's actor is {type, id, name}) in §3.2.3 order, in place: its text in
 * the output is its members joined by ',' and keeps its length. False on a duplicate name.
 */
function sortMembers(src: Uint8Array, base: number): boolean {
  const m = (sp - base) / 4;
  if (order.length < m) order = new Int32Array(2 * m);
  // insertion sort of the members' stack offsets: objects are small
  for (let q = 0; q < m; q++) {
    const r = base + 4 * q;
    let z = q;
    while (z > 0 && before(src, stack[r]!, stack[r + 1]!, stack[order[z - 1]!]!, stack[order[z - 1]! + 1]!)) {
      order[z] = order[z - 1]!;
      z--;
    }
    order[z] = r;
  }
  for (let q = 1; q < m; q++) if (!before(src, stack[order[q - 1]!]!, stack[order[q - 1]! + 1]!, stack[order[q]!]!, stack[order[q]! + 1]!)) return false;
  // The object's members, copied past the output, come back in order with ',' between.
  const from = stack[base + 2]!;
  const to = o;
  scratch.copyWithin(to, from, to);
  let p = from;
  for (let q = 0; q < m; q++) {
    const r = order[q]!;
    if (q > 0) scratch[p++] = 0x2c;
    scratch.copyWithin(p, stack[r + 2]! - from + to, stack[r + 3]! - from + to);
    p += stack[r + 3]! - stack[r + 2]!;
  }
  return p === to;
}

// Open containers of the value being copied, 2 ints each: the member stack's base (-1 for
// an array), and 1 while the object's names came in order so far.
let open = new Int32Array(128);

/** Copies the name at `j` (which must be one) of a new member of the object at `top`; after its ':' and whitespace, or -1. */
function copyName(src: Uint8Array, j: number, top: number): number {
  if (src[j] !== 0x22) return -1;
  const at = o;
  const k = nameEnd(src, j);
  if (k < 0) return -1;
  copy(src, j, k);
  if (sp > open[top]! && !before(src, stack[sp - 4]!, stack[sp - 3]!, j + 1, k - 1)) open[top + 1] = 0;
  push(j + 1, k - 1, at); // the name without its quotes: a quote would sort as a character
  j = skipWs(src, k);
  if (src[j] !== 0x3a) return -1;
  scratch[o++] = 0x3a;
  return skipWs(src, j + 1);
}

/**
 * Copies the canonical value at `i` (no whitespace before it); its end, or -1. One loop
 * over the tokens with an explicit stack (depth is bounded by the strict reader), not a
 * call per value: on an export this is per byte what canonicalize is per character.
 */
function copyValue(src: Uint8Array, i: number): number {
  let j = i;
  let top = -2; // index in `open` of the innermost container
  for (;;) {
    // j: the start of a value
    const c = src[j];
    if (c === 0x22) j = copyString(src, j);
    else if (c === 0x7b || c === 0x5b) {
      scratch[o++] = c;
      j = skipWs(src, j + 1);
      if (src[j] === c + 2) {
        scratch[o++] = c + 2; // {} or []
        j++;
      } else {
        top += 2;
        if (top + 2 > open.length) {
          const grown = new Int32Array(open.length * 2);
          grown.set(open);
          open = grown;
        }
        open[top] = c === 0x7b ? sp : -1;
        open[top + 1] = 1;
        if (c === 0x7b) j = copyName(src, j, top);
        if (j < 0) return -1;
        continue;
      }
    } else if (c === 0x74) j = copyLiteral(src, j, TRUE);
    else if (c === 0x66) j = copyLiteral(src, j, FALSE);
    else if (c === 0x6e) j = copyLiteral(src, j, NULL);
    else j = copyNumber(src, j);
    // j: after a value; close the containers it ends
    for (;;) {
      if (j < 0) return -1;
      if (top < 0) return j;
      j = skipWs(src, j);
      const d = src[j];
      const base = open[top]!;
      if (base >= 0) {
        stack[sp - 1] = o; // where the member ends in the output
        if (d === 0x2c) {
          scratch[o++] = 0x2c;
          j = copyName(src, skipWs(src, j + 1), top);
          if (j < 0) return -1;
          break;
        }
        if (d !== 0x7d || (open[top + 1] === 0 && !sortMembers(src, base))) return -1;
        sp = base;
      } else {
        if (d === 0x2c) {
          scratch[o++] = 0x2c;
          j = skipWs(src, j + 1);
          break;
        }
        if (d !== 0x5d) return -1;
      }
      scratch[o++] = d;
      j++;
      top -= 2;
    }
  }
}

/** The canonical bytes of one JSON value (whitespace around it allowed), or undefined when in doubt. */
export function canonicalValueBytes(src: Uint8Array): Uint8Array | undefined {
  reserve(src.length);
  o = 0;
  sp = 0;
  backslash = -1;
  const end = copyValue(src, skipWs(src, 0));
  if (end < 0 || skipWs(src, end) !== src.length) return undefined;
  return scratch.slice(0, o);
}

/**
 * Builds the JCS bytes of an object made of some members of a top-level object, renamed
 * (MakerChecker's camelCase hash input from its snake_case row). `members` pairs each new
 * name with the source member's name; created once, used for every element.
 */
export interface CanonicalProjection {
  /** JCS bytes of the projection of `src`, or undefined when in doubt or a member is missing. The view is reused by the next call. */
  project(src: Uint8Array): Uint8Array | undefined;
}

export function createCanonicalProjection(members: readonly (readonly [to: string, from: string])[]): CanonicalProjection {
  // RFC 8785 §3.2.3: the output members in UTF-16 code-unit order, as jcs.ts sorts them.
  const sorted = [...members].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (let k = 1; k < sorted.length; k++) if (sorted[k - 1]![0] === sorted[k]![0]) throw new RangeError('duplicate output member');
  // Source names must be plain (no escape, no quote): matched against raw name bytes.
  const from = sorted.map(([, f]) => {
    if (JSON.stringify(f) !== `"${f}"`) throw new RangeError(`source member ${f} needs an escape`);
    return enc.encode(f);
  });
  const keyTexts = sorted.map(([t], k) => enc.encode((k === 0 ? '{' : ',') + JSON.stringify(t) + ':'));
  const n = sorted.length;
  const start = new Int32Array(n);
  const end = new Int32Array(n);
  let size0 = 1;
  for (const k of keyTexts) size0 += k.length;

  // Source names by length, then a chain of those of the same length.
  const maxLength = Math.max(...from.map((f) => f.length));
  const firstOfLength = new Int32Array(maxLength + 1).fill(-1);
  const nextOfLength = new Int32Array(n).fill(-1);
  for (let m = n - 1; m >= 0; m--) {
    nextOfLength[m] = firstOfLength[from[m]!.length]!;
    firstOfLength[from[m]!.length] = m;
  }

  function match(src: Uint8Array, k0: number, k1: number): number {
    const len = k1 - k0;
    if (len > maxLength) return -1;
    for (let m = firstOfLength[len]!; m >= 0; m = nextOfLength[m]!) {
      const f = from[m]!;
      let q = 0;
      while (q < len && src[k0 + q] === f[q]) q++;
      if (q === len) return m;
    }
    return -1;
  }

  return {
    project(src) {
      reserve(src.length + size0);
      start.fill(-1);
      o = 0;
      sp = 0;
      backslash = -1;
      let j = skipWs(src, 0);
      if (src[j] !== 0x7b) return undefined;
      j = skipWs(src, j + 1);
      if (src[j] !== 0x7d)
        for (;;) {
          if (src[j] !== 0x22) return undefined;
          const at = o;
          const k = nameEnd(src, j);
          if (k < 0) return undefined;
          const m = match(src, j + 1, k - 1);
          j = skipWs(src, k);
          if (src[j] !== 0x3a) return undefined;
          j = copyValue(src, skipWs(src, j + 1));
          if (j < 0) return undefined;
          // Hashed members stay in the output in file order; the rest were only checked.
          if (m < 0) o = at;
          else if (start[m]! >= 0) return undefined;
          else {
            start[m] = at;
            end[m] = o;
          }
          j = skipWs(src, j);
          if (src[j] === 0x7d) break;
          if (src[j] !== 0x2c) return undefined;
          j = skipWs(src, j + 1);
        }
      if (skipWs(src, j + 1) !== src.length) return undefined;
      // Then assembled in output order past them: "{" name ":" value ("," name ":" value)* "}".
      const p0 = o;
      let p = o;
      for (let m = 0; m < n; m++) {
        if (start[m]! < 0) return undefined; // absent: jcs.ts leaves it out; rare, not handled here
        const key = keyTexts[m]!;
        for (let q = 0; q < key.length; q++) scratch[p + q] = key[q]!;
        p += key.length;
        scratch.copyWithin(p, start[m]!, end[m]!);
        p += end[m]! - start[m]!;
      }
      scratch[p++] = 0x7d;
      return scratch.subarray(p0, p);
    },
  };
}
