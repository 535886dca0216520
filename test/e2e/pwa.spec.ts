// The installed app: icons and manifest, files shared to it, the build under any sub-path, and
// the update path (an old version open, a new one deployed: the open page keeps working offline
// until the user accepts the update).
import { expect, test, type Page } from '@playwright/test';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
};

/** A plain static host for `root` under `prefix` (like GitHub Pages under /repo/), nothing else. */
async function staticHost(root: string, prefix: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (!path.startsWith(prefix)) return void res.writeHead(404).end();
    let rel = normalize(path.slice(prefix.length) || '.').replace(/^(\.\.[/\\])+/, '');
    if (rel === '.') rel = 'index.html';
    else if (rel.endsWith('/')) rel += 'index.html';
    try {
      const body = readFileSync(join(root, rel));
      res.writeHead(200, { 'content-type': TYPES[extname(rel)] ?? 'application/octet-stream', 'cache-control': 'no-cache' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`, server };
}

async function controlled(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
}

function pngSize(path: string): [number, number] {
  const b = readFileSync(path);
  expect(b.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

test('installable: PNG icons 192, 512 and maskable; bundles open in the verifier, wallet files in the wallet; files can be shared to it', async ({
  request,
}) => {
  const m = await (await request.get('./manifest.webmanifest')).json();
  const icons = m.icons as { src: string; sizes: string; purpose: string }[];
  for (const [src, size, purpose] of [
    ['icon-192.png', 192, 'any'],
    ['icon-512.png', 512, 'any'],
    ['icon-maskable-512.png', 512, 'maskable'],
  ] as const) {
    expect(icons).toContainEqual(expect.objectContaining({ src, sizes: `${size}x${size}`, purpose }));
    expect((await request.get('./' + src)).ok()).toBe(true);
    expect(pngSize(join('dist/app', src))).toEqual([size, size]);
  }
  const handlers = m.file_handlers as { action: string; accept: Record<string, string[]> }[];
  const actionFor = (ext: string) => handlers.find((h) => Object.values(h.accept).some((l) => l.includes(ext)))?.action;
  expect(actionFor('.jsonl')).toBe('./?launch=verify');
  expect(actionFor('.jsonl.gz')).toBe('./?launch=verify');
  expect(actionFor('.key')).toBe('./?launch=wallet');
  expect(m.share_target).toMatchObject({ method: 'POST', enctype: 'multipart/form-data', params: { files: [expect.objectContaining({ name: 'file' })] } });
});

test('a bundle shared to the app opens in the verifier, a request packet in the wallet', async ({ page }) => {
  await page.goto('./#/verify');
  await controlled(page);
  const share = (name: string, text: string) =>
    page.evaluate(
      async ({ name, text }) => {
        const fd = new FormData();
        fd.append('file', new File([text], name));
        const r = await fetch('./?share-target', { method: 'POST', body: fd });
        return r.url;
      },
      { name, text },
    );
  const after = await share('bundle.jsonl', readFileSync('dist/demo/bundle.jsonl', 'utf8'));
  expect(after).toMatch(/\?shared=1$/);
  await page.goto(after);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'warn');
  await expect(page.locator('.current-file')).toContainText('bundle.jsonl');
  expect(page.url()).not.toContain('shared=1');

  await page.goto(await share('request.json', readFileSync('dist/demo/request.json', 'utf8')));
  await expect(page).toHaveURL(/#\/wallet$/);
  await expect(page.getByRole('heading', { name: /Stop: do not sign|Review the request/ })).toBeVisible();
});

test('the build works under any sub-path (/some/sub/path/), service worker included', async ({ page }) => {
  const { url, server } = await staticHost('dist/app', '/some/sub/path/');
  try {
    await page.goto(url);
    await controlled(page);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.scope)).toBe(url);
    await page.getByLabel('Open audit bundle').setInputFiles('dist/demo/bundle.jsonl');
    await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'warn');
    await page.getByRole('link', { name: 'Signing wallet' }).click();
    await expect(page.getByRole('heading', { name: 'Signing wallet' })).toBeVisible();
    // No demo on a plain host: nothing offers it.
    await expect(page.getByTestId('wallet-demo')).toHaveCount(0);
  } finally {
    server.close();
  }
});

test('update path: a new version waits, the open page keeps working offline, and updates only when the user accepts', async ({ page, context }) => {
  test.setTimeout(120_000);
  const root = mkdtempSync(join(tmpdir(), 'cs-deploy-'));
  cpSync('dist/app', root, { recursive: true });
  const { url, server } = await staticHost(root, '/app/');
  try {
    await page.goto(url);
    await controlled(page);
    await expect(page.getByTestId('update-prompt')).toHaveCount(0);

    // Deploy a new version: the page and the worker change (a new precache revision for index.html).
    const html = readFileSync(join(root, 'index.html'), 'utf8').replace('<title>', '<meta name="countersign-test-version" content="2" /><title>');
    writeFileSync(join(root, 'index.html'), html);
    const sw = readFileSync(join(root, 'sw.js'), 'utf8');
    const rev = /"revision":"([0-9a-f]+)","url":"index.html"/.exec(sw)![1]!;
    writeFileSync(join(root, 'sw.js'), sw.replace(rev, rev.split('').reverse().join('')));
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
    await expect(page.getByTestId('update-prompt')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('update-prompt')).toContainText('keeps working as it is');

    // While a request is under review in the wallet, the update cannot be accepted.
    await page.getByRole('link', { name: 'Signing wallet' }).click();
    await expect(page.getByRole('heading', { name: 'Your identities' })).toBeVisible();
    await page
      .getByRole('navigation', { name: 'Wallet' })
      .getByRole('button', { name: /^Sign a request/ })
      .click();
    await page.getByLabel('Import request').setInputFiles('dist/demo/request.json');
    await expect(page.getByRole('heading', { name: /Stop: do not sign/ })).toBeVisible();
    await expect(page.getByTestId('update-prompt')).toContainText('when you finish: a request under review in the wallet');
    await expect(page.getByRole('button', { name: 'Update now' })).toBeDisabled();
    await page.getByRole('button', { name: 'Put this file away' }).click();
    await expect(page.getByRole('button', { name: 'Update now' })).toBeEnabled();
    await page.getByRole('link', { name: 'Verify evidence' }).click();

    // The network goes away: the open (old) page still verifies, and a reload still gives the old version.
    await context.setOffline(true);
    await page.getByLabel('Open audit bundle').setInputFiles('dist/demo/bundle.jsonl');
    await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'warn');
    await page.reload();
    await expect(page.getByLabel('Open audit bundle')).toBeAttached();
    expect(await page.locator('meta[name="countersign-test-version"]').count()).toBe(0);

    // The user accepts: the new version takes over, offline too.
    await expect(page.getByTestId('update-prompt')).toBeVisible({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Update now' }).click();
    await expect(page.locator('meta[name="countersign-test-version"]')).toHaveCount(1, { timeout: 30_000 });
    await page.getByLabel('Open audit bundle').setInputFiles('dist/demo/bundle.jsonl');
    await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'warn');
  } finally {
    await context.setOffline(false);
    server.close();
    rmSync(root, { recursive: true, force: true });
  }
});
