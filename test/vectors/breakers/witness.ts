// CKPT.extension and WITNESS.*: the FORMAT.md §7.1 governance line and §7.2 witnesses,
// cosignatures and remembered checkpoints, one broken thing each. Fork and truncation cases
// name the case a witness verified (and remembered) first, in `remember`.
import { decodeBase64, encodeBase64 } from '../../../src/core/encoding/base64.ts';
import { getPublicKey, sign } from '../../../src/core/crypto/ed25519.ts';
import { noteKeyHash, parseCheckpoint, signCheckpoint } from '../../../src/core/log/checkpoint.ts';
import { addCosignatureLine, makeCosignatureLine } from '../../../src/core/log/cosignature.ts';
import { formatWitnessKey } from '../../../src/core/log/witness-key.ts';
import { ORIGIN, baseFixture, key, makeCase, type Fixture, type VectorCase } from './fixture.ts';

const WITNESS_NAME = 'witness.example/w1';
/** 2026-03-18T12:00:00Z, inside the fixture's own time range. */
const COSIGNED_AT = 1_773_835_200;

export function witnessAnchor(): string {
  return `witness:${formatWitnessKey(WITNESS_NAME, getPublicKey(key('witness')))}`;
}

function cosignedNote(f: Fixture, governance?: { roster: number; policy: number }): string {
  const note = signCheckpoint({ origin: ORIGIN, size: f.w.size, root: f.w.root(), secretKey: key('gate'), ...(governance ? { governance } : {}) });
  const p = parseCheckpoint(note);
  if (!p.ok) throw new Error(p.message);
  return addCosignatureLine(note, makeCosignatureLine({ body: p.checkpoint.body, name: WITNESS_NAME, secretKey: key('witness'), timestamp: COSIGNED_AT }));
}

const line = (note: string) => JSON.stringify({ checkpoint: note });

/** The base log and one more request, its last checkpoint with the §7.1 line and a witness cosignature. */
function witnessedFixture(): Fixture {
  const f = baseFixture();
  f.allowedRequest('req-2');
  f.w.appendLine(line(cosignedNote(f, { roster: 1, policy: 1 })));
  return f;
}

export function validWitnessed(): VectorCase[] {
  const f = witnessedFixture();
  return [
    makeCase('valid-witnessed', f, [], 'FORMAT.md §7.1-7.2: the last checkpoint carries the governance line and a cosignature of the pinned witness', {
      trust: `genesis:${f.genesisHex} ${witnessAnchor()}`,
    }),
  ];
}

export function breakCkptExtension(): VectorCase[] {
  const mid = (ext: (f: Fixture) => string) => {
    const f = baseFixture();
    f.w.appendLine(line(ext(f)));
    f.allowedRequest('req-2');
    f.checkpoint();
    return f;
  };
  const versions = mid((f) =>
    signCheckpoint({ origin: ORIGIN, size: f.w.size, root: f.w.root(), secretKey: key('gate'), governance: { roster: 2, policy: 1 } }),
  );
  const malformed = mid((f) => noteWithExtension(f, 'countersign/governance roster 01 policy 1'));
  const foreign = mid((f) => noteWithExtension(f, 'example.com/other-extension 7'));
  return [
    makeCase('ckpt-extension-versions', versions, ['CKPT.extension'], 'a mid-log checkpoint states roster 2 policy 1 while roster 1 is in force'),
    makeCase('ckpt-extension-malformed', malformed, ['CKPT.extension'], 'a mid-log checkpoint whose governance line has a leading zero'),
    makeCase('ckpt-extension-foreign', foreign, ['CKPT.extension'], 'a mid-log checkpoint with an extension line other than the governance line'),
  ];
}

/** A gate-signed note whose body carries `ext` as its extension line, verbatim. */
function noteWithExtension(f: Fixture, ext: string): string {
  const body = `${ORIGIN}\n${f.w.size}\n${encodeBase64(f.w.root())}\n${ext}\n`;
  return signBody(body);
}

function signBody(body: string): string {
  // signCheckpoint only formats bodies it would write, so sign this one by hand with the
  // same primitives: key hash under the origin, Ed25519 over the body text.
  const keyHash = noteKeyHash(ORIGIN, getPublicKey(key('gate')));
  const sig = sign(new TextEncoder().encode(body), key('gate'));
  const all = new Uint8Array(68);
  all.set(keyHash);
  all.set(sig, 4);
  return `${body}\n\u2014 ${ORIGIN} ${encodeBase64(all)}\n`;
}

export function breakWitnessSignature(): VectorCase[] {
  const f = baseFixture();
  f.allowedRequest('req-2');
  const note = cosignedNote(f, { roster: 1, policy: 1 });
  const [head, cosig] = [note.slice(0, note.lastIndexOf('\u2014')), note.slice(note.lastIndexOf('\u2014'))];
  const [dash, name, b64] = cosig.trimEnd().split(' ') as [string, string, string];
  const bytes = decodeBase64(b64);
  bytes[30]! ^= 0x01; // inside the Ed25519 signature, after key hash and timestamp
  f.w.appendLine(line(`${head}${dash} ${name} ${encodeBase64(bytes)}\n`));
  return [
    makeCase(
      'witness-signature',
      f,
      ['WITNESS.signature', 'WITNESS.quorum'],
      "the pinned witness's cosignature on the last checkpoint has one bit flipped (so the quorum of 1 fails too)",
      {
        trust: `genesis:${f.genesisHex} ${witnessAnchor()}`,
      },
    ),
  ];
}

export function breakWitnessQuorum(): VectorCase[] {
  const f = baseFixture();
  f.allowedRequest('req-2');
  f.checkpoint();
  return [
    makeCase('witness-quorum', f, ['WITNESS.quorum'], 'a witness is pinned but the last checkpoint carries no cosignature', {
      trust: `genesis:${f.genesisHex} ${witnessAnchor()}`,
    }),
  ];
}

export function breakWitnessFork(): VectorCase[] {
  // The same gate, the same genesis and first request; then another request in place of req-2.
  const f = baseFixture();
  f.allowedRequest('req-2b');
  f.allowedRequest('req-3');
  f.checkpoint();
  return [
    makeCase('witness-fork', f, ['WITNESS.fork'], 'after valid-witnessed was remembered: the gate signs a history where req-2 is replaced', {
      remember: 'valid-witnessed.jsonl',
    }),
  ];
}

export function breakWitnessTruncated(): VectorCase[] {
  const f = baseFixture();
  f.checkpoint();
  return [
    makeCase('witness-truncated', f, ['WITNESS.truncated'], 'after valid-witnessed was remembered: the gate shows the log without its last request', {
      remember: 'valid-witnessed.jsonl',
    }),
  ];
}
