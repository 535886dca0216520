// One member of the signature pool: checks a packed slice of Ed25519 jobs with
// core's backend (WebCrypto where the platform has Ed25519, else pure JS).
/// <reference lib="webworker" />
import { Comlink, type BridgeResult } from '../src/shared/worker-bridge.ts';
import { createSignatureBackend, type SignatureBackend, type SigJob } from '../src/core/crypto/ed25519.ts';
import type { PackedJobs, SignatureWorkerApi } from './signature-pool.ts';

let backend: Promise<SignatureBackend> | null = null;
const getBackend = () => (backend ??= createSignatureBackend('auto'));

const api: SignatureWorkerApi = {
  async backendName() {
    return (await getBackend()).name;
  },
  async verify(p: PackedJobs): Promise<BridgeResult<Uint8Array>> {
    try {
      const b = await getBackend();
      const n = p.keyIndex.length;
      const jobs: SigJob[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const k = p.keyIndex[i]! * 32;
        jobs[i] = {
          publicKey: p.keys.subarray(k, k + 32),
          signature: p.signatures.subarray(i * 64, i * 64 + 64),
          message: p.messages.subarray(p.messageEnds[i - 1] ?? 0, p.messageEnds[i]!),
        };
      }
      const ok = await b.verifyBatch(jobs);
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = ok[i] ? 1 : 0;
      return Comlink.transfer({ ok: true as const, value: out }, [out.buffer]);
    } catch (e) {
      return { ok: false, code: 'SIG.backend', message: e instanceof Error ? e.message : String(e) };
    }
  },
};

Comlink.expose(api);
