// SHA-256 (FIPS 180-4) through @noble/hashes: synchronous, so hashing one log
// entry never costs an await (WebCrypto's digest is async-only).
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { asDigest, type Digest, type DigestString } from '../encoding/bytes.ts';
import { encodeHex, isLowerHex } from '../encoding/hex.ts';

export function sha256(data: Uint8Array): Digest {
  return asDigest(nobleSha256(data));
}

/** Incremental SHA-256 for data that arrives in pieces. */
export function createSha256(): { update(data: Uint8Array): void; digest(): Digest } {
  const h = nobleSha256.create();
  return {
    update(data) {
      h.update(data);
    },
    digest() {
      return asDigest(h.digest());
    },
  };
}

/** `sha256:` + lowercase hex (FORMAT.md §1 "Digest strings"). */
export function toDigestString(d: Digest): DigestString {
  return `sha256:${encodeHex(d)}` as DigestString;
}

export function isDigestString(s: unknown): s is DigestString {
  return typeof s === 'string' && s.length === 71 && s.startsWith('sha256:') && isLowerHex(s.slice(7));
}
