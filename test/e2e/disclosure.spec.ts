// Disclosure packets in the page (docs/format.md §7.4): verify the demo bundle, disclose one
// request from its governance view, then verify the downloaded packet in a fresh browser
// context (nothing shared but the file and the anchor), and a broken packet fails with its code.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pickFile, setAnchor, verdictOf } from './helpers/verify.ts';

const DEMO = 'dist/demo'; // written by the e2e web server (playwright.config.ts)
const trust = () => readFileSync(join(DEMO, 'trust.txt'), 'utf8').trim();
const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots';

test('disclose a request from the page, verify the packet in a fresh context', async ({ page, browser }) => {
  await page.goto('./#/verify');
  await setAnchor(page, trust());
  await pickFile(page, join(DEMO, 'bundle.jsonl'));
  expect(await verdictOf(page)).toBe('warn'); // the demo's req-4 is still pending
  await page.getByRole('tab', { name: /Governance/ }).click();
  const card = page.getByTestId('request').filter({ hasText: 'req-1' });
  await expect(card).toBeVisible();
  const download = page.waitForEvent('download');
  await card.getByRole('button', { name: 'Disclose this request…' }).click();
  const d = await download;
  expect(d.suggestedFilename()).toBe('disclosure-req-1.json');
  const path = join(tmpdir(), `e2e-${process.pid}-disclosure-req-1.json`);
  await d.saveAs(path);
  await expect(card.getByTestId('disclose-status')).toContainText('7 entries, proven to the checkpoint of size');
  await page.screenshot({ path: join(SHOTS, 'disclose-button.png') });
  const packet = JSON.parse(readFileSync(path, 'utf8'));
  expect(packet.countersign).toBe('disclosure/v1');

  const fresh = await browser.newContext();
  const p2 = await fresh.newPage();
  await p2.goto('./#/verify');
  await setAnchor(p2, trust());
  const t0 = Date.now();
  await pickFile(p2, path);
  expect(await verdictOf(p2)).toBe('pass');
  // Issue 12: a packet verifies in the page in under a second (logged; asserted loosely on this shared machine).
  const ms = Date.now() - t0;
  console.log(`packet verified in the page in ${ms} ms (file picked to verdict shown)`);
  expect(ms).toBeLessThan(5000);
  const banner = p2.getByTestId('verdict');
  await expect(banner).toContainText('these entries are in the anchored log');
  await expect(banner).toContainText('That the log holds no other entry about the request');
  await p2.screenshot({ path: join(SHOTS, 'disclosure-verdict.png'), fullPage: true });
  await p2.getByRole('tab', { name: /Governance/ }).click();
  await expect(p2.getByTestId('packet')).toContainText('Disclosure packet: 7 entries of a log of');
  const c2 = p2.getByTestId('request').filter({ hasText: 'req-1' });
  await expect(c2).toContainText('2 of 2 counted');
  await expect(c2).toContainText('requester_forbidden');
  await expect(c2.getByRole('button', { name: 'Disclose this request…' })).toHaveCount(0);
  await p2.screenshot({ path: join(SHOTS, 'disclosure-governance.png'), fullPage: true });
  await fresh.close();
});

test('a packet missing a cited approval fails with DISCLOSE.cited; a changed proof hash with PROOF.inclusion', async ({ page }) => {
  const index = JSON.parse(readFileSync('test/vectors/disclosure/index.json', 'utf8'));
  for (const [file, code] of [
    ['disclose-cited-missing-approval.json', 'DISCLOSE.cited'],
    ['proof-inclusion-hash-changed.json', 'PROOF.inclusion'],
  ] as const) {
    const c = index.cases.find((x: { file: string }) => x.file === file);
    await page.goto('./#/verify');
    await setAnchor(page, c.trust);
    await pickFile(page, join('test/vectors/disclosure', file));
    expect(await verdictOf(page)).toBe('fail');
    await expect(page.locator('.finding-group', { hasText: code })).toBeVisible();
  }
  await page.screenshot({ path: join(SHOTS, 'disclosure-fail.png'), fullPage: true });
});
