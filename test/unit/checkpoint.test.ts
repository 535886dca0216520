import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkpointSignedMessage, formatCheckpointBody, noteKeyHash, parseCheckpoint, signCheckpoint } from '../../src/core/log/checkpoint.ts';
import { getPublicKey, verifyStrict } from '../../src/core/crypto/ed25519.ts';
import { asDigest, asSecretKey } from '../../src/core/encoding/bytes.ts';
import { decodeBase64, encodeBase64 } from '../../src/core/encoding/base64.ts';
import { decodeHex, encodeHex } from '../../src/core/encoding/hex.ts';
import { sha256 } from '../../src/core/crypto/hash.ts';
import { DEMO_ORIGIN, deriveDemoKey } from '../../src/core/gate/demo.ts';
import { vectorSets } from '../helpers/shared.ts';

const secretKey = asSecretKey(decodeHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'));
const root = sha256(new TextEncoder().encode('root'));
const ORIGIN = 'acme.example/agents-prod';

function mustParse(text: string) {
  const r = parseCheckpoint(text);
  if (!r.ok) throw new Error(r.message);
  return r.checkpoint;
}

describe('sign / parse / verify round trip', () => {
  it('signs with key name = origin and verifies with verifyStrict', () => {
    const text = signCheckpoint({ origin: ORIGIN, size: 7, root, secretKey });
    const cp = mustParse(text);
    expect(cp.origin).toBe(ORIGIN);
    expect(cp.size).toBe(7);
    expect(encodeHex(cp.root)).toBe(encodeHex(root));
    expect(cp.body).toBe(formatCheckpointBody(ORIGIN, 7, root));
    expect(cp.body).toBe(`${ORIGIN}\n7\n${encodeBase64(root)}\n`);
    expect(text.startsWith(cp.body + '\n\u2014 ' + ORIGIN + ' ')).toBe(true);
    expect(cp.signatures).toHaveLength(1);
    const [sig] = cp.signatures;
    const pub = getPublicKey(secretKey);
    expect(sig!.name).toBe(ORIGIN);
    expect(encodeHex(sig!.keyHash)).toBe(encodeHex(noteKeyHash(ORIGIN, pub)));
    expect(sig!.signature.length).toBe(64);
    expect(verifyStrict(sig!.signature, checkpointSignedMessage(cp), pub)).toBe(true);
    expect(verifyStrict(sig!.signature, new TextEncoder().encode(cp.body.slice(0, -1)), pub)).toBe(false);
  });

  it('handles size 0 with the empty root, a custom key name and extra (witness) lines', () => {
    const empty = sha256(new Uint8Array(0));
    const witness = `\u2014 witness.example/w1 ${encodeBase64(new Uint8Array(4 + 72).fill(7))}`;
    const text = signCheckpoint({ origin: ORIGIN, size: 0, root: empty, secretKey, name: 'log-key', extraSignatures: [witness, witness + '\n'] });
    const cp = mustParse(text);
    expect(cp.size).toBe(0);
    expect(cp.signatures.map((s) => s.name)).toEqual(['log-key', 'witness.example/w1', 'witness.example/w1']);
    expect(cp.signatures[1]!.signature.length).toBe(72);
    expect(verifyStrict(cp.signatures[0]!.signature, checkpointSignedMessage(cp), getPublicKey(secretKey))).toBe(true);
  });

  it('keeps tlog-checkpoint extension lines in the signed body', () => {
    const base = signCheckpoint({ origin: ORIGIN, size: 3, root, secretKey });
    const [body, sigs] = base.split('\n\n') as [string, string];
    const cp = mustParse(`${body}\nextension line\n\n${sigs}`);
    expect(cp.body).toBe(`${body}\nextension line\n`);
  });

  it('accepts the largest safe size and a non-ASCII origin', () => {
    const cp = mustParse(signCheckpoint({ origin: 'example.com/journal-\u00e9t\u00e9', size: Number.MAX_SAFE_INTEGER, root, secretKey }));
    expect(cp.size).toBe(Number.MAX_SAFE_INTEGER);
    expect(cp.origin).toBe('example.com/journal-\u00e9t\u00e9');
  });
});

describe('noteKeyHash (C2SP signed-note)', () => {
  it('is SHA-256(name || 0x0A || 0x01 || pub)[:4]', () => {
    const pub = getPublicKey(secretKey);
    const expected = sha256(Uint8Array.from([...new TextEncoder().encode('n'), 0x0a, 0x01, ...pub])).slice(0, 4);
    expect(encodeHex(noteKeyHash('n', pub))).toBe(encodeHex(expected));
  });
  it('checks its arguments', () => {
    expect(() => noteKeyHash('a b', new Uint8Array(32))).toThrow(RangeError);
    expect(() => noteKeyHash('a+b', new Uint8Array(32))).toThrow(RangeError);
    expect(() => noteKeyHash('', new Uint8Array(32))).toThrow(RangeError);
    expect(() => noteKeyHash(1 as never, new Uint8Array(32))).toThrow(TypeError);
    expect(() => noteKeyHash('a', new Uint8Array(31))).toThrow(RangeError);
  });
});

// The demo bundle of each conformance set: ours (the demo gate with seed "vectors") and, when
// ../shared exists, the shared one. The gate key is the genesis roster's principal "gate".
const demoBundles = vectorSets('countersign').map((set) =>
  set.name === 'own'
    ? { set: set.name, file: set.path('valid-demo-complete.jsonl'), origin: DEMO_ORIGIN, gatePub: encodeBase64(getPublicKey(deriveDemoKey('vectors', 'gate'))) }
    : { set: set.name, file: set.path('cs-valid-demo.jsonl'), origin: ORIGIN, gatePub: 'o+qXfyCaBjCLQMXayL2O0n0WNBf15gePrOwegMzNEes=' },
);

describe.each(demoBundles)('the checkpoint of the $set demo vector', ({ file, origin, gatePub }) => {
  it('parses, has the gate key hash and a valid gate signature', () => {
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const last = JSON.parse(lines[lines.length - 1]!) as { checkpoint: string };
    const cp = mustParse(last.checkpoint);
    expect(cp.origin).toBe(origin);
    expect(cp.size).toBe(lines.filter((l) => l.startsWith('{"entry"')).length); // every entry, before the last checkpoint line
    const pub = decodeBase64(gatePub);
    const own = cp.signatures.find((s) => s.name === cp.origin);
    expect(own).toBeDefined();
    expect(encodeHex(own!.keyHash)).toBe(encodeHex(noteKeyHash(cp.origin, pub)));
    expect(verifyStrict(own!.signature, checkpointSignedMessage(cp), pub)).toBe(true);
  });
});

describe('malformed checkpoints are rejected with a precise message', () => {
  const good = signCheckpoint({ origin: ORIGIN, size: 7, root, secretKey });
  const [body, sigLine] = good.split('\n\n') as [string, string];
  const rootB64 = encodeBase64(root);
  const sig = sigLine.slice(`\u2014 ${ORIGIN} `.length, -1);
  const cases: [string, string, string | RegExp][] = [
    ['empty', '', 'checkpoint is empty'],
    ['no final newline', good.slice(0, -1), 'checkpoint does not end with a newline'],
    ['no blank line', body + '\n' + sigLine, 'checkpoint has no blank line between body and signatures'],
    ['no signature lines', body + '\n\n', 'checkpoint has no signature lines'],
    ['two blank lines', body + '\n\n\n' + sigLine, 'checkpoint line 4: unexpected blank line (only one may separate body and signatures)'],
    [
      'blank line inside body',
      `${ORIGIN}\n\n7\n${rootB64}\n\n${sigLine}`,
      'checkpoint line 2: unexpected blank line (only one may separate body and signatures)',
    ],
    ['empty origin', `\n${sigLine}`, 'checkpoint line 1: origin is empty'],
    ['body too short', `${ORIGIN}\n7\n\n${sigLine}`, 'checkpoint body has 2 line(s), need origin, size and root'],
    ['size with leading zeros', `${ORIGIN}\n007\n${rootB64}\n\n${sigLine}`, 'checkpoint line 2: size "007" has leading zeros'],
    ['negative size', `${ORIGIN}\n-1\n${rootB64}\n\n${sigLine}`, 'checkpoint line 2: size "-1" is not a decimal integer'],
    ['size with plus', `${ORIGIN}\n+7\n${rootB64}\n\n${sigLine}`, 'checkpoint line 2: size "+7" is not a decimal integer'],
    ['hex size', `${ORIGIN}\n0x7\n${rootB64}\n\n${sigLine}`, 'checkpoint line 2: size "0x7" is not a decimal integer'],
    ['size too large', `${ORIGIN}\n9007199254740992\n${rootB64}\n\n${sigLine}`, 'checkpoint line 2: size 9007199254740992 exceeds 2^53 - 1'],
    ['root not base64', `${ORIGIN}\n7\n${rootB64.replace('=', '')}\n\n${sigLine}`, /^checkpoint line 3: root is not strict base64/],
    ['root URL-safe alphabet', `${ORIGIN}\n7\n${'_'.repeat(43)}=\n\n${sigLine}`, /^checkpoint line 3: root is not strict base64/],
    ['root wrong length', `${ORIGIN}\n7\n${encodeBase64(new Uint8Array(31))}\n\n${sigLine}`, 'checkpoint line 3: root decodes to 31 bytes, want 32'],
    ['hyphen instead of em dash', `${body}\n\n- ${ORIGIN} ${sig}\n`, 'checkpoint line 5: signature line must start with "\u2014 " (U+2014, space)'],
    ['no space after dash', `${body}\n\n\u2014${ORIGIN} ${sig}\n`, 'checkpoint line 5: signature line must start with "\u2014 " (U+2014, space)'],
    ['no signature after name', `${body}\n\n\u2014 ${ORIGIN}\n`, 'checkpoint line 5: signature line needs "<key name> <base64>"'],
    ['empty key name', `${body}\n\n\u2014  ${sig}\n`, 'checkpoint line 5: key name is empty'],
    ['plus in key name', `${body}\n\n\u2014 a+b ${sig}\n`, 'checkpoint line 5: key name "a+b" contains "+"'],
    ['no-break space in key name', `${body}\n\n\u2014 a\u00a0b ${sig}\n`, 'checkpoint line 5: key name "a\u00a0b" contains a space'],
    ['signature not base64', `${body}\n\n\u2014 ${ORIGIN} ${sig.slice(1)}\n`, /^checkpoint line 5: signature is not strict base64/],
    ['two spaces before signature', `${body}\n\n\u2014 ${ORIGIN}  ${sig}\n`, /^checkpoint line 5: signature is not strict base64/],
    [
      'signature too short',
      `${body}\n\n\u2014 ${ORIGIN} ${encodeBase64(new Uint8Array(4))}\n`,
      'checkpoint line 5: signature decodes to 4 bytes, need a 4-byte key hash and a signature',
    ],
    ['bad second signature line', `${good}\u2014 w\n`, 'checkpoint line 6: signature line needs "<key name> <base64>"'],
    ['CRLF line endings', good.replace(/\n/g, '\r\n'), 'checkpoint contains control character U+000D at offset 24'],
    ['tab in origin', `acme\tx\n7\n${rootB64}\n\n${sigLine}`, 'checkpoint contains control character U+0009 at offset 4'],
    ['lone surrogate', `a\ud800\n7\n${rootB64}\n\n${sigLine}`, 'checkpoint contains a lone surrogate at offset 1'],
    ['too many signatures', `${body}\n\n${sigLine.repeat(101)}`, 'checkpoint has more than 100 signature lines'],
  ];
  for (const [name, text, message] of cases) {
    it(name, () => {
      const r = parseCheckpoint(text);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        if (typeof message === 'string') expect(r.message).toBe(message);
        else expect(r.message).toMatch(message);
      }
    });
  }

  it('never throws, whatever it is given', () => {
    for (const v of [null, undefined, 42, {}, [], '\n', '\n\n', '\u2014', 'a\nb\nc\n\n\u2014 \n'] as unknown[]) {
      expect(parseCheckpoint(v as string).ok).toBe(false);
    }
  });
});

describe('argument checks when formatting and signing', () => {
  it('rejects bad origins, sizes, roots and extra signature lines', () => {
    expect(() => formatCheckpointBody('', 1, root)).toThrow(RangeError);
    expect(() => formatCheckpointBody('a\nb', 1, root)).toThrow(RangeError);
    expect(() => formatCheckpointBody(1 as never, 1, root)).toThrow(TypeError);
    expect(() => formatCheckpointBody('o', -1, root)).toThrow(RangeError);
    expect(() => formatCheckpointBody('o', 1.5, root)).toThrow(RangeError);
    expect(() => formatCheckpointBody('o', '1' as never, root)).toThrow(TypeError);
    expect(() => formatCheckpointBody('o', 1, asDigest(new Uint8Array(32)).subarray(1) as never)).toThrow(RangeError);
    expect(() => signCheckpoint({ origin: 'has space', size: 1, root, secretKey })).toThrow(RangeError);
    expect(() => signCheckpoint({ origin: ORIGIN, size: 1, root, secretKey, extraSignatures: ['- w AAAAAAA='] })).toThrow(RangeError);
    expect(() => signCheckpoint({ origin: ORIGIN, size: 1, root, secretKey, extraSignatures: ['\u2014 w AAAAAAA=\n\u2014 x AAAAAAA='] })).toThrow(RangeError);
  });
});
