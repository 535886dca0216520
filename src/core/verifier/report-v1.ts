// The verification report, `report/v1` (docs/format.md "Bundles"), shared by
// every format. It lives with the verifiers that fill it; report/report.ts re-exports it for
// the report layer's readers (the CLI, the page).

import type { Finding, Verdict } from '../statements/findings.ts';
import type { SignerInfo } from '../governance/replay.ts';

export type { SignerInfo } from '../governance/replay.ts';
import type { CosignatureInfo } from '../log/cosignature.ts';
import type { RememberedCheckpoint } from '../log/remembered.ts';
// Node's loader (the e2e runner, the CLI's tests) needs the import attribute for JSON.
import pkg from '../../../package.json' with { type: 'json' };

export const VERIFIER_NAME = 'countersign';
/** The package's version, read from package.json at build time (never copied by hand). */
export const VERIFIER_VERSION: string = pkg.version;

export type BundleFormat = 'countersign-bundle/v1' | 'makerchecker-aapr/v1' | 'countersign-disclosure/v1' | 'tlog-proof/v1';

/** A trust anchor as the user gives it (CLI `--trust`, the app's pinned anchors). */
export type TrustAnchor =
  | { kind: 'genesis'; hex: string; label?: string }
  | { kind: 'key'; hex: string; label?: string }
  | { kind: 'pem'; pem: string; label?: string }
  /** A witness (docs/format.md §7.2): `key` is its C2SP verifier key text. Never a log anchor. */
  | { kind: 'witness'; key: string; label?: string };

/** A remembered checkpoint that this bundle contradicts (docs/format.md §7.2 WITNESS.fork). */
export interface ForkReport {
  /** The remembered size m. */
  size: number;
  /** The remembered checkpoint note (size m) and the gate key (base64) that signed it. */
  remembered: string;
  rememberedKey: string;
  /** This bundle's root over its first m entries (base64). */
  rootAtSize: string;
  /** This bundle's last valid checkpoint when it covers m (the gate's signature on the other history), else null. */
  conflicting: string | null;
  conflictingKey: string | null;
}

export interface WitnessReport {
  /** The given witness keys (verifier-key text). */
  witnesses: string[];
  quorum: number;
  /** Every cosignature line on the last valid checkpoint. */
  cosignatures: CosignatureInfo[];
  /** The last valid checkpoint and the gate key (base64) whose signature on it verified. */
  lastCheckpoint: { note: string; key: string } | null;
  /** The remembered sizes this bundle was checked at. */
  remembered: number[];
  forks: ForkReport[];
  truncated: { remembered: string; size: number; entries: number } | null;
}

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
  /** Countersign: cosignatures on the last valid checkpoint, remembered-checkpoint checks. */
  witness?: WitnessReport;
}

export type VerifyResult =
  { ok: true; report: Report } | { ok: false; code: 'INPUT.not_bundle' | 'INPUT.read' | 'INPUT.aborted' | 'INPUT.trust'; message: string };

/** What every verifier takes (verifyBundle passes it through to the one it picks). */
export interface VerifierOptions {
  trust?: TrustAnchor[];
  signal?: CoreAbortSignal;
  onProgress?: (p: Progress) => void;
  /** Most findings listed per code (the rest are counted). */
  capPerCode?: number;
  /** Size of the input when known, for progress. */
  totalBytes?: number;
  /** docs/format.md §7.2: K of the witness anchors in `trust` (default: all of them). */
  witnessQuorum?: number;
  /** docs/format.md §7.2: checkpoints remembered from earlier bundles (any origin). */
  remembered?: RememberedCheckpoint[];
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
  if (a.kind === 'pem') return 'pem:' + (a.label ?? 'key');
  if (a.kind === 'witness') return 'witness:' + a.key;
  return `${a.kind}:${a.hex}`;
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
