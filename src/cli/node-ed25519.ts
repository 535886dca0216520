// Ed25519 for the CLI's pool workers: the strict pre-checks of core (docs/format.md "Bytes"),
// then node:crypto's one-shot verify, synchronously on the worker's own thread. Node's WebCrypto
// is the same OpenSSL code, but each check is a promise handed to libuv's shared thread pool;
// here the N workers are the N threads, as in the raw-rate yardstick (test/bench/bench.ts).
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { passesStrictPrechecks, type SignatureBackend, type SigJob } from '../core/crypto/ed25519.ts';

/** RFC 8410 §4: the SubjectPublicKeyInfo DER prefix of a raw 32-byte Ed25519 key. */
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');

export function createNodeEd25519(): Pick<SignatureBackend, 'verifyBatch'> {
  const keys = new Map<Uint8Array, KeyObject>();
  const keyOf = (pub: Uint8Array): KeyObject => {
    let k = keys.get(pub);
    if (!k) {
      if (keys.size >= 4096) keys.clear();
      keys.set(pub, (k = createPublicKey({ key: Buffer.concat([SPKI_ED25519, pub]), format: 'der', type: 'spki' })));
    }
    return k;
  };
  const verifyOne = (j: SigJob): boolean => {
    if (!passesStrictPrechecks(j.signature, j.publicKey)) return false;
    try {
      return verify(null, j.message, keyOf(j.publicKey), j.signature);
    } catch {
      return false;
    }
  };
  return { verifyBatch: async (jobs) => jobs.map(verifyOne) };
}
