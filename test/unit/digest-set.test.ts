import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DigestSet } from '../../src/core/governance/digest-set.ts';
import { sha256 } from '../../src/core/crypto/hash.ts';

const d = (n: number) => sha256(new Uint8Array([n & 255, (n >> 8) & 255, (n >> 16) & 255]));

describe('DigestSet', () => {
  it('behaves as a Map from digest to tag, through growth', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: 5000 }), fc.integer({ min: 1, max: 255 })), { maxLength: 3000 }), (ops) => {
        const set = new DigestSet(8);
        const ref = new Map<number, number>();
        for (const [k, tag] of ops) {
          set.set(d(k), tag);
          ref.set(k, tag);
        }
        expect(set.size).toBe(ref.size);
        for (const [k, tag] of ref) expect(set.get(d(k))).toBe(tag);
        for (let k = 5001; k < 5100; k++) expect(set.has(d(k))).toBe(false);
      }),
      { numRuns: 30 },
    );
  });

  it('costs about 34 bytes per entry at a million entries', () => {
    const set = new DigestSet();
    for (let i = 0; i < 1_000_000; i++) {
      const k = new Uint8Array(16);
      new DataView(k.buffer).setUint32(0, Math.imul(i, 2654435761) >>> 0);
      new DataView(k.buffer).setUint32(4, i);
      set.set(k, 1);
    }
    expect(set.size).toBe(1_000_000);
    expect(set.byteLength / set.size).toBeLessThan(40);
  });

  it('checks its arguments', () => {
    expect(() => new DigestSet(100)).toThrow(RangeError);
    expect(() => new DigestSet().set(d(1), 0)).toThrow(RangeError);
    expect(() => new DigestSet().get(new Uint8Array(4))).toThrow(TypeError);
  });
});
