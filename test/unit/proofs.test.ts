import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Digest } from '../../src/core/encoding/bytes.ts';
import { decodeHex, encodeHex } from '../../src/core/encoding/hex.ts';
import { MerkleAccumulator, leafHash, nodeHash } from '../../src/core/log/merkle.ts';
import {
  InclusionProver,
  ProofCollector,
  consistencyProofRanges,
  inclusionProofRanges,
  makeConsistencyProof,
  makeInclusionProof,
  rootFromInclusionProof,
  verifyConsistencyProof,
  verifyInclusionProof,
} from '../../src/core/log/proofs.ts';

// The RFC 6962 reference leaves of certificate-transparency / trillian (as in merkle.test.ts).
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const REF = LEAVES.map((l) => leafHash(decodeHex(l)));

function hashes(n: number, salt = 'x'): Digest[] {
  return Array.from({ length: n }, (_, i) => leafHash(new TextEncoder().encode(`${salt}:${i}`)));
}

function rootOf(h: readonly Digest[]): Digest {
  const acc = new MerkleAccumulator();
  for (const x of h) acc.appendLeafHash(x);
  return acc.root();
}

// RFC 6962 §2.1.1 / §2.1.2 written as the RFC states them, over slices in memory.
function naiveMth(d: readonly Digest[]): Digest {
  if (d.length === 1) return d[0]!;
  let k = 1;
  while (k * 2 < d.length) k *= 2;
  return nodeHash(naiveMth(d.slice(0, k)), naiveMth(d.slice(k)));
}
function naivePath(m: number, d: readonly Digest[]): Digest[] {
  if (d.length <= 1) return [];
  let k = 1;
  while (k * 2 < d.length) k *= 2;
  return m < k ? [...naivePath(m, d.slice(0, k)), naiveMth(d.slice(k))] : [...naivePath(m - k, d.slice(k)), naiveMth(d.slice(0, k))];
}
function naiveSubproof(m: number, d: readonly Digest[], b: boolean): Digest[] {
  const n = d.length;
  if (m === n) return b ? [] : [naiveMth(d)];
  let k = 1;
  while (k * 2 < n) k *= 2;
  return m <= k ? [...naiveSubproof(m, d.slice(0, k), b), naiveMth(d.slice(k))] : [...naiveSubproof(m - k, d.slice(k), false), naiveMth(d.slice(0, k))];
}

const hex = (l: readonly Uint8Array[]) => l.map(encodeHex);
const flip = (l: readonly Uint8Array[], i: number, bit: number) =>
  l.map((x, j) => {
    if (j !== i) return x;
    const y = x.slice();
    y[bit >> 3]! ^= 1 << (bit & 7);
    return y;
  });

describe('RFC 9162 §2.1.5 example tree (seven leaves d0..d6)', () => {
  // The RFC's names: a..f are the leaf hashes of d0..d5, j of d6; g = H(a,b), h = H(c,d),
  // i = H(e,f), k = H(g,h), l = H(i,j), root = H(k,l).
  const [a, b, c, d, e, f, j] = REF.slice(0, 7) as [Digest, Digest, Digest, Digest, Digest, Digest, Digest];
  const g = nodeHash(a, b);
  const h = nodeHash(c, d);
  const i = nodeHash(e, f);
  const k = nodeHash(g, h);
  const l = nodeHash(i, j);
  const seven = REF.slice(0, 7);
  it('inclusion proofs are the RFC’s: d0 [b,h,l], d3 [c,g,l], d4 [f,j,k], d6 [i,k]', () => {
    expect(hex(makeInclusionProof(seven, 0))).toEqual(hex([b, h, l]));
    expect(hex(makeInclusionProof(seven, 3))).toEqual(hex([c, g, l]));
    expect(hex(makeInclusionProof(seven, 4))).toEqual(hex([f, j, k]));
    expect(hex(makeInclusionProof(seven, 6))).toEqual(hex([i, k]));
  });
  it('consistency proofs are the RFC’s: 3→7 [c,d,g,l], 4→7 [l], 6→7 [i,j,k]', () => {
    expect(hex(makeConsistencyProof(seven, 3))).toEqual(hex([c, d, g, l]));
    expect(hex(makeConsistencyProof(seven, 4))).toEqual(hex([l]));
    expect(hex(makeConsistencyProof(seven, 6))).toEqual(hex([i, j, k]));
  });
  it('each verifies against the root of the seven leaves', () => {
    const root = nodeHash(k, l);
    expect(encodeHex(root)).toBe(encodeHex(rootOf(seven)));
    for (let x = 0; x < 7; x++) expect(verifyInclusionProof({ leafHash: seven[x]!, index: x, size: 7, proof: makeInclusionProof(seven, x), root })).toBe(true);
    for (let m = 1; m <= 7; m++)
      expect(verifyConsistencyProof({ oldSize: m, newSize: 7, oldRoot: rootOf(seven.slice(0, m)), newRoot: root, proof: makeConsistencyProof(seven, m) })).toBe(
        true,
      );
  });
});

describe('every tree size up to 64, built by merkle.ts', () => {
  const all = hashes(64);
  const roots = [new Uint8Array(32) as Digest, ...Array.from({ length: 64 }, (_, n) => rootOf(all.slice(0, n + 1)))];

  it('inclusion: every index of every size equals RFC 6962 PATH, verifies, and fails at any other index or size', () => {
    for (let n = 1; n <= 64; n++) {
      const d = all.slice(0, n);
      for (let m = 0; m < n; m++) {
        const proof = makeInclusionProof(d, m);
        expect(hex(proof)).toEqual(hex(naivePath(m, d)));
        expect(inclusionProofRanges(m, n)).toHaveLength(proof.length);
        expect(verifyInclusionProof({ leafHash: d[m]!, index: m, size: n, proof, root: roots[n]! })).toBe(true);
        for (let m2 = 0; m2 < n; m2++) if (m2 !== m) expect(verifyInclusionProof({ leafHash: d[m]!, index: m2, size: n, proof, root: roots[n]! })).toBe(false);
        // Another size, with that tree's own root: the claim "leaf m of tree n2" is false.
        for (let n2 = m + 1; n2 <= 64; n2++)
          if (n2 !== n) expect(verifyInclusionProof({ leafHash: d[m]!, index: m, size: n2, proof, root: roots[n2]! })).toBe(false);
        if (proof.length > 0) expect(verifyInclusionProof({ leafHash: d[m]!, index: m, size: n, proof: proof.slice(1), root: roots[n]! })).toBe(false);
        expect(verifyInclusionProof({ leafHash: d[m]!, index: m, size: n, proof: [...proof, roots[n]!], root: roots[n]! })).toBe(false);
      }
    }
  });

  it('consistency: every old size of every size equals RFC 6962 PROOF, verifies, and fails for any other pair of sizes', () => {
    for (let n = 1; n <= 64; n++) {
      const d = all.slice(0, n);
      for (let m = 1; m <= n; m++) {
        const proof = makeConsistencyProof(d, m);
        expect(hex(proof)).toEqual(hex(m === n ? [] : naiveSubproof(m, d, true)));
        expect(consistencyProofRanges(m, n)).toHaveLength(proof.length);
        expect(verifyConsistencyProof({ oldSize: m, newSize: n, oldRoot: roots[m]!, newRoot: roots[n]!, proof })).toBe(true);
        // Every other pair for small trees, the neighbours beyond (the cube of 64 is slow).
        const near = (x: number, y: number) => n <= 16 || Math.abs(x - y) <= 3;
        for (let m2 = 1; m2 <= n; m2++)
          if (m2 !== m && near(m2, m)) expect(verifyConsistencyProof({ oldSize: m2, newSize: n, oldRoot: roots[m2]!, newRoot: roots[n]!, proof })).toBe(false);
        for (let n2 = m; n2 <= 64; n2++)
          if (n2 !== n && near(n2, n)) expect(verifyConsistencyProof({ oldSize: m, newSize: n2, oldRoot: roots[m]!, newRoot: roots[n2]!, proof })).toBe(false);
        if (proof.length > 0)
          expect(verifyConsistencyProof({ oldSize: m, newSize: n, oldRoot: roots[m]!, newRoot: roots[n]!, proof: proof.slice(0, -1) })).toBe(false);
      }
    }
  });

  it('property: any single changed bit of a proof, leaf or root fails it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        fc.constantFrom('proof', 'leaf', 'root'),
        (n, mi, pi, bit, where) => {
          const m = mi % n;
          const d = all.slice(0, n);
          const proof = makeInclusionProof(d, m);
          if (where === 'proof' && proof.length === 0) return;
          const args = { leafHash: d[m]!, index: m, size: n, proof: proof as Uint8Array[], root: roots[n]! };
          if (where === 'proof') args.proof = flip(proof, pi % proof.length, bit);
          if (where === 'leaf') args.leafHash = flip([d[m]!], 0, bit)[0] as Digest;
          if (where === 'root') args.root = flip([roots[n]!], 0, bit)[0] as Digest;
          expect(verifyInclusionProof(args)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 64 }),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        fc.constantFrom('proof', 'old', 'new'),
        (n, mi, pi, bit, where) => {
          const m = 1 + (mi % (n - 1));
          const proof = makeConsistencyProof(all.slice(0, n), m);
          const args = { oldSize: m, newSize: n, oldRoot: roots[m]!, newRoot: roots[n]!, proof: proof as Uint8Array[] };
          if (where === 'proof') args.proof = flip(proof, pi % proof.length, bit);
          if (where === 'old') args.oldRoot = flip([roots[m]!], 0, bit)[0] as Digest;
          if (where === 'new') args.newRoot = flip([roots[n]!], 0, bit)[0] as Digest;
          expect(verifyConsistencyProof(args)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('ProofCollector (one streaming pass)', () => {
  it('makes many proofs at once, ignores leaves past its size, and its root is merkle.ts’s', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        (n, extra, is, ms) => {
          const d = hashes(n + extra, `${n}`);
          const inclusion = is.map((i) => i % n);
          const consistency = ms.map((m) => m % (n + 1));
          const c = new ProofCollector(n, { inclusion, consistency });
          for (const h of d) c.appendLeafHash(h);
          expect(c.done).toBe(true);
          expect(c.count).toBe(n);
          const root = rootOf(d.slice(0, n));
          expect(encodeHex(c.root())).toBe(encodeHex(root));
          for (const i of inclusion) expect(hex(c.inclusionProof(i))).toEqual(hex(naivePath(i, d.slice(0, n))));
          for (const m of consistency) expect(hex(c.consistencyProof(m))).toEqual(hex(m === 0 || m === n ? [] : naiveSubproof(m, d.slice(0, n), true)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses to hand out a proof before the stream reached its size, or one it was not asked for', () => {
    const c = new ProofCollector(10, { inclusion: [3] });
    for (const h of hashes(9)) c.appendLeafHash(h);
    expect(c.done).toBe(false);
    expect(() => c.inclusionProof(3)).toThrow(/9 of 10/);
    c.appendLeafHash(hashes(10)[9]!);
    expect(() => c.inclusionProof(4)).toThrow(RangeError);
    expect(c.inclusionProof(3)).toHaveLength(4);
  });

  it('rejects bad arguments with precise errors', () => {
    expect(() => new ProofCollector(-1)).toThrow(RangeError);
    expect(() => new ProofCollector(5, { inclusion: [5] })).toThrow(/not below/);
    expect(() => new ProofCollector(5, { consistency: [6] })).toThrow(/exceeds/);
    expect(() => new ProofCollector(5).appendLeafHash(new Uint8Array(31) as Digest)).toThrow(RangeError);
    expect(() => verifyInclusionProof({ leafHash: REF[0]!, index: 0, size: 1, proof: [new Uint8Array(3)], root: REF[0]! })).toThrow(/proof\[0\]/);
  });
});

describe('InclusionProver (leaves and tree size learnt while streaming)', () => {
  it('proves leaves chosen on the way, in the tree of the last snapshot, as RFC 6962 PATH', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        fc.integer({ min: 0, max: 20 }),
        (n, picks, snaps, extra) => {
          const d = hashes(n + extra, `p${n}`);
          const chosen = new Set(picks.map((x) => x % n));
          const snapAt = new Set([...snaps.map((x) => 1 + (x % n)), n]);
          const p = new InclusionProver();
          d.forEach((h, i) => {
            if (chosen.has(i)) p.addLeaf(i);
            p.appendLeafHash(h);
            if (snapAt.has(i + 1) && i < n) p.snapshot();
          });
          expect(p.size).toBe(n);
          expect(encodeHex(p.root()!)).toBe(encodeHex(rootOf(d.slice(0, n))));
          for (const i of chosen) {
            expect(hex(p.inclusionProof(i))).toEqual(hex(naivePath(i, d.slice(0, n))));
            expect(verifyInclusionProof({ leafHash: d[i]!, index: i, size: n, proof: p.inclusionProof(i), root: p.root()! })).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('may be told about a leaf ahead of time, never after it went past', () => {
    const d = hashes(37);
    const p = new InclusionProver();
    p.addLeaf(30);
    for (const h of d.slice(0, 10)) p.appendLeafHash(h);
    expect(() => p.addLeaf(9)).toThrow(/already went past/);
    p.addLeaf(20);
    for (const h of d.slice(10)) p.appendLeafHash(h);
    expect(() => p.inclusionProof(30)).toThrow(/no snapshot/);
    p.snapshot();
    expect(hex(p.inclusionProof(30))).toEqual(hex(naivePath(30, d)));
    expect(hex(p.inclusionProof(20))).toEqual(hex(naivePath(20, d)));
    expect(() => p.inclusionProof(5)).toThrow(/not remembered/);
  });
});

describe('large sizes (no 32-bit arithmetic)', () => {
  it('ranges and proof lengths are right past 2^32', () => {
    const n = 2 ** 40 + 3;
    const r = inclusionProofRanges(2 ** 40 + 1, n);
    expect(r).toEqual([
      { start: 2 ** 40, end: 2 ** 40 + 1 },
      { start: 2 ** 40 + 2, end: 2 ** 40 + 3 },
      { start: 0, end: 2 ** 40 },
    ]);
    const proof = r.map((_, i) => REF[i]!);
    expect(rootFromInclusionProof({ leafHash: REF[7]!, index: 2 ** 40 + 1, size: n, proof })).not.toBeNull();
    expect(rootFromInclusionProof({ leafHash: REF[7]!, index: 2 ** 40 + 1, size: n, proof: proof.slice(1) })).toBeNull();
    expect(consistencyProofRanges(2 ** 33, 2 ** 33 + 1)).toEqual([{ start: 2 ** 33, end: 2 ** 33 + 1 }]);
  });

  it('the empty and equal cases follow RFC 9162 §2.1.4', () => {
    const r = rootOf(REF);
    expect(verifyConsistencyProof({ oldSize: 0, newSize: 8, oldRoot: r, newRoot: r, proof: [] })).toBe(true);
    expect(verifyConsistencyProof({ oldSize: 8, newSize: 8, oldRoot: r, newRoot: r, proof: [] })).toBe(true);
    expect(verifyConsistencyProof({ oldSize: 8, newSize: 8, oldRoot: r, newRoot: REF[0]!, proof: [] })).toBe(false);
    expect(verifyConsistencyProof({ oldSize: 8, newSize: 8, oldRoot: r, newRoot: r, proof: [r] })).toBe(false);
    expect(verifyConsistencyProof({ oldSize: 4, newSize: 8, oldRoot: r, newRoot: r, proof: [] })).toBe(false);
    expect(verifyConsistencyProof({ oldSize: 9, newSize: 8, oldRoot: r, newRoot: r, proof: [] })).toBe(false);
  });
});
