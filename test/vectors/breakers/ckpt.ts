// CKPT.* and TRUST.*: checkpoints that are wrong in one way, each followed by a correct
// final checkpoint (so nothing is left unanchored), and a valid log pinned to the wrong anchor.
import { decodeBase64, encodeBase64 } from '../../../src/core/encoding/base64.ts';
import type { Digest } from '../../../src/core/encoding/bytes.ts';
import { encodeHex } from '../../../src/core/encoding/hex.ts';
import { sha256 } from '../../../src/core/crypto/hash.ts';
import { encodeUtf8 } from '../../../src/core/encoding/utf8.ts';
import { signCheckpoint } from '../../../src/core/log/checkpoint.ts';
import { ORIGIN, baseFixture, key, keyId, makeCase, type Fixture, type VectorCase } from './fixture.ts';

function noteLine(note: string): string {
  return JSON.stringify({ checkpoint: note });
}

/** Mid-log checkpoint line from `note`, then one more request and a correct final checkpoint. */
function withMidCheckpoint(note: (f: Fixture) => string): Fixture {
  const f = baseFixture();
  f.w.appendLine(noteLine(note(f)));
  f.allowedRequest('req-2');
  f.checkpoint();
  return f;
}

/** Signed by a key that is not the gate's; signed only by a witness; log signature bytes altered. */
export function breakCkptSignature(): VectorCase[] {
  const byAlice = withMidCheckpoint((f) => signCheckpoint({ origin: ORIGIN, size: f.w.size, root: f.w.root(), secretKey: key('alice') }));
  const witnessOnly = withMidCheckpoint((f) => {
    // The body and signature line of a witness: a name other than the origin (FORMAT.md §3).
    return signCheckpoint({ origin: ORIGIN, size: f.w.size, root: f.w.root(), secretKey: key('witness'), name: 'witness.example' });
  });
  const altered = withMidCheckpoint((f) => {
    const note = signCheckpoint({ origin: ORIGIN, size: f.w.size, root: f.w.root(), secretKey: key('gate') });
    const [head, sigLine] = [note.slice(0, note.lastIndexOf('\u2014')), note.slice(note.lastIndexOf('\u2014'))];
    const [dash, name, b64] = sigLine.trimEnd().split(' ') as [string, string, string];
    const raw = decodeBase64(b64);
    raw[10]! ^= 0x01; // inside the signature, after the 4-byte key hash
    return `${head}${dash} ${name} ${encodeBase64(raw)}\n`;
  });
  return [
    makeCase('ckpt-signature-not-gate', byAlice, ['CKPT.signature'], "a mid-log checkpoint signed under the origin's name by alice's key, not the gate's"),
    makeCase('ckpt-signature-witness-only', witnessOnly, ['CKPT.signature'], 'a mid-log checkpoint with only a witness cosignature, no log signature'),
    makeCase('ckpt-signature-altered', altered, ['CKPT.signature'], 'a mid-log checkpoint whose gate signature has one bit flipped'),
  ];
}

/** Right size, gate-signed, wrong root. */
export function breakCkptRoot(): VectorCase[] {
  const f = withMidCheckpoint((f) =>
    signCheckpoint({ origin: ORIGIN, size: f.w.size, root: sha256(encodeUtf8('not the root')) as Digest, secretKey: key('gate') }),
  );
  return [makeCase('ckpt-root', f, ['CKPT.root'], 'a mid-log checkpoint, correctly signed by the gate, whose root is not the root of the entries')];
}

/** A checkpoint of an earlier size placed after a later entry: honest root, wrong place. */
export function breakCkptSize(): VectorCase[] {
  const f = baseFixture();
  const size = f.w.size;
  const root = f.w.root();
  f.request('req-2', { skill: 'logs.read', skill_version: '1' });
  f.w.appendLine(noteLine(signCheckpoint({ origin: ORIGIN, size, root, secretKey: key('gate') })));
  f.checkpoint();
  return [makeCase('ckpt-size', f, ['CKPT.size'], `a gate-signed checkpoint of size ${size} (its true root) placed after entry ${size}`)];
}

/** Entries after the last checkpoint; and no checkpoint at all. */
export function breakCkptUnanchored(): VectorCase[] {
  const after = baseFixture();
  after.checkpoint();
  after.allowedRequest('req-2');
  const none = baseFixture();
  return [
    makeCase('ckpt-unanchored-tail', after, ['CKPT.unanchored'], 'three entries after the last checkpoint'),
    makeCase('ckpt-unanchored-none', none, ['CKPT.unanchored'], 'a bundle without any checkpoint'),
  ];
}

/** A valid log pinned to another genesis, and by one governance key below the quorum of 2. */
export function breakTrustMismatch(): VectorCase[] {
  const f = baseFixture();
  f.checkpoint();
  const other = encodeHex(sha256(encodeUtf8('another genesis')));
  return [
    makeCase('trust-mismatch-genesis', f, ['TRUST.mismatch'], 'a valid log checked against the genesis digest of another log', { trust: `genesis:${other}` }),
    makeCase('trust-mismatch-one-key', f, ['TRUST.mismatch'], 'a valid log pinned by one governance key id only; the genesis needs 2 (pin the whole set)', {
      trust: `key:${keyId('gov-1')}`,
    }),
  ];
}
