// After one visit the app works with the network off: the service worker has
// precached every built file, workers included.
import { expect, test } from '@playwright/test';
import { CS, DEMO_GENESIS, hasShared, pickFile, setAnchor, shot, verdictOf } from './helpers/verify.ts';

test('offline for real: load once, go offline, reload, verify a bundle', async ({ page, context }) => {
  test.skip(!hasShared, 'needs ../shared/vectors');
  await page.goto('./#/verify');
  // The worker activates and claims the page; wait until it controls it and the precache is complete.
  await page.waitForFunction(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    return !!reg?.active && navigator.serviceWorker.controller !== null;
  }, undefined, { timeout: 30_000 });
  const cached = await page.evaluate(async () => {
    const keys = await caches.keys();
    const c = await caches.open(keys.find((k) => k.startsWith('countersign-'))!);
    return (await c.keys()).map((r) => new URL(r.url).pathname);
  });
  expect(cached.some((p) => /verifier\.worker-.*\.js$/.test(p))).toBe(true);
  expect(cached.some((p) => /signature\.worker-.*\.js$/.test(p))).toBe(true);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByLabel('Open audit bundle')).toBeAttached();
  await setAnchor(page, DEMO_GENESIS);
  await pickFile(page, CS('cs-valid-demo.jsonl.gz'));
  expect(await verdictOf(page)).toBe('pass');
  await shot(page, 'offline-pass');
  await context.setOffline(false);
});
