import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DigestSet } from '../../src/core/governance/digest-set.ts';
import { SpilledDigestSet } from '../../src/core/governance/spilled-digest-set.ts';
import { CHUNK_BYTES } from '../../src/core/governance/record-log.ts';
import { MapColdStore } from '../helpers/cold-store.ts';
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

describe('SpilledDigestSet (the CLI, issue 8 item 4)', () => {
  it('answers as DigestSet does, with its keys in a cold store and 8 bytes a slot in memory', () => {
    const cold = new MapColdStore();
    const spilled = new SpilledDigestSet(cold);
    const ref = new DigestSet();
    const n = 150_000;
    for (let k = 0; k < n; k++) {
      const tag = (k % 255) + 1;
      spilled.set(d(k), tag);
      ref.set(d(k), tag);
    }
    for (let k = 0; k < n; k += 97) spilled.set(d(k), 7); // replaced tags
    for (let k = 0; k < n; k += 97) ref.set(d(k), 7);
    expect(cold.written).toBeGreaterThan(CHUNK_BYTES); // keys really left memory
    expect(spilled.size).toBe(ref.size);
    for (let k = 0; k < n + 5000; k += 13) expect(spilled.get(d(k))).toBe(ref.get(d(k)));
    // 150,000 digests: 8-byte slots (at most 3/4 full) and a 2 MiB window, against 17-byte slots.
    expect(spilled.byteLength - 2 * CHUNK_BYTES).toBeLessThan(ref.byteLength / 2);
    spilled.close();
    expect(cold.closed).toBe(true);
  });

  it('tells apart digests that share their first 32 bits', () => {
    const spilled = new SpilledDigestSet(new MapColdStore());
    const a = new Uint8Array(32).fill(1);
    const b = a.slice();
    b[9] = 2;
    spilled.set(a, 1);
    expect(spilled.has(b)).toBe(false);
    spilled.set(b, 2);
    expect([spilled.get(a), spilled.get(b), spilled.size]).toEqual([1, 2, 2]);
  });
});
