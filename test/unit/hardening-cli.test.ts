// Issue 8 (hardening), the CLI half: the bundled CLI as a user runs it, on hostile
// input. Every case here printed a stack trace, hung, lost an entry, echoed a
// secret, let a bundle write to the terminal, or read without bound before its fix.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundleCli } from '../helpers/cli.ts';
import { buildDemo } from '../../src/core/gate/demo.ts';

const DIR = 'dist/test-cli-hardening';
const RUN = join(DIR, 'run.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'cs-hard-'));
const HOSTILE = 'test/vectors/hostile';

function cli(args: string[], opts: { env?: Record<string, string>; timeout?: number } = {}) {
  const r = spawnSync(process.execPath, [RUN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', COUNTERSIGN_PASSPHRASE: '', ...opts.env },
    timeout: opts.timeout ?? 30_000,
    maxBuffer: 1 << 26,
  });
  return { code: r.status, out: r.stdout, err: r.stderr, signal: r.signal };
}

/** One line on stderr, exit 2, no stack trace, no "internal error". */
function expectUsageError(r: ReturnType<typeof cli>, pattern?: RegExp) {
  expect(r.signal, r.err).toBeNull();
  expect(r.code, r.err).toBe(2);
  expect(r.err).not.toMatch(/\n\s+at |internal error|TypeError|RangeError|ENOENT|EISDIR/);
  expect(r.err.trim().split('\n')).toHaveLength(1);
  if (pattern) expect(r.err).toMatch(pattern);
}

let demo: string;
beforeAll(async () => {
  await bundleCli(DIR);
  demo = join(tmp, 'demo');
  mkdirSync(demo);
  const files = await buildDemo({ seed: 'hardening', scryptN: 2 ** 14 });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(demo, name), text);
}, 120_000);

describe('item 1: a gzip that is not a bundle', () => {
  it('exits 2 with "not an audit bundle" in bounded time', () => {
    const f = join(tmp, 'x.gz');
    writeFileSync(f, gzipSync(Buffer.alloc(200_000, 'x')));
    const r = cli(['verify', f], { timeout: 20_000 });
    expectUsageError(r, /not an audit bundle/);
    const v = cli(['verify', join(HOSTILE, 'gzip-of-text-not-a-bundle.jsonl.gz')], { timeout: 20_000 });
    expectUsageError(v, /not an audit bundle/);
  });
});

describe('item 2: a bundle cannot write to the terminal', () => {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
  it('escapes control characters, C1 and bidi controls from a signed request id, in text and in --json', () => {
    const f = 'test/vectors/countersign/hostile-terminal-escape-request-id.jsonl';
    const r = cli(['verify', f]);
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(RAW);
    expect(r.out).toContain('\\u{1b}[1A');
    expect(r.out.split('\n').filter((l) => l.startsWith('Verdict:'))).toHaveLength(1);
    const j = cli(['verify', f, '--json']);
    expect(j.out).not.toMatch(RAW);
    expect(JSON.stringify(JSON.parse(j.out))).toContain('\\u001b[1A'); // the value is kept, only its display is escaped
    expect(JSON.parse(j.out).governance.requests.some((q: { id: string }) => q.id.includes('\u009b'))).toBe(true);
  });
});

/** A gate directory like the demo's, in `d` (which must exist). */
function copyGateDir(d: string): void {
  for (const name of ['bundle.jsonl', 'gate.key', 'gate.passphrase', 'trust.txt']) writeFileSync(join(d, name), readFileSync(join(demo, name)));
}

/** The demo approver approves the demo's waiting request into `out`. */
function signDemoApproval(out: string): void {
  const s = cli([
    'sign',
    '--key',
    join(demo, 'approver.key'),
    '--passphrase-file',
    join(demo, 'approver.passphrase'),
    '--packet',
    join(demo, 'request.json'),
    '--vote',
    'approve',
    '--out',
    out,
  ]);
  expect(s.code, s.err).toBe(0);
}

describe('item 3: concurrent gate accept', () => {
  it('20 accepts started together: every append is kept and the log verifies', async () => {
    const d = join(tmp, 'gate20');
    mkdirSync(d);
    copyGateDir(d);
    const approval = join(tmp, 'approval.json');
    signDemoApproval(approval);
    const before = readFileSync(join(d, 'bundle.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{"entry"')).length;
    const runs = await Promise.all(
      Array.from(
        { length: 20 },
        () =>
          new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
            const p = spawn(process.execPath, [RUN, 'gate', 'accept', d, approval], { env: { ...process.env, NO_COLOR: '1', COUNTERSIGN_PASSPHRASE: '' } });
            let out = '';
            let err = '';
            p.stdout.on('data', (c) => (out += c));
            p.stderr.on('data', (c) => (err += c));
            p.on('close', (code) => resolve({ code, out, err }));
          }),
      ),
    );
    let appended = 0;
    for (const r of runs) {
      expect([0, 1], r.err).toContain(r.code);
      const m = /appended (\d+) (?:entry|entries)/.exec(r.out);
      expect(m, r.out + r.err).not.toBeNull();
      appended += Number(m![1]);
    }
    const lines = readFileSync(join(d, 'bundle.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{"entry"'));
    expect(lines.length).toBe(before + appended);
    expect(appended).toBeGreaterThanOrEqual(20);
    const v = cli(['verify', join(d, 'bundle.jsonl'), '--trust', readFileSync(join(d, 'trust.txt'), 'utf8').trim(), '--json']);
    expect(v.code, v.out.slice(0, 2000)).toBe(0);
    expect(JSON.parse(v.out).entries).toBe(lines.length);
  }, 180_000);
});

describe('item 3: a stale lock', () => {
  it('a lock left by a crashed gate (older than 10 s) is taken over and released', () => {
    const d = join(tmp, 'stale');
    mkdirSync(d);
    copyGateDir(d);
    const approval = join(tmp, 'approval-stale.json');
    signDemoApproval(approval);
    mkdirSync(join(d, '.gate.lock'));
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(d, '.gate.lock'), old, old);
    const r = cli(['gate', 'accept', d, approval], { timeout: 60_000 });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/appended \d+ entr/);
    expect(existsSync(join(d, '.gate.lock'))).toBe(false); // released
  }, 90_000);
});

describe('item 5: every file but the bundle is read with a cap', () => {
  it.each([
    ['--trust pem:', ['verify', 'test/vectors/countersign/valid-allowed.jsonl', '--trust', 'pem:/dev/zero']],
    ['--passphrase-file', ['keygen', '--out', join(tmp, 'never.key'), '--principal', 'zed', '--name', 'Zed', '--passphrase-file', '/dev/zero']],
    ['--key', ['sign', '--key', '/dev/zero', '--packet', 'PACKET', '--vote', 'approve', '--passphrase-file', 'PASS']],
    ['--packet', ['sign', '--key', 'KEY', '--packet', '/dev/zero', '--profile', 'PROFILE', '--vote', 'approve', '--passphrase-file', 'PASS']],
    ['--profile', ['sign', '--key', 'KEY', '--packet', 'PACKET', '--profile', '/dev/zero', '--vote', 'approve', '--passphrase-file', 'PASS']],
    ['gate APPROVAL', ['gate', 'accept', 'DEMO', '/dev/zero']],
  ])('%s /dev/zero: a clear error, not gigabytes', (_what, args) => {
    const fill = (a: string) =>
      a === 'PROFILE'
        ? join(demo, 'log-profile.json')
        : a === 'PACKET'
          ? join(demo, 'request.json')
          : a === 'KEY'
            ? join(demo, 'approver.key')
            : a === 'PASS'
              ? join(demo, 'approver.passphrase')
              : a === 'DEMO'
                ? demo
                : a;
    const r = cli(args.map(fill), { timeout: 20_000 });
    expectUsageError(r, /larger than|too large/);
  });
});

describe('item 6: usage errors, never stack traces', () => {
  it.each([
    ['--trust pem:DIR', () => ['verify', 'test/vectors/countersign/valid-allowed.jsonl', '--trust', `pem:${tmp}`]],
    [
      'sign --key /nonexistent',
      () => [
        'sign',
        '--key',
        '/nonexistent',
        '--packet',
        join(demo, 'request.json'),
        '--vote',
        'approve',
        '--passphrase-file',
        join(demo, 'approver.passphrase'),
      ],
    ],
    [
      'sign --at garbage',
      () => [
        'sign',
        '--key',
        join(demo, 'approver.key'),
        '--packet',
        join(demo, 'request.json'),
        '--vote',
        'approve',
        '--passphrase-file',
        join(demo, 'approver.passphrase'),
        '--at',
        'garbage',
      ],
    ],
    ['gate accept DIR --at garbage', () => ['gate', 'accept', demo, join(HOSTILE, 'approval-any.json'), '--at', 'garbage']],
    ['gate accept DIR DIR', () => ['gate', 'accept', demo, demo]],
    [
      'keygen --name with a control character',
      () => ['keygen', '--out', join(tmp, 'k1.key'), '--principal', 'zed', '--name', 'Zed\u0007', '--passphrase-file', join(demo, 'approver.passphrase')],
    ],
    [
      'keygen --name of 300 characters',
      () => ['keygen', '--out', join(tmp, 'k2.key'), '--principal', 'zed', '--name', 'Z'.repeat(300), '--passphrase-file', join(demo, 'approver.passphrase')],
    ],
    [
      'keygen --out /nonexistent-dir/k',
      () => ['keygen', '--out', '/nonexistent-dir/k', '--principal', 'zed', '--name', 'Zed', '--passphrase-file', join(demo, 'approver.passphrase')],
    ],
    [
      'sign --packet DIR',
      () => ['sign', '--key', join(demo, 'approver.key'), '--packet', tmp, '--vote', 'approve', '--passphrase-file', join(demo, 'approver.passphrase')],
    ],
    ['verify DIR', () => ['verify', tmp]],
  ])('%s', (_what, args) => {
    expectUsageError(cli(args()));
  });

  it('a space in the log origin is a finding, not "could not be read"', () => {
    const r = cli(['verify', 'test/vectors/countersign/hostile-origin-space.jsonl']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/FORMAT\.line\s+line 1\s+the log origin cannot name the checkpoint key/);
  });
});

describe('item 7: the packet is read with the strict reader', () => {
  it('a packet with a duplicate key is refused, as the wallet refuses it', () => {
    const r = cli([
      'sign',
      '--key',
      join(demo, 'approver.key'),
      '--packet',
      join(HOSTILE, 'packet-duplicate-key.json'),
      '--profile',
      join(demo, 'log-profile.json'),
      '--vote',
      'approve',
      '--passphrase-file',
      join(demo, 'approver.passphrase'),
    ]);
    expectUsageError(r, /duplicate/);
    expect(r.out).toBe('');
  });
});

describe('item 8: key files are 0600, written by rename', () => {
  it('keygen --force over a 0644 file leaves a 0600 file (a new inode)', () => {
    const out = join(tmp, 'force.key');
    writeFileSync(out, 'old');
    chmodSync(out, 0o644);
    const ino = statSync(out).ino;
    const r = cli(['keygen', '--out', out, '--principal', 'zed', '--name', 'Zed', '--passphrase-file', join(demo, 'approver.passphrase'), '--force']);
    expect(r.code, r.err).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(statSync(out).ino).not.toBe(ino);
    expect(JSON.parse(readFileSync(out, 'utf8')).countersign).toBe('key/v1');
  });
});

describe('item 11: a secret given as a file name is never echoed', () => {
  it('--passphrase-file=<secret> does not print the value', () => {
    const secret = 'hunter2-correct-horse';
    for (const args of [
      ['keygen', '--out', join(tmp, 'k3.key'), '--principal', 'zed', '--name', 'Zed', `--passphrase-file=${secret}`],
      ['sign', '--key', join(demo, 'approver.key'), '--packet', join(demo, 'request.json'), '--vote', 'approve', `--passphrase-file=${secret}`],
    ]) {
      const r = cli(args);
      expectUsageError(r, /passphrase file/);
      expect(r.err + r.out).not.toContain(secret);
    }
  });
});

describe('hostile CLI inputs (test/vectors/hostile/index.json)', () => {
  const index = JSON.parse(readFileSync(join(HOSTILE, 'index.json'), 'utf8')) as {
    cases: { file: string; command: string[]; exit: number; stderr?: string; stdout?: string }[];
  };
  it.each(index.cases.map((c) => [c.file, c] as const))('%s', (_file, c) => {
    const args = c.command.map((a) => a.replace('$FILE', join(HOSTILE, c.file)).replace('$DEMO', demo));
    const r = cli(args, { timeout: 30_000 });
    expect(r.signal).toBeNull();
    expect(r.code, r.err).toBe(c.exit);
    expect(r.err).not.toMatch(/\n\s+at |internal error/);
    if (c.stderr) expect(r.err).toMatch(new RegExp(c.stderr));
    if (c.stdout) expect(r.out).toMatch(new RegExp(c.stdout));
  });
});
