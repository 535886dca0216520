// The verification report, `report/v1` (docs/format.md "Bundles"; FORMAT.md §6), shared by
// both formats. It lives with the verifiers that fill it; report/report.ts re-exports it for
// the report layer's readers (the CLI, the page).

import type { Finding, Verdict } from '../statements/findings.ts';
import type { SignerInfo } from '../governance/replay.ts';

export type { SignerInfo } from '../governance/replay.ts';

export const VERIFIER_NAME = 'countersign';
export const VERIFIER_VERSION = '0.1.0';

export type BundleFormat = 'countersign-bundle/v1' | 'makerchecker-aapr/v1';

/** A trust anchor as the user gives it (CLI `--trust`, the app's pinned anchors). */
export type TrustAnchor =
  | { kind: 'genesis'; hex: string; label?: string }
  | { kind: 'key'; hex: string; label?: string }
  | { kind: 'pem'; pem: string; label?: string };

export interface TrustSummary {
  status: 'pinned' | 'unpinned' | 'mismatch';
  /** The anchors given, as text (`genesis:…`, `key:…`, `pem:…`). */
  anchors: string[];
  /** Which given anchor matched, when one did. */
  matched?: string;
  /** Plain statements of what this verification does and does not establish. */
  proves: string[];
  doesNotProve: string[];
}

export interface Report {
  countersign: 'report/v1';
  format: BundleFormat;
  verdict: Verdict;
  /** Countersign: the log origin. MakerChecker: the instance id. */
  log: string | null;
  entries: number;
  checkpoints: number;
  /** Countersign: hex leafhash(0). MakerChecker: the genesis prev hash of the instance. */
  genesis: string | null;
  findings: Finding[];
  /** Findings per code, including those dropped by the cap. */
  counts: Record<string, number>;
  /** Findings per code not listed because of the per-code cap. */
  dropped: Record<string, number>;
  bundle: { sha256: string; bytes: number; decompressedBytes: number; gzip: boolean; lines: number };
  signers: SignerInfo[];
  trust: TrustSummary;
  timings: { totalMs: number; entriesPerSecond: number; signatureBackend: string; signatures: number };
  verifier: { name: string; version: string };
  /** Countersign: the tree head at the last valid checkpoint. */
  checkpoint?: { size: number; root: string } | null;
  makerchecker?: {
    bundleKind: string;
    schemaVersion: number;
    instanceId: string;
    runId: string | null;
    exportedAt: string;
    headHash: string;
  };
  /** Filled by governance replay (Countersign) or the governance lens (MakerChecker). */
  governance?: unknown;
}

export type VerifyResult =
  | { ok: true; report: Report }
  | { ok: false; code: 'INPUT.not_bundle' | 'INPUT.read' | 'INPUT.aborted' | 'INPUT.trust'; message: string };

/** What every verifier takes (verifyBundle passes it through to the one it picks). */
export interface VerifierOptions {
  trust?: TrustAnchor[];
  signal?: CoreAbortSignal;
  onProgress?: (p: Progress) => void;
  /** Most findings listed per code (the rest are counted). */
  capPerCode?: number;
  /** Size of the input when known, for progress. */
  totalBytes?: number;
}

export interface Progress {
  bytes: number;
  decompressedBytes: number;
  /** Total size when known (File.size, fs.stat). */
  totalBytes?: number;
  entries: number;
  elapsedMs: number;
}

export function anchorText(a: TrustAnchor): string {
  return a.kind === 'pem' ? 'pem:' + (a.label ?? 'key') : `${a.kind}:${a.hex}`;
}

/** The parts of a report that both verifiers fill the same way. */
export function buildReport(args: {
  format: BundleFormat;
  sink: { findings: Finding[]; counts: object; dropped: object; verdict(): Verdict };
  stats: { sha256: string | null; bytes: number; decompressedBytes: number; gzip: boolean };
  lines: number;
  log: string | null;
  entries: number;
  checkpoints: number;
  genesis: string | null;
  signers: SignerInfo[];
  trust: TrustSummary;
  totalMs: number;
  signatureBackend: string;
  signatures: number;
}): Report {
  const { sink, stats, totalMs } = args;
  return {
    countersign: 'report/v1',
    format: args.format,
    verdict: sink.verdict(),
    log: args.log,
    entries: args.entries,
    checkpoints: args.checkpoints,
    genesis: args.genesis,
    findings: sink.findings,
    counts: { ...sink.counts } as Record<string, number>,
    dropped: { ...sink.dropped } as Record<string, number>,
    bundle: { sha256: stats.sha256 ?? '', bytes: stats.bytes, decompressedBytes: stats.decompressedBytes, gzip: stats.gzip, lines: args.lines },
    signers: args.signers,
    trust: args.trust,
    timings: {
      totalMs: Math.round(totalMs),
      entriesPerSecond: totalMs > 0 ? Math.round((args.entries * 1000) / totalMs) : 0,
      signatureBackend: args.signatureBackend,
      signatures: args.signatures,
    },
    verifier: { name: VERIFIER_NAME, version: VERIFIER_VERSION },
  };
}
