// The CLI as a user runs it: the bundled bin, real files, real exit codes.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { bundleCli } from '../helpers/cli.ts';
import { OWN_VECTORS, sharedPath, vectorSets } from '../helpers/shared.ts';

const RUN = 'dist/test-cli/run.mjs';
const tmp = mkdtempSync(join(tmpdir(), 'cs-cli-'));

function cli(args: string[], opts: { env?: Record<string, string>; input?: Buffer } = {}) {
  const r = spawnSync(process.execPath, [RUN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    input: opts.input,
    maxBuffer: 1 << 26,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  await bundleCli('dist/test-cli');
});

describe('countersign CLI', () => {
  it('prints help and exits 2 on usage errors', () => {
    expect(cli([]).code).toBe(2);
    expect(cli(['--help']).out).toContain('countersign verify FILE');
    expect(cli(['frobnicate']).code).toBe(2);
    const v = cli(['verify']);
    expect(v.code).toBe(2);
    expect(v.err).toContain('exactly one FILE');
    expect(cli(['verify', 'x', '--trust', 'genesis:zz']).err).toContain('64 hex digits');
    expect(cli(['verify', join(tmp, 'missing.jsonl')]).err).toContain('no such file');
  });

  it('exits 2 for a file that is not a bundle, naming what it expected', () => {
    const f = join(tmp, 'notes.txt');
    writeFileSync(f, 'hello, this is not evidence\n');
    const r = cli(['verify', f]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('not an audit bundle');
    writeFileSync(f, '');
    expect(cli(['verify', f]).err).toContain('empty');
  });

  it('never takes a passphrase from an argument', () => {
    const r = cli(['keygen', '--out', join(tmp, 'a.key'), '--principal', 'alice', '--name', 'Alice', '--passphrase', 'secret']);
    expect(r.code).toBe(2);
    const r2 = cli(['keygen', '--out', join(tmp, 'a.key'), '--principal', 'alice', '--name', 'Alice'], { env: { COUNTERSIGN_PASSPHRASE: '' } });
    expect(r2.code).toBe(2);
    expect(r2.err).toContain('--passphrase-file');
  });

  it('keygen writes a key/v1 file that sign can open', () => {
    const key = join(tmp, 'k.key');
    const r = cli(['keygen', '--out', key, '--principal', 'carol', '--name', 'Carol Nguyễn'], { env: { COUNTERSIGN_PASSPHRASE: 'correct horse battery' } });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/fingerprint\s+[0-9a-f]{4}( [0-9a-f]{4}){7}/);
    const file = JSON.parse(readFileSync(key, 'utf8'));
    expect(file.countersign).toBe('key/v1');
    expect(file.principal).toBe('carol');
    expect(JSON.stringify(file)).not.toContain('correct horse');
    expect(cli(['keygen', '--out', key, '--principal', 'carol', '--name', 'C'], { env: { COUNTERSIGN_PASSPHRASE: 'correct horse battery' } }).code).toBe(2);
  });
});

// Our own conformance files always; the shared ones too when ../shared exists.
const verifySets = vectorSets('countersign').map((set) => {
  const own = set.name === 'own';
  const index = JSON.parse(set.read('index.json').toString('utf8')) as { cases: { file: string; trust: string | null }[] };
  const trustOf = (file: string) => index.cases.find((c) => c.file === file)!.trust!;
  const valid = own ? 'valid-demo-complete.jsonl' : 'cs-valid-demo.jsonl';
  const failing = own ? 'chain-prev-altered.jsonl' : 'cs-fail-chain-prev-altered.jsonl';
  return {
    name: set.name,
    cs: set.path,
    mc: (f: string) => (own ? join(OWN_VECTORS, 'makerchecker', f) : sharedPath('vectors', 'makerchecker', f)),
    valid,
    validTrust: trustOf(valid),
    failing,
    failingTrust: trustOf(failing),
    origin: own ? 'demo.countersign.example/agents-prod' : 'acme.example/agents-prod',
    gz: own ? gzipSync(set.read(valid)) : set.read('cs-valid-demo.jsonl.gz'),
  };
});

describe.each(verifySets)('countersign verify on the $name conformance files', ({ cs, mc, valid, validTrust, failing, failingTrust, origin, gz }) => {
  it('pass → 0 with a readable summary', () => {
    const r = cli(['verify', cs(valid), '--trust', validTrust]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('Verdict: PASS');
    expect(r.out).toContain(origin);
    expect(r.out).toMatch(/req-1\s+iam\.grant_access@3\s+high\s+by agent-a\s+executed/);
  });

  it('warn → 0, fail → 1, and --json is report/v1', () => {
    const w = cli(['verify', cs(valid), '--json']);
    expect(w.code).toBe(0);
    const report = JSON.parse(w.out);
    expect(report.countersign).toBe('report/v1');
    expect(report.verdict).toBe('warn');
    expect(report.findings.map((f: { code: string }) => f.code)).toEqual(['TRUST.unpinned']);
    expect(report.bundle.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.signers.length).toBeGreaterThan(3);
    const f = cli(['verify', cs(failing), '--trust', failingTrust]);
    expect(f.code).toBe(1);
    expect(f.out).toContain('CHAIN.prev');
  });

  it('reads stdin and gzip', () => {
    const r = cli(['verify', '-', '--trust', validTrust], { input: gz });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('(gzip)');
  });

  it('pins MakerChecker keys by PEM, SPKI fingerprint or key id', () => {
    const pem = mc('instance-pubkey.pem');
    expect(cli(['verify', mc('valid-full.json'), '--trust', `pem:${pem}`]).code).toBe(0);
    const wrong = cli(['verify', mc('wrong-key.json'), '--trust', `pem:${pem}`]);
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('TRUST.mismatch');
    const report = JSON.parse(cli(['verify', mc('valid-full.json'), '--json']).out);
    const signer = report.signers[0];
    expect(cli(['verify', mc('valid-full.json'), '--trust', `key:${signer.keyId}`, '--json']).code).toBe(0);
    const bySpki = JSON.parse(cli(['verify', mc('valid-full.json'), '--trust', `key:${signer.spkiSha256}`, '--json']).out);
    expect(bySpki.verdict).toBe('pass');
  });
});

describe('the demo loop, as the README tells it', () => {
  it('demo → verify warn → sign → gate accept → verify pass; a second accept is refused', () => {
    const dir = join(tmp, 'demo');
    const d = cli(['demo', dir, '--seed', 'test']);
    expect(d.code, d.err).toBe(0);
    expect(d.out).toContain('countersign verify');
    expect(cli(['demo', dir]).code).toBe(2); // refuses to overwrite
    const trust = readFileSync(join(dir, 'trust.txt'), 'utf8').trim();
    const before = JSON.parse(cli(['verify', join(dir, 'bundle.jsonl'), '--trust', trust, '--json']).out);
    expect(before.verdict).toBe('warn');
    expect(before.findings.map((f: { code: string }) => f.code)).toEqual(['REQ.pending']);

    const approval = join(tmp, 'approval.json');
    const wrong = cli(['sign', '--key', join(dir, 'approver.key'), '--packet', join(dir, 'request.json'), '--vote', 'approve'], {
      env: { COUNTERSIGN_PASSPHRASE: 'not the passphrase' },
    });
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('wrong passphrase');
    const s = cli([
      'sign',
      '--key',
      join(dir, 'approver.key'),
      '--passphrase-file',
      join(dir, 'approver.passphrase'),
      '--packet',
      join(dir, 'request.json'),
      '--vote',
      'approve',
      '--out',
      approval,
    ]);
    expect(s.code, s.err).toBe(0);
    expect(JSON.parse(readFileSync(approval, 'utf8')).countersign).toBe('approval/v1');

    const g = cli(['gate', 'accept', dir, approval]);
    expect(g.code, g.err).toBe(0);
    expect(g.out).toContain('executed');
    const after = JSON.parse(cli(['verify', join(dir, 'bundle.jsonl'), '--trust', trust, '--json']).out);
    expect(after.verdict).toBe('pass');
    expect(after.findings).toEqual([]);

    const again = cli(['gate', 'accept', dir, approval]);
    expect(again.code).toBe(1);
    expect(again.out).toContain('refused');
    const final = JSON.parse(cli(['verify', join(dir, 'bundle.jsonl'), '--trust', trust, '--json']).out);
    expect(final.verdict).toBe('pass');
    const req4 = final.governance.requests.find((r: { id: string }) => r.id === 'req-4');
    expect(req4.status).toBe('executed');
    expect(req4.refusals).toHaveLength(1);
  });

  it('sign refuses a request whose requester is the signer', () => {
    const dir = join(tmp, 'demo');
    const packet = JSON.parse(readFileSync(join(dir, 'request.json'), 'utf8'));
    const key = join(tmp, 'agent.key');
    cli(['keygen', '--out', key, '--principal', packet.requester.id, '--name', 'Agent'], { env: { COUNTERSIGN_PASSPHRASE: 'agent passphrase' } });
    const r = cli(['sign', '--key', key, '--packet', join(dir, 'request.json'), '--vote', 'approve'], { env: { COUNTERSIGN_PASSPHRASE: 'agent passphrase' } });
    expect(r.code).toBe(1);
    expect(r.err).toContain('you (agent-a) made this request');
  });
});
