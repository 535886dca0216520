// The page's Countersign line pool: N module sub-workers (N = cores) prepare batches of bundle
// lines (parse, leaf hash, entry schema, envelope, Ed25519 under the keys they were told)
// while the verifier worker splits the lines and applies the replies in file order
// (core/verifier/countersign-lines.ts). A batch goes over as two transferred buffers (the
// verifier keeps its own copy) plus the keys this sub-worker has not been sent yet; the reply
// is one JSON text. A sub-worker that fires `error` (it failed to load, or threw outside a
// call) gets no more batches and its pending ones fail at once, so the verifier reads them
// itself rather than wait on a reply that will not come.

import { Comlink, connectWorker } from '../src/shared/worker-bridge.ts';
import type { BridgeResult } from '../src/shared/worker-bridge.ts';
import { packKeys, type CountersignLinePool, type PackedLines } from '../src/core/verifier/countersign-lines.ts';

export interface CountersignLineWorkerApi {
  /** `keys`: public keys (32 bytes each, back to back) the verifier registered since the last batch it sent here. */
  prepare(batch: PackedLines, keys: Uint8Array): Promise<BridgeResult<string>>;
}

export interface WebLinePool extends CountersignLinePool {
  terminate(): void;
}

/** Null where the platform has no nested workers: the verifier then reads on its own thread. */
export function createCountersignLinePool(size: number): WebLinePool | null {
  if (typeof Worker !== 'function') return null;
  const workers: Worker[] = [];
  const remotes: Comlink.Remote<CountersignLineWorkerApi>[] = [];
  try {
    for (let i = 0; i < size; i++) {
      const w = new Worker(new URL('./countersign.worker.ts', import.meta.url), { type: 'module', name: `countersign-${i + 1}` });
      workers.push(w);
      remotes.push(connectWorker<CountersignLineWorkerApi>(w));
    }
  } catch {
    for (const w of workers) w.terminate();
    return null;
  }
  const load = remotes.map(() => 0);
  const sent = remotes.map(() => 0);
  const alive = remotes.map(() => true);
  const pending = remotes.map(() => new Set<(e: Error) => void>());
  workers.forEach((w, i) =>
    w.addEventListener('error', () => {
      alive[i] = false;
      for (const reject of pending[i]!) reject(new Error('countersign worker failed'));
      pending[i]!.clear();
    }),
  );
  return {
    size: remotes.length,
    async prepare(batch, keys) {
      let w = -1;
      for (let i = 0; i < remotes.length; i++) if (alive[i] && (w < 0 || load[i]! < load[w]!)) w = i;
      if (w < 0) throw new Error('no countersign worker is running');
      const fresh = packKeys(keys, sent[w]!);
      sent[w] = keys.length;
      load[w]!++;
      try {
        const copy: PackedLines = { bytes: batch.bytes.slice(), ends: batch.ends.slice(), first: batch.first };
        const call = remotes[w]!.prepare(Comlink.transfer(copy, [copy.bytes.buffer, copy.ends.buffer]), Comlink.transfer(fresh, [fresh.buffer]));
        let reject: (e: Error) => void = () => {};
        const failed = new Promise<never>((_, r) => (reject = r));
        pending[w]!.add(reject);
        const r = await Promise.race([call, failed]).finally(() => pending[w]!.delete(reject));
        // The verifier reads a failed batch itself (countersign.ts readPooled).
        if (!r.ok) throw new Error(`countersign worker: ${r.message}`);
        return r.value;
      } finally {
        load[w]!--;
      }
    },
    terminate() {
      for (const w of workers) w.terminate();
    },
  };
}
