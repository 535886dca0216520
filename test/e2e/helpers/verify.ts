// Shared steps for the verifier's browser tests. Conformance files are read in
// place from ../shared (never copied into the repository); large bundles are
// generated into the OS temp directory once per machine and reused.
import { expect, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHARED = fileURLToPath(new URL('../../../../shared/vectors/', import.meta.url));
export const hasShared = existsSync(SHARED);
export const CS = (f: string) => join(SHARED, 'countersign', f);
export const MC = (f: string) => join(SHARED, 'makerchecker', f);
export const SHOTS = '/tmp/shots';
mkdirSync(SHOTS, { recursive: true });

export const DEMO_GENESIS = 'genesis:14814222b7b80f2820263bf3015a27697f8ae89d65a080c796d87fe89ecdd63d';

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

export async function setAnchor(page: Page, text: string): Promise<void> {
  await page.getByLabel('Trust anchor', { exact: true }).fill(text);
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
