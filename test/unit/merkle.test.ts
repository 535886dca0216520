import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY_ROOT, MerkleAccumulator, leafHash, nodeHash } from '../../src/core/log/merkle.ts';
import { type Digest } from '../../src/core/encoding/bytes.ts';
import { decodeHex, encodeHex } from '../../src/core/encoding/hex.ts';

// The RFC 6962 reference data of certificate-transparency (and google/trillian's
// merkle/testonly): eight leaves, and MTH of the first n of them for n = 0..8.
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

/** RFC 6962 §2.1 MTH, written as the RFC states it (k = largest power of two < n). */
function naiveRoot(hashes: Digest[]): Digest {
  if (hashes.length === 0) return EMPTY_ROOT;
  if (hashes.length === 1) return hashes[0]!;
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  return nodeHash(naiveRoot(hashes.slice(0, k)), naiveRoot(hashes.slice(k)));
}

describe('RFC 6962 hashing', () => {
  it('EMPTY_ROOT is SHA-256 of nothing', () => expect(encodeHex(EMPTY_ROOT)).toBe(ROOTS[0]));

  it('leafHash and nodeHash use the 0x00 / 0x01 prefixes', () => {
    const sha = (hex: string) => createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex');
    expect(encodeHex(leafHash(decodeHex('2021')))).toBe(sha('002021'));
    const l = leafHash(new Uint8Array(0));
    const r = leafHash(Uint8Array.of(0));
    expect(encodeHex(nodeHash(l, r))).toBe(sha('01' + encodeHex(l) + encodeHex(r)));
  });

  it('matches the reference roots for sizes 0..8', () => {
    const acc = new MerkleAccumulator();
    expect(acc.size).toBe(0);
    expect(encodeHex(acc.root())).toBe(ROOTS[0]);
    LEAVES.forEach((leaf, i) => {
      acc.appendLeafHash(leafHash(decodeHex(leaf)));
      expect(acc.size).toBe(i + 1);
      expect(encodeHex(acc.root()), `size ${i + 1}`).toBe(ROOTS[i + 1]);
      expect(encodeHex(acc.root()), 'root() must not mutate').toBe(ROOTS[i + 1]);
    });
  });

  it('agrees with the naive recursive MTH for random sizes up to 300', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer(), (n, seed) => {
        const hashes = Array.from({ length: n }, (_, i) => leafHash(new TextEncoder().encode(`${seed}:${i}`)));
        const acc = new MerkleAccumulator();
        for (const [i, h] of hashes.entries()) {
          acc.appendLeafHash(h);
          // spot-check intermediate roots too, which also checks root() leaves the state alone
          if (i % 37 === 0) expect(encodeHex(acc.root())).toBe(encodeHex(naiveRoot(hashes.slice(0, i + 1))));
        }
        expect(acc.size).toBe(n);
        expect(encodeHex(acc.root())).toBe(encodeHex(naiveRoot(hashes)));
      }),
      { numRuns: 60 },
    );
  });

  it('checks its arguments', () => {
    expect(() => leafHash('x' as never)).toThrow(TypeError);
    expect(() => nodeHash(new Uint8Array(31), new Uint8Array(32))).toThrow(RangeError);
    expect(() => new MerkleAccumulator().appendLeafHash(new Uint8Array(33) as Digest)).toThrow(RangeError);
  });
});
