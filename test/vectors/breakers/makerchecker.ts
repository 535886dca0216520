// Our own MakerChecker AAPR v1 conformance cases (MAKERCHECKER.md), in the shape of
// ../shared/vectors/makerchecker/index.json, so a fresh clone runs the MakerChecker vector
// suite too. Each case is made by a function named after what it breaks, from one
// deterministic export (the reference writer's event generator, a fixed seed and fixed keys).
import { encodeHex } from '../../../src/core/encoding/hex.ts';
import { encodeUtf8 } from '../../../src/core/encoding/utf8.ts';
import { asSecretKey } from '../../../src/core/encoding/bytes.ts';
import { sha256 } from '../../../src/core/crypto/hash.ts';
import { getPublicKey } from '../../../src/core/crypto/ed25519.ts';
import { pemFromPublicKey } from '../../../src/core/verifier/pem.ts';
import {
  buildMakerCheckerBundle,
  chainMakerCheckerEvents,
  generateMakerCheckerEvents,
  signMakerCheckerManifest,
  type MakerCheckerEvent,
  type MakerCheckerEventInput,
  type MakerCheckerManifest,
} from '../../../src/core/gate/makerchecker-writer.ts';

export interface MakerCheckerCase {
  file: string;
  expect: 'pass' | 'fail';
  /** A file of this folder whose PEM is pinned as the instance key. */
  pinKey?: string;
  reasonContains?: string;
  reasonCode?: string;
  note: string;
}

export interface MakerCheckerVectors {
  cases: MakerCheckerCase[];
  /** Every file of the folder but index.json: bundles and the instance's public key. */
  files: Map<string, Uint8Array>;
}

export const MC_INSTANCE = '11111111-1111-4111-8111-111111111111';
const EXPORTED = '2026-06-12T12:00:00.000Z';
const key = (name: string) => asSecretKey(sha256(encodeUtf8(`vectors:makerchecker:${name}`)));
const INSTANCE_KEY = key('instance');
const ATTACKER_KEY = key('attacker');
export const MC_PIN = 'instance-pubkey.pem';

type Bundle = { manifest: MakerCheckerManifest; events: MakerCheckerEvent[] };
const text = (b: Bundle) => encodeUtf8(JSON.stringify(b, null, 2) + '\n');
const inputs = (): MakerCheckerEventInput[] => [...generateMakerCheckerEvents({ runs: 3, seed: 'vectors', payloadBytes: 48, instanceId: MC_INSTANCE })];
const full = (events = inputs(), secretKey = INSTANCE_KEY): Bundle =>
  buildMakerCheckerBundle({ secretKey, instanceId: MC_INSTANCE, exportedAt: EXPORTED, bundleKind: 'full', events });
const firstRunId = (events: MakerCheckerEventInput[]) => events.find((e) => e.run_id !== null)!.run_id!;
const run = (events = inputs()): Bundle =>
  buildMakerCheckerBundle({ secretKey: INSTANCE_KEY, instanceId: MC_INSTANCE, exportedAt: EXPORTED, bundleKind: 'run', runId: firstRunId(events), events });

/** The manifest of `events` signed again, as a forger holding the instance key would. */
function resign(b: Bundle, secretKey = INSTANCE_KEY): Bundle {
  const digest = sha256(encodeUtf8(b.events.map((e) => e.hash).join('\n')));
  const { publicKeyPem: _p, signature: _s, ...fields } = b.manifest;
  const manifest = signMakerCheckerManifest(
    {
      ...fields,
      count: b.events.length,
      firstSeq: b.events[0]?.seq ?? null,
      lastSeq: b.events.at(-1)?.seq ?? null,
      headHash: b.events.at(-1)?.hash ?? null,
      eventHashesDigest: encodeHex(digest),
    },
    secretKey,
  );
  return { manifest, events: b.events };
}

/** One event's payload changed after export; its stored hash is left as it was. */
function breakPayload(): Bundle {
  const b = full();
  const ev = b.events.find((e) => e.event_type === 'skill.invoked')!;
  ev.payload = { ...(ev.payload as object), tampered: true };
  return b;
}

/** One character of the manifest signature changed. */
function breakSignature(): Bundle {
  const b = full();
  const s = b.manifest.signature;
  b.manifest.signature = (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
  return b;
}

/** An event removed from the middle; the manifest (count, digest) is the original. */
function breakTruncate(): Bundle {
  const b = full();
  b.events.splice(Math.floor(b.events.length / 2), 1);
  return b;
}

/** Two neighbouring events swapped. */
function breakReorder(): Bundle {
  const b = full();
  const i = Math.floor(b.events.length / 2);
  [b.events[i], b.events[i + 1]] = [b.events[i + 1]!, b.events[i]!];
  return b;
}

/** A run bundle with an event of another run spliced in, re-signed with the instance key. */
function breakForeignRunEvent(): Bundle {
  const events = inputs();
  const b = run(events);
  const runId = b.manifest.runId;
  const foreign = [...chainMakerCheckerEvents(MC_INSTANCE, events)].find((e) => e.run_id !== null && e.run_id !== runId)!;
  const at = b.events.findIndex((e) => Number(e.seq) > Number(foreign.seq));
  b.events.splice(at < 0 ? b.events.length : at, 0, foreign);
  return resign(b);
}

/** A complete export, valid under its own key: an attacker's, not the instance's. */
const wrongKey = () => full(inputs(), ATTACKER_KEY);

/** Astral and combining characters, hashed over their literal code points. */
function unicodeLiteral(): Bundle {
  const events = inputs();
  const ev = events.find((e) => e.event_type === 'skill.invoked')!;
  ev.payload = { ...(ev.payload as object), note: 'caf\u00e9 / cafe\u0301 \u{1F9EA} \u6771\u4eac \u202e' };
  return full(events);
}

/** A payload string with a lone surrogate, escaped as JSON allows but I-JSON forbids. */
function illFormedString(): Uint8Array {
  const events = inputs();
  const ev = events.find((e) => e.event_type === 'skill.invoked')!;
  ev.payload = { ...(ev.payload as object), note: 'LONE-SURROGATE-HERE' };
  const json = new TextDecoder().decode(text(full(events)));
  return encodeUtf8(json.replace('LONE-SURROGATE-HERE', '\\ud800'));
}

export function generateMakerCheckerVectors(): MakerCheckerVectors {
  const files = new Map<string, Uint8Array>([
    ['valid-full.json', text(full())],
    ['valid-run.json', text(run())],
    ['tampered-payload.json', text(breakPayload())],
    ['tampered-signature.json', text(breakSignature())],
    ['truncated.json', text(breakTruncate())],
    ['reordered.json', text(breakReorder())],
    ['foreign-run-event.json', text(breakForeignRunEvent())],
    ['wrong-key.json', text(wrongKey())],
    ['unicode-literal.json', text(unicodeLiteral())],
    ['ill-formed-string.json', illFormedString()],
    [MC_PIN, encodeUtf8(pemFromPublicKey(getPublicKey(INSTANCE_KEY)))],
  ]);
  const cases: MakerCheckerCase[] = [
    { file: 'valid-full.json', expect: 'pass', note: 'complete genesis-rooted chain' },
    { file: 'valid-run.json', expect: 'pass', note: "one run's events, run_id-bound" },
    { file: 'valid-full.json', expect: 'pass', pinKey: MC_PIN, note: 'correct key pinned' },
    { file: 'tampered-payload.json', expect: 'fail', reasonContains: 'hash mismatch', note: 'an event payload was altered' },
    { file: 'tampered-signature.json', expect: 'fail', reasonContains: 'signature', note: 'manifest signature corrupted' },
    { file: 'truncated.json', expect: 'fail', reasonContains: 'count', note: 'an event was removed' },
    { file: 'reordered.json', expect: 'fail', reasonContains: 'digest', note: 'events reordered' },
    { file: 'foreign-run-event.json', expect: 'fail', reasonContains: 'does not belong to run', note: 're-signed bundle with a foreign-run event spliced in' },
    { file: 'wrong-key.json', expect: 'pass', note: 'internally valid under its own (attacker) key when NOT pinned' },
    { file: 'wrong-key.json', expect: 'fail', pinKey: MC_PIN, reasonContains: 'pinned key', note: 'same bundle rejected once the real key is pinned' },
    { file: 'unicode-literal.json', expect: 'pass', note: 'astral, combining and bidi characters hashed over literal code points, no normalization' },
    {
      file: 'ill-formed-string.json',
      expect: 'fail',
      reasonCode: 'ill_formed_string',
      reasonContains: 'ill-formed string',
      note: 'an event payload carries an unpaired surrogate: an I-JSON (RFC 7493) violation, a verdict distinct from tamper',
    },
  ];
  return { cases, files };
}

export function makerCheckerIndex(cases: MakerCheckerCase[]): string {
  const index = {
    schemaVersion: 1,
    note:
      "MakerChecker AAPR v1 conformance cases generated by test/vectors/breakers/makerchecker.ts (npm run vectors), in the shape of MakerChecker's own index. " +
      'Run every case through your verifier; a conformant verifier matches `expect`. `pinKey` cases pass the named PEM as the pinned instance public key.',
    cases,
  };
  return JSON.stringify(index, null, 2) + '\n';
}
