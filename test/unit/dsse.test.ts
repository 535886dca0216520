import { describe, expect, it } from 'vitest';
import { pae, payloadTypeFor } from '../../src/core/crypto/dsse.ts';
import { verifyStrict } from '../../src/core/crypto/ed25519.ts';
import { decodeBase64 } from '../../src/core/encoding/base64.ts';
import { decodeHex, encodeHex } from '../../src/core/encoding/hex.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

// secure-systems-lab/dsse protocol.md, "Test Vectors".
describe('PAE (DSSE v1)', () => {
  it('matches the protocol.md example', () => {
    expect(text(pae('http://example.com/HelloWorld', utf8('hello world')))).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  // secure-systems-lab/dsse testvectors/vectors.json; key A is RFC 8032 TEST 1, so the
  // signature check below also proves these PAE bytes are what was signed.
  const KEY_A = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
  const VECTORS = [
    {
      id: 'single-signature',
      type: 'application/vnd.in-toto+json',
      payload: 'eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90by5pby9TdGF0ZW1lbnQvdjEifQ==',
      sig: '2WAfaHm5jluo0w+0rk8uVkluELJYWjSmU9x7EUzx+AyteDGJ4/nqyJXfmAUVFIAoQafWm7AxBZNw5M9ixNHiCA==',
      pae: '445353457631203238206170706c69636174696f6e2f766e642e696e2d746f746f2b6a736f6e203433207b225f74797065223a2268747470733a2f2f696e2d746f746f2e696f2f53746174656d656e742f7631227d',
    },
    {
      id: 'non-ascii-payload-type',
      type: 'application/vnd.exämple+json',
      payload: 'eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90by5pby9TdGF0ZW1lbnQvdjEifQ==',
      sig: 'xmSk/ug66ysT7ayhkCIjhAq42zgZXSsEWuzUaNL7w2eGAdF/NU6/fRXPtmfN+5DNSAs5/i2lUnHjbbjPsu0tAw==',
      pae: '445353457631203239206170706c69636174696f6e2f766e642e6578c3a46d706c652b6a736f6e203433207b225f74797065223a2268747470733a2f2f696e2d746f746f2e696f2f53746174656d656e742f7631227d',
    },
    {
      id: 'empty-payload',
      type: 'application/vnd.in-toto+json',
      payload: '',
      sig: 'gSggCAaTLTYyRH6FIDBem6meyIynsYy8RTHVzwx9tnTb7Bg/1jMWnuVgI/gffqmbsC2VX5/jHfkkDqsj7CDbDg==',
      pae: '445353457631203238206170706c69636174696f6e2f766e642e696e2d746f746f2b6a736f6e203020',
    },
  ];
  for (const v of VECTORS) {
    it(`matches testvectors/vectors.json "${v.id}" and its Ed25519 signature verifies`, () => {
      const bytes = pae(v.type, decodeBase64(v.payload));
      expect(encodeHex(bytes)).toBe(v.pae);
      expect(verifyStrict(decodeBase64(v.sig), bytes, decodeHex(KEY_A))).toBe(true);
    });
  }

  it('counts UTF-8 bytes, not characters, for multi-byte type and body', () => {
    // "é" is 2 bytes, "😀" is 4 bytes (a surrogate pair: 2 UTF-16 units).
    const type = 'application/vnd.café+json'; // 25 characters, 26 bytes
    const body = utf8('{"x":"😀é"}'); // 10 UTF-16 units, 14 bytes
    expect(body.length).toBe(14);
    const out = pae(type, body);
    expect(text(out)).toBe('DSSEv1 26 application/vnd.café+json 14 {"x":"😀é"}');
    expect(out.length).toBe('DSSEv1 26 '.length + 26 + ' 14 '.length + 14);
  });

  it('keeps arbitrary (non-UTF-8) body bytes as they are', () => {
    const out = pae('t', Uint8Array.of(0xff, 0x00, 0x20));
    expect(encodeHex(out)).toBe(encodeHex(utf8('DSSEv1 1 t 3 ')) + 'ff0020');
  });

  it('checks its arguments', () => {
    expect(() => pae(1 as never, new Uint8Array())).toThrow(TypeError);
    expect(() => pae('t', 'body' as never)).toThrow(TypeError);
  });
});

describe('payloadTypeFor (FORMAT.md §2)', () => {
  it('builds application/vnd.countersign.<type>+json', () => {
    expect(payloadTypeFor('approval')).toBe('application/vnd.countersign.approval+json');
    expect(payloadTypeFor('genesis')).toBe('application/vnd.countersign.genesis+json');
  });
  it('checks its argument', () => {
    expect(() => payloadTypeFor(undefined as never)).toThrow(TypeError);
    expect(() => payloadTypeFor('')).toThrow(RangeError);
  });
});
