// The page's pools of nested module workers (makerchecker-pool.ts, countersign-pool.ts), the
// page-side twin of the CLI's thread-pool.ts: each call goes to the least-loaded live
// sub-worker. A sub-worker that fires `error` (its script failed to load, or it threw outside
// a call) gets no more calls, and its pending calls reject at once: Comlink would otherwise
// wait for a reply that never comes, and the verifier with it. The verifier then reads those
// batches on its own thread (core's MakerChecker and Countersign readers do so for any failed
// batch), so a dead sub-worker costs time, never the report.

import { Comlink, connectWorker } from '../src/shared/worker-bridge.ts';

export interface SubWorkerPool<Api> {
  readonly size: number;
  /** Runs `call` on the least-loaded live sub-worker (`index` is stable for the pool's life). */
  run<R>(call: (remote: Comlink.Remote<Api>, index: number) => Promise<R>): Promise<R>;
  terminate(): void;
}

/**
 * Null where the platform has no nested workers, or one failed to start: the verifier then
 * reads on its own thread. `start(i)` must say `new Worker(new URL('./….ts', import.meta.url), …)`
 * itself: that literal form is how Vite finds a worker to bundle (a URL passed in is shipped
 * as a data: URL of the TypeScript source, which cannot run).
 */
export function createSubWorkerPool<Api>(size: number, name: string, start: (i: number) => Worker): SubWorkerPool<Api> | null {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`size must be a positive integer, got ${size}`);
  if (typeof Worker !== 'function') return null;
  const workers: Worker[] = [];
  const remotes: Comlink.Remote<Api>[] = [];
  try {
    for (let i = 0; i < size; i++) {
      const w = start(i);
      workers.push(w);
      remotes.push(connectWorker<Api>(w));
    }
  } catch {
    for (const w of workers) w.terminate();
    return null;
  }
  const load = remotes.map(() => 0);
  const alive = remotes.map(() => true);
  const pending = remotes.map(() => new Set<(e: Error) => void>());
  workers.forEach((w, i) =>
    w.addEventListener('error', (e) => {
      e.preventDefault(); // handled here; the verifier reads the batches itself
      alive[i] = false;
      w.terminate();
      for (const reject of pending[i]!) reject(new Error(`${name} worker ${i + 1} failed`));
      pending[i]!.clear();
    }),
  );
  return {
    size: remotes.length,
    async run(call) {
      let w = -1;
      for (let i = 0; i < remotes.length; i++) if (alive[i] && (w < 0 || load[i]! < load[w]!)) w = i;
      if (w < 0) throw new Error(`no ${name} worker is running`);
      load[w]!++;
      let reject: (e: Error) => void = () => {};
      const failed = new Promise<never>((_, r) => (reject = r));
      pending[w]!.add(reject);
      try {
        return await Promise.race([call(remotes[w]!, w), failed]);
      } finally {
        pending[w]!.delete(reject);
        load[w]!--;
      }
    },
    terminate() {
      for (const w of workers) w.terminate();
    },
  };
}
