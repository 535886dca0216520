// Signing a statement into a DSSE envelope, and wrapping an envelope into a log
// entry (docs/format.md "Countersign statements and envelopes" and §3). This is the writer's side of envelope.ts: whatever
// these produce, openEnvelope reads back without a problem.
//
//   payload     = base64(C(statement))                       (docs/format.md "Countersign statements and envelopes")
//   payloadType = application/vnd.countersign.<type>+json
//   signature   = Ed25519(PAE(payloadType, payload bytes)), keyid = hex SHA-256(pub)
//
// The statement is not checked against its schema: conformance vectors sign broken
// statements on purpose, and the verifier is the judge of what is valid.
import { decodeBase64, encodeBase64 } from '../encoding/base64.ts';
import { assertBytes, type DigestString, type SecretKey } from '../encoding/bytes.ts';
import { isLowerHex } from '../encoding/hex.ts';
import { canonicalBytes } from '../encoding/jcs.ts';
import { pae, payloadTypeFor } from '../crypto/dsse.ts';
import { getPublicKey, keyIdOf, sign } from '../crypto/ed25519.ts';
import { sha256, toDigestString } from '../crypto/hash.ts';
import type { Entry, Envelope } from './schemas.ts';

/** `prev` of entry 0 (docs/format.md "The log and its checkpoints"): one copy, in encoding/constants.ts. */
export { ZERO_PREV } from '../encoding/constants.ts';
import { ZERO_PREV } from '../encoding/constants.ts';

function assertSecretKeys(secretKeys: unknown): asserts secretKeys is SecretKey[] {
  if (!Array.isArray(secretKeys)) throw new TypeError('secretKeys must be an array of 32-byte secret keys');
  if (secretKeys.length === 0) throw new RangeError('secretKeys must not be empty: an envelope carries at least one signature');
  secretKeys.forEach((k, i) => assertBytes(k, 32, `secretKeys[${i}]`));
}

/**
 * Signs raw payload bytes under `payloadType` with each key. No check of the payload:
 * this is how a test writes a non-canonical or mistyped envelope.
 */
export function signPayload(payloadType: string, payload: Uint8Array, secretKeys: SecretKey[]): Envelope {
  if (typeof payloadType !== 'string') throw new TypeError('payloadType must be a string');
  assertBytes(payload, undefined, 'payload');
  assertSecretKeys(secretKeys);
  const message = pae(payloadType, payload);
  const signatures: Envelope['signatures'] = [];
  const seen = new Set<string>();
  for (const secretKey of secretKeys) {
    const keyid = keyIdOf(getPublicKey(secretKey));
    // docs/format.md "Countersign statements and envelopes": no two signatures with the same key id.
    if (seen.has(keyid)) throw new RangeError(`secretKeys holds the key ${keyid.slice(0, 16)}… twice`);
    seen.add(keyid);
    signatures.push({ keyid, sig: encodeBase64(sign(message, secretKey)) });
  }
  return { payloadType, payload: encodeBase64(payload), signatures };
}

function assertStatement(statement: unknown): asserts statement is { type: string } {
  if (statement === null || typeof statement !== 'object' || Array.isArray(statement)) throw new TypeError('statement must be a JSON object');
  const type = (statement as { type?: unknown }).type;
  if (typeof type !== 'string') throw new TypeError('statement.type must be a string');
}

/** docs/format.md "Countersign statements and envelopes": one signature per key over PAE(payloadType, C(statement)). */
export function signStatement(statement: object, secretKeys: SecretKey[]): Envelope {
  assertStatement(statement);
  return signPayload(payloadTypeFor(statement.type), canonicalBytes(statement), secretKeys);
}

/** The digest of a statement (docs/format.md "Countersign statements and envelopes"): `sha256:` + hex SHA-256 of C(statement). */
export function digestStatement(statement: object): DigestString {
  assertStatement(statement);
  return toDigestString(sha256(canonicalBytes(statement)));
}

/** The digest of the statement an envelope carries: SHA-256 of its payload bytes. */
export function digestEnvelope(envelope: Envelope): DigestString {
  if (envelope === null || typeof envelope !== 'object' || typeof envelope.payload !== 'string') throw new TypeError('envelope must have a base64 payload');
  return toDigestString(sha256(decodeBase64(envelope.payload)));
}

/** Entry n of the log (docs/format.md "The log and its checkpoints"): `{"seq":n,"prev":"<hex leafhash(n-1)>","envelope":...}`. */
export function buildEntry(seq: number, prev: string, envelope: Envelope): Entry {
  if (typeof seq !== 'number') throw new TypeError('seq must be a number');
  if (!Number.isSafeInteger(seq) || seq < 0) throw new RangeError('seq must be an integer in [0, 2^53 - 1]');
  if (typeof prev !== 'string') throw new TypeError('prev must be a string');
  if (!isLowerHex(prev, 64)) throw new RangeError('prev must be 64 lowercase hex digits');
  if (seq === 0 && prev !== ZERO_PREV) throw new RangeError('prev of entry 0 must be 64 zeros');
  if (envelope === null || typeof envelope !== 'object' || Array.isArray(envelope)) throw new TypeError('envelope must be an object');
  return { seq, prev, envelope };
}
