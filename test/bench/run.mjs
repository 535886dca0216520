#!/usr/bin/env node
/* global window, document, Worker, MutationObserver -- code inside page.evaluate runs in Chromium */
// `npm run bench`: builds the benchmark child, makes the inputs under $BENCH_DIR
// (default /tmp/countersign-bench, reused when present), measures each job in a fresh
// process, and rewrites the generated part of BENCHMARKS.md (between the bench markers).
// This machine is shared: every target is a RATIO of two figures measured in the same run
// (ours vs the naive MakerChecker reference; ours vs the raw Ed25519 rate of all cores).
//
//   BENCH_ENTRIES   Countersign entries of the big bundle (default 1,000,000)
//   BENCH_MC_EVENTS MakerChecker events of the big export (default 1,000,000)
//   BENCH_ROUNDS    alternating rounds of the 100k MakerChecker comparison (default 3)
//   BENCH_PAGE=0    skip the page (Chromium) jobs; they need `npm run build` first
//   BENCH_WRITE=0   print only, leave BENCHMARKS.md alone
//   BENCH_CS_OFF=1  also the 1M Countersign run without the replay (replay overhead)
import { build } from 'esbuild';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';

const t00 = Date.now();
const dir = process.env.BENCH_DIR ?? '/tmp/countersign-bench';
const N = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const MC_EVENTS = Number(process.env.BENCH_MC_EVENTS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PAGE = process.env.BENCH_PAGE !== '0' && existsSync('dist/app/index.html');
const CORES = availableParallelism();
mkdirSync(dir, { recursive: true });
await build({
  // the pools' workers sit beside the bench child, as beside the CLI (scripts/build-cli.mjs)
  entryPoints: { bench: 'test/bench/bench.ts', 'makerchecker-worker': 'src/cli/makerchecker-worker.ts', 'countersign-worker': 'src/cli/countersign-worker.ts' },
  outdir: 'dist/bench',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});
// `quiet`: keep the child's stderr (the naive reference's expected failure on a file over 512 MB) for the table, off the terminal.
const node = (args, env = {}, quiet = false) =>
  JSON.parse(
    execFileSync(process.execPath, args, {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
      env: { ...process.env, ...env },
      ...(quiet ? { stdio: ['ignore', 'pipe', 'pipe'] } : {}),
    })
      .trim()
      .split('\n')
      .pop(),
  );
const child = (...args) => node(['dist/bench/bench.mjs', ...args]);
const log = (s) => console.error(`[${((Date.now() - t00) / 1000).toFixed(0).padStart(4)} s] ${s}`);
const best = (xs) => xs.reduce((a, b) => (a.ms <= b.ms ? a : b));
const mb = (bytes) => (bytes / 1e6).toFixed(0);
const s1 = (ms) => (ms / 1000).toFixed(1) + ' s';
const int = (n) => Math.round(n).toLocaleString('en-US');

// --- inputs ---------------------------------------------------------------------------
// MakerChecker: ~13.6 events a run, ~1 KB each (512-byte payload texts), manifest last.
const RUNS_PER_EVENT = 7360 / 100_262;
function mcInput(events) {
  const path = join(dir, `mc-${events}.json`);
  if (!existsSync(path + '.meta.json')) {
    log(`generating ${path}…`);
    writeFileSync(path + '.meta.json', JSON.stringify(child('generate-mc', path, String(Math.round(events * RUNS_PER_EVENT)))));
  }
  return { path, ...JSON.parse(readFileSync(path + '.meta.json', 'utf8')) };
}
function csInput(entries) {
  const path = join(dir, `cs-${entries}.jsonl`);
  if (!existsSync(path + '.meta.json')) {
    log(`generating ${path}…`);
    writeFileSync(path + '.meta.json', JSON.stringify(child('generate-cs', path, String(entries))));
  }
  return { path, ...JSON.parse(readFileSync(path + '.meta.json', 'utf8')) };
}
const mc100k = mcInput(100_000);
const mcBig = mcInput(MC_EVENTS);
const cs100k = csInput(100_000);
const csBig = csInput(N);

// --- MakerChecker: ours vs the naive reference, alternating, same run ---------------------
const naive = (path) => {
  try {
    return node(['test/bench/naive-makerchecker.mjs', path], {}, true);
  } catch (e) {
    const msg = String(e.stderr ?? e.message).match(/(RangeError|Error)[^\n]*/)?.[0] ?? 'failed';
    return { ok: false, error: msg.slice(0, 120) };
  }
};
const mcRounds = [];
for (let i = 0; i < ROUNDS; i++) {
  const theirs = naive(mc100k.path);
  if (!theirs.ok) throw new Error(`naive reference failed on the 100k export: ${JSON.stringify(theirs)}`);
  const ours = child('verify', mc100k.path, 'none', 'on');
  if (ours.verdict === 'fail') throw new Error(`MakerChecker bench export failed: ${JSON.stringify(ours.counts)}`);
  const one = node(['dist/bench/bench.mjs', 'verify', mc100k.path, 'none', 'on'], { BENCH_MC_WORKERS: '0' });
  mcRounds.push({ theirs, ours, one, ratio: theirs.ms / ours.ms });
  log(
    `MakerChecker 100k round ${i + 1}: naive ${theirs.ms} ms, ours ${ours.ms} ms (${CORES} workers), ours on one thread ${one.ms} ms: ${(theirs.ms / ours.ms).toFixed(2)}×`,
  );
}
const bestTheirs = best(mcRounds.map((r) => r.theirs));
const bestOurs = best(mcRounds.map((r) => r.ours));
const bestOne = best(mcRounds.map((r) => r.one));
const mcRatio = bestTheirs.ms / bestOurs.ms;
const mcBigOurs = child('verify', mcBig.path, 'none', 'on');
log(`MakerChecker ${mcBigOurs.entries} events: ${mcBigOurs.ms} ms, peak RSS ${mcBigOurs.peakRssMb} MB`);
const mcBigTheirs = naive(mcBig.path);
log(`naive reference on it: ${JSON.stringify(mcBigTheirs)}`);

// --- Countersign: ours vs the raw node:crypto Ed25519 rate of all cores ---------------------
const rawBefore = child('ed25519-rate', '3000', String(CORES));
log(`raw node:crypto Ed25519 on ${CORES} threads: ${rawBefore.perSecond}/s`);
const cs100 = child('verify', cs100k.path, `genesis:${cs100k.genesis}`, 'on');
log(`Countersign 100k: ${cs100.ms} ms, peak RSS ${cs100.peakRssMb} MB`);
// Integrity only (for the replay overhead) is opt-in: on a loaded machine each 1M run is minutes.
const csOff = process.env.BENCH_CS_OFF === '1' ? child('verify', csBig.path, `genesis:${csBig.genesis}`, 'off') : null;
if (csOff) log(`Countersign ${csOff.entries}, integrity only: ${csOff.ms} ms, ${csOff.entriesPerSecond}/s, peak RSS ${csOff.peakRssMb} MB`);
const csOn = child('verify', csBig.path, `genesis:${csBig.genesis}`, 'on');
log(`Countersign ${csOn.entries}, integrity + replay: ${csOn.ms} ms, ${csOn.entriesPerSecond}/s, peak RSS ${csOn.peakRssMb} MB`);
const rawAfter = child('ed25519-rate', '3000', String(CORES));
log(`raw node:crypto Ed25519 again: ${rawAfter.perSecond}/s`);
for (const r of [csOff, csOn]) if (r && r.verdict !== 'pass') throw new Error(`bench bundle did not pass: ${JSON.stringify(r.counts)}`);
const raw = Math.round((rawBefore.perSecond + rawAfter.perSecond) / 2);
const cliRun = child('cli', 'verify', csBig.path, '--trust', `genesis:${csBig.genesis}`, '--json');
log(`countersign verify --json: exit ${cliRun.code}, ${cliRun.ms} ms, peak RSS ${cliRun.peakRssMb} MB`);
const cliRate = (csOn.entries * 1000) / cliRun.ms;

// --- the page (Chromium through Playwright) -------------------------------------------------
let page = null;
if (PAGE) {
  try {
    page = await measurePage();
  } catch (e) {
    page = {
      error: String(e.message ?? e)
        .split('\n')[0]
        .slice(0, 300),
    }; // one line: it goes into a table cell
    log(`page jobs failed: ${page.error}`);
  }
}

async function measurePage() {
  const { chromium } = await import('@playwright/test');
  const port = Number(process.env.E2E_PORT ?? 4417);
  const server = spawn(process.execPath, ['scripts/serve.mjs', String(port)], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 50; i++) {
    try {
      if ((await fetch(base)).ok) break;
    } catch {
      /* the server is not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    await p.addInitScript(() => {
      window.__longTasks = [];
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) window.__longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: true });
    });
    await p.goto(base);
    const cores = await p.evaluate(() => navigator.hardwareConcurrency);
    // The raw WebCrypto Ed25519 rate of N workers in this browser (N = cores).
    const webRate = await p.evaluate(async (n) => {
      const code = `onmessage = async () => {
        const k = await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
        const msg = new Uint8Array(250).fill(1);
        const sig = await crypto.subtle.sign({ name: 'Ed25519' }, k.privateKey, msg);
        let c = 0; const end = performance.now() + 3000;
        while (performance.now() < end) { const b = []; for (let i = 0; i < 64; i++) b.push(crypto.subtle.verify({ name: 'Ed25519' }, k.publicKey, sig, msg)); await Promise.all(b); c += 64; }
        postMessage(c);
      };`;
      const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
      const t0 = performance.now();
      const counts = await Promise.all(
        Array.from(
          { length: n },
          () =>
            new Promise((resolve) => {
              const w = new Worker(url);
              w.onmessage = (e) => (resolve(e.data), w.terminate());
              w.postMessage(0);
            }),
        ),
      );
      return Math.round(counts.reduce((a, b) => a + b, 0) / ((performance.now() - t0) / 1000));
    }, cores);
    log(`page: raw WebCrypto Ed25519 with ${cores} workers: ${webRate}/s`);
    const open = async (path, anchor) => {
      await p.getByLabel('Trust anchor', { exact: true }).fill(anchor);
      await p.evaluate(() => window.__longTasks.splice(0));
      const t0 = Date.now();
      await p.getByLabel('Open audit bundle').setInputFiles(path);
      const verdict = await p.evaluate(
        () =>
          new Promise((resolve) => {
            const seen = () => document.querySelector('[data-testid="verdict"]')?.getAttribute('data-verdict');
            const mo = new MutationObserver(() => {
              const v = seen();
              if (v) {
                mo.disconnect();
                resolve(v);
              }
            });
            mo.observe(document.body, { subtree: true, childList: true, attributes: true });
          }),
      );
      const ms = Date.now() - t0;
      const tasks = await p.evaluate(() => window.__longTasks.splice(0));
      const heap = await p.evaluate(() => performance.memory?.usedJSHeapSize ?? 0);
      await p.evaluate(() => document.querySelector('[data-testid="verdict"]')?.removeAttribute('data-verdict'));
      return { verdict, ms, longTasks: tasks.length, longestTask: Math.round(Math.max(0, ...tasks)), heapMb: Math.round(heap / 1e6) };
    };
    const mcPage = await open(mcBig.path, '');
    log(`page: MakerChecker ${MC_EVENTS} events: ${JSON.stringify(mcPage)}`);
    const csPage = await open(csBig.path, `genesis:${csBig.genesis}`);
    log(`page: Countersign ${N} entries: ${JSON.stringify(csPage)}`);
    return { cores, webRate, mcPage, csPage };
  } finally {
    await browser.close();
    server.kill();
  }
}

// --- the figures ----------------------------------------------------------------------------
const yes = (ok) => (ok ? '**met**' : '**missed**');
const csRatio = csOn.entriesPerSecond / raw;
const cliRatio = cliRate / raw;
const flatCs = csOn.peakRssMb / cs100.peakRssMb;
const flatMc = mcBigOurs.peakRssMb / bestOurs.peakRssMb;
const lines = [
  `Machine: ${CORES} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; whole run ${((Date.now() - t00) / 60000).toFixed(1)} min (inputs reused).`,
  '',
  '| target (issue 10) | figure in this run | |',
  '| --- | --- | --- |',
  `| MakerChecker 100k events: ours ≥ 3× the naive reference | naive best ${s1(bestTheirs.ms)}, ours best ${s1(bestOurs.ms)} (${CORES} workers): **${mcRatio.toFixed(2)}×** (rounds: ${mcRounds.map((r) => r.ratio.toFixed(2) + '×').join(', ')}); ours on one thread ${s1(bestOne.ms)} | ${yes(mcRatio >= 3)} |`,
  `| MakerChecker ${int(mcBigOurs.entries)} events < 20 s, CLI | ${s1(mcBigOurs.ms)} (${mb(mcBigOurs.bytes)} MB); the naive reference: ${mcBigTheirs.ok ? s1(mcBigTheirs.ms) : 'cannot open it (' + mcBigTheirs.error + ')'} | ${yes(mcBigOurs.ms < 20000)} |`,
  page?.mcPage
    ? `| MakerChecker ${int(MC_EVENTS)} events < 20 s, page | ${s1(page.mcPage.ms)}, verdict ${page.mcPage.verdict}, ${page.mcPage.longTasks} main-thread tasks over 50 ms (longest ${page.mcPage.longestTask} ms), page JS heap ${page.mcPage.heapMb} MB | ${yes(page.mcPage.ms < 20000)} |`
    : `| MakerChecker events < 20 s, page | not measured${page?.error ? ': ' + page.error : ' (BENCH_PAGE=0 or no build)'} | |`,
  `| Countersign ${int(csOn.entries)} entries: CLI ≥ 0.70 of raw node:crypto Ed25519 on all cores | raw ${int(raw)}/s on ${CORES} threads (before ${int(rawBefore.perSecond)}, after ${int(rawAfter.perSecond)}); verify with replay ${int(csOn.entriesPerSecond)} entries/s = **${csRatio.toFixed(2)}**; the whole CLI (--json) ${int(cliRate)}/s = **${cliRatio.toFixed(2)}** | ${yes(cliRatio >= 0.7)} |`,
  page?.csPage
    ? `| Countersign ${int(N)} entries: page ≥ 0.70 of raw WebCrypto of N workers | raw ${int(page.webRate)}/s with ${page.cores} workers; the page ${int((csOn.entries * 1000) / page.csPage.ms)} entries/s (${s1(page.csPage.ms)}) = **${((csOn.entries * 1000) / page.csPage.ms / page.webRate).toFixed(2)}**; ${page.csPage.longTasks} tasks over 50 ms (longest ${page.csPage.longestTask} ms) | ${yes((csOn.entries * 1000) / page.csPage.ms / page.webRate >= 0.7)} |`
    : `| Countersign page ratio | not measured | |`,
  `| peak RSS flat from 100k to 1M | Countersign ${cs100.peakRssMb} → ${csOn.peakRssMb} MB (×${flatCs.toFixed(2)}); MakerChecker ${bestOurs.peakRssMb} → ${mcBigOurs.peakRssMb} MB (×${flatMc.toFixed(2)}); the CLI --json on 1M: ${cliRun.peakRssMb} MB | ${yes(flatCs < 1.25 && flatMc < 1.25)} |`,
  '',
  '| job | entries | MB | time | entries/s | MB/s | peak RSS | notes |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  `| naive MakerChecker reference (best of ${ROUNDS}) | ${int(bestTheirs.events)} | ${mb(mc100k.bytes)} | ${s1(bestTheirs.ms)} | ${int((bestTheirs.events * 1000) / bestTheirs.ms)} | ${(mc100k.bytes / 1e3 / bestTheirs.ms).toFixed(1)} | ${bestTheirs.peakRssMb} MB | whole-file JSON.parse, node:crypto |`,
  `| verify MakerChecker, ${CORES} workers (best of ${ROUNDS}) | ${int(bestOurs.entries)} | ${mb(bestOurs.bytes)} | ${s1(bestOurs.ms)} | ${int(bestOurs.entriesPerSecond)} | ${bestOurs.mbPerSecond} | ${bestOurs.peakRssMb} MB | ${bestOurs.verdict} |`,
  `| verify MakerChecker, one thread (best of ${ROUNDS}) | ${int(bestOne.entries)} | ${mb(bestOne.bytes)} | ${s1(bestOne.ms)} | ${int(bestOne.entriesPerSecond)} | ${bestOne.mbPerSecond} | ${bestOne.peakRssMb} MB | --workers 0 |`,
  `| verify MakerChecker, ${CORES} workers | ${int(mcBigOurs.entries)} | ${mb(mcBigOurs.bytes)} | ${s1(mcBigOurs.ms)} | ${int(mcBigOurs.entriesPerSecond)} | ${mcBigOurs.mbPerSecond} | ${mcBigOurs.peakRssMb} MB | ${mcBigOurs.verdict} |`,
  `| verify Countersign, integrity + replay | ${int(cs100.entries)} | ${mb(cs100.bytes)} | ${s1(cs100.ms)} | ${int(cs100.entriesPerSecond)} | ${cs100.mbPerSecond} | ${cs100.peakRssMb} MB | ${cs100.backend} |`,
  ...(csOff
    ? [
        `| verify Countersign, integrity only | ${int(csOff.entries)} | ${mb(csOff.bytes)} | ${s1(csOff.ms)} | ${int(csOff.entriesPerSecond)} | ${csOff.mbPerSecond} | ${csOff.peakRssMb} MB | ${csOff.backend} |`,
      ]
    : []),
  `| verify Countersign, integrity + replay | ${int(csOn.entries)} | ${mb(csOn.bytes)} | ${s1(csOn.ms)} | ${int(csOn.entriesPerSecond)} | ${csOn.mbPerSecond} | ${csOn.peakRssMb} MB | ${csOn.backend}${csOff ? `; replay overhead ${(((csOn.ms - csOff.ms) / csOff.ms) * 100).toFixed(1)} %` : ''} |`,
  `| \`countersign verify --json\` (whole CLI) | ${int(csOn.entries)} | ${mb(csOn.bytes)} | ${s1(cliRun.ms)} | ${int(cliRate)} | ${(csOn.bytes / 1e3 / cliRun.ms).toFixed(1)} | ${cliRun.peakRssMb} MB | exit ${cliRun.code}, report ${(cliRun.reportBytes / 1e6).toFixed(1)} MB |`,
];
const out = lines.join('\n');
console.log(out);
if (process.env.BENCH_WRITE !== '0') {
  const md = readFileSync('BENCHMARKS.md', 'utf8');
  const begin = '<!-- bench:begin (written by npm run bench) -->';
  const end = '<!-- bench:end -->';
  const a = md.indexOf(begin);
  const b = md.indexOf(end);
  const next = a >= 0 && b > a ? md.slice(0, a + begin.length) + '\n' + out + '\n' + md.slice(b) : md.replace(/\n/, `\n\n${begin}\n${out}\n${end}\n`);
  writeFileSync('BENCHMARKS.md', next);
  log('BENCHMARKS.md updated');
}
