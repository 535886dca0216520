// Branded byte types: a Uint8Array that the type system will not confuse with
// another of a different meaning (a digest is not a public key is not a signature).

declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** Raw bytes with no further promise. */
export type Bytes = Uint8Array;
/** A 32-byte SHA-256 output. */
export type Digest = Brand<Uint8Array, 'Digest'>;
/** A 32-byte Ed25519 public key (RFC 8032 §5.1.5 encoding). */
export type PublicKey = Brand<Uint8Array, 'PublicKey'>;
/** A 32-byte Ed25519 secret seed (RFC 8032 §5.1.5 input). */
export type SecretKey = Brand<Uint8Array, 'SecretKey'>;
/** A 64-byte Ed25519 signature R || S (RFC 8032 §5.1.6). */
export type Signature = Brand<Uint8Array, 'Signature'>;
/** Lowercase hex of the SHA-256 of a raw public key (docs/format.md "Bytes"). */
export type KeyId = Brand<string, 'KeyId'>;
/** `sha256:` + 64 lowercase hex digits (docs/format.md "Bytes"). */
export type DigestString = Brand<string, 'DigestString'>;

export function assertBytes(value: unknown, length?: number, name = 'bytes'): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`);
  if (length !== undefined && value.length !== length) throw new RangeError(`${name} must be ${length} bytes, got ${value.length}`);
}

export function asDigest(b: Uint8Array): Digest {
  assertBytes(b, 32, 'digest');
  return b as Digest;
}
export function asPublicKey(b: Uint8Array): PublicKey {
  assertBytes(b, 32, 'publicKey');
  return b as PublicKey;
}
export function asSecretKey(b: Uint8Array): SecretKey {
  assertBytes(b, 32, 'secretKey');
  return b as SecretKey;
}
export function asSignature(b: Uint8Array): Signature {
  assertBytes(b, 64, 'signature');
  return b as Signature;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Byte equality. Not constant-time: only public data is compared here. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
