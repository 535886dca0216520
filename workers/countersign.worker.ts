// One member of the page's Countersign line pool (countersign-pool.ts): prepares a batch of
// bundle lines with core's prepareLines, the same code the verifier runs on its own thread,
// checking Ed25519 with the platform's WebCrypto (core's strict pre-checks first).
/// <reference lib="webworker" />
import { Comlink, type BridgeResult } from '../src/shared/worker-bridge.ts';
import { installWasmSha256 } from './wasm-sha256.ts';
import { createSignatureBackend } from '../src/core/crypto/ed25519.ts';
import { prepareLines, unpackKeys, type PackedLines } from '../src/core/verifier/countersign-lines.ts';
import type { CountersignLineWorkerApi } from './countersign-pool.ts';

const backend = createSignatureBackend('auto');
const keys = new Map<string, Uint8Array>();

const sha256Ready = installWasmSha256();

const api: CountersignLineWorkerApi = {
  async prepare(batch: PackedLines, fresh: Uint8Array): Promise<BridgeResult<string>> {
    try {
      await sha256Ready;
      unpackKeys(fresh, keys);
      return { ok: true, value: await prepareLines(batch, keys, await backend) };
    } catch (e) {
      return { ok: false, code: 'INPUT.read', message: e instanceof Error ? e.message : String(e) };
    }
  },
};

Comlink.expose(api);
