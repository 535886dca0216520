// The verifier's nested workers (workers/sub-worker-pool.ts) fail to load: the page must not
// wait on them forever, and must give the report it gives with them (the CLI's report, less
// timings), for both formats. A copy of the built app is served whose sub-worker scripts throw
// at load, which fires `error` on each Worker; the verifier then reads every batch itself.
// (Playwright's routes do not see a worker's own worker scripts, so the files are replaced.)
import { expect, test, type Page } from '@playwright/test';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateMakerCheckerEvents, writeMakerCheckerBundle } from '../../src/core/gate/makerchecker-writer.ts';
import { pickFile, setAnchor } from './helpers/verify.ts';

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

function cliReport(file: string, trust: string[]): unknown {
  const args = [join(ROOT, 'bin/countersign.js'), 'verify', file, '--json', ...trust.flatMap((t) => ['--trust', t])];
  let out: string;
  try {
    out = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch (e) {
    out = (e as { stdout: string }).stdout;
  }
  const { timings: _t, ...rest } = JSON.parse(out) as { timings: unknown };
  return rest;
}

async function pageReport(page: Page, file: string, anchor: string): Promise<unknown> {
  await page.evaluate(() => document.querySelector('[data-testid="verdict"]')?.removeAttribute('data-verdict'));
  await setAnchor(page, anchor);
  await pickFile(page, file);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', /pass|warn|fail/, { timeout: 60_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download report (JSON)' }).click()]);
  const { timings: _t, ...rest } = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { timings: unknown };
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

  expect(await pageReport(page, MC_FILE, '')).toEqual(cliReport(MC_FILE, []));
  expect(await pageReport(page, CS_FILE, csGenesis)).toEqual(cliReport(CS_FILE, [csGenesis]));
});
