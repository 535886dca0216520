// The worker_threads pool under both of the CLI's pools (makerchecker-pool.ts, countersign-pool.ts):
// N workers, each job to the least loaded live one, replies matched by id. A worker that errors
// or exits fails its pending jobs and gets no more; with none left a job fails at once, so the
// verifier reads that batch itself and the run never waits on a dead thread.
import { Worker, type ResourceLimits, type Transferable } from 'node:worker_threads';

/** What a pool worker posts back for job `id`. */
export type PoolReply<R> = { id: number; ok: true; value: R } | { id: number; ok: false; message: string };

export interface ThreadPool<R> {
  readonly size: number;
  /** Runs a job on the least loaded live worker; `message(w)` builds what worker w is sent. */
  run(message: (worker: number) => { data: object; transfer?: Transferable[] }): Promise<R>;
  terminate(): Promise<void>;
}

export function createThreadPool<R>(name: string, size: number, url: URL, resourceLimits?: ResourceLimits): ThreadPool<R> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('size must be a positive integer');
  const workers: Worker[] = [];
  const load: number[] = [];
  const alive: boolean[] = [];
  const waiting = new Map<number, { resolve: (v: R) => void; reject: (e: Error) => void; worker: number }>();
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
    const w = new Worker(url, { name: `${name}-${i + 1}`, ...(resourceLimits ? { resourceLimits } : {}) });
    w.unref(); // an idle pool never keeps the CLI alive
    w.on('message', (m: PoolReply<R>) => {
      const p = waiting.get(m.id);
      if (!p) return;
      waiting.delete(m.id);
      load[i]!--;
      if (m.ok) p.resolve(m.value);
      else p.reject(new Error(`${name} worker: ${m.message}`));
    });
    w.on('error', (e) => fail(i, e));
    w.on('exit', (code) => fail(i, new Error(`${name} worker exited (${code})`)));
    workers.push(w);
    load.push(0);
    alive.push(true);
  }
  return {
    size,
    run(message) {
      // the least loaded live worker; the verifier applies the replies in order anyway
      let w = -1;
      for (let i = 0; i < size; i++) if (alive[i] && (w < 0 || load[i]! < load[w]!)) w = i;
      if (w < 0) return Promise.reject(new Error(`no ${name} worker is running`));
      const { data, transfer } = message(w);
      load[w]!++;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject, worker: w });
        workers[w]!.postMessage({ id, ...data }, transfer ?? []);
      });
    },
    async terminate() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
