import { describe, expect, it } from 'vitest';
import { parseJsonBytes, parseJsonText } from '../../src/core/encoding/json.ts';
import { canonicalize } from '../../src/core/encoding/jcs.ts';
import { encodeUtf8, prefixedUtf8View, utf8Equals } from '../../src/core/encoding/utf8.ts';
import { isCanonicalJson } from '../../src/core/encoding/jcs-bytes.ts';
import fc from 'fast-check';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('strict I-JSON reader', () => {
  it('parses ordinary JSON like JSON.parse', () => {
    const text = '{"a":[1,-2,3.5,1e3,true,false,null,"x\\u00e9\\n"],"b":{"c":"\\ud83d\\ude00"}}';
    const r = parseJsonText(text);
    expect(r).toEqual({ ok: true, value: JSON.parse(text) });
  });

  it.each([
    ['{"a":1,"a":2}', 'duplicate_key', '$.a'],
    ['{"x":{"b":1,"b":1}}', 'duplicate_key', '$.x.b'],
    ['{"s":"\\ud800"}', 'lone_surrogate', '$.s'],
    ['["ok","\\udc00x"]', 'lone_surrogate', '$[1]'],
    ['{"s":"\\ud800\\u0041"}', 'lone_surrogate', '$.s'],
    ['{"a":1,}', 'syntax', '$'],
    ['{"a":01}', 'syntax', '$'],
    ['{"a":1e999}', 'number', '$.a'],
    ['{"a":"tab\there"}', 'syntax', '$.a'],
    ['\ufeff{}', 'syntax', '$'],
    ['{} {}', 'syntax', '$'],
    ['', 'syntax', '$'],
    ['{"a":"unterminated', 'syntax', '$.a'],
  ])('rejects %s as %s at %s', (text, kind, path) => {
    const r = parseJsonText(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe(kind);
      expect(r.error.path).toBe(path);
    }
  });

  it('limits nesting to 64 levels', () => {
    expect(parseJsonText('['.repeat(64) + ']'.repeat(64)).ok).toBe(true);
    const r = parseJsonText('{"a":' + '['.repeat(64) + ']'.repeat(64) + '}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe('depth');
  });

  it('rejects invalid UTF-8 and names the byte', () => {
    const b = new Uint8Array([...bytes('{"a":"'), 0xc3, 0x28, ...bytes('"}')]);
    const r = parseJsonBytes(b);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('utf8');
      expect(r.error.message).toContain('byte 6');
    }
    // CESU-8 encoded surrogate: not UTF-8
    expect(parseJsonBytes(new Uint8Array([0x22, 0xed, 0xa0, 0x80, 0x22])).ok).toBe(false);
  });

  it('reports line and column', () => {
    const r = parseJsonText('{\n  "a": 1,\n  "a": 2\n}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect([r.error.line, r.error.column]).toEqual([3, 3]);
  });

  it('keeps __proto__ as data', () => {
    const r = parseJsonText('{"__proto__":{"polluted":1}}');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(Object.getPrototypeOf(r.value)).toBe(Object.prototype);
      expect((r.value as Record<string, unknown>)['__proto__']).toEqual({ polluted: 1 });
      expect(canonicalize(r.value)).toBe('{"__proto__":{"polluted":1}}');
    }
  });
});

// RFC 8785 published examples.
describe('JCS (RFC 8785)', () => {
  it('§3.2.2 serialises the sample object', () => {
    const input =
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
      ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
      ' "literals": [null, true, false]}';
    const r = parseJsonText(input);
    expect(r.ok).toBe(true);
    if (r.ok)
      expect(canonicalize(r.value)).toBe(
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' + '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
      );
  });

  it('§3.2.3 sorts members by UTF-16 code units', () => {
    const input =
      '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh",' +
      ' "1": "One", "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control", "\\u00f6": "Latin Small Letter O With Diaeresis"}';
    const r = parseJsonText(input);
    expect(r.ok).toBe(true);
    if (r.ok) {
      const values = Object.values(JSON.parse(canonicalize(r.value)) as Record<string, string>);
      const keysInOrder = canonicalize(r.value).match(/"([^"]*)":/g);
      expect(keysInOrder?.length).toBe(7);
      // Expected order from RFC 8785 §3.2.3
      expect(JSON.parse(canonicalize(r.value))).toBeTruthy();
      expect(canonicalize(r.value)).toBe(
        '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis",' +
          '"€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
      );
      expect(values.length).toBe(7);
    }
  });

  it.each([
    // RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical text.
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('Appendix B: %s -> %s', (bits, text) => {
    const view = new DataView(new ArrayBuffer(8));
    view.setBigUint64(0, BigInt('0x' + bits));
    expect(canonicalize(view.getFloat64(0))).toBe(text);
  });

  it('rejects what JCS cannot express', () => {
    expect(() => canonicalize(Number.NaN)).toThrow(RangeError);
    expect(() => canonicalize(Infinity)).toThrow(RangeError);
    expect(() => canonicalize(() => 1)).toThrow(TypeError);
  });
});

describe('encodeUtf8 is the WHATWG encoder (TextEncoder), faster on short and ASCII text', () => {
  it('on any text, lone surrogates included, at and around its length thresholds', () => {
    const te = new TextEncoder();
    const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(a, b) === 0;
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom(0, 63, 64, 65, 21845, 21846, 70000), fc.boolean(), (s, pad, ascii) => {
        const text = (ascii ? 'a' : 'é').repeat(pad) + s;
        expect(same(encodeUtf8(text), te.encode(text))).toBe(true);
        expect(same(encodeUtf8(s), te.encode(s))).toBe(true);
      }),
      { numRuns: 400 },
    );
    // The result is the caller's own: a later call does not change it.
    const first = encodeUtf8('x'.repeat(100));
    encodeUtf8('y'.repeat(100));
    expect(first).toEqual(te.encode('x'.repeat(100)));
  });
});

describe('utf8Equals is "encodeUtf8(text) equals bytes"', () => {
  it('on any text against its own UTF-8, edited (property)', () => {
    const te = new TextEncoder();
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 80 }),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        fc.constantFrom('same', 'set', 'cut', 'add'),
        (s, at, b, op) => {
          const bytes = te.encode(s);
          let other: Uint8Array = bytes;
          if (op === 'set' && bytes.length) (other = bytes.slice())[at % bytes.length] = b;
          if (op === 'cut') other = bytes.subarray(0, at % (bytes.length + 1));
          if (op === 'add') other = Uint8Array.from([...bytes, b]);
          expect(utf8Equals(s, other)).toBe(Buffer.compare(te.encode(s), other) === 0);
        },
      ),
      { numRuns: 3000 },
    );
    expect(utf8Equals('\ud800', new Uint8Array([0xef, 0xbf, 0xbd]))).toBe(true); // a lone surrogate is U+FFFD
    expect(utf8Equals('aé', new Uint8Array([0x61, 0xc3, 0xa9]))).toBe(true);
    expect(utf8Equals('aé', new Uint8Array([0x62, 0xc3, 0xa9]))).toBe(false);
  });
});

describe('isCanonicalJson: true only for bytes that are the JCS of their value', () => {
  const te = new TextEncoder();
  const jcsOf = (bytes: Uint8Array) => {
    const r = parseJsonBytes(bytes);
    return r.ok ? te.encode(canonicalize(r.value)) : null;
  };
  const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(a, b) === 0;
  /** JSON texts of every shape: pretty, compact, reordered, escaped, mutated by a byte. */
  const texts = fc
    .tuple(
      fc.jsonValue({ maxDepth: 4 }),
      fc.constantFrom(undefined, 0, 1, '\t'),
      fc.boolean(),
      fc.array(
        fc.tuple(fc.nat(), fc.constantFrom('\\/', '\\u0041', '\\u001f', '\\u001F', '\\n', '\\u000a', ' ', '-0', '1.0', '1e2', '0', '10', 'é', '"', '\\\\')),
        { maxLength: 2 },
      ),
    )
    .map(([v, space, sorted, edits]) => {
      let t = sorted ? canonicalize(v) : JSON.stringify(v, null, space);
      for (const [at, ins] of edits) {
        const i = at % (t.length + 1);
        t = t.slice(0, i) + ins + t.slice(i);
      }
      return t;
    });

  it('never says canonical when the JCS differs (property, valid JSON of any form)', () => {
    let shown = 0;
    fc.assert(
      fc.property(texts, (t) => {
        const bytes = te.encode(t);
        const jcs = jcsOf(bytes);
        if (jcs === null) return; // the precondition: only JSON the strict reader accepted
        if (isCanonicalJson(bytes)) {
          shown++;
          expect(same(jcs, bytes), t).toBe(true);
        }
      }),
      { numRuns: 20000 },
    );
    expect(shown).toBeGreaterThan(2000); // and it does say so, often
  });

  it('says canonical for the JCS of ordinary values (ASCII names, short integers, any strings)', () => {
    const name = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCZ_0123456789-'.split('')), maxLength: 8 });
    const leaf = fc.oneof(fc.integer({ min: -(10 ** 15) + 1, max: 10 ** 15 - 1 }), fc.string({ unit: 'binary' }), fc.boolean(), fc.constant(null));
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(name, tie('value'), { maxKeys: 5 })),
    }));
    fc.assert(
      fc.property(value, (v) => {
        const bytes = te.encode(canonicalize(v));
        // Lone surrogates are written \udxxx by JCS: not shown here (any \u but a control's).
        if (!/\\u(?!00[01])/.test(canonicalize(v))) expect(isCanonicalJson(bytes), canonicalize(v)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['{"a":1,"b":2}', true],
    ['{"b":1,"a":2}', false],
    ['{"a":1, "b":2}', false],
    ['{"a":{"z":1},"b":[3,"x\\n"]}', true],
    ['"\\/"', false],
    ['"\\u001f"', true],
    ['"\\u001F"', false],
    ['"\\u000a"', false],
    ['-0', false],
    ['1.5', false],
    ['1234567890123456', false],
    ['123456789012345', true],
    ['{"é":1}', false],
    ['{"a":1,"aa":2,"b":3}', true],
    ['{"aa":1,"a":2}', false],
    ['{"a":1},"x":{"b":2}', false], // the inside of {"entry":{…},"x":{…}}: two values
    ['1,2', false],
  ])('%s → %s', (t, want) => {
    expect(isCanonicalJson(te.encode(t))).toBe(want);
  });
});

describe('prefixedUtf8View', () => {
  it('is the prefix byte, then TextEncoder bytes, at any length', () => {
    const te = new TextEncoder();
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), fc.constantFrom(0, 40, 21845, 30000), fc.integer({ min: 0, max: 255 }), (s, pad, p) => {
        const text = 'a'.repeat(pad) + s;
        const want = Uint8Array.from([p, ...te.encode(text)]);
        const got = prefixedUtf8View(p, text);
        expect(got.length === want.length && Buffer.compare(got, want) === 0).toBe(true);
      }),
      { numRuns: 300 },
    );
    expect(() => prefixedUtf8View(256, 'x')).toThrow(RangeError);
  });
});
