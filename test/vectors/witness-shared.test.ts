// The v1.1 witness cases from an independent implementation (../shared/vectors/countersign-v1.1),
// read in place: every bundle case in index.json, with every anchor it lists (witness anchors too).
import { describe, expect, it } from 'vitest';
import { verifyBundle } from '../../src/core/verifier/verify-bundle.ts';
import { createNobleBackend, createSignatureBackend } from '../../src/core/crypto/ed25519.ts';
import type { TrustAnchor } from '../../src/core/report/report.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chunked, hasShared, whenShared, readShared, OWN_VECTORS } from '../helpers/shared.ts';

interface Case {
  file: string;
  expect: 'pass' | 'warn' | 'fail';
  codes: string[];
  trust: string | string[] | null;
  note: string;
}

function anchors(trust: Case['trust']): TrustAnchor[] {
  const list = trust === null ? [] : Array.isArray(trust) ? trust : [trust];
  return list.map((t) => {
    const i = t.indexOf(':');
    const kind = t.slice(0, i);
    const rest = t.slice(i + 1);
    if (kind === 'witness') return { kind, key: rest };
    if (kind === 'genesis' || kind === 'key') return { kind, hex: rest };
    throw new Error(`bad anchor ${t}`);
  });
}

const cases: Case[] = hasShared
  ? (JSON.parse(readShared('vectors', 'countersign-v1.1', 'index.json').toString('utf8')).cases as Case[]).filter((c) => c.file.endsWith('.jsonl'))
  : [];

whenShared(() =>
  describe('Countersign v1.1 witness cases (shared)', () => {
    it.each(cases.map((c) => [`${c.file} trust=${JSON.stringify(c.trust)}`, c] as const))('%s', async (_, c) => {
      const bytes = new Uint8Array(readShared('vectors', 'countersign-v1.1', c.file));
      for (const backend of [await createSignatureBackend('auto'), createNobleBackend()])
        for (const input of [[bytes], chunked(bytes, 11)]) {
          const r = await verifyBundle(input, { trust: anchors(c.trust), backend });
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          expect(r.report.verdict, `${c.note}: ${JSON.stringify(r.report.findings)}`).toBe(c.expect);
          for (const code of c.codes) expect(Object.keys(r.report.counts)).toContain(code);
          const w = r.report.witness!;
          // The report lists the one cosignature on the last checkpoint, with its time.
          expect(w.cosignatures).toHaveLength(1);
          const expected = anchors(c.trust).some((a) => a.kind === 'witness') ? (c.expect === 'pass' ? 'valid' : 'invalid') : 'unchecked';
          expect(w.cosignatures[0]).toMatchObject({ name: 'witness.example.org/public-1', status: expected });
          expect(w.cosignatures[0]!.time).toMatch(/^\d{4}-\d\d-\d\dT/);
        }
    });

    it('K = 1 of one witness holds; a second, absent witness with K = 2 is WITNESS.quorum', async () => {
      const bytes = new Uint8Array(readShared('vectors', 'countersign-v1.1', 'cs-valid-witnessed.jsonl'));
      const base = anchors([
        'genesis:d1b706751c8222b60276e3cf68676edf4ae72d473f8594c4bc566418b94e4fd9',
        'witness:witness.example.org/public-1+8e4482b5+BGIvQfCsueq83g1sKtmAYoN3Kzq//NNLR7ZNEAdIxaXt',
      ]);
      const other: TrustAnchor = { kind: 'witness', key: 'other.example/w+57eb17c6+BD1AF8PoQ4lakrcKp00bfrycmCzPLsSWjMDNVfEq9GYM' };
      const r1 = await verifyBundle([bytes], { trust: [...base, other], witnessQuorum: 1 });
      // The made-up key above must parse, or the case proves nothing.
      expect(r1.ok, r1.ok ? '' : r1.message).toBe(true);
      if (!r1.ok) return;
      expect(r1.report.verdict).toBe('pass');
      const r2 = await verifyBundle([bytes], { trust: [...base, other] });
      expect(r2.ok && r2.report.verdict).toBe('fail');
      expect(r2.ok && Object.keys(r2.report.counts)).toContain('WITNESS.quorum');
      const r3 = await verifyBundle([bytes], { trust: [...base, other], witnessQuorum: 3 });
      expect(r3.ok).toBe(false);
      expect(!r3.ok && r3.code).toBe('INPUT.trust');
    });
  }),
);

// Without ../shared this file would define no suite, and vitest fails such a file (a fresh clone
// ran `npm test` red). The witness codes are then covered by the repository's own vectors
// (own-vectors.test.ts runs them); this checks that they are.
if (!hasShared)
  describe('Countersign v1.1 witness cases (../shared/vectors is not beside this clone)', () => {
    it('the own vectors have a case for every WITNESS code', () => {
      const own = JSON.parse(readFileSync(join(OWN_VECTORS, 'countersign', 'index.json'), 'utf8')) as { cases: { codes?: string[] }[] };
      const codes = new Set(own.cases.flatMap((c) => c.codes ?? []));
      for (const code of ['WITNESS.fork', 'WITNESS.quorum', 'WITNESS.signature', 'WITNESS.truncated']) expect(codes).toContain(code);
    });
  });
