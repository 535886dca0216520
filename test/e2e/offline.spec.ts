// After one visit the app works with the network off: the service worker has
// precached every built file, workers included.
import { expect, test } from '@playwright/test';
import { CS, DEMO_GENESIS, pickFile, setAnchor, shot, verdictOf } from './helpers/verify.ts';

test('offline for real: load once, go offline, reload, verify a bundle', async ({ page, context }) => {
  await page.goto('./#/verify');
  // The worker activates and claims the page; wait until it controls it and the precache is complete.
  await page.waitForFunction(
    async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      return !!reg?.active && navigator.serviceWorker.controller !== null;
    },
    undefined,
    { timeout: 30_000 },
  );
  // Everything the build listed (Workbox's precache manifest in sw.js) is in the cache, the verifier's workers among them.
  const missing = async () =>
    page.evaluate(async () => {
      const sw = await (await fetch('./sw.js')).text();
      const list = [...sw.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]!);
      const have = new Set<string>();
      for (const k of await caches.keys()) for (const r of await (await caches.open(k)).keys()) have.add(r.url.replace(/\?__WB_REVISION__=.*$/, ''));
      return {
        listed: list.length,
        missing: list.filter((p) => !have.has(new URL(p, location.href).href)),
        workers: list.filter((p) => p.includes('.worker-')),
      };
    });
  await expect.poll(async () => (await missing()).missing, { timeout: 15_000 }).toEqual([]);
  const { workers, listed } = await missing();
  expect(listed).toBeGreaterThan(10);
  expect(workers.some((p) => p.includes('verifier.worker-'))).toBe(true);
  expect(workers.some((p) => p.includes('signature.worker-'))).toBe(true);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByLabel('Open audit bundle')).toBeAttached();
  await setAnchor(page, DEMO_GENESIS);
  await pickFile(page, CS('cs-valid-demo.jsonl.gz'));
  expect(await verdictOf(page)).toBe('pass');
  await shot(page, 'offline-pass');
  await context.setOffline(false);
});

test('offline: the demo stays on offer once it was loaded (the service worker keeps its files)', async ({ page, context }) => {
  await page.goto('./#/verify');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
  await page.getByRole('button', { name: 'Try the demo bundle' }).click();
  expect(await verdictOf(page)).toBe('warn');
  await context.setOffline(true);
  try {
    await page.reload();
    await page.getByRole('button', { name: 'Try the demo bundle' }).click();
    await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'warn');
    await page.getByRole('button', { name: 'Use the demo’s anchor and check again' }).click();
    await expect(page.getByTestId('trust-line')).toContainText('matches the anchor');
  } finally {
    await context.setOffline(false);
  }
});
