// Ed25519 (RFC 8032 §5.1) with the verification rules of docs/format.md "Bytes":
//   - reject S >= L (§5.1.7 step 1; stops signature malleability),
//   - reject non-canonical encodings of A and R (y >= p, or x = 0 with the sign bit set),
//   - reject a small-order public key A,
//   - check the COFACTORLESS equation [S]B = R + [k]A by encoding [S]B - [k]A and comparing
//     it byte-for-byte with R, as OpenSSL and BoringSSL do.
// noble's own `verify` is cofactored ([8]...) even with zip215:false, so it is not used here;
// verification is built from its Point primitives instead. The edge cases that separate these
// rules are the vectors of "Taming the many EdDSAs" (Chalkias, Garillot, Nikolaenko, 2020).
import { hashes, getPublicKey as nobleGetPublicKey, Point, sign as nobleSign } from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import {
  asPublicKey,
  asSecretKey,
  asSignature,
  assertBytes,
  concatBytes,
  equalBytes,
  type KeyId,
  type PublicKey,
  type SecretKey,
  type Signature,
} from '../encoding/bytes.ts';
import { decodeHex, encodeHex, isLowerHex } from '../encoding/hex.ts';
import { sha256 } from './hash.ts';

// noble needs a synchronous SHA-512 for sign/getPublicKey; @noble/hashes provides it.
if (hashes.sha512 === undefined) hashes.sha512 = sha512;

/** Field prime p = 2^255 - 19 (RFC 8032 §5.1). */
const P = 2n ** 255n - 19n;
/** Group order L = 2^252 + 27742317777372353535851937790883648493 (RFC 8032 §5.1). */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

function bytesToNumberLE(b: Uint8Array): bigint {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!);
  return n;
}

/**
 * True if `enc` is the one canonical encoding a point could have (RFC 8032 §5.1.2):
 * y < p, and the sign bit is clear when x = 0 (which happens only for y = 1 or y = p - 1).
 * Cheap (no square root) and says nothing about being on the curve.
 */
function isCanonicalPointEncoding(enc: Uint8Array): boolean {
  // On the bytes (issue 10: two BigInt conversions a signature were about 2 µs of a line).
  if (!lessThanLE(enc, P_LE, 0x7f)) return false; // y < p
  if (enc[31]! & 0x80 && (equalLE(enc, ONE_LE, 0x7f) || equalLE(enc, P_MINUS_1_LE, 0x7f))) return false; // x = 0 with the sign bit
  return true;
}

function bytesLE(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
}
const P_LE = bytesLE(P);
const P_MINUS_1_LE = bytesLE(P - 1n);
const ONE_LE = bytesLE(1n);
const L_LE = bytesLE(L);

/** a < b as 32-byte little-endian numbers, a's top byte masked with `top` (0x7f: y without the sign bit). */
function lessThanLE(a: Uint8Array, b: Uint8Array, top = 0xff): boolean {
  for (let i = 31; i >= 0; i--) {
    const x = i === 31 ? a[i]! & top : a[i]!;
    if (x !== b[i]) return x < b[i]!;
  }
  return false;
}

function equalLE(a: Uint8Array, b: Uint8Array, top: number): boolean {
  if ((a[31]! & top) !== b[31]) return false;
  for (let i = 0; i < 31; i++) if (a[i] !== b[i]) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Keys

/** Key id (docs/format.md "Bytes"): lowercase hex SHA-256 of the 32 raw public-key bytes. */
export function keyIdOf(publicKey: Uint8Array): KeyId {
  assertBytes(publicKey, 32, 'publicKey');
  return encodeHex(sha256(publicKey)) as KeyId;
}

/** Fingerprint (docs/format.md "Countersign statements and envelopes"): first 32 hex digits of the key id, in groups of four. */
export function fingerprintOf(keyId: string): string {
  if (typeof keyId !== 'string') throw new TypeError('keyId must be a string');
  if (!isLowerHex(keyId, 64)) throw new RangeError('keyId must be 64 lowercase hex digits');
  return keyId.slice(0, 32).match(/.{4}/g)!.join(' ');
}

/** A fresh 32-byte secret seed (RFC 8032 §5.1.5) from the platform CSPRNG. */
export function generateSecretKey(): SecretKey {
  return asSecretKey(crypto.getRandomValues(new Uint8Array(32)));
}

export function getPublicKey(secretKey: Uint8Array): PublicKey {
  assertBytes(secretKey, 32, 'secretKey');
  return asPublicKey(nobleGetPublicKey(secretKey));
}

/** Deterministic RFC 8032 §5.1.6 signature over `message`. */
export function sign(message: Uint8Array, secretKey: Uint8Array): Signature {
  assertBytes(message, undefined, 'message');
  assertBytes(secretKey, 32, 'secretKey');
  return asSignature(nobleSign(message, secretKey));
}

type KeyCheck = { ok: true } | { ok: false; reason: string };
type CachedKey = { check: KeyCheck; point: Point | null };

// Keys are few and signatures many: decoding A (a square root) and the small-order test
// (three doublings) are done once per key. Bounded so hostile input cannot grow it forever.
const KEY_CACHE_MAX = 1024;
const keyCache = new Map<string, CachedKey>();

function inspectPublicKey(publicKey: Uint8Array): CachedKey {
  const hex = encodeHex(publicKey);
  const hit = keyCache.get(hex);
  if (hit) return hit;
  let entry: CachedKey;
  let point: Point | null;
  try {
    // zip215 = false: strict RFC 8032 §5.1.3 decoding (y < p, no x = 0 with sign bit).
    point = Point.fromBytes(publicKey, false);
  } catch {
    point = null;
  }
  if (point === null) {
    entry = {
      check: {
        ok: false,
        reason: isCanonicalPointEncoding(publicKey) ? 'public key is not a point on the curve' : 'public key is not canonically encoded',
      },
      point: null,
    };
  } else if (point.isSmallOrder()) {
    entry = { check: { ok: false, reason: 'public key has small order' }, point: null };
  } else {
    entry = { check: { ok: true }, point };
  }
  if (keyCache.size >= KEY_CACHE_MAX) keyCache.delete(keyCache.keys().next().value!);
  keyCache.set(hex, entry);
  return entry;
}

/** Whether `publicKey` is acceptable under docs/format.md "Bytes": 32 bytes, canonical, not small order. */
export function checkPublicKey(publicKey: Uint8Array): { ok: true } | { ok: false; reason: string } {
  assertBytes(publicKey, undefined, 'publicKey');
  if (publicKey.length !== 32) return { ok: false, reason: `public key must be 32 bytes, got ${publicKey.length}` };
  return inspectPublicKey(publicKey).check;
}

// ---------------------------------------------------------------------------------------------
// Verification

/**
 * The checks every backend runs in JS before the curve equation, so that no verdict depends
 * on a platform's own edge-case policy. Returns the decoded A for the caller's convenience.
 */
function precheck(signature: Uint8Array, publicKey: Uint8Array): Point | null {
  if (signature.length !== 64 || publicKey.length !== 32) return null;
  if (!lessThanLE(signature.subarray(32), L_LE)) return null; // RFC 8032 §5.1.7: S < L
  if (!isCanonicalPointEncoding(signature.subarray(0, 32))) return null;
  return inspectPublicKey(publicKey).point;
}

/**
 * The strict pre-checks alone, for a backend outside core that hands the curve equation to the
 * platform (the CLI's pool workers: node:crypto, which is OpenSSL, as WebCrypto is in Node).
 */
export function passesStrictPrechecks(signature: Uint8Array, publicKey: Uint8Array): boolean {
  return precheck(signature, publicKey) !== null;
}

function assertArgs(signature: unknown, message: unknown, publicKey: unknown): void {
  assertBytes(signature, undefined, 'signature');
  assertBytes(message, undefined, 'message');
  assertBytes(publicKey, undefined, 'publicKey');
}

/**
 * Strict, cofactorless Ed25519 verification (docs/format.md "Bytes") in pure JS.
 * Returns false for any malformed bytes; throws TypeError only if an argument is not a Uint8Array.
 */
export function verifyStrict(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  assertArgs(signature, message, publicKey);
  const A = precheck(signature, publicKey);
  if (A === null) return false;
  const r = signature.subarray(0, 32);
  const s = bytesToNumberLE(signature.subarray(32));
  // k = SHA-512(R || A || M) mod L (RFC 8032 §5.1.7 step 2), over the received bytes.
  const k = bytesToNumberLE(sha512(concatBytes(r, publicKey, message))) % L;
  // [S]B - [k]A must encode to exactly R (step 3 without the cofactor, as OpenSSL checks it).
  // Variable-time is fine: every input here is public.
  const check = Point.BASE.multiply(s, false).subtract(A.multiply(k, false));
  return equalBytes(check.toBytes(), r);
}

export type SigJob = { publicKey: Uint8Array; signature: Uint8Array; message: Uint8Array };

export interface SignatureBackend {
  readonly name: 'noble' | 'webcrypto';
  verifyBatch(jobs: readonly SigJob[]): Promise<boolean[]>;
}

function assertJobs(jobs: readonly SigJob[]): void {
  if (!Array.isArray(jobs)) throw new TypeError('jobs must be an array');
  for (const j of jobs) {
    if (j === null || typeof j !== 'object') throw new TypeError('each job must be an object');
    assertArgs(j.signature, j.message, j.publicKey);
  }
}

export function createNobleBackend(): SignatureBackend {
  return {
    name: 'noble',
    async verifyBatch(jobs) {
      assertJobs(jobs);
      return jobs.map((j) => verifyStrict(j.signature, j.message, j.publicKey));
    },
  };
}

/** Platform key handle, typed as whichever `crypto` declaration is in scope (core's or the DOM's). */
type PlatformKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

/** WebCrypto takes only ArrayBuffer-backed views (BufferSource); copy the rare shared one. */
function toBufferSource(b: Uint8Array): Uint8Array<ArrayBuffer> {
  return b.buffer instanceof ArrayBuffer ? (b as Uint8Array<ArrayBuffer>) : b.slice();
}

// RFC 8032 §7.1 TEST 1, used to probe that the platform really implements Ed25519.
const PROBE_PUB = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const PROBE_SIG = 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';

let probe: Promise<boolean> | undefined;

async function probeWebCrypto(): Promise<boolean> {
  try {
    const subtle = typeof crypto === 'object' && crypto !== null ? crypto.subtle : undefined;
    if (!subtle || typeof subtle.importKey !== 'function' || typeof subtle.verify !== 'function') return false;
    const key = await subtle.importKey('raw', toBufferSource(decodeHex(PROBE_PUB)), 'Ed25519', false, ['verify']);
    const sig = toBufferSource(decodeHex(PROBE_SIG));
    const good = await subtle.verify('Ed25519', key, sig, new Uint8Array(0));
    sig[0]! ^= 1;
    const bad = await subtle.verify('Ed25519', key, sig, new Uint8Array(0));
    return good === true && bad === false;
  } catch {
    return false;
  }
}

const CRYPTO_KEY_CACHE_MAX = 256;

/**
 * Ed25519 through the platform's WebCrypto (a native, multi-threaded implementation), or null
 * if the platform lacks it. The strict pre-checks run in JS first, so that the platform only
 * decides the cofactorless equation, on which OpenSSL, BoringSSL and this module agree.
 */
export async function createWebCryptoBackend(): Promise<SignatureBackend | null> {
  probe ??= probeWebCrypto();
  if (!(await probe)) return null;
  const subtle = crypto.subtle;
  const keys = new Map<string, Promise<PlatformKey>>();

  function importKey(publicKey: Uint8Array): Promise<PlatformKey> {
    const hex = encodeHex(publicKey);
    let key = keys.get(hex);
    if (!key) {
      if (keys.size >= CRYPTO_KEY_CACHE_MAX) keys.delete(keys.keys().next().value!);
      key = subtle.importKey('raw', toBufferSource(publicKey), 'Ed25519', false, ['verify']);
      key.catch(() => keys.delete(hex));
      keys.set(hex, key);
    }
    return key;
  }

  async function verifyOne(j: SigJob): Promise<boolean> {
    // Own copies: the bytes pre-checked must be the bytes the platform checks after the await.
    const signature = j.signature.slice();
    const publicKey = j.publicKey.slice();
    if (precheck(signature, publicKey) === null) return false;
    try {
      const key = await importKey(publicKey);
      return (await subtle.verify('Ed25519', key, signature, toBufferSource(j.message))) === true;
    } catch {
      return false;
    }
  }

  return {
    name: 'webcrypto',
    async verifyBatch(jobs) {
      assertJobs(jobs);
      // Issued together so the platform can spread them over its worker threads.
      return Promise.all(jobs.map(verifyOne));
    },
  };
}

/** 'auto' (default) = WebCrypto when the platform has Ed25519, else pure JS. */
export async function createSignatureBackend(prefer: 'auto' | 'noble' | 'webcrypto' = 'auto'): Promise<SignatureBackend> {
  if (prefer !== 'auto' && prefer !== 'noble' && prefer !== 'webcrypto') throw new RangeError(`unknown signature backend "${String(prefer)}"`);
  if (prefer === 'noble') return createNobleBackend();
  const web = await createWebCryptoBackend();
  if (web) return web;
  if (prefer === 'webcrypto') throw new Error('this platform has no WebCrypto Ed25519');
  return createNobleBackend();
}
