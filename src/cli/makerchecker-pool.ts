// The CLI's MakerChecker event pool: N worker_threads (N = cores) digest batches of
// events[] while the main thread reads, frames and applies them in file order
// (core/verifier/makerchecker.ts). Each batch crosses as three copied buffers, and
// its digests come back as one JSON text (makerchecker-event.ts encodeDigests).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { MakerCheckerEventPool, PackedElements } from '../core/verifier/makerchecker-event.ts';

export interface NodeEventPool extends MakerCheckerEventPool {
  terminate(): Promise<void>;
}

/** The worker script beside the bundled CLI (scripts/build-cli.mjs writes both). */
export const DEFAULT_WORKER_URL = new URL('./makerchecker-worker.mjs', import.meta.url);

export function createMakerCheckerPool(size = availableParallelism(), workerUrl: URL = DEFAULT_WORKER_URL): NodeEventPool {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('size must be a positive integer');
  const workers: Worker[] = [];
  const load: number[] = [];
  const waiting = new Map<number, { resolve: (d: string) => void; reject: (e: Error) => void; worker: number }>();
  let nextId = 0;
  const failAll = (w: number, e: Error) => {
    for (const [id, p] of waiting)
      if (p.worker === w) {
        waiting.delete(id);
        p.reject(e);
      }
  };
  for (let i = 0; i < size; i++) {
    const w = new Worker(workerUrl, { name: `makerchecker-${i + 1}` });
    w.unref(); // an idle pool never keeps the CLI alive
    w.on('message', (m: { id: number; ok: boolean; digests?: string; message?: string }) => {
      const p = waiting.get(m.id);
      if (!p) return;
      waiting.delete(m.id);
      load[i]!--;
      if (m.ok) p.resolve(m.digests!);
      else p.reject(new Error(`makerchecker worker: ${m.message}`));
    });
    w.on('error', (e) => failAll(i, e));
    w.on('exit', (code) => failAll(i, new Error(`makerchecker worker exited (${code})`)));
    workers.push(w);
    load.push(0);
  }
  return {
    size,
    digest(batch: PackedElements): Promise<string> {
      // the least loaded worker; batches are applied in order by the verifier anyway
      let w = 0;
      for (let i = 1; i < size; i++) if (load[i]! < load[w]!) w = i;
      load[w]!++;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject, worker: w });
        // Copied, not transferred: the verifier keeps the batch until it applies the reply.
        workers[w]!.postMessage({ id, batch });
      });
    },
    async terminate() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
