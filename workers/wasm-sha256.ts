// SHA-256 in WebAssembly for the page's workers (issue 10). A browser has no synchronous
// native SHA-256 (WebCrypto's digest is async and one-shot), and the verifier hashes every
// byte two or three times (the file, each MakerChecker event or Countersign leaf and
// payload), so the hash was the largest single cost in the page. hash-wasm's SHA-256 measured
// 2.2× @noble/hashes in V8 here (463 vs 211 MB/s; 2.6 vs 5.3 µs for 1 KB). It goes in
// through core's useNativeSha256, which checks it against FIPS 180-2's "abc" and a non-ASCII
// probe before it is used; where WebAssembly is refused (a host whose CSP lacks
// 'wasm-unsafe-eval', docs/security.md), the workers keep @noble/hashes and the same results.

import { createSHA256, type IHasher } from 'hash-wasm';
import { useNativeSha256, type Sha256Hasher } from '../src/core/crypto/hash.ts';

let installed: Promise<boolean> | null = null;

/** Installs the WebAssembly SHA-256 once per worker; false (and nothing changed) where it cannot run. */
export function installWasmSha256(): Promise<boolean> {
  installed ??= (async () => {
    try {
      const once = await createSHA256();
      // One instance serves every incremental hasher: each keeps its own saved state and
      // loads it around an update (about 100 bytes; the pieces hashed are 64 KiB or more).
      const streams = await createSHA256();
      streams.init();
      const start = streams.save();
      const create = (): Sha256Hasher => {
        let state = start;
        return {
          update(data) {
            streams.load(state);
            streams.update(data);
            state = streams.save();
          },
          digest() {
            streams.load(state);
            return streams.digest('binary');
          },
        };
      };
      const oneShot = (h: IHasher) => (data: Uint8Array | string) => (h.init(), h.update(data), h);
      const hashOnce = oneShot(once);
      useNativeSha256(
        create,
        (data) => hashOnce(data).digest('binary'),
        (text) => hashOnce(text).digest('hex'),
      );
      return true;
    } catch {
      return false; // CSP or no WebAssembly: @noble/hashes stays
    }
  })();
  return installed;
}
