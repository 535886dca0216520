// One member of the page's MakerChecker pool (makerchecker-pool.ts): digests a batch of
// events[] elements with core's digestPackedElements, the same function the verifier
// runs on its own thread.
/// <reference lib="webworker" />
import { Comlink, type BridgeResult } from '../src/shared/worker-bridge.ts';
import { installWasmSha256 } from './wasm-sha256.ts';
import { digestPackedElements, encodeDigests, type DigestReply, type PackedElements } from '../src/core/verifier/makerchecker-event.ts';
import type { MakerCheckerWorkerApi } from './makerchecker-pool.ts';

const sha256Ready = installWasmSha256();

const api: MakerCheckerWorkerApi = {
  async digest(batch: PackedElements): Promise<BridgeResult<DigestReply>> {
    try {
      await sha256Ready;
      return { ok: true, value: encodeDigests(digestPackedElements(batch)) };
    } catch (e) {
      return { ok: false, code: 'INPUT.read', message: e instanceof Error ? e.message : String(e) };
    }
  },
};

Comlink.expose(api);
