// Shared steps for the verifier's browser tests. Conformance files: the shared ones, read in
// place from ../shared (never copied into the repository) when that folder exists, else our
// own (test/vectors), under the shared names (own-files below maps them). Large bundles are
// generated into the OS temp directory once per machine and reused.
import { expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHARED = fileURLToPath(new URL('../../../../shared/vectors/', import.meta.url));
export const hasShared = existsSync(SHARED);
const OWN = fileURLToPath(new URL('../../vectors/', import.meta.url));
export const SHOTS = '/tmp/shots';
mkdirSync(SHOTS, { recursive: true });

/** Our own file standing in for a shared one: the demo log (complete), and cases named alike. */
function ownCountersign(f: string): string {
  if (f === 'cs-valid-demo.jsonl.gz') {
    // Written once per process: a File the page holds must not change under it.
    const gz = join(tmpdir(), `countersign-e2e-${process.pid}`, 'valid-demo-complete.jsonl.gz');
    if (!existsSync(gz)) {
      mkdirSync(join(gz, '..'), { recursive: true });
      writeFileSync(gz, gzipSync(readFileSync(join(OWN, 'countersign', 'valid-demo-complete.jsonl'))));
    }
    return gz;
  }
  const name = f === 'cs-valid-demo.jsonl' ? 'valid-demo-complete.jsonl' : f.replace(/^cs-fail-/, '');
  return join(OWN, 'countersign', name);
}

export interface VectorFiles {
  name: 'own' | 'shared';
  /** A Countersign file, by its name in ../shared/vectors/countersign. */
  CS(f: string): string;
  /** A MakerChecker file (both sets use the same names). */
  MC(f: string): string;
}
/** Every set of conformance files there is: ours, and the shared ones when present. */
export const VECTOR_SETS: VectorFiles[] = [
  { name: 'own', CS: (f) => (f === 'index.json' ? join(OWN, 'countersign', f) : ownCountersign(f)), MC: (f) => join(OWN, 'makerchecker', f) },
  ...(hasShared ? [{ name: 'shared' as const, CS: (f: string) => join(SHARED, 'countersign', f), MC: (f: string) => join(SHARED, 'makerchecker', f) }] : []),
];
/** The set the scenario tests use: the shared one when present, else ours. */
const main = VECTOR_SETS[VECTOR_SETS.length - 1]!;
export const CS = main.CS;
export const MC = main.MC;

/** The trust anchor a conformance file is listed with in its index. */
export function anchorOf(path: string): string {
  const dir = path.slice(0, path.lastIndexOf('/'));
  const file = basename(path).replace(/\.gz$/, '');
  // A gzip made for the test sits in the temp directory; its index is ours.
  const inIndex = existsSync(join(dir, 'index.json')) ? dir : join(OWN, 'countersign');
  const cases = JSON.parse(readFileSync(join(inIndex, 'index.json'), 'utf8')).cases as { file: string; trust: string | null }[];
  return cases.find((c) => c.file === file)?.trust ?? '';
}

/** The genesis anchor of the demo log of the set in use. */
export const DEMO_GENESIS = anchorOf(CS('cs-valid-demo.jsonl'));

/** What the page should show for that demo log, read from the file itself. */
export const DEMO = (() => {
  const lines = readFileSync(CS('cs-valid-demo.jsonl'), 'utf8').trimEnd().split('\n');
  const statements = lines.map((l) => {
    const entry = (JSON.parse(l) as { entry?: { envelope: { payload: string } } }).entry;
    return entry
      ? (JSON.parse(Buffer.from(entry.envelope.payload, 'base64').toString('utf8')) as { type: string; approver?: string; request_id?: string })
      : null;
  });
  const byAlice = statements.filter((s) => s?.type === 'approval' && s.approver === 'alice');
  return {
    rows: lines.length,
    /** The timeline row of alice's first approval (bob's follows it). */
    aliceRow: statements.findIndex((s) => s?.type === 'approval' && s.approver === 'alice'),
    aliceRequests: new Set(byAlice.map((s) => s!.request_id)).size,
    reportName: basename(CS('cs-valid-demo.jsonl')).replace(/\.jsonl$/, '.report.json'),
  };
})();

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Drops a file on the page the way a browser does: dragenter, dragover, drop with a DataTransfer. */
export async function dropFile(page: Page, path: string, name = basename(path)): Promise<void> {
  const b64 = readFileSync(path).toString('base64');
  const dt = await page.evaluateHandle(
    ({ b64, name }) => {
      const bin = atob(b64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      const t = new DataTransfer();
      t.items.add(new File([bytes], name));
      return t;
    },
    { b64, name },
  );
  for (const type of ['dragenter', 'dragover', 'drop']) await page.dispatchEvent('main', type, { dataTransfer: dt });
}

export async function pickFile(page: Page, path: string): Promise<void> {
  await page.getByLabel('Open audit bundle').setInputFiles(path);
}

export async function verdictOf(page: Page): Promise<string> {
  const v = page.getByTestId('verdict');
  await expect(v).toBeVisible({ timeout: 60_000 });
  return (await v.getAttribute('data-verdict')) ?? '';
}

/**
 * Forgets the checkpoints the page remembered (docs/format.md §7.2, IndexedDB 'remembered'):
 * the own vectors are different histories of one origin, so a witness that saw one sees a fork
 * in the next. Suites that verify many unrelated cases in one page start each case afresh.
 */
export async function forgetRemembered(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('countersign-trust');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('remembered')) return (db.close(), resolve());
          const tx = db.transaction('remembered', 'readwrite');
          tx.objectStore('remembered').clear();
          tx.oncomplete = () => (db.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

export async function setAnchor(page: Page, text: string): Promise<void> {
  await page.getByLabel('Trust anchor', { exact: true }).fill(text);
}

/** `countersign verify --json` of `file` with these --trust values: the report, printed on exit 1 (fail) too. */
export function cliReport(file: string, trust: string[]): unknown {
  const args = [fileURLToPath(new URL('../../../bin/countersign.js', import.meta.url)), 'verify', file, '--json', ...trust.flatMap((t) => ['--trust', t])];
  let out: string;
  try {
    out = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch (e) {
    out = (e as { stdout: string }).stdout; // exit 1 on fail: the report is still printed
  }
  return JSON.parse(out);
}

/** Verifies `file` in the page with the anchor text `typed` (nothing remembered) and returns the report it downloads. */
export async function pageReport(page: Page, file: string, typed: string): Promise<unknown> {
  await page.evaluate(() => document.querySelector('[data-testid="verdict"]')?.removeAttribute('data-verdict'));
  // The CLI remembers nothing here; nor may the page (docs/format.md §7.2).
  await forgetRemembered(page);
  await setAnchor(page, typed);
  await pickFile(page, file);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', /pass|warn|fail/, { timeout: 60_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download report (JSON)' }).click()]);
  return JSON.parse(readFileSync((await download.path())!, 'utf8'));
}

export async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

/**
 * A bundle with `rows` lines that are cheap to check (checkpoint lines that are not signed
 * notes, each a FORMAT.line finding), to exercise the timeline at scale without signing.
 */
export function manyRowsBundle(rows: number): string {
  const path = join(tmpdir(), `countersign-e2e-rows-v2-${rows}.jsonl`);
  if (existsSync(path)) return path;
  const parts: string[] = ['{"countersign":"bundle/v1","log":"rows.example/log"}'];
  for (let i = 0; i < rows - 1; i++) parts.push(`{"checkpoint":"row ${i}"}`);
  writeFileSync(path, parts.join('\n') + '\n');
  return path;
}

/** A valid, signed Countersign bundle of `entries` entries (core's own generator, native signing). */
export async function signedBundle(entries: number): Promise<{ path: string; genesis: string; bytes: number }> {
  const path = join(tmpdir(), `countersign-e2e-signed-${entries}.jsonl`);
  const meta = path + '.genesis';
  if (existsSync(path) && existsSync(meta)) return { path, genesis: readFileSync(meta, 'utf8'), bytes: statSync(path).size };
  const { generateCountersignBundle } = await import('../../bench/generate-countersign.ts');
  const r = await generateCountersignBundle(path, entries);
  writeFileSync(meta, r.genesis);
  return { path, genesis: r.genesis, bytes: statSync(path).size };
}

/** Records main-thread long tasks (Long Tasks API) from the first script on. */
export async function recordLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) w.__longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
}

export async function longTasks(page: Page): Promise<number[]> {
  return page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks.splice(0));
}
