// A SignatureBackend that fans each batch out to N sub-workers, N sized to the
// machine. The verifier hands over 512 entries' signatures at a time and waits
// for them, so the batch is split into one slice per worker; each slice crosses
// as four transferred buffers (deduplicated keys, key index, signatures,
// concatenated messages), never as thousands of small cloned objects.

import { Comlink, connectWorker } from '../src/shared/worker-bridge.ts';
import type { BridgeResult } from '../src/shared/worker-bridge.ts';
import { createSignatureBackend, keyIdOf, type SignatureBackend, type SigJob } from '../src/core/crypto/ed25519.ts';

export interface PackedJobs {
  keys: Uint8Array;
  keyIndex: Uint32Array;
  signatures: Uint8Array;
  messages: Uint8Array;
  /** Exclusive end of message i in `messages`. */
  messageEnds: Uint32Array;
}

export interface SignatureWorkerApi {
  backendName(): Promise<string>;
  verify(p: PackedJobs): Promise<BridgeResult<Uint8Array>>;
}

/** Below this many jobs a batch is not worth splitting. */
const MIN_SLICE = 32;

function pack(jobs: readonly SigJob[], from: number, to: number): PackedJobs {
  const n = to - from;
  const keyIds = new Map<Uint8Array, number>();
  const keyList: Uint8Array[] = [];
  const keyIndex = new Uint32Array(n);
  const signatures = new Uint8Array(n * 64);
  const messageEnds = new Uint32Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const j = jobs[from + i]!;
    let k = keyIds.get(j.publicKey);
    if (k === undefined) {
      k = keyList.length;
      keyList.push(j.publicKey);
      keyIds.set(j.publicKey, k);
    }
    keyIndex[i] = k;
    total += j.message.length;
    messageEnds[i] = total;
  }
  const keys = new Uint8Array(keyList.length * 32);
  keyList.forEach((key, i) => keys.set(key.length === 32 ? key : new Uint8Array(32), i * 32));
  const messages = new Uint8Array(total);
  for (let i = 0; i < n; i++) {
    const j = jobs[from + i]!;
    // Wrong-sized values travel as zeros of the right size and are ruled invalid on return.
    signatures.set(j.signature.length === 64 ? j.signature : new Uint8Array(64), i * 64);
    messages.set(j.message, messageEnds[i - 1] ?? 0);
  }
  return { keys, keyIndex, signatures, messages, messageEnds };
}

export interface SignaturePool extends SignatureBackend {
  readonly size: number;
  /** Public keys seen so far, by key id (for re-checking one entry's signature later). */
  readonly keysById: Map<string, Uint8Array>;
  terminate(): void;
}

export async function createSignaturePool(size: number): Promise<SignaturePool> {
  const keysById = new Map<string, Uint8Array>();
  const seen = new WeakSet<Uint8Array>();
  const remember = (jobs: readonly SigJob[]) => {
    // The verifier passes the same key object for every job of one key: cheap to dedupe.
    for (const j of jobs)
      if (!seen.has(j.publicKey)) {
        seen.add(j.publicKey);
        if (j.publicKey.length === 32) keysById.set(keyIdOf(j.publicKey), j.publicKey.slice());
      }
  };
  const workers: Worker[] = [];
  const remotes: Comlink.Remote<SignatureWorkerApi>[] = [];
  if (typeof Worker === 'function') {
    try {
      for (let i = 0; i < size; i++) {
        const w = new Worker(new URL('./signature.worker.ts', import.meta.url), { type: 'module', name: `signatures-${i + 1}` });
        workers.push(w);
        remotes.push(connectWorker<SignatureWorkerApi>(w));
      }
    } catch {
      for (const w of workers) w.terminate();
      workers.length = 0;
      remotes.length = 0;
    }
  }
  // No nested workers on this platform: check here, on the verifier's own thread.
  const local = remotes.length === 0 ? await createSignatureBackend('auto') : null;
  const name = (local?.name ?? (await remotes[0]!.backendName())) as SignatureBackend['name'];

  return {
    name,
    size: remotes.length || 1,
    keysById,
    terminate() {
      for (const w of workers) w.terminate();
    },
    async verifyBatch(jobs) {
      remember(jobs);
      if (local) return local.verifyBatch(jobs);
      const slices = Math.max(1, Math.min(remotes.length, Math.floor(jobs.length / MIN_SLICE)));
      const per = Math.ceil(jobs.length / slices);
      const parts = await Promise.all(
        Array.from({ length: slices }, (_, s) => {
          const from = s * per;
          const to = Math.min(jobs.length, from + per);
          const p = pack(jobs, from, to);
          return remotes[s]!.verify(Comlink.transfer(p, [p.keys.buffer, p.keyIndex.buffer, p.signatures.buffer, p.messages.buffer, p.messageEnds.buffer]));
        }),
      );
      const out: boolean[] = new Array(jobs.length);
      let o = 0;
      for (const r of parts) {
        // A failed worker ends the run with an error rather than a guessed verdict.
        if (!r.ok) throw new Error(`signature worker: ${r.message}`);
        for (let i = 0; i < r.value.length; i++, o++) {
          const j = jobs[o]!;
          out[o] = r.value[i] === 1 && j.signature.length === 64 && j.publicKey.length === 32;
        }
      }
      return out;
    },
  };
}
