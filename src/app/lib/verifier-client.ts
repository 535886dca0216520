// Page side of the verifier worker: one worker, created on first use and kept
// (it holds the last file so entries can be opened after the run).
import { abortPort, Comlink, connectWorker, type BridgeResult } from '../../shared/worker-bridge.ts';
import type { DisclosureMade, EntryDetail, RequestPage, RequestQuery, VerifierApi, VerifyOutcome, VerifyProgress } from '../../shared/verify-api.ts';
import type { TrustAnchor } from '../../core/report/report.ts';
import type { RememberedCheckpoint } from '../../core/log/remembered.ts';

let remote: Comlink.Remote<VerifierApi> | null = null;

function verifier(): Comlink.Remote<VerifierApi> {
  if (!remote) {
    const w = new Worker(new URL('../../../workers/verifier.worker.ts', import.meta.url), { type: 'module', name: 'verifier' });
    remote = connectWorker<VerifierApi>(w);
  }
  return remote;
}

export function verifyFile(
  file: Blob,
  anchors: TrustAnchor[],
  signal: AbortSignal,
  onProgress: (p: VerifyProgress) => void,
  remembered: RememberedCheckpoint[] = [],
): Promise<BridgeResult<VerifyOutcome>> {
  return verifier()
    .verify(file, anchors, abortPort(signal), Comlink.proxy(onProgress), remembered)
    .catch((e: unknown) => ({ ok: false as const, code: 'INPUT.read', message: `The verifier stopped: ${e instanceof Error ? e.message : String(e)}` }));
}

export function entryDetail(row: number): Promise<BridgeResult<EntryDetail>> {
  return verifier()
    .entryDetail(row)
    .catch((e: unknown) => ({ ok: false as const, code: 'DETAIL.read', message: String(e) }));
}

export function queryRequests(q: RequestQuery): Promise<BridgeResult<RequestPage>> {
  return verifier()
    .queryRequests(q)
    .catch((e: unknown) => ({ ok: false as const, code: 'QUERY', message: String(e) }));
}

export function reportFile(): Promise<BridgeResult<Blob>> {
  return verifier()
    .reportFile()
    .catch((e: unknown) => ({ ok: false as const, code: 'REPORT', message: String(e) }));
}

export function discloseRequests(requestIds: string[]): Promise<BridgeResult<DisclosureMade>> {
  return verifier()
    .disclose(requestIds)
    .catch((e: unknown) => ({ ok: false as const, code: 'DISCLOSE.make', message: String(e) }));
}

/** fork-evidence/v1 of the last verified file's first fork (docs/format.md §7 choice 4). */
export function forkEvidence(): Promise<BridgeResult<string>> {
  return verifier()
    .forkEvidence()
    .catch((e: unknown) => ({ ok: false as const, code: 'FORK.read', message: String(e) }));
}
