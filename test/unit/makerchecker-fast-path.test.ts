// The MakerChecker fast path (json-fast.ts: the platform's JSON.parse, proven after the
// fact) against the exact reader (json.ts), and the verifier with and without it: the
// fast path may only ever say "valid, and here is json.ts's value". Mutated vectors
// (one random break at a time, several at once) must give byte-identical reports.
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateMakerCheckerEvents, writeMakerCheckerBundle } from '../../src/core/gate/makerchecker-writer.ts';
import { parseJsonBytes } from '../../src/core/encoding/json.ts';
import { readJsonFast } from '../../src/core/encoding/json-fast.ts';
import { verifyMakerChecker } from '../../src/core/verifier/makerchecker.ts';
import { eventHashInput, lensProjection } from '../../src/core/verifier/makerchecker-event.ts';
import { LENS_EVENT_TYPES, MakerCheckerLens } from '../../src/core/verifier/makerchecker-lens.ts';
import { canonicalize } from '../../src/core/encoding/jcs.ts';
import type { Report } from '../../src/core/report/report.ts';
import { hasShared, sharedPath, chunked } from '../helpers/shared.ts';
import { frame, mutate, mutatedDocument, mutation } from '../helpers/json-fast.ts';

const enc = new TextEncoder();

describe('readJsonFast agrees with the exact reader', () => {
  it('on valid JSON of any shape, and on every mutation of it', () => {
    fc.assert(
      fc.property(mutatedDocument, ({ text, bytes, mutated }) => {
        const framed = frame(bytes);
        if (!framed) return; // the document scanner refuses it before any reader runs
        const fast = readJsonFast(framed.bytes, framed.members);
        const exact = parseJsonBytes(framed.bytes);
        if (fast !== undefined) {
          expect(exact.ok).toBe(true);
          if (exact.ok) expect(fast).toStrictEqual(exact.value);
        }
        // unbroken, the fast path answers unless a surrogate escape or a number with a fraction or exponent is in doubt
        if (!mutated && exact.ok && !/\\u[dD][89a-fA-F]/.test(text) && framed.members >= 0) expect(fast).toStrictEqual(exact.value);
      }),
      { numRuns: 3000 },
    );
  });

  it('sends exactly the doubtful cases to the exact reader', () => {
    const f = (t: string) => {
      const framed = frame(enc.encode(t))!;
      return readJsonFast(framed.bytes, framed.members);
    };
    expect(f('{"a": 1, "b": {"c": [1, 2, {"d": "x:y\\":"}]}}')).toStrictEqual({ a: 1, b: { c: [1, 2, { d: 'x:y":' }] } });
    expect(f('{"a": 1, "a": 2}')).toBeUndefined(); // JSON.parse would keep 2
    expect(f('{"a": {"b": 1, "b": 1}}')).toBeUndefined();
    expect(f('{"a": "\\ud800"}')).toBeUndefined(); // lone surrogate
    expect(f('{"a": 1e400}')).toBeUndefined(); // Infinity
    expect(f('{"a": 0.99999999999999999}')).toBeUndefined(); // reads as 1: json.ts refuses it
    expect(f('{"a": 1e-400}')).toBeUndefined(); // reads as 0: json.ts refuses it
    expect(f('{"a": 2.5}')).toBeUndefined(); // any fraction or exponent: no member count
    expect(frame(enc.encode('{"a": true, "b": false, "c": [1, -2, 30]}'))!.members).toBe(3); // the 'e' of true/false is no exponent
    expect(readJsonFast(enc.encode('{"a": 1e400}'), -1)).toBeUndefined();
    expect(f('{"__proto__": {"x": 1}}')).toStrictEqual(JSON.parse('{"__proto__": {"x": 1}}'));
    const bad = frame(new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]))!; // encoded surrogate
    expect(readJsonFast(bad.bytes, bad.members)).toBeUndefined();
    const bom = frame(enc.encode('\ufeff{"a":1}'));
    if (bom) expect(readJsonFast(bom.bytes, bom.members)).toBeUndefined();
  });
});

const strip = (r: Report) => JSON.stringify({ ...r, timings: null });

async function both(bytes: Uint8Array, chunk = 0): Promise<[string, string]> {
  const run = async (fastPath: boolean) => {
    async function* gen() {
      yield* chunk ? chunked(bytes, chunk) : [bytes];
    }
    return strip(await verifyMakerChecker(gen(), { bytes: 0, decompressedBytes: 0, gzip: false, sha256: null }, { trust: [], fastPath }));
  };
  return [await run(true), await run(false)];
}

const generated = writeMakerCheckerBundle({
  secretKey: new Uint8Array(32).fill(7),
  instanceId: '11111111-1111-4111-8111-111111111111',
  exportedAt: '2026-06-13T10:00:00.000Z',
  bundleKind: 'full',
  events: generateMakerCheckerEvents({ runs: 6, seed: 'fast-path', payloadBytes: 40 }),
});

const vectors: [string, string][] = [['generated', generated]];
if (hasShared)
  for (const f of readdirSync(sharedPath('vectors', 'makerchecker')).filter((f) => f.endsWith('.json') && f !== 'index.json'))
    vectors.push([f, readFileSync(sharedPath('vectors', 'makerchecker', f), 'utf8')]);

describe('the verifier with and without the fast path', () => {
  it.each(vectors)('%s: identical report', async (_name, text) => {
    const [a, b] = await both(enc.encode(text));
    expect(a).toBe(b);
  });

  it('identical reports on mutated vectors (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...vectors),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(0, 7, 4096),
        async ([, text], ms, chunk) => {
          let t = text;
          let bytes: Uint8Array = enc.encode(t);
          for (const m of ms) {
            bytes = mutate(t, m);
            t = new TextDecoder().decode(bytes);
          }
          const [a, b] = await both(bytes, chunk);
          expect(a).toBe(b);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the lens projection', () => {
  it('gives the lens the same result as the whole rows', () => {
    const events = JSON.parse(generated).events;
    const whole = new MakerCheckerLens(100);
    const projected = new MakerCheckerLens(100);
    events.forEach((e: Record<string, never>, i: number) => {
      whole.observe(e, i + 1, String(i));
      projected.observe(lensProjection(e), i + 1, String(i));
    });
    expect(JSON.stringify(projected.finish())).toBe(JSON.stringify(whole.finish()));
    expect(whole.finish().gates.length).toBeGreaterThan(0);
  });

  it('lists exactly the event types observe() switches on (the projection relies on it)', () => {
    const src = readFileSync('src/core/verifier/makerchecker-lens.ts', 'utf8');
    const body = src.slice(src.indexOf('  observe(row'), src.indexOf('  /** Closes the observation'));
    const cases = [...body.matchAll(/case '([^']+)':/g)].map((m) => m[1]).sort();
    expect(cases).toEqual([...LENS_EVENT_TYPES].sort());
  });

  it('keeps the hash input in JCS member order (canonicalize then need not sort)', () => {
    const keys = Object.keys(eventHashInput({}));
    expect(keys).toEqual([...keys].sort());
    expect(canonicalize({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });
});
