// Lowercase hex (docs/format.md "Bytes": "hex is lowercase").

const HEX = '0123456789abcdef';
const TABLE: string[] = Array.from({ length: 256 }, (_, i) => HEX[i >> 4]! + HEX[i & 15]!);

export function encodeHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += TABLE[bytes[i]!]!;
  return s;
}

function nibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  if (c >= 97 && c <= 102) return c - 87; // a-f
  return -1; // uppercase is rejected: the format's hex is lowercase only
}

/** Decodes lowercase hex; throws RangeError on odd length or any other character. */
export function decodeHex(hex: string): Uint8Array {
  if (typeof hex !== 'string') throw new TypeError('hex must be a string');
  if (hex.length % 2 !== 0) throw new RangeError('hex must have an even length');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(hex.charCodeAt(2 * i));
    const lo = nibble(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) throw new RangeError(`invalid lowercase hex at offset ${2 * i}`);
    out[i] = (hi << 4) | lo;
  }
  return out;
}

export function isLowerHex(s: string, length?: number): boolean {
  if (length !== undefined && s.length !== length) return false;
  for (let i = 0; i < s.length; i++) if (nibble(s.charCodeAt(i)) < 0) return false;
  return true;
}
