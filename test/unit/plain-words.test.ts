// Issue 13: every finding code, reason code and status the screens show has a sentence in plain
// English (the code stays visible beside it). Finding and gate reason sentences live in the core's
// checks registry; the screen's own words in src/app/verify/words.ts. This fails when one is missing.
import { describe, expect, it } from 'vitest';
import { checkTitle, FINDING_CODE_LIST, LENS_CODE_LIST } from '../../src/core/statements/checks.ts';
import { ClosureSchema, RefusalSchema } from '../../src/core/statements/schemas.ts';
import { buildDemo } from '../../src/core/gate/demo.ts';
import type { GovernanceReport } from '../../src/core/report/request-summaries.ts';
import { backendWords, closureWords, gateReasonWords, STATUS_WORDS } from '../../src/app/verify/words.ts';
import { anchorsFrom, verifyText } from '../vectors/breakers/verify.ts';

const sentence = (s: string) => expect(s, 'a sentence').toMatch(/^[A-Za-z'].{10,}/);

describe('plain words', () => {
  it('every finding and lens code has its sentence in the registry', () => {
    for (const code of [...FINDING_CODE_LIST, ...LENS_CODE_LIST]) sentence(checkTitle(code));
  });

  it('every reason a gate decision can give, and every refusal code, has a sentence', () => {
    // The decisions the policy can require (core/governance/policy-rules.ts RequiredDecision).
    for (const reason of ['unknown_skill', 'ungranted', 'no_gate', 'gated']) sentence(gateReasonWords(reason));
    for (const code of RefusalSchema.shape.code.options) sentence(gateReasonWords(code));
  });

  it('every closure reason and request status has words', () => {
    for (const reason of ClosureSchema.shape.reason.options) sentence(closureWords(reason));
    for (const [status, words] of Object.entries(STATUS_WORDS)) expect(words.length, status).toBeGreaterThan(5);
    expect(backendWords('webcrypto', 1)).toBe("by the browser's Ed25519, 1 thread");
  });

  it('unknown codes from a bundle get no invented words (and no prototype keys)', () => {
    expect(gateReasonWords('constructor')).toBe('');
    expect(gateReasonWords('__proto__')).toBe('');
    expect(closureWords('toString')).toBe('');
    expect(checkTitle('NOPE.code')).toBe('');
  });

  it('every reason and refusal in the demo bundle has its sentence', async () => {
    const files = await buildDemo({ seed: 'demo', scryptN: 2 ** 14 });
    const report = await verifyText(files['bundle.jsonl']!, anchorsFrom(files['trust.txt']!));
    const gov = report.governance as GovernanceReport;
    expect(gov.requests.length).toBeGreaterThan(3);
    for (const r of gov.requests) {
      if (r.decision) sentence(gateReasonWords(r.decision.reason));
      for (const f of r.refusals) sentence(gateReasonWords(f.code));
      for (const c of r.findings) sentence(checkTitle(c));
    }
  });
});
