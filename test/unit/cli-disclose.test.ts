// `countersign disclose`, `prove` and `verify` on their outputs, as a user runs them: the
// bundled CLI, real files, real exit codes (docs/format.md §7.3–§7.4).
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const BIN = 'dist/test-cli-disclose/countersign.mjs';
const RUN = 'dist/test-cli-disclose/run.mjs';
const tmp = mkdtempSync(join(tmpdir(), 'cs-disclose-'));
const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, [RUN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 1 << 26 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

let trust = '';
beforeAll(async () => {
  await build({ entryPoints: ['src/cli/main.ts'], outfile: BIN, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'error' });
  writeFileSync(RUN, "import { main } from './countersign.mjs';\nprocess.exitCode = await main(process.argv.slice(2));\n");
  expect(cli(['demo', join(tmp, 'demo'), '--seed', 'cli-disclose']).code).toBe(0);
  trust = readFileSync(join(tmp, 'demo', 'trust.txt'), 'utf8').trim();
}, 120_000);

describe('countersign disclose / prove', () => {
  it('disclose writes a packet that verify passes, and says what it disclosed', () => {
    const out = join(tmp, 'req-1.json');
    const d = cli(['disclose', join(tmp, 'demo', 'bundle.jsonl'), '--request', 'req-1', '--out', out]);
    expect(d.code, d.err).toBe(0);
    expect(d.out).toMatch(/Wrote .*req-1\.json .* 7 of 15 entries/);
    const v = cli(['verify', out, '--trust', trust]);
    expect(v.code, v.out).toBe(0);
    expect(v.out).toContain('Countersign disclosure packet');
    expect(v.out).toContain('Verdict: PASS');
    expect(v.out).toContain('not proven:  That the log holds no other entry about the request');
    // An existing file is not overwritten without --force.
    const again = cli(['disclose', join(tmp, 'demo', 'bundle.jsonl'), '--request', 'req-1', '--out', out]);
    expect(again.code).toBe(2);
    expect(again.err).toContain('--force');
  });

  it('refuses an unknown request, a missing --out, and a file that is not a bundle, with exit 2 and no file', () => {
    const out = join(tmp, 'nope.json');
    const r = cli(['disclose', join(tmp, 'demo', 'bundle.jsonl'), '--request', 'req-404', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('req-404');
    expect(existsSync(out)).toBe(false);
    expect(cli(['disclose', join(tmp, 'demo', 'bundle.jsonl'), '--request', 'req-1']).code).toBe(2);
    const notBundle = join(tmp, 'notes.txt');
    writeFileSync(notBundle, 'hello\n');
    const n = cli(['disclose', notBundle, '--request', 'req-1', '--out', out]);
    expect(n.code).toBe(2);
    expect(n.err).toContain('not a Countersign bundle');
  });

  it('a tampered packet fails verify with exit 1 and PROOF.inclusion', () => {
    const packet = JSON.parse(readFileSync(join(tmp, 'req-1.json'), 'utf8'));
    packet.entries[2].proof[0] = packet.entries[2].proof[1];
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify(packet));
    const v = cli(['verify', bad, '--trust', trust]);
    expect(v.code).toBe(1);
    expect(v.out).toContain('PROOF.inclusion');
  });

  it('prove writes a C2SP tlog-proof that verify checks', () => {
    const out = join(tmp, 'genesis.tlog-proof');
    const p = cli(['prove', join(tmp, 'demo', 'bundle.jsonl'), '--seq', '0', '--out', out]);
    expect(p.code, p.err).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n').slice(0, 3)).toEqual(['c2sp.org/tlog-proof@v1', expect.stringMatching(/^extra /), 'index 0']);
    const v = cli(['verify', out, '--trust', trust]);
    expect(v.code, v.out).toBe(0);
    expect(v.out).toContain('Verdict: PASS');
    expect(cli(['prove', join(tmp, 'demo', 'bundle.jsonl'), '--seq', '999', '--out', join(tmp, 'x.tlog-proof')]).code).toBe(2);
    expect(cli(['prove', join(tmp, 'demo', 'bundle.jsonl'), '--seq', '01', '--out', join(tmp, 'x.tlog-proof')]).code).toBe(2);
  });
});
