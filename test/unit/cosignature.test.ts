import { createHash, createPrivateKey, sign as nodeSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addCosignatureLine,
  checkCosignature,
  cosignatureMessage,
  listCosignatures,
  makeCosignatureLine,
  MAX_COSIGNATURE_TIME,
} from '../../src/core/log/cosignature.ts';
import { formatWitnessKey, parseWitnessKey, witnessKeyHash } from '../../src/core/log/witness-key.ts';
import { parseCheckpoint, signCheckpoint } from '../../src/core/log/checkpoint.ts';
import { getPublicKey } from '../../src/core/crypto/ed25519.ts';
import { asSecretKey } from '../../src/core/encoding/bytes.ts';
import { decodeHex, encodeHex } from '../../src/core/encoding/hex.ts';
import { sha256 } from '../../src/core/crypto/hash.ts';
import { whenShared, readShared } from '../helpers/shared.ts';

const ORIGIN = 'acme.example/agents-prod';
// RFC 8032 §7.1 TEST 1 seed for the gate, TEST 2 seed for the witness.
const gateKey = asSecretKey(decodeHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'));
const witnessSeed = '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb';
const witnessKey = asSecretKey(decodeHex(witnessSeed));
const WITNESS = 'witness.example.net/w1';
const root = sha256(new TextEncoder().encode('root'));

function mustParse(text: string) {
  const r = parseCheckpoint(text);
  if (!r.ok) throw new Error(r.message);
  return r.checkpoint;
}

function mustKey(text: string) {
  const r = parseWitnessKey(text);
  if (!r.ok) throw new Error(r.message);
  return r.key;
}

describe('interop: a cosignature line computed by hand from C2SP tlog-cosignature v1', () => {
  it('our line equals one built with node:crypto from the spec text alone', () => {
    const body = `${ORIGIN}\n7\n${Buffer.from(root).toString('base64')}\ncountersign/governance roster 1 policy 1\n`;
    const T = 1_700_000_000;
    // Independent computation: PKCS#8 wrap of the seed, Node's Ed25519, hand-built bytes.
    const priv = createPrivateKey({
      key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(witnessSeed, 'hex')]),
      format: 'der',
      type: 'pkcs8',
    });
    const pub = Buffer.from('3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c', 'hex'); // RFC 8032 TEST 2 public key
    const keyHash = createHash('sha256')
      .update(Buffer.concat([Buffer.from(WITNESS, 'utf8'), Buffer.from([0x0a, 0x04]), pub]))
      .digest()
      .subarray(0, 4);
    const message = Buffer.from(`cosignature/v1\ntime ${T}\n${body}`, 'utf8');
    const sig = nodeSign(null, message, priv);
    const ts = Buffer.alloc(8);
    ts.writeBigUInt64BE(BigInt(T));
    const expected = `\u2014 ${WITNESS} ${Buffer.concat([keyHash, ts, sig]).toString('base64')}`;

    expect(encodeHex(getPublicKey(witnessKey))).toBe(pub.toString('hex'));
    expect(makeCosignatureLine({ body, name: WITNESS, secretKey: witnessKey, timestamp: T })).toBe(expected);
    expect(Buffer.from(cosignatureMessage(body, T)).equals(message)).toBe(true);
    expect(encodeHex(witnessKeyHash(WITNESS, pub))).toBe(keyHash.toString('hex'));
    // And the verifier key text, built by hand.
    const vkey = `${WITNESS}+${keyHash.toString('hex')}+${Buffer.concat([Buffer.from([4]), pub]).toString('base64')}`;
    expect(formatWitnessKey(WITNESS, pub)).toBe(vkey);
  });

  it('the key hash uses type byte 0x04, not the note signature 0x01', () => {
    const pub = getPublicKey(witnessKey);
    const with01 = createHash('sha256')
      .update(Buffer.concat([Buffer.from(WITNESS), Buffer.from([0x0a, 0x01]), pub]))
      .digest()
      .subarray(0, 4);
    expect(encodeHex(witnessKeyHash(WITNESS, pub))).not.toBe(with01.toString('hex'));
  });
});

describe('verifier keys (C2SP signed-note), strict', () => {
  const pub = getPublicKey(witnessKey);
  const good = formatWitnessKey(WITNESS, pub);
  it('reads a key whose base64 holds "+"', () => {
    // Find a seed whose 0x04 || pub encodes with a '+', so splitting on every '+' would break.
    for (let i = 1; i < 255; i++) {
      const p = getPublicKey(asSecretKey(new Uint8Array(32).fill(i)));
      const text = formatWitnessKey('w.example/x', p);
      if (text.split('+').length > 3) return expect(encodeHex(mustKey(text).publicKey)).toBe(encodeHex(p));
    }
    throw new Error('no seed gave a "+" in base64');
  });
  it('round-trips', () => {
    const k = mustKey(good);
    expect(k.name).toBe(WITNESS);
    expect(encodeHex(k.publicKey)).toBe(encodeHex(pub));
    expect(formatWitnessKey(k.name, k.publicKey)).toBe(good);
  });
  const [name, hash, b64] = good.split('+') as [string, string, string];
  const raw = Buffer.from(b64, 'base64');
  const bad: [string, string, RegExp][] = [
    ['two parts', `${name}+${hash}`, /<name>\+/],
    ['a trailing part', `${good}+x`, /base64/],
    ['empty name', `+${hash}+${b64}`, /empty/],
    ['space in name', `a b+${hash}+${b64}`, /space/],
    ['uppercase hash', `${name}+${hash.toUpperCase()}+${b64}`, /8 lowercase hex/],
    ['short hash', `${name}+${hash.slice(1)}+${b64}`, /8 lowercase hex/],
    ['wrong hash', `${name}+00000000+${b64}`, /does not match/],
    ['other name, same hash', `${name}x+${hash}+${b64}`, /does not match/],
    ['type 0x01', `${name}+${hash}+${Buffer.concat([Buffer.from([1]), raw.subarray(1)]).toString('base64')}`, /signature type 0x01/],
    ['bare 32-byte key', `${name}+${hash}+${raw.subarray(1).toString('base64')}`, /33/],
    ['not base64', `${name}+${hash}+${b64.slice(0, -1)}!`, /base64/],
    ['small-order key', `${name}+${hash}+${Buffer.concat([Buffer.from([4]), Buffer.alloc(32)]).toString('base64')}`, /unusable/],
  ];
  for (const [what, text, why] of bad)
    it(`rejects ${what}`, () => {
      const r = parseWitnessKey(text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(why);
    });
  it('never throws on arbitrary strings', () => {
    fc.assert(fc.property(fc.string(), (s) => typeof parseWitnessKey(s).ok === 'boolean'));
  });
});

describe('make, add and check cosignatures', () => {
  const note = signCheckpoint({ origin: ORIGIN, size: 3, root, secretKey: gateKey });
  const key = mustKey(formatWitnessKey(WITNESS, getPublicKey(witnessKey)));
  const cp = mustParse(note);
  const line = makeCosignatureLine({ body: cp.body, name: WITNESS, secretKey: witnessKey, timestamp: 1_764_460_800 });
  const cosigned = addCosignatureLine(note, line);

  it('appends the line and keeps the body and the log signature byte for byte', () => {
    expect(cosigned.startsWith(note)).toBe(true);
    expect(cosigned).toBe(note + line + '\n');
    const c = mustParse(cosigned);
    const [info] = listCosignatures(c, [key], ORIGIN);
    expect(info).toMatchObject({ name: WITNESS, status: 'valid', timestamp: '1764460800', time: '2025-11-30T00:00:00Z' });
  });

  it("re-cosigning replaces the witness's earlier line instead of stacking", () => {
    const line2 = makeCosignatureLine({ body: cp.body, name: WITNESS, secretKey: witnessKey, timestamp: 1_764_460_900 });
    const again = addCosignatureLine(cosigned, line2);
    expect(mustParse(again).signatures).toHaveLength(2);
    expect(again.endsWith(line2 + '\n')).toBe(true);
  });

  it('lists a line of an unknown witness as unchecked, and never counts it', () => {
    const other = asSecretKey(new Uint8Array(32).fill(7));
    const l2 = makeCosignatureLine({ body: cp.body, name: 'other.example/w', secretKey: other, timestamp: 5 });
    const infos = listCosignatures(mustParse(addCosignatureLine(cosigned, l2)), [key], ORIGIN);
    expect(infos.map((i) => [i.name, i.status])).toEqual([
      [WITNESS, 'valid'],
      ['other.example/w', 'unchecked'],
    ]);
  });

  it('a line over another body, a flipped bit, a changed timestamp, or a short line is invalid', () => {
    const c = mustParse(cosigned);
    const sig = c.signatures[1]!;
    expect(checkCosignature(c, sig, key).valid).toBe(true);
    const other = mustParse(signCheckpoint({ origin: ORIGIN, size: 4, root, secretKey: gateKey }));
    expect(checkCosignature(other, sig, key).valid).toBe(false);
    for (const i of [0, 7, 8, 40, 71]) {
      const b = sig.signature.slice();
      b[i]! ^= 1;
      expect(checkCosignature(c, { ...sig, signature: b }, key).valid, `byte ${i}`).toBe(false);
    }
    const r = checkCosignature(c, { ...sig, signature: sig.signature.slice(0, 71) }, key);
    expect(r.valid).toBe(false);
    if (!r.valid) expect(r.reason).toMatch(/71 bytes/);
  });

  it('a timestamp above 2^63 - 1 is refused when making and invalid when checking', () => {
    expect(() => makeCosignatureLine({ body: cp.body, name: WITNESS, secretKey: witnessKey, timestamp: MAX_COSIGNATURE_TIME + 1n })).toThrow(RangeError);
    expect(() => makeCosignatureLine({ body: cp.body, name: WITNESS, secretKey: witnessKey, timestamp: -1 })).toThrow(RangeError);
    const c = mustParse(cosigned);
    const sig = c.signatures[1]!;
    const b = sig.signature.slice();
    b[0] = 0x80;
    const r = checkCosignature(c, { ...sig, signature: b }, key);
    expect(r.valid).toBe(false);
    if (!r.valid) expect(r.reason).toMatch(/2\^63/);
    // The largest legal timestamp signs and verifies.
    const maxLine = makeCosignatureLine({ body: cp.body, name: WITNESS, secretKey: witnessKey, timestamp: MAX_COSIGNATURE_TIME });
    const m = mustParse(addCosignatureLine(note, maxLine));
    expect(listCosignatures(m, [key], ORIGIN)[0]).toMatchObject({ status: 'valid', timestamp: MAX_COSIGNATURE_TIME.toString() });
  });
});

whenShared(() =>
  describe("shared v1.1 vectors: the independent implementation's cosignature", () => {
    const vkey = 'witness.example.org/public-1+8e4482b5+BGIvQfCsueq83g1sKtmAYoN3Kzq//NNLR7ZNEAdIxaXt';
    const lastCheckpoint = (file: string) => {
      const lines = readShared('vectors', 'countersign-v1.1', file).toString('utf8').trim().split('\n');
      return mustParse(JSON.parse(lines[lines.length - 1]!).checkpoint as string);
    };
    it("the witness key parses and the valid vector's cosignature verifies", () => {
      const key = mustKey(vkey);
      const infos = listCosignatures(lastCheckpoint('cs-valid-witnessed.jsonl'), [key], 'acme.example/agents-prod');
      expect(infos).toHaveLength(1);
      expect(infos[0]!.status).toBe('valid');
      expect(infos[0]!.witness).toBe(vkey);
    });
    it("the broken vector's cosignature does not", () => {
      const infos = listCosignatures(lastCheckpoint('cs-fail-witness-signature.jsonl'), [mustKey(vkey)], 'acme.example/agents-prod');
      expect(infos[0]!.status).toBe('invalid');
    });
  }),
);

describe('hostile checkpoints', () => {
  it('a second line of the same witness is listed unchecked and not counted', () => {
    const note = signCheckpoint({ origin: ORIGIN, size: 3, root, secretKey: gateKey });
    const cp = mustParse(note);
    const key = mustKey(formatWitnessKey(WITNESS, getPublicKey(witnessKey)));
    const l1 = makeCosignatureLine({ body: cp.body, name: WITNESS, secretKey: witnessKey, timestamp: 1 });
    const l2 = makeCosignatureLine({ body: cp.body, name: WITNESS, secretKey: witnessKey, timestamp: 2 });
    const both = mustParse(`${note}${l1}\n${l2}\n`);
    const infos = listCosignatures(both, [key], ORIGIN);
    expect(infos.map((i) => i.status)).toEqual(['valid', 'unchecked']);
    expect(infos[1]!.reason).toMatch(/second line/);
  });
});
