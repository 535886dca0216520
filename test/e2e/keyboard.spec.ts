// Keyboard only: the verifier's and the wallet's main paths with Tab, Enter and the arrow keys,
// never the mouse; the focus ring is where the key press will act, and focus never falls to the
// page body after an action.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';

const freshDemo = () => execFileSync(process.execPath, ['bin/countersign.js', 'demo', 'dist/demo', '--seed', 'demo', '--force'], { stdio: 'ignore' });
test.beforeAll(freshDemo);

/** What has focus: its accessible-ish name (aria-label, else its text). */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'BODY';
    return (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().replace(/\s+/g, ' ');
  });

/** Presses Tab until the focused element's name matches, as a keyboard user would. */
async function tabTo(page: Page, name: RegExp, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (name.test(await focused(page))) return;
  }
  throw new Error(`Tab never reached ${name} (last: ${await focused(page)})`);
}

/** The outline actually drawn on an element (the focus ring), or 'none'. */
const ring = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((el) => getComputedStyle(el).outlineStyle);

test('verifier by keyboard: the ring is on what Enter opens, the demo, its anchor, the result tabs', async ({ page }) => {
  await page.goto('./#/verify');
  await expect(page.getByRole('button', { name: 'Try the demo bundle' })).toBeVisible();

  // The hidden file input has focus: the ring is drawn on "Choose a file…", not on "Paste text…".
  await tabTo(page, /^Open audit bundle$/);
  expect(await ring(page, 'label.file-button')).not.toBe('none');
  expect(await ring(page, 'button[aria-controls]')).toBe('none');
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('Paste text…');
  expect(await ring(page, 'button[aria-controls]')).not.toBe('none');

  await tabTo(page, /^Try the demo bundle$/);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'warn');

  // The demo's anchor in one key press; focus goes to the new verdict.
  await tabTo(page, /^Use the demo’s anchor and check again$/);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('trust-line')).toContainText('matches the anchor');
  await expect(page.getByTestId('verdict')).toBeFocused();

  // An anchor typed by hand, then "Check again with this anchor": focus again on the verdict, not the body.
  await page.getByLabel('Trust anchor', { exact: true }).focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('genesis:' + '00'.repeat(32));
  await tabTo(page, /^Check again with this anchor$/);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'fail');
  await expect(page.getByTestId('verdict')).toBeFocused();
  expect(await focused(page)).not.toBe('BODY');

  // The result tabs: Tab into the list, arrows between tabs.
  await tabTo(page, /^Findings \(/);
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: /Governance/ })).toBeFocused();
  await expect(page.getByRole('tab', { name: /Governance/ })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('End');
  await expect(page.getByRole('tab', { name: /Signers/ })).toHaveAttribute('aria-selected', 'true');
});

test('wallet by keyboard: try the demo, restore the key, review and approve, download the approval', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('./#/wallet');
  const demo = page.getByTestId('wallet-demo');
  await expect(demo).toBeVisible();
  await tabTo(page, /^Try the demo$/);
  await page.keyboard.press('Enter');

  // The passphrase field takes focus; the page shows what to type.
  const pass = (await demo.getByTestId('demo-passphrase').textContent())!.trim();
  await expect(demo.getByLabel('Passphrase', { exact: true })).toBeFocused();
  await page.keyboard.type(pass);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Review the request' })).toBeVisible({ timeout: 30_000 });

  await tabTo(page, /^Approve$/, 120);
  await page.keyboard.press('Enter');
  await tabTo(page, /^Confirm and sign$/);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Approval signed' })).toBeVisible({ timeout: 30_000 });

  const download = page.waitForEvent('download');
  await tabTo(page, /^Download approval$/);
  await page.keyboard.press('Enter');
  expect((await download).suggestedFilename()).toBe('approval-req-4-approve.json');
  await expect(page.getByText(/Exported \(download\)/)).toBeVisible();
});
