// The closed list of finding codes (docs/format.md "Bundles" and docs/format.md "MakerChecker AAPR v1"; docs/format.md
// "Bundles"), and the sink that collects findings while a verifier streams. It sits low in
// core (statements) because envelopes, the governance engine and the verifiers all raise codes.

import { CHECKS, FINDING_CODE_LIST, LENS_CODE_LIST, type FindingCode, type Severity } from './checks.ts';

export { isFindingCode, type FindingCode, type LensCode, type Severity } from './checks.ts';

/** Severity per finding code, from the checks registry (checks.ts). */
export const FINDING_CODES = Object.fromEntries(FINDING_CODE_LIST.map((c) => [c, CHECKS[c].severity as Severity])) as Readonly<Record<FindingCode, Severity>>;

/** Governance-lens observations on MakerChecker bundles: never part of the verdict. */
export const LENS_CODES = LENS_CODE_LIST;

export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** 1-based line of the bundle file where it applies (0 when it concerns the whole file). */
  line: number;
  /** Log position (Countersign seq or MakerChecker event seq) where it applies. */
  seq?: number | string;
  message: string;
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
