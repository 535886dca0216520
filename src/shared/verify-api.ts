// What the verifier worker offers the page, typed once for both sides of the
// comlink bridge (worker-bridge.ts). Nothing here throws across the bridge:
// every call answers a BridgeResult.

import type { BridgeResult } from './worker-bridge.ts';
import type { Report, TrustAnchor } from '../core/report/report.ts';
import type { RememberedCheckpoint } from '../core/log/remembered.ts';
import type { RequestSummary } from '../core/report/request-summaries.ts';

export type BundleKind = 'countersign' | 'makerchecker';

/** Sent at most ten times a second while a bundle is read. */
export interface VerifyProgress {
  /** Bytes of the file read so far (compressed bytes for gzip). */
  bytes: number;
  /** File size. */
  totalBytes: number;
  /** Entries (Countersign) or events (MakerChecker) verified. */
  entries: number;
  /** Timeline rows indexed (may run a little ahead of `entries`). */
  rows: number;
  elapsedMs: number;
}

/**
 * The timeline: one row per line of a Countersign bundle (header, entries,
 * checkpoints, anything else), or one row per event of a MakerChecker export.
 * Typed arrays so a million rows cost about 18 MB and cross the bridge by transfer.
 */
export interface TimelineIndex {
  kind: BundleKind;
  count: number;
  /** Byte offset of the row in the decompressed file. */
  offset: Float64Array;
  /** Byte length of the row (without its line terminator). */
  length: Uint32Array;
  /** Countersign: entry seq (-1 for other lines). MakerChecker: the event's seq when it is a number, else -1. */
  seq: Int32Array;
  /** Index into `types`: statement type, `header`, `checkpoint`, event_type… */
  type: Uint16Array;
  types: string[];
  /** 1-based line of the row's first byte. Countersign rows are lines, so this is row + 1 and omitted. */
  line: Uint32Array | null;
  /** Per finding of report.findings, the row it points at, or -1 (whole file). */
  findingRows: Int32Array;
  /** The index stopped growing (a row that could not be placed, or too many rows). */
  truncated: boolean;
}

export interface VerifyOutcome {
  /**
   * The report, light: governance requests (Countersign) are kept in the worker and read
   * through queryRequests; MakerChecker lens gates are cut to the first LIGHT_GATES. The
   * full report is downloadable with reportFile.
   */
  report: Report;
  requests: RequestFacets | null;
  index: TimelineIndex;
  /** How signature checks were spread: sub-workers and their backend. */
  pool: { workers: number; backend: string };
}

export interface SignatureStatus {
  keyId: string;
  /** valid: verifies under that key; invalid: does not; unknown: no roster of this log holds the key. */
  status: 'valid' | 'invalid' | 'unknown';
}

export interface EntryDetail {
  row: number;
  line: number;
  offset: number;
  length: number;
  /** The row's bytes as text (cut at 64 KiB). */
  raw: string;
  rawTruncated: boolean;
  kind: 'header' | 'entry' | 'checkpoint' | 'event' | 'other';
  seq?: number | string;
  /** Countersign: the decoded statement; MakerChecker: the event row. */
  statement?: unknown;
  /** Countersign: payload text when it is not a readable statement. */
  payloadText?: string;
  payloadType?: string;
  digest?: string;
  signatures?: SignatureStatus[];
  /** MakerChecker: does the stored hash recompute over the event? */
  hash?: { stored: string; computed: string; matches: boolean };
  problem?: string;
}

export const LIGHT_GATES = 500;

export interface DisclosureMade {
  blob: Blob;
  /** Entries in the packet. */
  entries: number;
  /** Size of the checkpoint the proofs lead to. */
  size: number;
  cosignatures: number;
  notes: string[];
}

/** What the governance filters can choose from, over every listed request. */
export interface RequestFacets {
  total: number;
  withProblems: number;
  /** Of those, how many have an error-severity finding (the rest only warnings). */
  withErrors: number;
  skills: string[];
  people: string[];
  tiers: string[];
}

export interface RequestQuery {
  problemsOnly: boolean;
  skill: string;
  person: string;
  tier: string;
  limit: number;
}

export interface RequestPage {
  rows: RequestSummary[];
  matched: number;
}

export interface VerifierApi {
  verify(
    file: Blob,
    anchors: TrustAnchor[],
    abort: MessagePort | undefined,
    onProgress: (p: VerifyProgress) => void,
    /** docs/format.md §7.2: checkpoints this browser remembers (any origin). */
    remembered?: RememberedCheckpoint[],
  ): Promise<BridgeResult<VerifyOutcome>>;
  /** docs/format.md §7 choice 4: fork-evidence/v1 text for the last report's first fork. */
  forkEvidence(): Promise<BridgeResult<string>>;
  /** Requests of the last report that pass the filters, the first `limit` of them. */
  queryRequests(q: RequestQuery): Promise<BridgeResult<RequestPage>>;
  /**
   * A disclosure/v1 packet (docs/format.md §7.4) for requests of the last verified full
   * bundle, made from the file the worker holds.
   */
  disclose(requestIds: string[]): Promise<BridgeResult<DisclosureMade>>;
  /** The last full report as a report/v1 JSON file. */
  reportFile(): Promise<BridgeResult<Blob>>;
  /** Re-reads one row of the last verified file. */
  entryDetail(row: number): Promise<BridgeResult<EntryDetail>>;
}
