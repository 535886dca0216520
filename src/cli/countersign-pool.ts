// The CLI's Countersign line pool: N worker_threads (N = cores) prepare batches of bundle
// lines (parse, leaf hash, entry schema, envelope, Ed25519) while the main thread splits the
// lines and applies the replies in file order (core/verifier/countersign-lines.ts). A batch
// crosses as two copied buffers (the verifier keeps its bytes until it applies the reply)
// plus the keys this worker has not been sent yet; the reply is one JSON text.
//
// A worker that errors or exits fails its batches (the verifier reads them itself) and gets
// no more; with none left, every batch fails at once, so the run never waits on a dead thread.
import { availableParallelism } from 'node:os';
import { packKeys, type CountersignLinePool, type PackedLines } from '../core/verifier/countersign-lines.ts';
import { createThreadPool } from './thread-pool.ts';

/**
 * A worker's young generation (V8's default is about 48 MB a thread): a worker's garbage is a
 * batch's, so a small one costs no measured time and keeps a hostile flood's RSS down (issue 8).
 */
const WORKER_YOUNG_MB = 8;

export interface NodeLinePool extends CountersignLinePool {
  terminate(): Promise<void>;
}

/** The worker script beside the bundled CLI (scripts/build-cli.mjs writes both). */
export const COUNTERSIGN_WORKER_URL = new URL('./countersign-worker.mjs', import.meta.url);

export function createCountersignPool(size = availableParallelism(), workerUrl: URL = COUNTERSIGN_WORKER_URL, batchLines?: number): NodeLinePool {
  const pool = createThreadPool<string>('countersign', size, workerUrl, { maxYoungGenerationSizeMb: WORKER_YOUNG_MB });
  /** How many of the verifier's keys each worker has been sent. */
  const sent = new Array<number>(size).fill(0);
  return {
    size,
    backendName: `node:crypto, ${size} thread${size === 1 ? '' : 's'}`,
    ...(batchLines !== undefined ? { batchLines } : {}),
    prepare: (batch: PackedLines, keys: readonly Uint8Array[]) =>
      pool.run((w) => {
        const fresh = packKeys(keys, sent[w]!);
        sent[w] = keys.length;
        return { data: { batch, keys: fresh }, transfer: [fresh.buffer] };
      }),
    terminate: () => pool.terminate(),
  };
}
