// Our own conformance vectors (generate.ts, committed as files under countersign/) against
// the real verifier: each broken case raises its code and no other error code (one broken
// thing each), valid logs raise no error, and generating twice gives the same bytes.
import { describe, expect, it } from 'vitest';
import { FINDING_CODES } from '../../src/core/report/findings.ts';
import { PENDING_CHECKS } from '../../src/core/statements/checks.ts';
import { generateCases, type VectorCase } from './generate.ts';
import { anchorsFrom, codesOf, rememberedAfter, verifyText } from './breakers/verify.ts';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MC_VECTOR_DIR, VECTOR_DIR, vectorIndex } from './write-vectors.ts';
import { generateMakerCheckerVectors, makerCheckerIndex } from './breakers/makerchecker.ts';

const cases = generateCases();

describe('own Countersign vectors', () => {
  it('cover every FORMAT.md §6 code but TRUST.unpinned (and the §7 codes still pending)', () => {
    const covered = new Set(cases.flatMap((c) => c.codes));
    // PROOF.consistency judges consistency/v1 files, not bundles: test/unit/witness-exchange.test.ts.
    // Disclosure-packet codes are covered by test/vectors/disclosure (disclosure-vectors.test.ts).
    const notBundle = new Set(['TRUST.unpinned', 'PROOF.consistency', 'PROOF.inclusion']);
    const missing = Object.keys(FINDING_CODES).filter(
      (c) => !c.startsWith('AAPR.') && !c.startsWith('DISCLOSE.') && !notBundle.has(c) && !PENDING_CHECKS.includes(c as never) && !covered.has(c as never),
    );
    expect(missing).toEqual([]);
  });

  const check = async (c: VectorCase) => {
    const first = c.remember === undefined ? undefined : cases.find((x) => x.file === c.remember);
    if (c.remember !== undefined && !first) throw new Error(`${c.name}: no case ${c.remember} to remember`);
    const report = await verifyText(c.bytes, anchorsFrom(c.trust), first ? await rememberedAfter(first.bytes) : []);
    const { all, errors } = codesOf(report);
    for (const code of c.codes) expect(all, `${c.note}\nfindings: ${JSON.stringify(report.findings, null, 1)}`).toContain(code);
    const unexpected = errors.filter((code) => !c.codes.includes(code as never));
    expect(unexpected, `${c.note}\nfindings: ${JSON.stringify(report.findings, null, 1)}`).toEqual([]);
    expect(report.verdict, c.note).toBe(c.expect);
  };
  it.each(cases.map((c) => [c.name, c] as [string, VectorCase]))('%s', async (_, c) => check(c));

  it('are committed as files exactly as the generator makes them (npm run vectors)', () => {
    expect(readFileSync(join(VECTOR_DIR, 'index.json'), 'utf8')).toBe(vectorIndex(cases));
    for (const c of cases) expect(Buffer.from(readFileSync(join(VECTOR_DIR, c.file))).equals(Buffer.from(c.bytes)), c.file).toBe(true);
  });

  it('are deterministic: two runs give identical cases', () => {
    const again = generateCases();
    expect(again.map((c) => c.name)).toEqual(cases.map((c) => c.name));
    for (const [i, c] of again.entries()) {
      const first = cases[i]!;
      expect({ ...c, bytes: Buffer.from(c.bytes).toString('base64') }).toEqual({ ...first, bytes: Buffer.from(first.bytes).toString('base64') });
    }
  });
});

describe('own MakerChecker vectors', () => {
  // What each case must give is checked by makerchecker.test.ts, over these files.
  it('are committed as files exactly as the generator makes them (npm run vectors)', () => {
    const mc = generateMakerCheckerVectors();
    expect(readFileSync(join(MC_VECTOR_DIR, 'index.json'), 'utf8')).toBe(makerCheckerIndex(mc.cases));
    expect(readdirSync(MC_VECTOR_DIR).sort()).toEqual([...mc.files.keys(), 'index.json'].sort());
    for (const [name, bytes] of mc.files) expect(Buffer.from(readFileSync(join(MC_VECTOR_DIR, name))).equals(Buffer.from(bytes)), name).toBe(true);
  });

  it('are deterministic: two runs give identical files', () => {
    const a = generateMakerCheckerVectors();
    const b = generateMakerCheckerVectors();
    expect([...b.files.keys()]).toEqual([...a.files.keys()]);
    for (const [name, bytes] of a.files) expect(Buffer.from(b.files.get(name)!).equals(Buffer.from(bytes)), name).toBe(true);
  });
});
