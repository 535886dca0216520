// Countersign conformance cases: our own (test/vectors/countersign, npm run vectors) always,
// and those of an independent implementation of FORMAT.md (../shared/vectors/countersign),
// read in place, when that folder exists. Each must give the expected verdict and every
// expected code, however the bytes are chunked, gzip or not, on either signature backend.
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { verifyBundle } from '../../src/core/verifier/verify-bundle.ts';
import { createNobleBackend, createSignatureBackend } from '../../src/core/crypto/ed25519.ts';
import { anchorFrom } from '../helpers/anchors.ts';
import { chunked, vectorSets } from '../helpers/shared.ts';
import { rememberedAfter } from './breakers/verify.ts';

interface Case {
  file: string;
  expect: 'pass' | 'warn' | 'fail';
  codes: string[];
  trust: string | string[] | null;
  note: string;
  /** docs/format.md §7.2: a case verified first, whose last checkpoint the witness remembers. */
  remember?: string;
}

describe.each(vectorSets('countersign'))('Countersign conformance cases ($name)', (set) => {
  const cases: Case[] = JSON.parse(set.read('index.json').toString('utf8')).cases;
  it.each(cases.map((c) => [`${c.file} trust=${[c.trust ?? 'none'].flat().join(' ')}`, c] as const))('%s', async (_, c) => {
    const bytes = new Uint8Array(set.read(c.file));
    const backends = [await createSignatureBackend('auto'), createNobleBackend()];
    const gz = c.file.endsWith('.gz') ? bytes : new Uint8Array(gzipSync(bytes));
    const inputs = [[bytes], chunked(bytes, 7), [gz], chunked(gz, 5)];
    const remembered = c.remember ? await rememberedAfter(new Uint8Array(set.read(c.remember))) : [];
    const trust = anchorFrom(Array.isArray(c.trust) ? c.trust.join(' ') : c.trust);
    const verdicts = new Set<string>();
    for (const backend of backends)
      for (const input of inputs) {
        const r = await verifyBundle(input, { trust, backend, remembered });
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        verdicts.add(JSON.stringify([r.report.verdict, Object.keys(r.report.counts).sort()]));
        expect(r.report.verdict, c.note).toBe(c.expect);
        for (const code of c.codes) expect(Object.keys(r.report.counts)).toContain(code);
        expect(r.report.format).toBe('countersign-bundle/v1');
      }
    expect(verdicts.size, 'same verdict and codes for every backend and chunking').toBe(1);
  });
});
