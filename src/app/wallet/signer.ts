// Page side of the signer worker (workers/signer.worker.ts): one worker for the page's life.
// The page never sees a plaintext key: it passes encrypted key files and passphrases in,
// and gets envelopes back.
import { abortPort, Comlink, connectWorker, type BridgeResult } from '../../shared/worker-bridge.ts';
import type { SignerApi } from '../../shared/signer-api.ts';

let remote: Comlink.Remote<SignerApi> | null = null;

export function signer(): Comlink.Remote<SignerApi> {
  if (!remote) {
    const w = new Worker(new URL('../../../workers/signer.worker.ts', import.meta.url), { type: 'module', name: 'signer' });
    remote = connectWorker<SignerApi>(w);
  }
  return remote;
}

/** Runs a worker call; a crash of the worker becomes an {ok:false} answer like any other. */
export async function call<T>(fn: (s: Comlink.Remote<SignerApi>) => Promise<BridgeResult<T>>): Promise<BridgeResult<T>> {
  try {
    return await fn(signer());
  } catch (e) {
    return { ok: false, code: 'WORKER', message: `The signer stopped: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export { abortPort, Comlink };

/** Test-only knobs, set by the end-to-end tests with page.addInitScript; never set in normal use. */
export interface WalletTestHooks {
  scryptN?: number;
  idleMs?: number;
  now?: number;
}

export function testHooks(): WalletTestHooks | null {
  const h = (globalThis as { __COUNTERSIGN_WALLET_TEST__?: WalletTestHooks }).__COUNTERSIGN_WALLET_TEST__;
  return h && typeof h === 'object' ? h : null;
}
