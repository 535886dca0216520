// The checks registry (src/core/statements/checks.ts) is the spine: every code has words,
// a section, steps, a place in src/core that checks it and a vector that breaks it, and
// docs/checks.md is generated from it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECKS, FINDING_CODE_LIST, LENS_CODE_LIST, PENDING_CHECKS, checkSeverity, checkTitle, type CheckCode } from '../../src/core/statements/checks.ts';
import { FINDING_CODES } from '../../src/core/statements/findings.ts';
import { CHECKS_DOC, raisingSites, renderChecksDoc, vectorsFor } from '../checks/checks-doc.ts';

const codes: CheckCode[] = [...FINDING_CODE_LIST, ...LENS_CODE_LIST];
const sites = raisingSites();
const vectors = vectorsFor();

describe('checks registry', () => {
  it('docs/checks.md is what `npm run checks` writes (regenerate it after changing a check)', () => {
    expect(readFileSync(CHECKS_DOC, 'utf8')).toBe(renderChecksDoc());
  });

  it('gives every code a sentence, a section and at least one verifier step', () => {
    for (const c of codes) {
      const info = CHECKS[c];
      expect(info.title, c).toMatch(/^[A-Z].{10,}[.]$/);
      expect(info.title, c).not.toMatch(/\b(?:JCS|PAE|SPKI|DSSE)\b/); // words for people, not for developers
      expect(info.section, c).toMatch(/docs\/format\.md|FORMAT\.md/);
      expect(info.steps.length, c).toBeGreaterThan(0);
    }
  });

  it('severities: the sink and the page read them from the registry; lens codes never weigh on the verdict', () => {
    for (const c of FINDING_CODE_LIST) expect(FINDING_CODES[c]).toBe(CHECKS[c].severity);
    for (const c of LENS_CODE_LIST) expect(checkSeverity(c)).toBe('warning');
    expect(checkTitle('TRUST.unpinned')).toBe('No trust anchor was given, so nothing shows whose log this is.');
    expect(checkTitle('NOT.a_code')).toBe('');
  });

  it('every code but the pending ones is checked somewhere in src/core', () => {
    const missing = codes.filter((c) => !PENDING_CHECKS.includes(c as never) && !sites.get(c)?.length);
    expect(missing).toEqual([]);
  });

  it('every code but the pending ones has a vector or breaker that raises it', () => {
    const missing = codes.filter((c) => !PENDING_CHECKS.includes(c as never) && !vectors.get(c)?.length);
    expect(missing).toEqual([]);
  });

  it('a pending code that is now raised and broken by a vector must leave PENDING_CHECKS', () => {
    const landed = PENDING_CHECKS.filter((c) => sites.get(c)?.length && vectors.get(c)?.length);
    expect(landed).toEqual([]);
  });
});
