// Witness keys as C2SP verifier keys (docs/format.md §7.2, C2SP signed-note §Verifier keys):
//
//   <name>+<8 hex key hash>+<base64(0x04 || 32-byte Ed25519 public key)>
//
// 0x04 is the tlog-cosignature/v1 signature type, so the key hash is
// SHA-256(name || 0x0A || 0x04 || pub)[:4]. The parser is strict and total: it names what
// is wrong and never throws, because a witness anchor is typed or pasted by a human.
import { assertBytes, concatBytes, type PublicKey } from '../encoding/bytes.ts';
import { decodeBase64, encodeBase64 } from '../encoding/base64.ts';
import { encodeHex } from '../encoding/hex.ts';
import { encodeUtf8 } from '../encoding/utf8.ts';
import { sha256 } from '../crypto/hash.ts';
import { checkPublicKey } from '../crypto/ed25519.ts';

/** tlog-cosignature v1 signature type byte (C2SP tlog-cosignature §Format). */
export const COSIGNATURE_V1_TYPE = 0x04;

export interface WitnessKey {
  /** The key name, which is also the name on the witness's cosignature lines. */
  name: string;
  /** First 4 bytes of SHA-256(name || 0x0A || 0x04 || publicKey). */
  keyHash: Uint8Array;
  publicKey: PublicKey;
}

export type ParseWitnessKeyResult = { ok: true; key: WitnessKey } | { ok: false; message: string };

/** Signed-note key names: non-empty, no Unicode spaces, no '+', no control characters. */
export function witnessNameProblem(name: string): string | null {
  if (typeof name !== 'string') return 'name must be a string';
  if (name.length === 0) return 'name is empty';
  if (/[\s+\p{Cc}\p{Cs}]/u.test(name)) return `name ${JSON.stringify(name)} contains a space, "+", a control character or a lone surrogate`;
  return null;
}

/** SHA-256(name || 0x0A || 0x04 || pub)[:4]: the key ID of a cosignature/v1 key. */
export function witnessKeyHash(name: string, publicKey: Uint8Array): Uint8Array {
  const problem = witnessNameProblem(name);
  if (problem) throw new RangeError(`witness ${problem}`);
  assertBytes(publicKey, 32, 'publicKey');
  return sha256(concatBytes(encodeUtf8(name), Uint8Array.of(0x0a, COSIGNATURE_V1_TYPE), publicKey)).slice(0, 4);
}

/** Prints `<name>+<hex key hash>+<base64(0x04 || pub)>`. */
export function formatWitnessKey(name: string, publicKey: Uint8Array): string {
  const keyHash = witnessKeyHash(name, publicKey);
  return `${name}+${encodeHex(keyHash)}+${encodeBase64(concatBytes(Uint8Array.of(COSIGNATURE_V1_TYPE), publicKey))}`;
}

/**
 * Parses a verifier key. Attacker-controlled (pasted into the trust panel or a CLI flag):
 * rejects another signature type, a key hash that does not match, non-canonical base64,
 * and public keys that are not canonical or of small order (docs/format.md "Bytes" Ed25519 rules).
 */
export function parseWitnessKey(text: string): ParseWitnessKeyResult {
  const fail = (message: string): ParseWitnessKeyResult => ({ ok: false, message });
  if (typeof text !== 'string') return fail('a witness key must be a string');
  // The base64 part may itself hold '+'; the name and the hash never do.
  const a = text.indexOf('+');
  const b = a < 0 ? -1 : text.indexOf('+', a + 1);
  if (b < 0) return fail('a witness key is <name>+<8 hex digits>+<base64 key>');
  const name = text.slice(0, a);
  const hashHex = text.slice(a + 1, b);
  const b64 = text.slice(b + 1);
  const nameProblem = witnessNameProblem(name);
  if (nameProblem) return fail(`witness key ${nameProblem}`);
  if (!/^[0-9a-f]{8}$/.test(hashHex)) return fail(`witness key hash ${JSON.stringify(hashHex)} is not 8 lowercase hex digits`);
  let raw: Uint8Array;
  try {
    raw = decodeBase64(b64);
  } catch (e) {
    return fail(`witness key is not strict base64 (${(e as Error).message})`);
  }
  if (raw.length !== 33) return fail(`witness key decodes to ${raw.length} bytes, want 33 (type byte 0x04 and a 32-byte Ed25519 key)`);
  if (raw[0] !== COSIGNATURE_V1_TYPE)
    return fail(`witness key has signature type 0x${raw[0]!.toString(16).padStart(2, '0')}, want 0x04 (tlog-cosignature v1 Ed25519)`);
  const publicKey = raw.slice(1) as PublicKey;
  const pk = checkPublicKey(publicKey);
  if (!pk.ok) return fail(`witness public key is unusable: ${pk.reason}`);
  const keyHash = witnessKeyHash(name, publicKey);
  if (encodeHex(keyHash) !== hashHex) return fail(`witness key hash ${hashHex} does not match the name and key (want ${encodeHex(keyHash)})`);
  return { ok: true, key: { name, keyHash, publicKey } };
}
