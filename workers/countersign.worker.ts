// One member of the page's Countersign line pool (countersign-pool.ts): prepares a batch of
// bundle lines with core's prepareLines, the same code the verifier runs on its own thread,
// checking Ed25519 with the platform's WebCrypto (core's strict pre-checks first).
/// <reference lib="webworker" />
import { Comlink, type BridgeResult } from '../src/shared/worker-bridge.ts';
import { installWasmSha256 } from './wasm-sha256.ts';
import { createSignatureBackend, keyIdOf } from '../src/core/crypto/ed25519.ts';
import { prepareLines, type PackedLines } from '../src/core/verifier/countersign-lines.ts';
import type { CountersignLineWorkerApi } from './countersign-pool.ts';

const backend = createSignatureBackend('auto');
const keys = new Map<string, Uint8Array>();

const sha256Ready = installWasmSha256();

const api: CountersignLineWorkerApi = {
  async prepare(batch: PackedLines, fresh: Uint8Array): Promise<BridgeResult<string>> {
    try {
      await sha256Ready;
      // Keys a roster of the log registered, in the verifier's order (32 bytes each).
      for (let o = 0; o + 32 <= fresh.length; o += 32) {
        const pub = fresh.slice(o, o + 32);
        keys.set(keyIdOf(pub), pub);
      }
      return { ok: true, value: await prepareLines(batch, keys, await backend) };
    } catch (e) {
      return { ok: false, code: 'INPUT.read', message: e instanceof Error ? e.message : String(e) };
    }
  },
};

Comlink.expose(api);
