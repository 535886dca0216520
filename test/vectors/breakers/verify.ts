// Runs the real Countersign verifier (countersign.ts) on bundle text, for the vector and
// gate tests. It calls verifyCountersign directly, not verifyBundle, so these tests do not
// depend on the other formats' verifiers.
import { createSignatureBackend, type SignatureBackend } from '../../../src/core/crypto/ed25519.ts';
import { encodeUtf8 } from '../../../src/core/encoding/utf8.ts';
import type { Report, TrustAnchor } from '../../../src/core/report/report.ts';
import { openSource } from '../../../src/core/verifier/byte-source.ts';
import { verifyCountersign } from '../../../src/core/verifier/countersign.ts';
import { rememberedFrom, type RememberedCheckpoint } from '../../../src/core/log/remembered.ts';
import { decodeBase64 } from '../../../src/core/encoding/base64.ts';
import { RequestSummaries } from '../../../src/core/report/request-summaries.ts';
import type { ReplayReport } from '../../../src/core/governance/replay.ts';

let backend: Promise<SignatureBackend> | undefined;

export async function verifyText(text: string | Uint8Array, trust: TrustAnchor[] = [], remembered: RememberedCheckpoint[] = []): Promise<Report> {
  const bytes = typeof text === 'string' ? encodeUtf8(text) : text;
  const { stats, chunks } = await openSource([bytes]);
  // WebCrypto when the platform has Ed25519 (fast), else pure JS: verdicts are the same (FORMAT.md §1).
  backend ??= createSignatureBackend('auto');
  // With the report layer's request summaries, as the CLI and the page verify.
  const summaries = new RequestSummaries();
  const report = await verifyCountersign(chunks, stats, { trust, backend: await backend, remembered, observer: summaries });
  return { ...report, governance: summaries.report(report.governance as ReplayReport) };
}

/** What a witness remembers after verifying `text` (docs/format.md §7.2): its last valid checkpoint. */
export async function rememberedAfter(text: string | Uint8Array): Promise<RememberedCheckpoint[]> {
  const r = await verifyText(text);
  const last = r.witness?.lastCheckpoint;
  if (!last) throw new Error('the remembered case has no valid checkpoint');
  return [rememberedFrom(last.note, decodeBase64(last.key))];
}

export { anchorFrom as anchorsFrom } from '../../helpers/anchors.ts';

/** The codes a report raised, sorted, and those of severity error. */
export function codesOf(report: Report): { all: string[]; errors: string[] } {
  const all = Object.keys(report.counts)
    .filter((c) => (report.counts[c] ?? 0) > 0)
    .sort();
  const errors = [...new Set(report.findings.filter((f) => f.severity === 'error').map((f) => f.code))].sort();
  return { all, errors };
}
