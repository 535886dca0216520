// MakerChecker conformance cases (MAKERCHECKER.md): our own 12 (test/vectors/makerchecker,
// from breakers/makerchecker.ts) always, and MakerChecker's 12 published ones, read in place
// from ../shared/vectors/makerchecker, when that folder exists. Each is fed in one chunk,
// in 7-byte chunks and gzip-compressed: the verdict must not change.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openSource } from '../../src/core/verifier/byte-source.ts';
import { verifyMakerChecker } from '../../src/core/verifier/makerchecker.ts';
import type { Report, TrustAnchor } from '../../src/core/report/report.ts';
import { chunked, vectorSets } from '../helpers/shared.ts';

interface Case {
  file: string;
  expect: 'pass' | 'fail';
  pinKey?: string;
  reasonContains?: string;
  reasonCode?: string;
  note: string;
}

async function verify(chunks: Uint8Array[], trust: TrustAnchor[]): Promise<Report> {
  const { stats, chunks: stream } = await openSource(chunks);
  return verifyMakerChecker(stream, stats, { trust });
}

describe.each(vectorSets('makerchecker'))('MakerChecker conformance vectors ($name)', (set) => {
  const index = JSON.parse(set.read('index.json').toString('utf8')) as { cases: Case[] };
  const readBytes = (file: string) => new Uint8Array(set.read(file));

  it('lists the 12 cases', () => {
    expect(index.cases).toHaveLength(12);
  });

  for (const c of index.cases) {
    const name = `${c.file}${c.pinKey ? ` pinned to ${c.pinKey}` : ''}: ${c.expect} (${c.note})`;
    it(name, async () => {
      const bytes = new Uint8Array(set.read(c.file));
      const trust: TrustAnchor[] = c.pinKey ? [{ kind: 'pem', pem: set.read(c.pinKey).toString('utf8'), label: c.pinKey }] : [];
      const whole = await verify([bytes], trust);
      const small = await verify(chunked(bytes, 7), trust);
      const gz = await verify(chunked(new Uint8Array(gzipSync(bytes)), 1000), trust);
      for (const r of [whole, small, gz]) {
        expect(r.format).toBe('makerchecker-aapr/v1');
        if (c.expect === 'pass') {
          if (c.pinKey) {
            expect(r.verdict, JSON.stringify(r.findings)).toBe('pass');
            expect(r.findings).toEqual([]);
            expect(r.trust.status).toBe('pinned');
          } else {
            // Unpinned: ours says warn, with TRUST.unpinned as its only finding (counts as matching).
            expect(r.verdict, JSON.stringify(r.findings)).toBe('warn');
            expect(r.findings.map((f) => f.code)).toEqual(['TRUST.unpinned']);
          }
        } else {
          expect(r.verdict).toBe('fail');
          const messages = r.findings.map((f) => f.message).join('\n');
          expect(messages).toContain(c.reasonContains!);
          if (c.reasonCode === 'ill_formed_string') expect(r.counts['AAPR.ill_formed_string']).toBeGreaterThan(0);
        }
      }
      // Identical reports, byte feeding aside.
      const strip = (r: Report) => ({ ...r, timings: null, bundle: { ...r.bundle, bytes: 0, gzip: false, sha256: '' } });
      expect(strip(small)).toEqual(strip(whole));
      expect(strip(gz)).toEqual(strip(whole));
      expect(whole.bundle.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(whole.entries).toBeGreaterThan(0);
      expect(whole.log).toBe('11111111-1111-4111-8111-111111111111');
    });
  }

  it('shows both fingerprints of the instance key and explains what a run bundle does not prove', async () => {
    const r = await verify([readBytes('valid-run.json')], []);
    expect(r.signers).toHaveLength(1);
    expect(r.signers[0]!.keyId).toMatch(/^[0-9a-f]{64}$/);
    expect(r.signers[0]!.spkiSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.trust.doesNotProve.join(' ')).toMatch(/complete/);
    expect(r.trust.doesNotProve.join(' ')).toMatch(/not signed by the approvers/);
    expect(r.makerchecker?.bundleKind).toBe('run');
    expect(r.genesis).toMatch(/^[0-9a-f]{64}$/);
    const byKeyId = await verify([readBytes('valid-run.json')], [{ kind: 'key', hex: r.signers[0]!.keyId }]);
    expect(byKeyId.verdict).toBe('pass');
    const bySpki = await verify([readBytes('valid-run.json')], [{ kind: 'key', hex: r.signers[0]!.spkiSha256! }]);
    expect(bySpki.verdict).toBe('pass');
  });

  it('reports the ill-formed string with the event seq and its path', async () => {
    const r = await verify([readBytes('ill-formed-string.json')], []);
    const f = r.findings.find((x) => x.code === 'AAPR.ill_formed_string')!;
    expect(f.message).toContain('ill-formed string');
    expect(f.message).toMatch(/\$\.events\[\d+\]\.payload/);
    expect(f.seq).toBeDefined();
    expect(f.line).toBe(
      set.name === 'shared'
        ? 189
        : 1 +
            set
              .read('ill-formed-string.json')
              .toString('utf8')
              .split('\n')
              .findIndex((l) => l.includes('\\ud800')),
    );
    expect(r.counts['FORMAT.json']).toBeUndefined();
  });
});
