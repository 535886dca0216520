// Our disclosure-packet and tlog-proof vectors (breakers/disclosure.ts, committed as files
// under disclosure/) against the real verifier, through verifyBundle as the CLI and the page
// call it: each broken case raises its code and no other error code; valid ones pass.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSignatureBackend } from '../../src/core/crypto/ed25519.ts';
import { verifyBundle } from '../../src/core/verifier/verify-bundle.ts';
import { FINDING_CODES } from '../../src/core/report/findings.ts';
import { DISCLOSURE_VECTOR_DIR, disclosureIndex, generateDisclosureCases, type DisclosureVector } from './breakers/disclosure.ts';
import { anchorsFrom } from './breakers/verify.ts';

let cases: DisclosureVector[];
beforeAll(async () => {
  cases = await generateDisclosureCases();
});

describe('own disclosure vectors', () => {
  it('cover every disclosure code', () => {
    const covered = new Set(cases.flatMap((c) => c.codes));
    const mine = Object.keys(FINDING_CODES).filter((c) => c.startsWith('DISCLOSE.') || c === 'PROOF.inclusion');
    expect(mine.filter((c) => !covered.has(c as never))).toEqual([]);
  });

  it('each file gets its verdict and its code, and no other error code', async () => {
    const backend = await createSignatureBackend('auto');
    for (const c of cases) {
      const r = await verifyBundle([c.bytes], { trust: anchorsFrom(c.trust), backend });
      if (!r.ok) throw new Error(`${c.file}: ${r.message}`);
      const all = r.report.findings.map((f) => f.code);
      const errors = r.report.findings.filter((f) => f.severity === 'error').map((f) => f.code);
      for (const code of c.codes) expect(all, `${c.file}: ${JSON.stringify(r.report.findings)}`).toContain(code);
      expect(
        errors.filter((e) => !c.codes.includes(e)),
        `${c.file}: ${JSON.stringify(r.report.findings)}`,
      ).toEqual([]);
      expect(r.report.verdict, c.file).toBe(c.expect);
    }
  });

  it('are committed as files exactly as the generator makes them (npm run vectors)', () => {
    expect(readFileSync(join(DISCLOSURE_VECTOR_DIR, 'index.json'), 'utf8')).toBe(disclosureIndex(cases));
    for (const c of cases) expect(Buffer.from(readFileSync(join(DISCLOSURE_VECTOR_DIR, c.file))).equals(Buffer.from(c.bytes)), c.file).toBe(true);
  });
});
