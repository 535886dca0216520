// The closed list of finding codes (FORMAT.md §6 and MAKERCHECKER.md "Checks"; docs/format.md
// "Bundles"), and the sink that collects findings while a verifier streams. It sits low in
// core (statements) because envelopes, the governance engine and the verifiers all raise codes.

export const FINDING_CODES = {
  // Countersign evidence format v1, FORMAT.md §6
  'FORMAT.json': 'error',
  'FORMAT.line': 'error',
  'FORMAT.schema': 'error',
  'FORMAT.noncanonical': 'error',
  'CHAIN.seq': 'error',
  'CHAIN.prev': 'error',
  'SIG.invalid': 'error',
  'SIG.unknown_key': 'error',
  'SIG.key_not_valid': 'error',
  'SIG.wrong_signer': 'error',
  'SIG.payload_type': 'error',
  'STMT.wrong_log': 'error',
  'STMT.mismatch': 'error',
  'GOV.genesis': 'error',
  'GOV.quorum': 'error',
  'GOV.version': 'error',
  'POLICY.decision': 'error',
  'POLICY.unknown_request': 'error',
  'POLICY.duplicate_request': 'error',
  'POLICY.self_approval': 'error',
  'POLICY.not_eligible': 'error',
  'POLICY.late_approval': 'error',
  'POLICY.quorum': 'error',
  'POLICY.not_runnable': 'error',
  'POLICY.refusal': 'error',
  'TIME.order': 'warning',
  'CKPT.signature': 'error',
  'CKPT.root': 'error',
  'CKPT.size': 'error',
  'CKPT.unanchored': 'warning',
  'REQ.pending': 'warning',
  'TRUST.unpinned': 'warning',
  'TRUST.mismatch': 'error',
  // Countersign v1.1, FORMAT.md §7.1-§7.3 (witnesses and consistency)
  'CKPT.extension': 'error',
  'WITNESS.signature': 'error',
  'WITNESS.quorum': 'error',
  'WITNESS.fork': 'error',
  'WITNESS.truncated': 'error',
  'PROOF.consistency': 'error',
  // MakerChecker AAPR v1, MAKERCHECKER.md
  'AAPR.ill_formed_string': 'error',
  'AAPR.signature': 'error',
  'AAPR.count': 'error',
  'AAPR.digest': 'error',
  'AAPR.run': 'error',
  'AAPR.hash': 'error',
  'AAPR.link': 'error',
  'AAPR.head': 'error',
} as const;

export type FindingCode = keyof typeof FINDING_CODES;
export type Severity = 'error' | 'warning';

/** Governance-lens observations on MakerChecker bundles: never part of the verdict. */
export const LENS_CODES = [
  'LENS.self_decision',
  'LENS.decision_after_resolution',
  'LENS.rejection_without_failure',
  'LENS.skill_outside_step',
  'LENS.quorum_not_reached',
  'LENS.not_named_approver',
  'LENS.ungranted_skill',
] as const;
export type LensCode = (typeof LENS_CODES)[number];

export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** 1-based line of the bundle file where it applies (0 when it concerns the whole file). */
  line: number;
  /** Log position (Countersign seq or MakerChecker event seq) where it applies. */
  seq?: number | string;
  message: string;
}

export function isFindingCode(code: string): code is FindingCode {
  return Object.prototype.hasOwnProperty.call(FINDING_CODES, code);
}

export type Verdict = 'pass' | 'warn' | 'fail';

/**
 * Collects findings in order. Keeps at most `capPerCode` of each code (a
 * million-entry bundle with one systematic fault must not make a million-row
 * report) and counts the rest so the report can say how many it dropped.
 */
export class FindingSink {
  readonly findings: Finding[] = [];
  readonly counts: Partial<Record<FindingCode, number>> = {};
  readonly dropped: Partial<Record<FindingCode, number>> = {};
  constructor(readonly capPerCode = 100) {}

  add(code: FindingCode, line: number, message: string, seq?: number | string): void {
    const n = (this.counts[code] ?? 0) + 1;
    this.counts[code] = n;
    if (n > this.capPerCode) {
      this.dropped[code] = (this.dropped[code] ?? 0) + 1;
      return;
    }
    const f: Finding = { code, severity: FINDING_CODES[code], line, message };
    if (seq !== undefined) f.seq = seq;
    this.findings.push(f);
  }

  has(code: FindingCode): boolean {
    return (this.counts[code] ?? 0) > 0;
  }

  verdict(): Verdict {
    let warn = false;
    for (const [code, n] of Object.entries(this.counts) as [FindingCode, number][]) {
      if (!n) continue;
      if (FINDING_CODES[code] === 'error') return 'fail';
      warn = true;
    }
    return warn ? 'warn' : 'pass';
  }
}
