// RFC 4648 §4 base64: standard alphabet, with padding (docs/format.md "Bytes").
// The decoder is strict: no whitespace, no URL alphabet, padding required, and
// the unused bits of the last symbol must be zero (RFC 4648 §3.5), so that one
// byte string has exactly one accepted encoding.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + '=';
  }
  return out;
}

function sym(s: string, i: number): number {
  const c = s.charCodeAt(i);
  const v = c < 128 ? DECODE[c]! : -1;
  if (v < 0) throw new RangeError(`invalid base64 character at offset ${i}`);
  return v;
}

/** Strict RFC 4648 §4 decoding. Throws RangeError on any deviation. */
export function decodeBase64(s: string): Uint8Array {
  if (typeof s !== 'string') throw new TypeError('base64 must be a string');
  if (s.length % 4 !== 0) throw new RangeError('base64 length must be a multiple of 4');
  let pad = 0;
  if (s.length > 0 && s.charCodeAt(s.length - 1) === 61) pad = s.charCodeAt(s.length - 2) === 61 ? 2 : 1;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  const full = s.length - (pad ? 4 : 0);
  for (let i = 0; i < full; i += 4) {
    const n = (sym(s, i) << 18) | (sym(s, i + 1) << 12) | (sym(s, i + 2) << 6) | sym(s, i + 3);
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 255;
    out[o++] = n & 255;
  }
  if (pad === 2) {
    const a = sym(s, full);
    const b = sym(s, full + 1);
    if (b & 15) throw new RangeError('base64 has non-zero padding bits');
    out[o] = (a << 2) | (b >> 4);
  } else if (pad === 1) {
    const a = sym(s, full);
    const b = sym(s, full + 1);
    const c = sym(s, full + 2);
    if (c & 3) throw new RangeError('base64 has non-zero padding bits');
    out[o++] = (a << 2) | (b >> 4);
    out[o] = ((b & 15) << 4) | (c >> 2);
  }
  return out;
}
