// Disclosure packets and single-entry tlog-proofs (docs/format.md §7.3–§7.4): made by the
// streaming maker from real bundles (the demo, a generated log of a few thousand entries),
// checked by the disclosure verifier through verifyBundle (the same entry point as the CLI
// and the page), and hostile packets that must get a finding, never a crash.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo } from '../../src/core/gate/demo.ts';
import { makeDisclosure, makeTlogProof } from '../../src/core/disclosure/make-disclosure.ts';
import { verifyBundle, detectFormat } from '../../src/core/verifier/verify-bundle.ts';
import { createSignatureBackend } from '../../src/core/crypto/ed25519.ts';
import { encodeUtf8 } from '../../src/core/encoding/utf8.ts';
import { decodeBase64, encodeBase64 } from '../../src/core/encoding/base64.ts';
import { pemFromPublicKey } from '../../src/core/verifier/pem.ts';
import { getPublicKey, keyIdOf } from '../../src/core/crypto/ed25519.ts';
import { sha256 } from '../../src/core/crypto/hash.ts';
import { parseTlogProof } from '../../src/core/log/tlog-proof.ts';
import type { Report, TrustAnchor } from '../../src/core/report/report.ts';
import type { DisclosureGovernance } from '../../src/core/verifier/disclosure.ts';
import type { GovernanceReport } from '../../src/core/report/request-summaries.ts';
import { verifyBundleReport } from '../../src/core/report/verify-report.ts';

/** A packet's governance as the CLI and the page read it: the disclosure view and the request rows. */
type PacketGovernance = DisclosureGovernance & GovernanceReport;
import { generateCountersignBundle } from '../bench/generate-countersign.ts';
import { anchorsFrom } from '../vectors/breakers/verify.ts';
import { whenShared, readShared } from '../helpers/shared.ts';

const backend = createSignatureBackend('auto');
async function verifyBytes(bytes: Uint8Array | string, trust: TrustAnchor[]): Promise<Report> {
  const r = await verifyBundleReport([typeof bytes === 'string' ? encodeUtf8(bytes) : bytes], { trust, backend: await backend });
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.report;
}
const codes = (r: Report) => [...new Set(r.findings.map((f) => f.code))].sort();
const requestIds = (bundle: string) =>
  bundle
    .split('\n')
    .filter((l) => l.startsWith('{"entry"'))
    .map((l) => JSON.parse(Buffer.from(JSON.parse(l).entry.envelope.payload, 'base64').toString()))
    .filter((s) => s.type === 'request')
    .map((s) => s.id as string);

let demo: Record<string, string>;
let demoTrust: TrustAnchor[];
beforeAll(async () => {
  demo = await buildDemo({ seed: 'demo', scryptN: 2 ** 14 });
  demoTrust = anchorsFrom(demo['trust.txt']!.trim());
});

describe('round trip on the demo: disclose every request, verify the packet', () => {
  it('every packet verifies with the bundle’s anchor, with the full bundle’s verdict for that request', async () => {
    const full = await verifyBytes(demo['bundle.jsonl']!, demoTrust);
    const ids = requestIds(demo['bundle.jsonl']!);
    expect(ids.length).toBeGreaterThanOrEqual(4);
    for (const id of ids) {
      const made = await makeDisclosure([encodeUtf8(demo['bundle.jsonl']!)], { requests: [id] });
      if (!made.ok) throw new Error(made.message);
      const r = await verifyBytes(made.text, demoTrust);
      expect(r.format).toBe('countersign-disclosure/v1');
      const g = r.governance as PacketGovernance;
      const fullReq = (full.governance as PacketGovernance).requests.find((q) => q.id === id)!;
      const req = g.requests.find((q) => q.id === id)!;
      // The same request card as the full bundle: status, approvals counted, refusals.
      expect(req.status, id).toBe(fullReq.status);
      expect(req.approvals.map((a) => [a.approver, a.counted])).toEqual(fullReq.approvals.map((a) => [a.approver, a.counted]));
      expect(req.refusals).toEqual(fullReq.refusals);
      // The demo's waiting request is pending in both: REQ.pending is its only finding.
      expect(codes(r), id).toEqual(fullReq.status === 'pending' ? ['REQ.pending'] : []);
      expect(r.verdict, id).toBe(fullReq.status === 'pending' ? 'warn' : 'pass');
      expect(r.trust.status).toBe('pinned');
      expect(g.disclosure.entries.every((e) => e.proven)).toBe(true);
      expect(g.disclosure.entries[0]!.seq).toBe(0);
    }
  });

  it('says what a disclosure proves and what it does not', async () => {
    const made = await makeDisclosure([encodeUtf8(demo['bundle.jsonl']!)], { requests: ['req-1'] });
    if (!made.ok) throw new Error(made.message);
    const r = await verifyBytes(made.text, demoTrust);
    expect(r.trust.proves.join(' ')).toMatch(/in the log the checkpoint commits to/);
    expect(r.trust.proves.join(' ')).toMatch(/approvals met the policy/);
    expect(r.trust.doesNotProve.join(' ')).toMatch(/no other entry about the request/);
  });

  it('key: anchors pin the governance set as for a bundle; one key below the quorum does not', async () => {
    const made = await makeDisclosure([encodeUtf8(demo['bundle.jsonl']!)], { requests: ['req-1'] });
    if (!made.ok) throw new Error(made.message);
    const genesis = JSON.parse(Buffer.from((made.packet.entries[0]!.entry as { envelope: { payload: string } }).envelope.payload, 'base64').toString());
    const role = genesis.governance.role as string;
    const keys: string[] = genesis.roster.principals
      .filter((p: { roles: string[] }) => p.roles.includes(role))
      .flatMap((p: { keys: { pub: string }[] }) => p.keys.map((k) => keyIdOf(decodeBase64(k.pub))));
    expect(keys.length).toBeGreaterThanOrEqual(genesis.governance.approvals_required);
    const all = await verifyBytes(
      made.text,
      keys.map((hex) => ({ kind: 'key' as const, hex })),
    );
    expect(all.trust.status).toBe('pinned');
    expect(all.verdict).toBe('pass');
    if (genesis.governance.approvals_required > 1) {
      const one = await verifyBytes(made.text, [{ kind: 'key', hex: keys[0]! }]);
      expect(one.trust.status).toBe('mismatch');
      expect(codes(one)).toContain('TRUST.mismatch');
    }
    const none = await verifyBytes(made.text, []);
    expect(none.verdict).toBe('warn');
    expect(codes(none)).toEqual(['TRUST.unpinned']);
  });

  it('several requests in one packet; an unknown id is refused by name', async () => {
    const made = await makeDisclosure([encodeUtf8(demo['bundle.jsonl']!)], { requests: ['req-1', 'req-3'] });
    if (!made.ok) throw new Error(made.message);
    const r = await verifyBytes(made.text, demoTrust);
    expect(r.verdict).toBe('pass');
    expect((r.governance as PacketGovernance).requests.map((q) => q.id)).toEqual(['req-1', 'req-3']);
    const bad = await makeDisclosure([encodeUtf8(demo['bundle.jsonl']!)], { requests: ['req-nope'] });
    expect(bad).toMatchObject({ ok: false, code: 'DISCLOSE.make' });
    expect(!bad.ok && bad.message).toMatch(/req-nope/);
  });
});

describe('round trip on a generated bundle (a few thousand entries; 100k in npm run bench)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'disclose-'));
  const path = join(dir, 'bundle.jsonl');
  let text = '';
  let trust: TrustAnchor[] = [];
  beforeAll(async () => {
    const g = await generateCountersignBundle(path, 3000);
    text = readFileSync(path, 'utf8');
    trust = [{ kind: 'genesis', hex: g.genesis }];
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every request of the log discloses and verifies pass, in packets under 64 KB', async () => {
    const ids = requestIds(text);
    expect(ids.length).toBeGreaterThan(500);
    // All requests in one packet: every position shape of the tree, one pass, one verify.
    const bytes = encodeUtf8(text);
    const all = await makeDisclosure([bytes], { requests: ids });
    if (!all.ok) throw new Error(all.message);
    const rAll = await verifyBytes(all.text, trust);
    expect(rAll.verdict, JSON.stringify(rAll.findings.slice(0, 5))).toBe('pass');
    expect((rAll.governance as PacketGovernance).requests).toHaveLength(ids.length);
    // And one packet per request (a fresh streaming pass each, the bundle split across chunks)
    // for every 20th request: each its own proofs, its own verdict.
    for (const id of ids.filter((_, i) => i % 20 === 0)) {
      const made = await makeDisclosure([bytes.subarray(0, 1 << 20), bytes.subarray(1 << 20)], { requests: [id] });
      if (!made.ok) throw new Error(`${id}: ${made.message}`);
      expect(made.text.length).toBeLessThan(64 * 1024);
      const r = await verifyBytes(made.text, trust);
      expect(r.verdict, `${id}: ${JSON.stringify(r.findings)}`).toBe('pass');
    }
  }, 600_000);

  it('a tlog-proof for any seq verifies with the gate’s key, and names what it cannot check', async () => {
    const gatePem = pemFromPublicKey(getPublicKey(sha256(encodeUtf8('bench:gate'))));
    for (const seq of [0, 1, 2, 1234, 2999]) {
      const made = await makeTlogProof([encodeUtf8(text)], { seq });
      if (!made.ok) throw new Error(made.message);
      expect(detectFormat(encodeUtf8(made.text))).toBe('tlog-proof');
      const r = await verifyBytes(made.text, [{ kind: 'pem', pem: gatePem, label: 'gate.pem' }, ...(seq === 0 ? trust : [])]);
      expect(r.format).toBe('tlog-proof/v1');
      expect(r.verdict, JSON.stringify(r.findings)).toBe('pass');
      expect(r.trust.proves.join(' ')).toMatch(new RegExp(`seq ${seq} is in the log`));
      if (seq > 0) expect(r.trust.doesNotProve.join(' ')).toMatch(/roster in force/);
    }
  });
});

describe('C2SP tlog-proof@v1 text', () => {
  it('matches the layout of c2sp.org/tlog-proof: header, extra, index, hashes, empty line, checkpoint', async () => {
    const made = await makeTlogProof([encodeUtf8(demo['bundle.jsonl']!)], { seq: 4 });
    if (!made.ok) throw new Error(made.message);
    const lines = made.text.split('\n');
    expect(lines[0]).toBe('c2sp.org/tlog-proof@v1');
    expect(lines[1]).toMatch(/^extra [A-Za-z0-9+/]+=*$/);
    expect(lines[2]).toBe('index 4');
    const blank = lines.indexOf('');
    for (const h of lines.slice(3, blank)) expect(decodeBase64(h)).toHaveLength(32);
    expect(lines[blank + 1]).toBe('demo.countersign.example/agents-prod');
    const p = parseTlogProof(made.text);
    expect(p.ok && JSON.parse(new TextDecoder().decode(p.proof.extra!)).seq).toBe(4);
  });

  it.each([
    ['no header', 'index 1\n\nx\n', /line 1/],
    ['leading zero index', 'c2sp.org/tlog-proof@v1\nindex 01\n\nx\n', /leading zeroes/],
    ['short hash', 'c2sp.org/tlog-proof@v1\nindex 1\nAAAA\n\nx\n', /32 bytes/],
    ['no checkpoint', 'c2sp.org/tlog-proof@v1\nindex 1\n', /empty line/],
  ])('parseTlogProof rejects %s with the line', (_, text, re) => {
    const p = parseTlogProof(text);
    expect(p.ok).toBe(false);
    expect(!p.ok && p.message).toMatch(re);
  });
});

describe('hostile packets get findings, never a crash', () => {
  let good: { countersign: string; log: string; checkpoint: string; entries: { entry: { seq: number; prev: string }; proof: string[] }[] };
  beforeAll(async () => {
    const made = await makeDisclosure([encodeUtf8(demo['bundle.jsonl']!)], { requests: ['req-1'] });
    if (!made.ok) throw new Error(made.message);
    good = JSON.parse(made.text);
  });
  const mutate = (f: (p: typeof good) => void) => {
    const p = structuredClone(good);
    f(p);
    return JSON.stringify(p);
  };

  it.each([
    ['a proof hash changed', (p: typeof good) => (p.entries[3]!.proof[1] = encodeBase64(new Uint8Array(32))), 'PROOF.inclusion'],
    ['a proof hash dropped', (p: typeof good) => p.entries[2]!.proof.pop(), 'PROOF.inclusion'],
    ['the entries out of order', (p: typeof good) => p.entries.reverse(), 'CHAIN.seq'],
    ['the roster-less genesis dropped', (p: typeof good) => p.entries.shift(), 'DISCLOSE.governance'],
    ['a checkpoint of another origin', (p: typeof good) => (p.checkpoint = p.checkpoint.replaceAll('demo.countersign.example', 'evil.example')), 'FORMAT.line'],
    ['an unknown field', (p: typeof good) => Object.assign(p, { extra: 1 }), 'FORMAT.schema'],
  ])('%s → %s', async (_, f, code) => {
    const r = await verifyBytes(mutate(f), demoTrust);
    expect(r.verdict).toBe('fail');
    expect(codes(r)).toContain(code);
  });

  it('duplicate keys, truncation and garbage are FORMAT findings or a plain refusal', async () => {
    const dup = '{"countersign":"disclosure/v1","countersign":"disclosure/v1","log":"x","checkpoint":"","entries":[]}';
    expect(codes(await verifyBytes(dup, []))).toContain('FORMAT.json');
    const cut = JSON.stringify(good).slice(0, 500);
    expect(codes(await verifyBytes(cut, []))).toContain('FORMAT.json');
    const r = await verifyBundle([encodeUtf8('\u0000\u0001garbage')], { backend: await backend });
    expect(r).toMatchObject({ ok: false, code: 'INPUT.not_bundle' });
  });
});

whenShared(() =>
  describe('the independent implementation’s packet (../shared/vectors/countersign-v1.1)', () => {
    it('cs-valid-disclosure.json passes with its genesis and witness anchors, and without the witness', async () => {
      const index = JSON.parse(readShared('vectors/countersign-v1.1/index.json').toString());
      const c = index.cases.find((x: { file: string }) => x.file === 'cs-valid-disclosure.json');
      const bytes = readShared('vectors/countersign-v1.1/cs-valid-disclosure.json');
      const r = await verifyBytes(bytes, anchorsFrom((c.trust as string[]).join(' ')));
      expect(r.verdict, JSON.stringify(r.findings)).toBe(c.expect);
      expect(r.witness?.cosignatures.some((x) => x.status === 'valid')).toBe(true);
      const g = r.governance as PacketGovernance;
      expect(g.requests.map((q) => q.id)).toEqual(['req-public-s7-0000004']);
      expect(g.disclosure.stated).toEqual({ roster: 2, policy: 2 });
      const r2 = await verifyBytes(bytes, anchorsFrom((c.trust as string[])[0]!));
      expect(r2.verdict).toBe('pass');
    });
  }),
);
