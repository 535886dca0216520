// The witness walk-through as a user runs it (README "Witnesses"): the bundled CLI, real files,
// real exit codes. Demo → witness cosigns the bundle → gate adds the line → verify with the
// witness anchor → gate grows → consistency file → witness cosigns again → forked bundle
// caught with WITNESS.fork → fork evidence checked on its own.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleCli } from '../helpers/cli.ts';

const RUN = 'dist/test-cli-witness/run.mjs';
const tmp = mkdtempSync(join(tmpdir(), 'cs-witness-'));
const d = join(tmp, 'demo');
const at = (f: string) => join(tmp, f);

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [RUN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, cwd: process.cwd(), maxBuffer: 1 << 26 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  await bundleCli('dist/test-cli-witness');
  expect(cli(['demo', d, '--seed', 'demo']).code).toBe(0);
}, 60_000);

describe('countersign witness / gate consistency / gate cosign', () => {
  it('walks the README witness section end to end', { timeout: 60_000 }, () => {
    const trust = readFileSync(join(d, 'trust.txt'), 'utf8').trim();
    const wit = readFileSync(join(d, 'witness.txt'), 'utf8').trim();
    const key = ['--key', join(d, 'witness.key'), '--passphrase-file', join(d, 'witness.passphrase')];
    // Without a cosignature, a pinned witness is WITNESS.quorum.
    const q = cli(['verify', join(d, 'bundle.jsonl'), '--trust', trust, '--trust', wit]);
    expect(q.code).toBe(1);
    expect(q.out).toContain('WITNESS.quorum');
    // The witness verifies the whole bundle and cosigns its last checkpoint.
    const c = cli([
      'witness',
      'cosign',
      ...key,
      join(d, 'bundle.jsonl'),
      '--trust',
      trust,
      '--state',
      at('state.json'),
      '--out',
      at('cos.json'),
      '--time',
      '1773835200',
    ]);
    expect(c.code, c.err).toBe(0);
    const before = readFileSync(join(d, 'bundle.jsonl'), 'utf8');
    expect(cli(['gate', 'cosign', d, at('cos.json')]).code).toBe(0);
    const after = readFileSync(join(d, 'bundle.jsonl'), 'utf8');
    // Entry lines are untouched; only the last checkpoint line changed.
    const bl = before.split('\n');
    const al = after.split('\n');
    expect(al.length).toBe(bl.length);
    expect(bl.filter((l, i) => l !== al[i]).map((l) => Object.keys(JSON.parse(l)))).toEqual([['checkpoint']]);
    const v = cli(['verify', join(d, 'bundle.jsonl'), '--trust', trust, '--trust', wit]);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/auditor\.demo\.countersign\.example\/witness\s+checked, valid\s+cosigned 2026-03-18T12:00:00Z/);
    // A second witness not given is listed as not checked; --witness-quorum 0 is accepted, 2 of 1 is not.
    expect(cli(['verify', join(d, 'bundle.jsonl'), '--trust', wit, '--witness-quorum', '2']).code).toBe(2);

    // The gate grows; it proves append-only growth from the remembered size; the witness cosigns.
    expect(
      cli([
        'sign',
        '--key',
        join(d, 'approver.key'),
        '--passphrase-file',
        join(d, 'approver.passphrase'),
        '--packet',
        join(d, 'request.json'),
        '--vote',
        'approve',
        '--out',
        at('approval.json'),
      ]).code,
    ).toBe(0);
    expect(cli(['gate', 'accept', d, at('approval.json')]).code).toBe(0);
    const g = cli(['gate', 'consistency', d, '--from', '15', '--out', at('cons.json')]);
    expect(g.code, g.err).toBe(0);
    // A proof with one hash changed is refused and nothing is remembered.
    const cons = JSON.parse(readFileSync(at('cons.json'), 'utf8'));
    const bad = structuredClone(cons);
    bad.proof[1] = Buffer.from(Buffer.from(bad.proof[1], 'base64').map((b: number, i: number) => (i === 0 ? b ^ 1 : b))).toString('base64');
    writeFileSync(at('bad.json'), JSON.stringify(bad));
    const stateBefore = readFileSync(at('state.json'), 'utf8');
    const r = cli(['witness', 'cosign', ...key, '--consistency', at('bad.json'), '--state', at('state.json'), '--out', at('x.json')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('PROOF.consistency');
    expect(readFileSync(at('state.json'), 'utf8')).toBe(stateBefore);
    const ok = cli(['witness', 'cosign', ...key, '--consistency', at('cons.json'), '--state', at('state.json'), '--out', at('cos2.json')]);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toContain('from size 15 to 17');
    expect(cli(['gate', 'cosign', d, at('cos2.json')]).code).toBe(0);
    expect(cli(['verify', join(d, 'bundle.jsonl'), '--trust', trust, '--trust', wit, '--remember', at('state.json')]).code).toBe(0);

    // The same gate's other history: caught, exported, and checkable by anyone.
    const f = cli(['verify', join(d, 'forked.jsonl'), '--trust', trust, '--remember', at('state.json'), '--fork-evidence', at('fork.json')]);
    expect(f.code).toBe(1);
    expect(f.out).toContain('WITNESS.fork');
    expect(f.out).toContain('this gate signed two different histories');
    const chk = cli(['witness', 'check-fork', at('fork.json')]);
    expect(chk.code, chk.out).toBe(0);
    expect(chk.out).toContain('FORK PROVEN');
    const ev = JSON.parse(readFileSync(at('fork.json'), 'utf8'));
    writeFileSync(at('fork-bad.json'), JSON.stringify({ ...ev, b_root_at_a: JSON.parse(readFileSync(at('fork.json'), 'utf8')).a.split('\n')[2] }));
    expect(cli(['witness', 'check-fork', at('fork-bad.json')]).code).toBe(1);
  });

  it('rejects bad witness anchors, names and arguments as usage errors', () => {
    expect(cli(['verify', join(d, 'bundle.jsonl'), '--trust', 'witness:nope']).err).toContain('--trust witness:');
    expect(cli(['verify', join(d, 'bundle.jsonl'), '--witness-quorum', 'x']).code).toBe(2);
    expect(cli(['witness', 'keygen', '--out', at('w.key'), '--name', 'has space']).code).toBe(2);
    expect(cli(['witness', 'cosign', '--key', join(d, 'witness.key')]).code).toBe(2);
    expect(cli(['gate', 'consistency', d, '--from', '3', '--out', at('c.json')]).code).toBe(2);
    writeFileSync(at('junk.json'), '{"countersign":"cosignature/v1","log":1}');
    expect(cli(['gate', 'cosign', d, at('junk.json')]).code).toBe(2);
    writeFileSync(at('badstate.json'), '{"countersign":"remembered/v1","checkpoints":[{"note":"x","key":"x"}]}');
    expect(cli(['verify', join(d, 'bundle.jsonl'), '--remember', at('badstate.json')]).err).toContain('badstate.json');
  });
});
