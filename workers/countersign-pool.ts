// The page's Countersign line pool: N module sub-workers (N = cores) prepare batches of bundle
// lines (parse, leaf hash, entry schema, envelope, Ed25519 under the keys they were told)
// while the verifier worker splits the lines and applies the replies in file order
// (core/verifier/countersign-lines.ts). A batch goes over as two transferred buffers (the
// verifier keeps its own copy) plus the keys this sub-worker has not been sent yet; the reply
// is one JSON text. A failed batch is read by the verifier itself (sub-worker-pool.ts).

import { Comlink, type BridgeResult } from '../src/shared/worker-bridge.ts';
import { packKeys, type CountersignLinePool, type PackedLines } from '../src/core/verifier/countersign-lines.ts';
import { createSubWorkerPool } from './sub-worker-pool.ts';

export interface CountersignLineWorkerApi {
  /** `keys`: public keys (32 bytes each, back to back) the verifier registered since the last batch it sent here. */
  prepare(batch: PackedLines, keys: Uint8Array): Promise<BridgeResult<string>>;
}

export interface WebLinePool extends CountersignLinePool {
  terminate(): void;
}

/** Null where the platform has no nested workers: the verifier then reads on its own thread. */
export function createCountersignLinePool(size: number): WebLinePool | null {
  const pool = createSubWorkerPool<CountersignLineWorkerApi>(
    size,
    'countersign',
    (i) => new Worker(new URL('./countersign.worker.ts', import.meta.url), { type: 'module', name: `countersign-${i + 1}` }),
  );
  if (!pool) return null;
  const sent = new Array<number>(pool.size).fill(0);
  return {
    size: pool.size,
    prepare: (batch, keys) =>
      pool.run(async (remote, w) => {
        const fresh = packKeys(keys, sent[w]!);
        sent[w] = keys.length;
        const copy: PackedLines = { bytes: batch.bytes.slice(), ends: batch.ends.slice(), first: batch.first };
        const r = await remote.prepare(Comlink.transfer(copy, [copy.bytes.buffer, copy.ends.buffer]), Comlink.transfer(fresh, [fresh.buffer]));
        if (!r.ok) throw new Error(`countersign worker: ${r.message}`);
        return r.value;
      }),
    terminate: () => pool.terminate(),
  };
}
