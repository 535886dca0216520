// The encrypted secret-key file "key/v1" (docs/keyfile.md): written by `countersign keygen`,
// read by `countersign sign`, and used as the wallet's backup.
//
//   AES-256-GCM key = scrypt(NFC(passphrase), salt, n, r, p, dkLen 32)   (RFC 7914)
//   plaintext       = the 32-byte Ed25519 seed
//   AAD             = UTF-8 of JCS(file without cipher.ciphertext)      (RFC 8785, encoding/jcs.ts)
//
// The AAD binds every visible field (principal, name, pub, KDF parameters, nonce) to the
// ciphertext, so an edited label or a swapped public key fails to decrypt instead of being
// trusted. The KDF parameters come from the file, i.e. from whoever handed it over, so they
// are bounded before any work is done.
import { PRINCIPAL_ID_PATTERN, PRINCIPAL_ID_TEXT } from '../encoding/constants.ts';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { asSecretKey, equalBytes, type PublicKey, type SecretKey } from '../encoding/bytes.ts';
import { decodeBase64, encodeBase64 } from '../encoding/base64.ts';
import { canonicalBytes } from '../encoding/jcs.ts';
import { parseJsonText } from '../encoding/json.ts';
import { encodeUtf8 } from '../encoding/utf8.ts';
import { getPublicKey } from './ed25519.ts';
import { parseTime } from '../encoding/time.ts'; // docs/format.md "Bytes" times

export type KeyFile = {
  countersign: 'key/v1';
  principal: string;
  name: string;
  pub: string;
  created_at: string;
  kdf: { name: 'scrypt'; n: number; r: number; p: number; salt: string };
  cipher: { name: 'aes-256-gcm'; nonce: string; ciphertext: string };
};

export type KeyFileErrorCode = 'KEY.format' | 'KEY.passphrase' | 'KEY.mismatch';
export type ParseKeyFileResult = { ok: true; file: KeyFile } | { ok: false; code: 'KEY.format'; message: string };
export type DecryptKeyFileResult =
  { ok: true; secretKey: SecretKey; publicKey: PublicKey; principal: string; name: string } | { ok: false; code: KeyFileErrorCode; message: string };

/** Default scrypt cost: 2^17 * r 8 = 128 MiB, about a second on a laptop. */
export const DEFAULT_SCRYPT_N = 2 ** 17;
const MIN_LOG_N = 14;
const MAX_LOG_N = 20;
const MIN_R = 8;
/** scrypt allocates 128 * r * n bytes; more than 1 GiB would fail in a browser tab anyway. */
const MAX_SCRYPT_MEMORY = 2 ** 30;
export const MAX_NAME_LENGTH = 256;

/** A display name: 1..256 UTF-16 units, no control characters, no lone surrogates (I-JSON). */
export function isDisplayName(s: string): boolean {
  if (s.length === 0 || s.length > MAX_NAME_LENGTH) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c < 0xa0)) return false;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

/** Null if the scrypt parameters are within bounds, else what is wrong. */
function kdfProblem(n: unknown, r: unknown, p: unknown): string | null {
  if (!Number.isSafeInteger(n) || (n as number) < 2 ** MIN_LOG_N || (n as number) > 2 ** MAX_LOG_N || ((n as number) & ((n as number) - 1)) !== 0)
    return `kdf.n must be a power of two in [2^${MIN_LOG_N}, 2^${MAX_LOG_N}]`;
  // The floor is n = 2^14 with r = 8 (16 MiB of work memory): below it a file is
  // cheap to brute-force, whoever wrote it (docs/keyfile.md "KDF bounds").
  if (!Number.isSafeInteger(r) || (r as number) < MIN_R || (r as number) > 16) return `kdf.r must be an integer in [${MIN_R}, 16]`;
  if (!Number.isSafeInteger(p) || (p as number) < 1 || (p as number) > 4) return 'kdf.p must be an integer in [1, 4]';
  if (128 * (n as number) * (r as number) > MAX_SCRYPT_MEMORY) return 'kdf.n * kdf.r needs more than 1 GiB of memory';
  return null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function exactKeys(o: Record<string, unknown>, keys: readonly string[], where: string): string | null {
  for (const k of Object.keys(o)) if (!keys.includes(k)) return `${where} has unknown field ${JSON.stringify(k)}`;
  for (const k of keys) if (o[k] === undefined) return `${where} is missing field ${JSON.stringify(k)}`;
  return null;
}

function base64Problem(v: unknown, bytes: number, field: string): string | null {
  if (typeof v !== 'string') return `${field} must be a base64 string`;
  let raw: Uint8Array;
  try {
    raw = decodeBase64(v);
  } catch (e) {
    return `${field} is not strict base64 (${(e as Error).message})`;
  }
  return raw.length === bytes ? null : `${field} must decode to ${bytes} bytes, got ${raw.length}`;
}

/** Checks the shape and bounds of an already-parsed key file. Never throws. */
export function checkKeyFile(value: unknown): ParseKeyFileResult {
  const fail = (message: string): ParseKeyFileResult => ({ ok: false, code: 'KEY.format', message });
  if (!isObject(value)) return fail('key file must be a JSON object');
  const top = exactKeys(value, ['countersign', 'principal', 'name', 'pub', 'created_at', 'kdf', 'cipher'], 'key file');
  if (top) return fail(top);
  const { countersign, principal, name, pub, created_at, kdf, cipher } = value;
  if (countersign !== 'key/v1') return fail(`unsupported key file version ${JSON.stringify(countersign)}, want "key/v1"`);
  if (typeof principal !== 'string' || !PRINCIPAL_ID_PATTERN.test(principal)) return fail(`principal must match ${PRINCIPAL_ID_TEXT}`);
  if (typeof name !== 'string' || !isDisplayName(name)) return fail(`name must be 1 to ${MAX_NAME_LENGTH} characters without control characters`);
  const pubProblem = base64Problem(pub, 32, 'pub');
  if (pubProblem) return fail(pubProblem);
  if (typeof created_at !== 'string' || parseTime(created_at) === null) return fail('created_at must be an RFC 3339 UTC time such as 2026-03-18T10:04:05Z');
  if (!isObject(kdf)) return fail('kdf must be an object');
  const kdfKeys = exactKeys(kdf, ['name', 'n', 'r', 'p', 'salt'], 'kdf');
  if (kdfKeys) return fail(kdfKeys);
  if (kdf.name !== 'scrypt') return fail(`unsupported kdf ${JSON.stringify(kdf.name)}, want "scrypt"`);
  const bounds = kdfProblem(kdf.n, kdf.r, kdf.p);
  if (bounds) return fail(bounds);
  const saltProblem = base64Problem(kdf.salt, 16, 'kdf.salt');
  if (saltProblem) return fail(saltProblem);
  if (!isObject(cipher)) return fail('cipher must be an object');
  const cipherKeys = exactKeys(cipher, ['name', 'nonce', 'ciphertext'], 'cipher');
  if (cipherKeys) return fail(cipherKeys);
  if (cipher.name !== 'aes-256-gcm') return fail(`unsupported cipher ${JSON.stringify(cipher.name)}, want "aes-256-gcm"`);
  const nonceProblem = base64Problem(cipher.nonce, 12, 'cipher.nonce');
  if (nonceProblem) return fail(nonceProblem);
  const ctProblem = base64Problem(cipher.ciphertext, 48, 'cipher.ciphertext'); // 32-byte seed + 16-byte tag
  if (ctProblem) return fail(ctProblem);
  return { ok: true, file: value as KeyFile };
}

/** Parses key-file JSON text and checks it. Never throws. */
export function parseKeyFile(text: string): ParseKeyFileResult {
  if (typeof text !== 'string') return { ok: false, code: 'KEY.format', message: 'key file must be text' };
  // The strict I-JSON reader: a duplicated "pub" or "name" must not mean one thing here and
  // another to a different tool (docs/format.md "Bytes").
  let parsed: ReturnType<typeof parseJsonText>;
  try {
    parsed = parseJsonText(text);
  } catch {
    return { ok: false, code: 'KEY.format', message: 'key file could not be read as JSON' };
  }
  if (!parsed.ok) return { ok: false, code: 'KEY.format', message: `key file is not valid JSON: ${parsed.error.message} at ${parsed.error.path}` };
  return checkKeyFile(parsed.value);
}

/** AAD = UTF-8 of JCS(file without cipher.ciphertext). */
function additionalData(file: Omit<KeyFile, 'cipher'> & { cipher: { name: string; nonce: string } }): Uint8Array {
  const { cipher, ...rest } = file;
  return canonicalBytes({ ...rest, cipher: { name: cipher.name, nonce: cipher.nonce } });
}

/** Platform key handle, typed as whichever `crypto` declaration is in scope (core's or the DOM's). */
type PlatformKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

/** WebCrypto takes only ArrayBuffer-backed views (BufferSource); copy the rare shared one. */
function toBufferSource(b: Uint8Array): Uint8Array<ArrayBuffer> {
  return b.buffer instanceof ArrayBuffer ? (b as Uint8Array<ArrayBuffer>) : b.slice();
}

async function deriveAesKey(
  passphrase: string,
  salt: Uint8Array,
  kdf: { n: number; r: number; p: number },
  usage: 'encrypt' | 'decrypt',
  onProgress?: (f: number) => void,
): Promise<PlatformKey> {
  // NFC so that the same typed passphrase gives the same key on every OS and keyboard.
  const raw = await scryptAsync(encodeUtf8(passphrase.normalize('NFC')), salt, {
    N: kdf.n,
    r: kdf.r,
    p: kdf.p,
    dkLen: 32,
    maxmem: 128 * kdf.r * (kdf.n + kdf.p + 1),
    ...(onProgress ? { onProgress } : {}),
  });
  try {
    return await crypto.subtle.importKey('raw', toBufferSource(raw), { name: 'AES-GCM' }, false, [usage]);
  } finally {
    raw.fill(0);
  }
}

/** Encrypts an Ed25519 seed into a key/v1 file. Throws TypeError/RangeError on bad arguments. */
export async function encryptKeyFile(args: {
  secretKey: SecretKey;
  principal: string;
  name: string;
  passphrase: string;
  createdAt?: string;
  n?: number;
  onProgress?: (f: number) => void;
}): Promise<KeyFile> {
  if (args === null || typeof args !== 'object') throw new TypeError('encryptKeyFile needs an arguments object');
  const { secretKey, principal, name, passphrase, createdAt = new Date().toISOString(), n = DEFAULT_SCRYPT_N, onProgress } = args;
  const publicKey = getPublicKey(secretKey); // checks secretKey is 32 bytes
  if (typeof principal !== 'string' || !PRINCIPAL_ID_PATTERN.test(principal)) throw new RangeError(`principal must match ${PRINCIPAL_ID_TEXT}`);
  if (typeof name !== 'string') throw new TypeError('name must be a string');
  if (!isDisplayName(name)) throw new RangeError(`name must be 1 to ${MAX_NAME_LENGTH} characters without control characters`);
  if (typeof passphrase !== 'string') throw new TypeError('passphrase must be a string');
  if (passphrase.length === 0) throw new RangeError('passphrase must not be empty');
  if (typeof createdAt !== 'string' || parseTime(createdAt) === null) throw new RangeError('createdAt must be an RFC 3339 UTC time');
  const bounds = kdfProblem(n, 8, 1);
  if (bounds) throw new RangeError(bounds.replace('kdf.n', 'n'));
  if (onProgress !== undefined && typeof onProgress !== 'function') throw new TypeError('onProgress must be a function');

  const salt = crypto.getRandomValues(new Uint8Array(16));
  const nonce = crypto.getRandomValues(new Uint8Array(12)); // fresh key per file, so a random nonce never repeats
  const header = {
    countersign: 'key/v1' as const,
    principal,
    name,
    pub: encodeBase64(publicKey),
    created_at: createdAt,
    kdf: { name: 'scrypt' as const, n, r: 8, p: 1, salt: encodeBase64(salt) },
    cipher: { name: 'aes-256-gcm' as const, nonce: encodeBase64(nonce) },
  };
  const key = await deriveAesKey(passphrase, salt, header.kdf, 'encrypt', onProgress);
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: nonce, additionalData: toBufferSource(additionalData(header)) },
    key,
    toBufferSource(secretKey),
  );
  return { ...header, cipher: { ...header.cipher, ciphertext: encodeBase64(new Uint8Array(ct)) } };
}

/**
 * Decrypts a key/v1 file (parsed JSON, or its text). Never throws on a bad file: it answers
 * KEY.format (malformed or out-of-bounds), KEY.passphrase (wrong passphrase, or any field was
 * altered: GCM cannot tell these apart), or KEY.mismatch (the seed does not give `pub`).
 */
export async function decryptKeyFile(file: unknown, passphrase: string, onProgress?: (f: number) => void): Promise<DecryptKeyFileResult> {
  if (typeof passphrase !== 'string') throw new TypeError('passphrase must be a string');
  const checked = typeof file === 'string' ? parseKeyFile(file) : checkKeyFile(file);
  if (!checked.ok) return checked;
  const f = checked.file;
  const pub = decodeBase64(f.pub);
  // Outside the try: the bounds are checked, so a failure here is the platform's, not the file's.
  const key = await deriveAesKey(passphrase, decodeBase64(f.kdf.salt), f.kdf, 'decrypt', onProgress);
  let seed: Uint8Array;
  try {
    const pt = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: toBufferSource(decodeBase64(f.cipher.nonce)), additionalData: toBufferSource(additionalData(f)) },
      key,
      toBufferSource(decodeBase64(f.cipher.ciphertext)),
    );
    seed = new Uint8Array(pt);
  } catch {
    return { ok: false, code: 'KEY.passphrase', message: 'wrong passphrase, or the key file was altered' };
  }
  const secretKey = asSecretKey(seed);
  const publicKey = getPublicKey(secretKey);
  if (!equalBytes(publicKey, pub)) {
    seed.fill(0);
    return { ok: false, code: 'KEY.mismatch', message: 'the decrypted secret key does not match the public key "pub"' };
  }
  return { ok: true, secretKey, publicKey, principal: f.principal, name: f.name };
}
