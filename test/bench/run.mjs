#!/usr/bin/env node
// `npm run bench`: builds the benchmark child, makes the inputs under $BENCH_DIR
// (default /tmp/countersign-bench, reused when present), and measures each job in a
// fresh process. Figures go to stdout as a Markdown table; BENCHMARKS.md keeps them
// with the machine and date. Ratios are measured within one run (machines are noisy).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

const dir = process.env.BENCH_DIR ?? '/tmp/countersign-bench';
const N = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
mkdirSync(dir, { recursive: true });
await build({
  // the pool's worker sits beside the bench child, as beside the CLI (scripts/build-cli.mjs)
  entryPoints: { bench: 'test/bench/bench.ts', 'makerchecker-worker': 'src/cli/makerchecker-worker.ts' },
  outdir: 'dist/bench',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});
const child = (...args) => JSON.parse(execFileSync(process.execPath, ['dist/bench/bench.mjs', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 }).trim().split('\n').pop());

const bundle = join(dir, `cs-${N}.jsonl`);
const meta = bundle + '.meta.json';
if (!existsSync(meta)) {
  console.error(`generating ${bundle} (${N} entries)…`);
  writeFileSync(meta, JSON.stringify(child('generate-cs', bundle, String(N))));
}
const { genesis, bytes, entries } = JSON.parse(readFileSync(meta, 'utf8'));
console.error(`bundle: ${entries} entries, ${(bytes / 1e6).toFixed(0)} MB`);

const runs = { off: [], on: [] };
for (let i = 0; i < ROUNDS; i++)
  for (const mode of ['off', 'on']) {
    const r = child('verify', bundle, `genesis:${genesis}`, mode);
    if (r.verdict !== 'pass') throw new Error(`bench bundle did not pass (${mode}): ${JSON.stringify(r.counts)}`);
    runs[mode].push(r);
    console.error(`  ${mode === 'on' ? 'integrity + replay' : 'integrity only   '}: ${r.ms} ms, ${r.entriesPerSecond} entries/s, peak RSS ${r.peakRssMb} MB`);
  }
const best = (xs) => xs.reduce((a, b) => (a.ms <= b.ms ? a : b));
const off = best(runs.off);
const on = best(runs.on);
// MakerChecker: a full export with ~1 KB events, streamed element by element.
const MC_RUNS = Number(process.env.BENCH_MC_RUNS ?? 50_000);
const mcPath = join(dir, `mc-${MC_RUNS}.json`);
if (!existsSync(mcPath + '.meta.json')) {
  console.error(`generating ${mcPath} (${MC_RUNS} runs)…`);
  writeFileSync(mcPath + '.meta.json', JSON.stringify(child('generate-mc', mcPath, String(MC_RUNS))));
}
const mc = child('verify', mcPath, 'none', 'on');
if (mc.verdict === 'fail') throw new Error(`MakerChecker bench bundle failed: ${JSON.stringify(mc.counts)}`);
console.error(`  makerchecker: ${mc.entries} events, ${mc.ms} ms, peak RSS ${mc.peakRssMb} MB`);

// The CLI with --json on the whole Countersign bundle: memory must not follow the file size.
const cliRun = child('cli', 'verify', bundle, '--trust', `genesis:${genesis}`, '--json');
console.error(`  cli --json: exit ${cliRun.code}, ${cliRun.ms} ms, peak RSS ${cliRun.peakRssMb} MB`);

const lines = [
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; date ${new Date().toISOString().slice(0, 10)}`,
  '',
  '| job | entries | MB | time (best of ' + ROUNDS + ') | entries/s | MB/s | peak RSS | backend |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  `| verify, integrity only | ${off.entries} | ${(off.bytes / 1e6).toFixed(0)} | ${(off.ms / 1000).toFixed(1)} s | ${off.entriesPerSecond} | ${off.mbPerSecond} | ${off.peakRssMb} MB | ${off.backend} |`,
  `| verify, integrity + governance replay | ${on.entries} | ${(on.bytes / 1e6).toFixed(0)} | ${(on.ms / 1000).toFixed(1)} s | ${on.entriesPerSecond} | ${on.mbPerSecond} | ${on.peakRssMb} MB | ${on.backend} |`,
  `| verify MakerChecker full export | ${mc.entries} events | ${(mc.bytes / 1e6).toFixed(0)} | ${(mc.ms / 1000).toFixed(1)} s | ${mc.entriesPerSecond} | ${mc.mbPerSecond} | ${mc.peakRssMb} MB | ${mc.backend} |`,
  `| \`countersign verify --json\` (whole CLI) | ${on.entries} | ${(on.bytes / 1e6).toFixed(0)} | ${(cliRun.ms / 1000).toFixed(1)} s | ${Math.round((on.entries * 1000) / cliRun.ms)} | ${(on.bytes / 1e6 / (cliRun.ms / 1000)).toFixed(1)} | ${cliRun.peakRssMb} MB | exit ${cliRun.code}, report ${(cliRun.reportBytes / 1e6).toFixed(1)} MB |`,
  '',
  `Replay overhead: ${(((on.ms - off.ms) / off.ms) * 100).toFixed(1)} % (target < 10 %), best of ${ROUNDS} alternating runs each.`,
];
console.log(lines.join('\n'));
