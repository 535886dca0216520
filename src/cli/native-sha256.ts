// Node has a native SHA-256; the verifier hashes every byte about three times
// (file, leaf, payload), so the CLI hands core the native one (core/crypto/hash.ts).
// `crypto.hash` (Node >= 20.12) is a one-shot without a Hash object per call, and it
// takes a string, so a MakerChecker event's canonical text is hashed without first
// being copied into a UTF-8 buffer in JavaScript.
import * as crypto from 'node:crypto';
import { useNativeSha256 } from '../core/crypto/hash.ts';

type OneShot = (algorithm: string, data: string | Uint8Array, encoding: 'hex' | 'buffer') => string | Buffer;

export function installNodeSha256(): void {
  const oneShot = (crypto as unknown as { hash?: OneShot }).hash;
  useNativeSha256(
    () => {
      const h = crypto.createHash('sha256');
      return { update: (d) => void h.update(d), digest: () => new Uint8Array(h.digest()) };
    },
    oneShot ? (d) => oneShot('sha256', d, 'buffer') as Buffer : (d) => crypto.createHash('sha256').update(d).digest(),
    oneShot ? (t) => oneShot('sha256', t, 'hex') as string : (t) => crypto.createHash('sha256').update(t, 'utf8').digest('hex'),
  );
}
