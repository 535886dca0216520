// remembered/v1 (docs/format.md §7.2, choice 36): what a witness keeps, and what it never drops.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { getPublicKey } from '../../src/core/crypto/ed25519.ts';
import { sha256 } from '../../src/core/crypto/hash.ts';
import { asSecretKey } from '../../src/core/encoding/bytes.ts';
import { signCheckpoint } from '../../src/core/log/checkpoint.ts';
import {
  formatRememberedFile,
  largestRemembered,
  MAX_REMEMBERED_PER_ORIGIN,
  parseRememberedFile,
  rememberCheckpoint,
  rememberedFor,
  rememberedFrom,
  type RememberedCheckpoint,
} from '../../src/core/log/remembered.ts';

const key = asSecretKey(new Uint8Array(32).fill(3));
const pub = getPublicKey(key);
const note = (size: number, tag = '', origin = 'a.example/log') =>
  signCheckpoint({ origin, size, root: sha256(new TextEncoder().encode(`${size}${tag}`)), secretKey: key });
const rc = (size: number, tag = '', origin?: string) => rememberedFrom(note(size, tag, origin), pub);

describe('rememberCheckpoint', () => {
  it('keeps one per (size, root), the largest is found, other origins are untouched', () => {
    let s: RememberedCheckpoint[] = [];
    s = rememberCheckpoint(s, rc(5));
    s = rememberCheckpoint(s, rc(5));
    s = rememberCheckpoint(s, rc(9));
    s = rememberCheckpoint(s, rc(3, '', 'b.example/log'));
    expect(rememberedFor(s, 'a.example/log').map((c) => c.size)).toEqual([5, 9]);
    expect(largestRemembered(s, 'a.example/log')!.size).toBe(9);
    expect(rememberedFor(s, 'b.example/log')).toHaveLength(1);
  });

  it(`caps each origin at ${MAX_REMEMBERED_PER_ORIGIN}, dropping the smallest, but never a conflicting pair`, () => {
    let s: RememberedCheckpoint[] = [rc(1, 'x'), rc(1, 'y')]; // a fork: evidence
    for (let i = 2; i < MAX_REMEMBERED_PER_ORIGIN + 20; i++) s = rememberCheckpoint(s, rc(i));
    const mine = rememberedFor(s, 'a.example/log');
    expect(mine.length).toBeLessThanOrEqual(MAX_REMEMBERED_PER_ORIGIN + 2);
    expect(mine.filter((c) => c.size === 1)).toHaveLength(2);
    expect(mine[mine.length - 1]!.size).toBe(MAX_REMEMBERED_PER_ORIGIN + 19);
  });
});

describe('remembered/v1 files', () => {
  it('round-trip', () => {
    const s = [rc(5), rc(9), rc(2, '', 'b.example/log')];
    const r = parseRememberedFile(formatRememberedFile(s));
    expect(r.ok).toBe(true);
    if (r.ok)
      expect(r.checkpoints.map((c) => [c.origin, c.size])).toEqual([
        ['a.example/log', 5],
        ['a.example/log', 9],
        ['b.example/log', 2],
      ]);
  });

  it('refuses hostile files, naming what is wrong, and never throws', () => {
    const good = JSON.parse(formatRememberedFile([rc(5)]));
    const bad: [string, RegExp][] = [
      ['', /I-JSON/],
      ['{"countersign":"remembered/v1","checkpoints":[],"checkpoints":[]}', /I-JSON/],
      ['{"countersign":"remembered/v2","checkpoints":[]}', /remembered\/v1/],
      [JSON.stringify({ ...good, extra: 1 }), /remembered\/v1/],
      [JSON.stringify({ ...good, checkpoints: [{ ...good.checkpoints[0], key: 'AAAA' }] }), /key/],
      [JSON.stringify({ ...good, checkpoints: [{ ...good.checkpoints[0], note: 'x\n' }] }), /checkpoint 0/],
    ];
    for (const [text, why] of bad) {
      const r = parseRememberedFile(text);
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.message).toMatch(why);
    }
    fc.assert(fc.property(fc.string(), (t) => typeof parseRememberedFile(t).ok === 'boolean'));
  });
});
