// The screens the newcomer's path (newcomer.spec.ts) does not pass through, each checked at a
// phone's width and a laptop's: nothing sideways, axe-core serious/critical clean.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { checkScreen } from './helpers/screens.ts';
import { hasShared, MC } from './helpers/verify.ts';

const PASS = 'correct horse battery staple';
const file = (name: string, text: string) => ({ name, mimeType: 'application/json', buffer: Buffer.from(text, 'utf8') });

for (const size of [
  { width: 360, height: 740 },
  { width: 1280, height: 800 },
]) {
  test.describe(`at ${size.width} px`, () => {
    test.use({ viewport: size });

    test('verifier: not a bundle, paste box, a MakerChecker governance lens', async ({ page }) => {
      await page.goto('./#/verify');
      await page.getByRole('button', { name: 'Paste text…' }).click();
      await checkScreen(page, 'verify-paste');
      await page.getByLabel('Open audit bundle').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello\n') });
      await expect(page.getByTestId('input-error')).toBeVisible();
      await checkScreen(page, 'verify-not-a-bundle');
      if (hasShared) {
        await page.getByLabel('Open audit bundle').setInputFiles(MC('valid-run.json'));
        await expect(page.getByTestId('verdict')).toBeVisible();
        await page.getByRole('tab', { name: /Governance/ }).click();
        await checkScreen(page, 'verify-makerchecker-lens');
      }
    });

    test('wallet: create an identity, its backup, its enrollment; a request from an untrusted log is stopped', async ({ page }) => {
      test.setTimeout(90_000);
      await page.addInitScript(() => {
        (globalThis as { __COUNTERSIGN_WALLET_TEST__?: unknown }).__COUNTERSIGN_WALLET_TEST__ = { scryptN: 2 ** 14 };
      });
      await page.goto('./#/wallet');
      await page.getByTestId('wallet-demo').getByRole('button', { name: 'Not now' }).click();
      await page.getByRole('button', { name: 'Create identity' }).click();
      await page.getByLabel('Display name').fill('Erin Example');
      await page.getByLabel('Principal id').fill('erin');
      await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
      await page.getByLabel('Repeat passphrase').fill(PASS);
      await checkScreen(page, 'wallet-create');
      await page.getByRole('button', { name: 'Create identity' }).click();
      await expect(page.getByRole('heading', { name: 'Back up Erin Example' })).toBeVisible();
      await checkScreen(page, 'wallet-backup');
      // The three steps sit on one line on a laptop.
      if (size.width >= 1280) {
        const tops = await page.locator('.cs-steps li').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
        expect(new Set(tops).size).toBe(1);
      }
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download backup file' }).click();
      const backup = readFileSync((await (await download).path())!, 'utf8');
      await page.getByLabel('Backup file').setInputFiles(file('erin.key', backup));
      await expect(page.getByText('Chosen: erin.key')).toBeVisible();
      await expect(page.getByText('No file chosen')).toHaveCount(0);
      await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
      await page.getByRole('button', { name: 'Check backup' }).click();
      await expect(page.getByText('The backup restores this key')).toBeVisible();
      await checkScreen(page, 'wallet-backup-checked');
      await page.getByRole('button', { name: 'Next: export enrollment' }).click();
      await page.getByLabel('Log origin').fill('demo.countersign.example/agents-prod');
      await page.getByRole('button', { name: 'Create enrollment' }).click();
      await expect(page.getByRole('img', { name: /QR code of the enrollment file/ })).toBeVisible();
      await checkScreen(page, 'wallet-enrollment');
      await page.getByRole('button', { name: 'Done' }).click();

      // A request for a log this wallet does not trust: the stop screen.
      await page
        .getByRole('navigation', { name: 'Wallet' })
        .getByRole('button', { name: /^Sign a request/ })
        .click();
      await page.getByLabel('Import request').setInputFiles(file('request.json', readFileSync('dist/demo/request.json', 'utf8')));
      await expect(page.getByRole('heading', { name: /Stop: do not sign/ })).toBeVisible();
      await checkScreen(page, 'wallet-stop');

      // Restoring a second identity from its backup makes it the one that signs, and the list
      // tells the key's creation date apart from the restore date.
      await page.getByRole('button', { name: 'Put this file away' }).click();
      await page
        .getByRole('navigation', { name: 'Wallet' })
        .getByRole('button', { name: /^Identities/ })
        .click();
      await expect(page.getByLabel('Current identity')).toContainText('erin');
      await page.getByLabel('Import identity').setInputFiles(file('approver.key', readFileSync('dist/demo/approver.key', 'utf8')));
      await page.getByLabel('Passphrase', { exact: true }).fill(readFileSync('dist/demo/approver.passphrase', 'utf8').trim());
      await page.getByRole('button', { name: 'Restore identity' }).click();
      await expect(page.getByLabel('Current identity')).toContainText('carol', { timeout: 30_000 });
      const carol = page.locator('.cs-card', { hasText: 'Carol' });
      await expect(carol).toContainText(/restored from a backup .*2026.* · key created Jan 1, 2026/);
      await checkScreen(page, 'wallet-identities-two');
    });
  });
}

test.describe('dark mode', () => {
  test.use({ colorScheme: 'dark', viewport: { width: 360, height: 740 } });
  test('the demo verdict, its governance and the wallet read in dark mode too (contrast included)', async ({ page }) => {
    await page.goto('./#/verify');
    await page.getByRole('button', { name: 'Try the demo bundle' }).click();
    await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'warn');
    await checkScreen(page, 'dark-verify-warn');
    await page.getByRole('tab', { name: /Governance/ }).click();
    await checkScreen(page, 'dark-verify-governance');
    await page.getByRole('link', { name: 'Signing wallet' }).click();
    await expect(page.getByTestId('wallet-demo')).toBeVisible();
    await checkScreen(page, 'dark-wallet-first');
  });
});
