// The CLI's Countersign line pool: N worker_threads (N = cores) prepare batches of bundle
// lines (parse, leaf hash, entry schema, envelope, Ed25519) while the main thread splits the
// lines and applies the replies in file order (core/verifier/countersign-lines.ts). A batch
// crosses as two copied buffers (the verifier keeps its bytes until it applies the reply)
// plus the keys this worker has not been sent yet; the reply is one JSON text.
//
// A worker that errors or exits fails its batches (the verifier reads them itself) and gets
// no more; with none left, every batch fails at once, so the run never waits on a dead thread.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CountersignLinePool, PackedLines } from '../core/verifier/countersign-lines.ts';

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
  if (!Number.isInteger(size) || size < 1) throw new RangeError('size must be a positive integer');
  const workers: Worker[] = [];
  const load: number[] = [];
  const alive: boolean[] = [];
  /** How many of the verifier's keys each worker has been sent. */
  const sent: number[] = [];
  const waiting = new Map<number, { resolve: (t: string) => void; reject: (e: Error) => void; worker: number }>();
  let nextId = 0;
  const fail = (w: number, e: Error) => {
    alive[w] = false;
    for (const [id, p] of waiting)
      if (p.worker === w) {
        waiting.delete(id);
        p.reject(e);
      }
  };
  for (let i = 0; i < size; i++) {
    const w = new Worker(workerUrl, { name: `countersign-${i + 1}`, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
    w.unref(); // an idle pool never keeps the CLI alive
    w.on('message', (m: { id: number; ok: boolean; text?: string; message?: string }) => {
      const p = waiting.get(m.id);
      if (!p) return;
      waiting.delete(m.id);
      load[i]!--;
      if (m.ok) p.resolve(m.text!);
      else p.reject(new Error(`countersign worker: ${m.message}`));
    });
    w.on('error', (e) => fail(i, e));
    w.on('exit', (code) => fail(i, new Error(`countersign worker exited (${code})`)));
    workers.push(w);
    load.push(0);
    alive.push(true);
    sent.push(0);
  }
  return {
    size,
    backendName: `node:crypto, ${size} thread${size === 1 ? '' : 's'}`,
    ...(batchLines !== undefined ? { batchLines } : {}),
    prepare(batch: PackedLines, keys: readonly Uint8Array[]): Promise<string> {
      // the least loaded live worker; the verifier applies the replies in order anyway
      let w = -1;
      for (let i = 0; i < size; i++) if (alive[i] && (w < 0 || load[i]! < load[w]!)) w = i;
      if (w < 0) return Promise.reject(new Error('no countersign worker is running'));
      const fresh = new Uint8Array(32 * (keys.length - sent[w]!));
      for (let k = sent[w]!, o = 0; k < keys.length; k++, o += 32) fresh.set(keys[k]!, o);
      sent[w] = keys.length;
      load[w]!++;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject, worker: w });
        workers[w]!.postMessage({ id, batch, keys: fresh }, [fresh.buffer]);
      });
    },
    async terminate() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
