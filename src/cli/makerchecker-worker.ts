// One worker_threads member of the CLI's MakerChecker pool (makerchecker-pool.ts): digests
// batches of events[] elements with core's digestPackedElements, the same function the
// verifier runs on its own thread, with Node's native SHA-256 installed as in main.ts.
import { parentPort } from 'node:worker_threads';
import { digestPackedElements, encodeDigests, type DigestReply, type PackedElements } from '../core/verifier/makerchecker-event.ts';
import { batchBuffers } from './makerchecker-pool.ts';
import { installNodeSha256 } from './native-sha256.ts';
import type { PoolReply } from './thread-pool.ts';

installNodeSha256();
const port = parentPort;
if (!port) throw new Error('makerchecker-worker runs as a worker thread');
port.on('message', (m: { id: number; batch: PackedElements }) => {
  try {
    const reply = encodeDigests(digestPackedElements(m.batch));
    // The batch goes back as it came, transferred (the verifier reads its unusual rows again).
    port.postMessage({ id: m.id, ok: true, value: { ...reply, batch: m.batch } } satisfies PoolReply<DigestReply>, [
      reply.cols.buffer as ArrayBuffer,
      ...batchBuffers(m.batch),
    ]);
  } catch (e) {
    port.postMessage({ id: m.id, ok: false, message: e instanceof Error ? e.message : String(e) } satisfies PoolReply<DigestReply>);
  }
});
