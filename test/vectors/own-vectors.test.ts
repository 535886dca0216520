// Our own conformance vectors (generate.ts, committed as files under countersign/) against
// the real verifier: each broken case raises its code and no other error code (one broken
// thing each), valid logs raise no error, and generating twice gives the same bytes.
import { describe, expect, it } from 'vitest';
import { FINDING_CODES } from '../../src/core/report/findings.ts';
import { generateCases, type VectorCase } from './generate.ts';
import { anchorsFrom, codesOf, verifyText } from './breakers/verify.ts';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MC_VECTOR_DIR, VECTOR_DIR, vectorIndex } from './write-vectors.ts';
import { generateMakerCheckerVectors, makerCheckerIndex } from './breakers/makerchecker.ts';

const cases = generateCases();

describe('own Countersign vectors', () => {
  it('cover every FORMAT.md §6 code but TRUST.unpinned', () => {
    const covered = new Set(cases.flatMap((c) => c.codes));
    const missing = Object.keys(FINDING_CODES).filter((c) => !c.startsWith('AAPR.') && c !== 'TRUST.unpinned' && !covered.has(c as never));
    expect(missing).toEqual([]);
  });

  const check = async (c: VectorCase) => {
    const report = await verifyText(c.bytes, anchorsFrom(c.trust));
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
