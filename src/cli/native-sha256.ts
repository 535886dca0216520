// Node has a native SHA-256; the verifier hashes every byte about three times
// (file, leaf, payload), so the CLI hands core the native one (core/crypto/hash.ts).
import { createHash } from 'node:crypto';
import { useNativeSha256 } from '../core/crypto/hash.ts';

export function installNodeSha256(): void {
  useNativeSha256(
    () => {
      const h = createHash('sha256');
      return { update: (d) => void h.update(d), digest: () => new Uint8Array(h.digest()) };
    },
    (d) => createHash('sha256').update(d).digest(),
  );
}
