// The page's MakerChecker event pool: N module sub-workers (N = cores) digest batches of
// events[] while the verifier worker frames them and applies the digests in file order
// (core/verifier/makerchecker.ts). A batch goes over as three transferred buffers (the
// verifier keeps its own copy), the digests come back in columns (makerchecker-event.ts encodeDigests).

import { Comlink, connectWorker } from '../src/shared/worker-bridge.ts';
import type { BridgeResult } from '../src/shared/worker-bridge.ts';
import type { DigestReply, MakerCheckerEventPool, PackedElements } from '../src/core/verifier/makerchecker-event.ts';

export interface MakerCheckerWorkerApi {
  digest(batch: PackedElements): Promise<BridgeResult<DigestReply>>;
}

export interface WebEventPool extends MakerCheckerEventPool {
  terminate(): void;
}

/** Null where the platform has no nested workers: the verifier then reads on its own thread. */
export function createMakerCheckerPool(size: number): WebEventPool | null {
  if (typeof Worker !== 'function') return null;
  const workers: Worker[] = [];
  const remotes: Comlink.Remote<MakerCheckerWorkerApi>[] = [];
  try {
    for (let i = 0; i < size; i++) {
      const w = new Worker(new URL('./makerchecker.worker.ts', import.meta.url), { type: 'module', name: `makerchecker-${i + 1}` });
      workers.push(w);
      remotes.push(connectWorker<MakerCheckerWorkerApi>(w));
    }
  } catch {
    for (const w of workers) w.terminate();
    return null;
  }
  const load = remotes.map(() => 0);
  return {
    size: remotes.length,
    async digest(batch) {
      let w = 0;
      for (let i = 1; i < remotes.length; i++) if (load[i]! < load[w]!) w = i;
      load[w]!++;
      try {
        const copy: PackedElements = { bytes: batch.bytes.slice(), ends: batch.ends.slice(), members: batch.members.slice() };
        const r = await remotes[w]!.digest(Comlink.transfer(copy, [copy.bytes.buffer, copy.ends.buffer, copy.members.buffer]));
        // A failed worker ends the run with an error rather than a guessed verdict.
        if (!r.ok) throw new Error(`makerchecker worker: ${r.message}`);
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
