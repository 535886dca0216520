// The verifier's nested workers (workers/sub-worker-pool.ts) fail to load: the page must not
// wait on them forever, and must give the report it gives with them (the CLI's report, less
// timings), for both formats. A copy of the built app is served whose sub-worker scripts throw
// at load, which fires `error` on each Worker; the verifier then reads every batch itself.
// (Playwright's routes do not see a worker's own worker scripts, so the files are replaced.)
import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateMakerCheckerEvents, writeMakerCheckerBundle } from '../../src/core/gate/makerchecker-writer.ts';
import { cliReport, pageReport } from './helpers/verify.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TMP = mkdtempSync(join(tmpdir(), 'countersign-sub-worker-'));
// Several pool batches (1 MiB or 2048 events each), so a failure is met mid-run.
const MC_FILE = join(TMP, 'makerchecker.json');
writeFileSync(
  MC_FILE,
  writeMakerCheckerBundle({
    secretKey: new Uint8Array(32).fill(5),
    instanceId: 'inst-sub-worker',
    exportedAt: '2026-05-01T12:00:00.000Z',
    bundleKind: 'full',
    events: generateMakerCheckerEvents({ runs: 400, seed: 'sub-worker', payloadBytes: 200, instanceId: 'inst-sub-worker' }),
  }),
);
const CS_FILE = join(ROOT, 'test/vectors/countersign/valid-demo-complete.jsonl');
const csGenesis = (JSON.parse(readFileSync(join(ROOT, 'test/vectors/countersign/index.json'), 'utf8')).cases as { file: string; trust: string }[]).find(
  (c) => c.file === 'valid-demo-complete.jsonl',
)!.trust;

/** A report less its timings, the one part that may differ between two runs. */
function untimed(report: unknown): unknown {
  const { timings: _t, ...rest } = report as { timings: unknown };
  return rest;
}

const PORT = Number(process.env.E2E_PORT ?? 4319) + 7;
let server: ChildProcess | null = null;
const replaced: string[] = [];

test.beforeAll(async () => {
  const app = join(TMP, 'app');
  cpSync(join(ROOT, 'dist/app'), app, { recursive: true });
  for (const f of readdirSync(join(app, 'assets')))
    if (/^(makerchecker|countersign)\.worker-.*\.js$/.test(f)) {
      writeFileSync(join(app, 'assets', f), 'throw new Error("sub-worker failed to load (test)");\n');
      replaced.push(f);
    }
  server = spawn(process.execPath, [join(ROOT, 'scripts/serve.mjs'), String(PORT)], { env: { ...process.env, SERVE_ROOT: app }, stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the test server did not start');
});
test.afterAll(() => void server?.kill());

test('sub-workers that fail to load: the verifier reads the batches itself, same report as the CLI', async ({ page }) => {
  // Both pools' scripts are there to fail (a build that renamed them would make this test moot).
  expect(replaced.filter((f) => f.startsWith('makerchecker.'))).toHaveLength(1);
  expect(replaced.filter((f) => f.startsWith('countersign.'))).toHaveLength(1);
  const failed: string[] = [];
  page.on('console', (m) => void (m.text().includes('sub-worker failed to load') && failed.push(m.text())));
  await page.goto(`http://127.0.0.1:${PORT}/#/verify`);
  await expect(page.getByLabel('Open audit bundle')).toBeAttached();

  expect(untimed(await pageReport(page, MC_FILE, ''))).toEqual(untimed(cliReport(MC_FILE, [])));
  expect(untimed(await pageReport(page, CS_FILE, csGenesis))).toEqual(untimed(cliReport(CS_FILE, [csGenesis])));
});
