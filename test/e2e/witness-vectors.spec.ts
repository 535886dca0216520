// The page and the CLI agree on every v1.1 code (docs/format.md §7): our own vectors for
// CKPT.extension and WITNESS.*, each in a fresh browser profile (remembered checkpoints live in
// IndexedDB), the `remember` case verified first as a witness would.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pickFile, setAnchor, verdictOf } from './helpers/verify.ts';

const DIR = 'test/vectors/countersign';
type Case = { file: string; expect: string; codes: string[]; trust: string | null; remember?: string };
const cases = (JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')).cases as Case[]).filter(
  (c) => c.remember || c.codes.some((x) => x.startsWith('WITNESS.') || x === 'CKPT.extension') || c.file === 'valid-witnessed.jsonl',
);

test('every own witness vector gets the CLI verdict and codes in the page', async ({ browser }) => {
  expect(cases.length).toBeGreaterThanOrEqual(7);
  for (const c of cases) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto('./#/verify');
    if (c.remember) {
      await pickFile(page, join(DIR, c.remember));
      expect(await verdictOf(page), `${c.remember} before ${c.file}`).not.toBe('fail');
      await page.evaluate(() => document.querySelector('[data-testid="verdict"]')?.removeAttribute('data-verdict'));
    }
    await setAnchor(page, c.trust ?? '');
    await pickFile(page, join(DIR, c.file));
    await expect(page.getByTestId('verdict'), c.file).toHaveAttribute('data-verdict', c.expect, { timeout: 30_000 });
    for (const code of c.codes) await expect(page.getByText(code, { exact: true }).first(), `${c.file}: ${code}`).toBeVisible();
    await context.close();
  }
});
