// Ed25519 public keys in SPKI PEM (RFC 8410 §4): the DER is a fixed 12-byte
// prefix followed by the 32 raw key bytes, so no ASN.1 parser is needed.

import { decodeBase64, encodeBase64 } from '../encoding/base64.ts';
import { concatBytes, equalBytes } from '../encoding/bytes.ts';
import { decodeHex } from '../encoding/hex.ts';

/** SEQUENCE { SEQUENCE { OID 1.3.101.112 } BIT STRING (33 bytes) } header. */
export const ED25519_SPKI_PREFIX = decodeHex('302a300506032b6570032100');

/** The SPKI DER of an Ed25519 PEM (attacker-controlled text), or null. */
export function spkiFromPem(pem: string): Uint8Array | null {
  const m = /^\s*-----BEGIN PUBLIC KEY-----\s*([A-Za-z0-9+/=\s]+?)\s*-----END PUBLIC KEY-----\s*$/.exec(pem);
  if (!m) return null;
  let der: Uint8Array;
  try {
    der = decodeBase64(m[1]!.replace(/\s+/g, ''));
  } catch {
    return null;
  }
  if (der.length !== 44 || !equalBytes(der.subarray(0, 12), ED25519_SPKI_PREFIX)) return null;
  return der;
}

export function publicKeyFromPem(pem: string): Uint8Array | null {
  const der = spkiFromPem(pem);
  return der ? der.slice(12) : null;
}

export function pemFromPublicKey(publicKey: Uint8Array): string {
  const b64 = encodeBase64(concatBytes(ED25519_SPKI_PREFIX, publicKey));
  return `-----BEGIN PUBLIC KEY-----\n${b64}\n-----END PUBLIC KEY-----\n`;
}
