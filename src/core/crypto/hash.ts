// SHA-256 (FIPS 180-4) through @noble/hashes: synchronous, so hashing one log
// entry never costs an await (WebCrypto's digest is async-only).
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { asDigest, type Digest, type DigestString } from '../encoding/bytes.ts';
import { encodeHex, isLowerHex } from '../encoding/hex.ts';
import { encodeUtf8 } from '../encoding/utf8.ts';

export interface Sha256Hasher {
  update(data: Uint8Array): void;
  digest(): Uint8Array;
}

// The pure-JS implementation runs everywhere. A host with a native SHA-256 (the
// Node CLI: node:crypto) may install it once at start-up with useNativeSha256;
// a test proves both give the same digests. The verifier hashes every byte about
// three times (file, leaf, payload), so this is a large share of its time.
let createImpl: () => Sha256Hasher = () => nobleSha256.create();
let oneShot: (data: Uint8Array) => Uint8Array = (data) => nobleSha256(data);
const hexOfTextPortable = (text: string): string => encodeHex(oneShot(encodeUtf8(text)));
let hexOfText: (text: string) => string = hexOfTextPortable;

export function useNativeSha256(
  create: () => Sha256Hasher,
  digestOnce?: (data: Uint8Array) => Uint8Array,
  /** Lowercase hex SHA-256 of a string's UTF-8, without an encoded copy (MakerChecker event hashes). */
  hexOfUtf8?: (text: string) => string,
): void {
  if (typeof create !== 'function') throw new TypeError('create must be a function');
  if (digestOnce !== undefined && typeof digestOnce !== 'function') throw new TypeError('digestOnce must be a function');
  if (hexOfUtf8 !== undefined && typeof hexOfUtf8 !== 'function') throw new TypeError('hexOfUtf8 must be a function');
  // "abc" and a non-ASCII probe: the text form must encode UTF-8 exactly as encodeUtf8 does.
  if (
    hexOfUtf8 !== undefined &&
    (hexOfUtf8('abc') !== 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' ||
      hexOfUtf8('é東\u{1F600}') !== encodeHex(nobleSha256(encodeUtf8('é東\u{1F600}'))))
  )
    throw new RangeError('the native text SHA-256 gives a wrong digest');
  const probe = create();
  probe.update(new Uint8Array([0x61, 0x62, 0x63]));
  // FIPS 180-2 Appendix B.1: SHA-256("abc")
  if (encodeHex(probe.digest()) !== 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    throw new RangeError('the native SHA-256 gives a wrong digest for "abc"');
  // A one-shot function avoids the hasher object per call: most inputs here are small.
  const once =
    digestOnce ??
    ((data: Uint8Array) => {
      const h = create();
      h.update(data);
      return h.digest();
    });
  if (encodeHex(once(new Uint8Array([0x61, 0x62, 0x63]))) !== 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    throw new RangeError('the native one-shot SHA-256 gives a wrong digest for "abc"');
  createImpl = create;
  oneShot = once;
  hexOfText = hexOfUtf8 ?? hexOfTextPortable;
}

/** Lowercase hex SHA-256 of the UTF-8 of `text` (a native host skips the encoded copy). */
export function sha256HexOfUtf8(text: string): string {
  return hexOfText(text);
}

export function sha256(data: Uint8Array): Digest {
  return asDigest(oneShot(data));
}

/** Incremental SHA-256 for data that arrives in pieces. */
export function createSha256(): { update(data: Uint8Array): void; digest(): Digest } {
  const h = createImpl();
  return {
    update(data) {
      h.update(data);
    },
    digest() {
      return asDigest(h.digest());
    },
  };
}

/** `sha256:` + lowercase hex (docs/format.md "Bytes", "Digest strings"). */
export function toDigestString(d: Digest): DigestString {
  return `sha256:${encodeHex(d)}` as DigestString;
}

export function isDigestString(s: unknown): s is DigestString {
  return typeof s === 'string' && s.length === 71 && s.startsWith('sha256:') && isLowerHex(s.slice(7));
}
