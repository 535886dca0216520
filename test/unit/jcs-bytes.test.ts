// jcs-bytes.ts (JCS copied from an element's bytes) against jcs.ts (JCS of the parsed value):
// the byte path may only ever answer with jcs.ts's bytes. Its string, number and member-order
// rules are a second statement of RFC 8785's, so they are checked here against jcs.ts
// exhaustively (every BMP code unit, every escape form of it) and by property.
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../src/core/encoding/jcs.ts';
import { canonicalValueBytes } from '../../src/core/encoding/jcs-bytes.ts';
import { parseJsonBytes } from '../../src/core/encoding/json.ts';
import { generateMakerCheckerEvents, writeMakerCheckerBundle } from '../../src/core/gate/makerchecker-writer.ts';
import { BundleScanner, type ScanItem } from '../../src/core/verifier/json-stream.ts';
import { makerCheckerEventHash, makerCheckerEventHashOfBytes, readElementBytes } from '../../src/core/verifier/makerchecker-event.ts';
import { hasShared, sharedPath } from '../helpers/shared.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** The byte path's answer for a JSON text, as text; undefined when it falls back. */
function viaBytes(text: string): string | undefined {
  const out = canonicalValueBytes(enc.encode(text));
  return out === undefined ? undefined : dec.decode(out);
}

/** Agreement: when the byte path answers, it is canonicalize of the strictly read value. */
function agrees(text: string): boolean {
  const fast = viaBytes(text);
  if (fast === undefined) return true;
  const exact = parseJsonBytes(enc.encode(text));
  return exact.ok && fast === canonicalize(exact.value);
}

describe('string rule agrees with jcs.ts (RFC 8785 §3.2.2.2)', () => {
  it('accepts the JCS form of every BMP code unit and astral characters, and no other escape form', () => {
    const hex4 = (u: number) => u.toString(16).padStart(4, '0');
    for (let u = 0; u <= 0xffff; u++) {
      if (u >= 0xd800 && u <= 0xdfff) continue; // lone surrogates: refused by the strict reader first
      const ch = String.fromCharCode(u);
      const canonical = canonicalize(ch);
      expect(viaBytes(canonical)).toBe(canonical);
      for (const alt of [`"\\u${hex4(u)}"`, `"\\u${hex4(u).toUpperCase()}"`]) {
        const got = viaBytes(alt);
        if (got !== undefined) expect(alt).toBe(canonical);
      }
    }
    for (const s of ['\u{1F600}', 'a\u{10000}b', '\u{10FFFF}']) expect(viaBytes(canonicalize(s))).toBe(canonicalize(s));
    expect(viaBytes('"\\/"')).toBeUndefined();
    expect(viaBytes('"\\ud83d\\ude00"')).toBeUndefined();
  });

  it('agrees on arbitrary strings written every way', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const canonical = canonicalize(s);
        if (!/[\ud800-\udfff]/.test(s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))) expect(viaBytes(canonical)).toBe(canonical);
        const escaped = '"' + [...s].map((c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')).join('') + '"';
        expect(agrees(escaped)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('number rule agrees with jcs.ts (RFC 8785 §3.2.2.3)', () => {
  it('answers only with Number::toString of the value', () => {
    const texts = ['0', '-0', '1', '-1', '10', '007', '1.0', '1.5', '1e3', '1E3', '-1e-7', '123456789012345', '1234567890123456', '9007199254740993', '0.1'];
    for (const t of texts) expect(agrees(t)).toBe(true);
    expect(viaBytes('-0')).toBeUndefined();
    expect(viaBytes('1.0')).toBeUndefined();
    expect(viaBytes('1e3')).toBeUndefined();
    expect(viaBytes('1234567890123456')).toBeUndefined();
    expect(viaBytes('123456789012345')).toBe('123456789012345');
    expect(viaBytes('-42')).toBe('-42');
  });

  it('on any number text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer().map(String), fc.double({ noNaN: true, noDefaultInfinity: true }).map(String), fc.bigInt().map(String)), (t) => {
        expect(agrees(t)).toBe(true);
        expect(agrees(`[${t}, {"n": ${t}}]`)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('member order agrees with jcs.ts (RFC 8785 §3.2.3)', () => {
  it('on any JSON value, in any member order, with any whitespace', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(0, 1, 2, '\t', ' \r\n'), fc.boolean(), (value, indent, reverse) => {
        const reorder = (v: unknown): unknown =>
          Array.isArray(v)
            ? v.map(reorder)
            : v !== null && typeof v === 'object'
              ? Object.fromEntries(
                  (reverse ? Object.entries(v).reverse() : Object.entries(v)).map(([k, x]) => [k, reorder(x)]).filter(([k]) => k !== '__proto__'),
                )
              : v;
        const text = JSON.stringify(reorder(value), null, indent);
        expect(agrees(text)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('sorts by UTF-16 code units, not by code points, or falls back', () => {
    // U+FF61 sorts after U+1F600 in code points, before it in UTF-16 (0xD83D < 0xFF61)
    expect(agrees('{"\uff61":1,"\u{1F600}":2}')).toBe(true);
    expect(agrees('{"b":1,"a":2,"10":3,"9":4}')).toBe(true);
    expect(viaBytes('{"b":1,"a":2,"10":3,"9":4}')).toBe('{"10":3,"9":4,"a":2,"b":1}');
    expect(viaBytes('{"b":{"y":1,"x":[{"q":1,"p":2}]},"a":2}')).toBe('{"a":2,"b":{"x":[{"p":2,"q":1}],"y":1}}');
  });
});

const enc2 = enc;
const generated = writeMakerCheckerBundle({
  secretKey: new Uint8Array(32).fill(9),
  instanceId: '11111111-1111-4111-8111-111111111111',
  exportedAt: '2026-06-13T10:00:00.000Z',
  bundleKind: 'full',
  events: generateMakerCheckerEvents({ runs: 5, seed: 'jcs-bytes', payloadBytes: 60 }),
});
const vectors: [string, string][] = [['generated', generated]];
if (hasShared)
  for (const f of readdirSync(sharedPath('vectors', 'makerchecker')).filter((f) => f.endsWith('.json') && f !== 'index.json'))
    vectors.push([f, readFileSync(sharedPath('vectors', 'makerchecker', f), 'utf8')]);

/** The events[] elements of a bundle text, as json-stream.ts frames them. */
function elements(text: string | Uint8Array): { bytes: Uint8Array; members: number }[] {
  const out: { bytes: Uint8Array; members: number }[] = [];
  const s = new BundleScanner((i: ScanItem) => {
    if (i.kind === 'event' && i.bytes) out.push({ bytes: i.bytes.slice(), members: i.members });
  });
  s.write(typeof text === 'string' ? enc2.encode(text) : text);
  s.end();
  return out;
}

/** For each strictly read element: the byte path's hash (or undefined) and makerCheckerEventHash of the value. */
function hashes(text: string | Uint8Array): { fast: string | undefined; exact: string }[] {
  const out: { fast: string | undefined; exact: string }[] = [];
  for (const e of elements(text)) {
    const r = readElementBytes(e.bytes, e.members);
    if (!r.strict || r.value === null || typeof r.value !== 'object' || Array.isArray(r.value)) continue;
    out.push({ fast: makerCheckerEventHashOfBytes(e.bytes), exact: makerCheckerEventHash(r.value) });
  }
  return out;
}

const insertions = [
  ' ',
  '\n\t',
  '\\u0041',
  '\\/',
  '\\u001F',
  '\\u001f',
  '\\b',
  '\\u0008',
  '1.5',
  '-0',
  '1e2',
  '12345678901234567',
  '"z":1,',
  '"a":1,',
  '"actor":{},',
  '"\\u0061ctor":{},',
  '\u00e9',
  '\u{1F600}',
  '"\u{1F600}":1,',
  '[',
  '}',
  ',',
];

describe('MakerChecker event hash from bytes', () => {
  it.each(vectors)('%s: answers for every event, with makerCheckerEventHash', (_name, text) => {
    const hs = hashes(text);
    expect(hs.length).toBeGreaterThan(0);
    for (const h of hs) expect(h.fast).toBe(h.exact);
  });

  it('on mutated vectors: whenever it answers, makerCheckerEventHash of the strictly read value (property)', () => {
    let answered = 0;
    let checked = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...vectors),
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...insertions) }),
            fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
            fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
            fc.record({ kind: fc.constant('swap' as const), at: fc.nat() }),
          ),
          { minLength: 1, maxLength: 4 },
        ),
        ([, text], ms) => {
          let bytes = enc.encode(text);
          for (const m of ms) {
            const at = m.at % bytes.length;
            if (m.kind === 'insert') bytes = new Uint8Array([...bytes.subarray(0, at), ...enc.encode(m.text), ...bytes.subarray(at)]);
            else if (m.kind === 'delete') bytes = new Uint8Array([...bytes.subarray(0, at), ...bytes.subarray(at + 1)]);
            else if (m.kind === 'flip') (bytes = bytes.slice())[at] = m.byte;
            else {
              // swap two neighbouring lines: reorders members (or breaks the document)
              const t = dec.decode(bytes).split('\n');
              const i = at % Math.max(1, t.length - 1);
              [t[i], t[i + 1]] = [t[i + 1]!, t[i]!];
              bytes = enc.encode(t.join('\n'));
            }
          }
          for (const h of hashes(bytes)) {
            checked++;
            if (h.fast !== undefined) {
              answered++;
              expect(h.fast).toBe(h.exact);
            }
          }
        },
      ),
      { numRuns: 600 },
    );
    expect(answered).toBeGreaterThan(0);
    expect(answered).toBeLessThan(checked);
  });

  const row = {
    seq: '1',
    id: 'e1',
    occurred_at: '2026-01-01T00:00:00.000Z',
    actor: { type: 'user', id: 'u1' },
    event_type: 'x.y',
    entity_type: null,
    entity_id: null,
    run_id: null,
    payload: { n: 1, s: 'a\nb', l: [true, false, null] },
    prev_hash: '0'.repeat(64),
    hash: '1'.repeat(64),
  };
  const hashOf = (text: string) => makerCheckerEventHashOfBytes(enc.encode(text));
  const base = JSON.stringify(row, null, 2);

  it('answers on canonical values in any layout and member order', () => {
    const exact = makerCheckerEventHash(row);
    expect(hashOf(base)).toBe(exact);
    expect(hashOf(JSON.stringify(row))).toBe(exact);
    expect(hashOf(JSON.stringify(Object.fromEntries(Object.entries(row).reverse())))).toBe(exact);
    expect(hashOf(base.replace('"payload": {', '"payload": {"zz": 2,'))).toBe(makerCheckerEventHash({ ...row, payload: { ...row.payload, zz: 2 } }));
  });

  it.each([
    ['an escape JCS does not write (\\/)', base.replace('"e1"', '"e\\/1"')],
    ['an escape JCS does not write (\\u0041)', base.replace('"e1"', '"\\u00451"')],
    ['uppercase hex in an escape', base.replace('"a\\nb"', '"a\\u001Fb"')],
    ['\\u0008 for \\b', base.replace('"a\\nb"', '"a\\u0008b"')],
    ['an escaped surrogate pair', base.replace('"e1"', '"\\ud83d\\ude00"')],
    ['a fraction', base.replace('"n": 1', '"n": 1.5')],
    ['an exponent', base.replace('"n": 1', '"n": 1e2')],
    ['-0', base.replace('"n": 1', '"n": -0')],
    ['a 16-digit integer', base.replace('"n": 1', '"n": 1234567890123456')],
    ['a duplicate nested name', base.replace('"n": 1', '"n": 1, "n": 1')],
    ['a nested name with an escape', base.replace('"n": 1', '"\\n": 1')],
    ['a nested name with a 4-byte character', base.replace('"n": 1', '"\u{1F600}": 1')],
    ['a hashed member missing', base.replace('"entity_id": null,', '')],
    ['a hashed member twice', base.replace('"entity_id": null,', '"entity_id": null, "entity_id": null,')],
    ['a top-level name with an escape', base.replace('"run_id"', '"run\\u005fid"')],
    ['a non-finite literal', base.replace('"n": 1', '"n": NaN')],
    ['trailing bytes', base + 'x'],
    ['not an object', '[1]'],
    ['truncated', base.slice(0, -3)],
  ])('falls back on %s', (_what, text) => {
    expect(hashOf(text)).toBeUndefined();
  });
});
