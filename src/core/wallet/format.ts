// Small, pure presentation helpers the wallet shares between the page and tests.

import { isDigestString } from '../crypto/hash.ts';
import { isLowerHex } from '../encoding/hex.ts';
import type { Instant } from '../statements/time.ts';

/**
 * The request digest as a short fingerprint to read aloud: the first 16 hex digits of the
 * SHA-256, in four groups of four ("3f2a 91c0 7be4 0d15"). 64 bits: enough for two people
 * on a call to agree they look at the same request, not a security parameter on its own.
 */
export function digestFingerprint(digest: string): string {
  if (!isDigestString(digest)) throw new RangeError('digest must be sha256: and 64 lowercase hex digits');
  return digest.slice(7, 23).match(/.{4}/g)!.join(' ');
}

/**
 * A stable hue (0-359) for an identity, from its key id, so each identity keeps its colour on
 * every device. Colour is only a hint: the name and fingerprint are always shown with it.
 */
export function identityHue(keyId: string): number {
  if (!isLowerHex(keyId, 64)) throw new RangeError('keyId must be 64 lowercase hex digits');
  return Number.parseInt(keyId.slice(0, 4), 16) % 360;
}

export function instantFromMs(ms: number): Instant {
  const sec = Math.floor(ms / 1000);
  return { sec, nanos: Math.round((ms - sec * 1000) * 1e6) };
}

export function msFromInstant(t: Instant): number {
  return t.sec * 1000 + Math.floor(t.nanos / 1e6);
}

/** "in 42 min", "in 3 h 5 min", "2 min ago". */
export function relativeDuration(ms: number): string {
  const future = ms >= 0;
  const s = Math.round(Math.abs(ms) / 1000);
  let text: string;
  if (s < 60) text = `${s} s`;
  else if (s < 3600) text = `${Math.floor(s / 60)} min`;
  else if (s < 86400 * 2) text = `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  else text = `${Math.floor(s / 86400)} days`;
  return future ? `in ${text}` : `${text} ago`;
}
