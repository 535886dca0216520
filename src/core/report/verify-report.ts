// The report a person reads: verifyBundle with the request summaries (request-summaries.ts)
// listening to the governance replay, so report/v1 `governance` carries one row per request.
// The CLI and the page both call this, so they show the same report.
import type { ByteSource } from '../verifier/byte-source.ts';
import type { ReplayReport } from '../governance/replay.ts';
import { verifyBundle, type VerifyBundleOptions } from '../verifier/verify-bundle.ts';
import type { VerifyResult } from '../verifier/report-v1.ts';
import { RequestSummaries } from './request-summaries.ts';

export async function verifyBundleReport(source: ByteSource, options: Omit<VerifyBundleOptions, 'observer'> = {}): Promise<VerifyResult> {
  const summaries = new RequestSummaries();
  const result = await verifyBundle(source, { ...options, observer: summaries });
  const r = result.ok ? result.report : null;
  if (r && r.governance && (r.format === 'countersign-bundle/v1' || r.format === 'countersign-disclosure/v1'))
    // A packet's governance also carries its disclosure view (verifier/disclosure.ts), kept as it is.
    r.governance = { ...(r.governance as object), ...summaries.report(r.governance as ReplayReport) };
  return result;
}
