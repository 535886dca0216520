// The CLI's MakerChecker event pool: N worker_threads (N = cores) digest batches of
// events[] while the main thread reads, frames and applies them in file order
// (core/verifier/makerchecker.ts). Each batch crosses as three transferred buffers (no
// copy), and comes back transferred with its digests (makerchecker-event.ts encodeDigests).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DigestReply, MakerCheckerEventPool, PackedElements } from '../core/verifier/makerchecker-event.ts';

/** The distinct buffers under a batch's views (a transfer list may not name one twice). */
export function batchBuffers(batch: PackedElements): ArrayBuffer[] {
  return [...new Set([batch.bytes.buffer, batch.ends.buffer, batch.members.buffer])] as ArrayBuffer[];
}

export interface NodeEventPool extends MakerCheckerEventPool {
  terminate(): Promise<void>;
}

/** The worker script beside the bundled CLI (scripts/build-cli.mjs writes both). */
export const DEFAULT_WORKER_URL = new URL('./makerchecker-worker.mjs', import.meta.url);

export function createMakerCheckerPool(size = availableParallelism(), workerUrl: URL = DEFAULT_WORKER_URL): NodeEventPool {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('size must be a positive integer');
  const workers: Worker[] = [];
  const load: number[] = [];
  const waiting = new Map<number, { resolve: (d: DigestReply) => void; reject: (e: Error) => void; worker: number }>();
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
    w.on('message', (m: { id: number; ok: boolean; reply?: DigestReply; message?: string }) => {
      const p = waiting.get(m.id);
      if (!p) return;
      waiting.delete(m.id);
      load[i]!--;
      if (m.ok) p.resolve(m.reply!);
      else p.reject(new Error(`makerchecker worker: ${m.message}`));
    });
    w.on('error', (e) => failAll(i, e));
    w.on('exit', (code) => failAll(i, new Error(`makerchecker worker exited (${code})`)));
    workers.push(w);
    load.push(0);
  }
  return {
    size,
    digest(batch: PackedElements): Promise<DigestReply> {
      // the least loaded worker; batches are applied in order by the verifier anyway
      let w = 0;
      for (let i = 1; i < size; i++) if (load[i]! < load[w]!) w = i;
      load[w]!++;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject, worker: w });
        // Transferred, not copied: the worker hands the batch back with the reply, for the
        // rows the verifier reads again itself. The verifier's batches own their buffers.
        workers[w]!.postMessage({ id, batch }, batchBuffers(batch));
      });
    },
    async terminate() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
