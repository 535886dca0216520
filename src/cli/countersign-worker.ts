// One worker_threads member of the CLI's Countersign line pool (countersign-pool.ts): prepares
// batches of bundle lines with core's prepareLines, the same code the verifier runs on its own
// thread, with Node's native SHA-256 installed as in main.ts and Ed25519 checked on this
// thread (node-ed25519.ts). It keeps the keys the verifier has told it about (each arrives once).
import { parentPort } from 'node:worker_threads';
import { prepareLines, unpackKeys, type PackedLines } from '../core/verifier/countersign-lines.ts';
import { installNodeSha256 } from './native-sha256.ts';
import { createNodeEd25519 } from './node-ed25519.ts';
import type { PoolReply } from './thread-pool.ts';

installNodeSha256();
const port = parentPort;
if (!port) throw new Error('countersign-worker runs as a worker thread');
const backend = createNodeEd25519();
const keys = new Map<string, Uint8Array>();
port.on('message', async (m: { id: number; batch: PackedLines; keys: Uint8Array }) => {
  try {
    unpackKeys(m.keys, keys);
    port.postMessage({ id: m.id, ok: true, value: await prepareLines(m.batch, keys, backend) } satisfies PoolReply<string>);
  } catch (e) {
    port.postMessage({ id: m.id, ok: false, message: e instanceof Error ? e.message : String(e) } satisfies PoolReply<string>);
  }
});
