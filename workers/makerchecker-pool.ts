// The page's MakerChecker event pool: N module sub-workers (N = cores) digest batches of
// events[] while the verifier worker frames them and applies the digests in file order
// (core/verifier/makerchecker.ts). A batch goes over as three transferred buffers (the
// verifier keeps its own copy), the digests come back in columns (makerchecker-event.ts
// encodeDigests). A failed batch is digested by the verifier itself (sub-worker-pool.ts).

import { Comlink, type BridgeResult } from '../src/shared/worker-bridge.ts';
import type { DigestReply, MakerCheckerEventPool, PackedElements } from '../src/core/verifier/makerchecker-event.ts';
import { createSubWorkerPool } from './sub-worker-pool.ts';

export interface MakerCheckerWorkerApi {
  digest(batch: PackedElements): Promise<BridgeResult<DigestReply>>;
}

export interface WebEventPool extends MakerCheckerEventPool {
  terminate(): void;
}

/** Null where the platform has no nested workers: the verifier then reads on its own thread. */
export function createMakerCheckerPool(size: number): WebEventPool | null {
  const pool = createSubWorkerPool<MakerCheckerWorkerApi>(
    size,
    'makerchecker',
    (i) => new Worker(new URL('./makerchecker.worker.ts', import.meta.url), { type: 'module', name: `makerchecker-${i + 1}` }),
  );
  if (!pool) return null;
  return {
    size: pool.size,
    digest: (batch) =>
      pool.run(async (remote) => {
        const copy: PackedElements = { bytes: batch.bytes.slice(), ends: batch.ends.slice(), members: batch.members.slice() };
        const r = await remote.digest(Comlink.transfer(copy, [copy.bytes.buffer, copy.ends.buffer, copy.members.buffer]));
        if (!r.ok) throw new Error(`makerchecker worker: ${r.message}`);
        return r.value;
      }),
    terminate: () => pool.terminate(),
  };
}
