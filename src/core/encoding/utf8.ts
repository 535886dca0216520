// UTF-8 without a BOM (docs/format.md "Bytes"). Decoding is fatal: invalid UTF-8 throws.

const encoder = new TextEncoder();
const fatalDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Up to this many UTF-16 units, an ASCII string is copied by a JS loop. */
const SHORT = 64;
const scratch = new Uint8Array(1 << 16);

/**
 * UTF-8 of `s`, a lone surrogate written as U+FFFD (the WHATWG encoder's rule). The platform
 * call has a fixed cost that dominated the verifier's short encodes (issue 10: 1.5 µs for
 * 40 bytes in Chromium, 0.13 µs by the loop below, which PAE's headers and leaf prefixes take),
 * and `encode` allocates through the platform where `encodeInto` fills a buffer we keep.
 */
export function encodeUtf8(s: string): Uint8Array {
  const n = s.length;
  if (n <= SHORT) {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) return encoder.encode(s);
      out[i] = c;
    }
    return out;
  }
  // Each UTF-16 unit is at most 3 UTF-8 bytes (a surrogate pair, 2 units, is 4): then all of it fits.
  if (n * 3 > scratch.length) return encoder.encode(s);
  return scratch.slice(0, encoder.encodeInto(s, scratch).written);
}

/** Decodes strict UTF-8; throws TypeError on invalid sequences. A BOM is kept as U+FEFF. */
export function decodeUtf8(bytes: Uint8Array): string {
  return fatalDecoder.decode(bytes);
}

/**
 * One `prefix` byte, then the UTF-8 of `text`, as a view of a buffer the next call here or in
 * encodeUtf8 overwrites: for a caller that hashes it at once (the Merkle leaf prefix 0x00 and
 * an entry's JCS, without the two copies encodeUtf8 and a concatenation make).
 */
export function prefixedUtf8View(prefix: number, text: string): Uint8Array {
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 255) throw new RangeError('prefix must be a byte');
  if (text.length * 3 + 1 > scratch.length) {
    const body = encoder.encode(text);
    const out = new Uint8Array(body.length + 1);
    out[0] = prefix;
    out.set(body, 1);
    return out;
  }
  scratch[0] = prefix;
  return scratch.subarray(0, 1 + encoder.encodeInto(text, scratch.subarray(1)).written);
}

/**
 * True when the UTF-8 of `text` is exactly `bytes`: encodeUtf8(text) compared, without the copy
 * while the text is ASCII (JCS output compared with the bytes it came from, issue 10).
 */
export function utf8Equals(text: string, bytes: Uint8Array): boolean {
  const n = text.length;
  if (n > bytes.length) return false; // every UTF-16 unit is at least one UTF-8 byte
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) {
      const all = encodeUtf8(text);
      if (all.length !== bytes.length) return false;
      for (let j = i; j < all.length; j++) if (all[j] !== bytes[j]) return false;
      return true; // bytes before i matched already
    }
    if (bytes[i] !== c) return false;
  }
  return n === bytes.length;
}
