// Whether JSON bytes are already their own JCS (RFC 8785), read from the bytes alone (issue 10):
// a statement payload must be (docs/format.md "Countersign statements and envelopes"), and some
// writers write entry lines that way too; showing it here is cheaper than re-serialising the
// parsed value and comparing (jcs.ts canonicalize + utf8Equals).
//
// One-sided by design: true only when the bytes are certainly canonical; false means "not
// shown", and the caller then compares canonicalize(value) with the bytes as before. So the
// rare forms are not reasoned about here, they just return false: a member name that is not
// plain ASCII (UTF-16 order would need decoding), any \u escape but a control character's,
// a number that is not a short integer (Number::toString, RFC 8785 §3.2.2.3, is the same text
// only for those), and whitespace between tokens.
//
// PRECONDITION: `bytes` is one JSON value the strict reader accepted (json.ts or json-fast.ts:
// well-formed, UTF-8, no duplicate names). This scan does not judge grammar. The bytes are
// attacker-controlled; the precondition is what makes the scan's short cuts safe.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Short-form escapes JSON.stringify writes (RFC 8785 §3.2.2.2): \" \\ \b \f \n \r \t. */
const SHORT_ESCAPE = new Set([0x22, 0x5c, 0x62, 0x66, 0x6e, 0x72, 0x74]);
/** Controls written with a short form, so never as \u00XX: U+0008, U+0009, U+000A, U+000C, U+000D. */
const HAS_SHORT_FORM = new Set([0x08, 0x09, 0x0a, 0x0c, 0x0d]);
/** Integers up to 15 digits print as themselves (2^53 has 16). */
const MAX_DIGITS = 15;

const isLowerHexByte = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66);
const hexValue = (c: number) => (c <= 0x39 ? c - 0x30 : c - 0x57);

/** True when `bytes` (valid JSON: see the precondition above) are exactly the JCS of their value. */
export function isCanonicalJson(bytes: Uint8Array): boolean {
  const n = bytes.length;
  // Per open container: whether it is an object, and the last member name's [start, end).
  const inObject: boolean[] = [];
  const lastStart: number[] = [];
  const lastEnd: number[] = [];
  let nameNext = false; // the next string is a member name
  let i = 0;
  while (i < n) {
    const c = bytes[i]!;
    if (c === QUOTE) {
      const start = ++i;
      let plainAscii = true;
      for (;;) {
        if (i >= n) return false;
        const d = bytes[i]!;
        if (d === QUOTE) break;
        if (d === BACKSLASH) {
          plainAscii = false;
          const e = bytes[i + 1]!;
          if (SHORT_ESCAPE.has(e)) i += 2;
          else if (e === 0x75) {
            // \u00XX for a control character without a short form, lowercase hex: nothing else is canonical.
            if (bytes[i + 2] !== 0x30 || bytes[i + 3] !== 0x30 || !isLowerHexByte(bytes[i + 4]!) || !isLowerHexByte(bytes[i + 5]!)) return false;
            const v = hexValue(bytes[i + 4]!) * 16 + hexValue(bytes[i + 5]!);
            if (v >= 0x20 || HAS_SHORT_FORM.has(v)) return false;
            i += 6;
          } else return false; // \/ and the like
          continue;
        }
        if (d >= 0x80) plainAscii = false;
        i++;
      }
      const end = i++;
      if (nameNext) {
        const depth = inObject.length - 1;
        if (!plainAscii) return false;
        // Strictly after the previous name in UTF-16 order, which for ASCII is byte order.
        const ps = lastStart[depth]!;
        if (ps >= 0 && compareBytes(bytes, ps, lastEnd[depth]!, start, end) >= 0) return false;
        lastStart[depth] = start;
        lastEnd[depth] = end;
        nameNext = false;
      }
      continue;
    }
    switch (c) {
      case 0x7b: // {
        inObject.push(true);
        lastStart.push(-1);
        lastEnd.push(-1);
        nameNext = true;
        i++;
        continue;
      case 0x5b: // [
        inObject.push(false);
        lastStart.push(-1);
        lastEnd.push(-1);
        i++;
        continue;
      case 0x7d: // }
      case 0x5d: // ]
        inObject.pop();
        lastStart.pop();
        lastEnd.pop();
        nameNext = false;
        i++;
        continue;
      case 0x2c: // ,
      case 0x3a: // :
        // Outside any container: more than one value (`{…},"x":1`, the inside of a line with a
        // second member), which is no single value's JCS.
        if (inObject.length === 0) return false;
        if (c === 0x2c) nameNext = inObject[inObject.length - 1]!;
        i++;
        continue;
      case 0x74: // true
        i += 4;
        continue;
      case 0x66: // false
        i += 5;
        continue;
      case 0x6e: // null
        i += 4;
        continue;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      // -?(0|[1-9][0-9]*), at most 15 digits, not -0; a fraction or exponent is not shown.
      const neg = c === 0x2d;
      let j = neg ? i + 1 : i;
      const first = j;
      while (j < n && bytes[j]! >= 0x30 && bytes[j]! <= 0x39) j++;
      const digits = j - first;
      if (digits === 0 || digits > MAX_DIGITS) return false;
      if (bytes[first] === 0x30 && (digits > 1 || neg)) return false;
      if (j < n && (bytes[j] === 0x2e || bytes[j] === 0x65 || bytes[j] === 0x45)) return false;
      i = j;
      continue;
    }
    return false; // whitespace, or anything else between tokens
  }
  return true;
}

/** Compares bytes[a0, a1) with bytes[b0, b1) as unsigned bytes: <0, 0, >0. */
function compareBytes(bytes: Uint8Array, a0: number, a1: number, b0: number, b1: number): number {
  const la = a1 - a0;
  const lb = b1 - b0;
  const m = la < lb ? la : lb;
  for (let k = 0; k < m; k++) {
    const d = bytes[a0 + k]! - bytes[b0 + k]!;
    if (d !== 0) return d;
  }
  return la - lb;
}
