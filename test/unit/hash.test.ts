import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { createSha256, sha256, useNativeSha256 } from '../../src/core/crypto/hash.ts';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { encodeHex } from '../../src/core/encoding/hex.ts';

const node = () => {
  const h = createHash('sha256');
  return { update: (d: Uint8Array) => void h.update(d), digest: () => new Uint8Array(h.digest()) };
};

describe('SHA-256', () => {
  afterAll(() => useNativeSha256(() => nobleSha256.create()));

  it('FIPS 180-2 B.1 and B.2 with the portable implementation', () => {
    const enc = new TextEncoder();
    expect(encodeHex(sha256(enc.encode('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(encodeHex(sha256(enc.encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('a native implementation, once installed, gives the same digests, whole and in pieces', () => {
    useNativeSha256(node, (d) => createHash('sha256').update(d).digest());
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.nat({ max: 3000 }), (data, cut) => {
        expect(encodeHex(sha256(data))).toBe(encodeHex(nobleSha256(data)));
        const h = createSha256();
        h.update(data.subarray(0, cut));
        h.update(data.subarray(cut));
        expect(encodeHex(h.digest())).toBe(encodeHex(nobleSha256(data)));
      }),
    );
  });

  it('refuses an implementation that is not SHA-256', () => {
    expect(() => useNativeSha256(() => ({ update() {}, digest: () => new Uint8Array(32) }))).toThrow(RangeError);
    expect(() => useNativeSha256(undefined as never)).toThrow(TypeError);
    expect(() => useNativeSha256(node, () => new Uint8Array(32))).toThrow(RangeError);
  });
});
