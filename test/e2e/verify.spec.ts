// The verifier screen, driven as a reviewer would: drop, pick or paste a bundle,
// pin an anchor, read the verdict, open entries, export, cancel.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import {
  CS,
  DEMO,
  DEMO_GENESIS,
  MC,
  VECTOR_SETS,
  anchorOf,
  dropFile,
  forgetRemembered,
  longTasks,
  manyRowsBundle,
  pickFile,
  recordLongTasks,
  setAnchor,
  sha256File,
  shot,
  signedBundle,
  verdictOf,
} from './helpers/verify.ts';

test.beforeEach(async ({ page }) => {
  await page.goto('./#/verify');
  await expect(page.getByLabel('Open audit bundle')).toBeAttached();
});

test('empty state, and a file that is not a bundle gets a clear message', async ({ page }) => {
  await expect(page.getByRole('heading', { name: 'Verify an audit bundle' })).toBeVisible();
  await shot(page, 'empty');
  await page.getByLabel('Open audit bundle').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello, these are my notes\n') });
  const err = page.getByTestId('input-error');
  await expect(err).toBeVisible();
  await expect(err).toHaveAttribute('data-code', 'INPUT.not_bundle');
  await expect(err).toContainText('not an audit bundle');
  await page.getByLabel('Open audit bundle').setInputFiles({ name: 'empty.jsonl', mimeType: 'text/plain', buffer: Buffer.alloc(0) });
  await expect(err).toContainText('empty');
  await shot(page, 'not-bundle');
});

// Issue 8, item 2: a signed request id with ESC, C1 and U+202E is shown marked, never raw.
test('hidden characters in a request id are marked in the governance view', async ({ page }) => {
  await dropFile(page, 'test/vectors/countersign/hostile-terminal-escape-request-id.jsonl');
  await page.getByRole('tab', { name: /Governance/ }).click();
  const req = page.getByTestId('request').filter({ hasText: 'req-2' });
  await expect(req).toHaveCount(1);
  const marks = req.getByTestId('marked-char');
  expect(await marks.count()).toBeGreaterThanOrEqual(4);
  await expect(req).toContainText('⟦U+202E⟧');
  await expect(req).toContainText('⟦U+001B⟧');
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  expect(await req.locator('h3').innerText()).not.toMatch(/[\u001b\u009b\u202e]/);
  await shot(page, 'governance-hidden-characters', true);
});

test.describe('with the conformance files', () => {
  test('valid Countersign bundle dropped, unpinned: warn, fingerprints to compare, never "trusted"', async ({ page }) => {
    await dropFile(page, CS('cs-valid-demo.jsonl'));
    expect(await verdictOf(page)).toBe('warn');
    const banner = page.getByTestId('verdict');
    await expect(banner).toContainText('Intact, but not anchored');
    await expect(banner).toContainText(DEMO_GENESIS.slice(0, 20));
    await expect(banner).toContainText('Grace Okafor');
    await expect(banner).not.toContainText(/trusted/i);
    await expect(page.getByTestId('summary-sha256')).toHaveText(sha256File(CS('cs-valid-demo.jsonl')));
    await shot(page, 'warn', true);

    await page.getByRole('tab', { name: /Governance/ }).click();
    const req = page.getByTestId('request').first();
    await expect(req).toContainText('req-1');
    await expect(req).toContainText('iam.grant_access');
    await expect(req).toContainText('high risk');
    await expect(req).toContainText('Alice Moreau');
    await expect(req).toContainText('requester_forbidden');
    await expect(req).toContainText('executed');
    await shot(page, 'governance', true);
    // Filters: a person who took part, then one who did not.
    await page.getByLabel('Person').selectOption('alice');
    await expect(page.getByTestId('request')).toHaveCount(DEMO.aliceRequests);
    await page.getByLabel('Errors and warnings only').check();
    await expect(page.getByTestId('request')).toHaveCount(0);

    await page.getByRole('tab', { name: /Timeline/ }).click();
    const timeline = page.getByTestId('timeline');
    await expect(timeline.getByRole('option')).toHaveCount(DEMO.rows);
    await timeline.getByRole('option').nth(DEMO.aliceRow).click();
    const detail = page.getByTestId('entry-detail');
    await expect(detail).toContainText('Decoded statement');
    await expect(detail).toContainText('"approver": "alice"');
    await expect(detail).toContainText('signature verifies');
    await expect(detail).toContainText('Alice Moreau');
    await shot(page, 'timeline');
    // Keyboard: down moves to the next entry.
    await timeline.focus();
    await page.keyboard.press('ArrowDown');
    await expect(detail).toContainText('"approver": "bob"');
    await shot(page, 'entry-detail', true);
  });

  test('tampered Countersign bundle: fail, findings link to the timeline', async ({ page }) => {
    await setAnchor(page, anchorOf(CS('cs-fail-chain-prev-altered.jsonl')));
    await dropFile(page, CS('cs-fail-chain-prev-altered.jsonl'));
    expect(await verdictOf(page)).toBe('fail');
    await expect(page.getByTestId('verdict')).toContainText('Does not verify');
    const group = page.locator('.finding-group', { hasText: 'CHAIN.prev' });
    await expect(group).toBeVisible();
    await shot(page, 'fail', true);
    await group
      .getByRole('button', { name: /show it in the timeline/ })
      .first()
      .click();
    await expect(page.getByTestId('timeline')).toBeVisible();
    await expect(page.locator('.trow--selected')).toContainText('CHAIN.prev');
    await expect(page.getByTestId('entry-detail')).toContainText('CHAIN.prev');
  });

  test('file picker, gzip, and a typed anchor: pass', async ({ page }) => {
    await setAnchor(page, DEMO_GENESIS);
    await pickFile(page, CS('cs-valid-demo.jsonl.gz'));
    expect(await verdictOf(page)).toBe('pass');
    await expect(page.getByTestId('verdict')).toContainText('matches the anchor typed for this check');
    await expect(page.getByTestId('summary-sha256')).toHaveText(sha256File(CS('cs-valid-demo.jsonl.gz')));
    await expect(page.locator('.summary')).toContainText('gzip');
    await shot(page, 'pass', true);
    // Entries of a gzip file are re-read from the decompressed stream.
    await page.getByRole('tab', { name: /Timeline/ }).click();
    await page.getByTestId('timeline').getByRole('option').nth(1).click();
    await expect(page.getByTestId('entry-detail')).toContainText('"type": "genesis"');
  });

  test('paste: bundle text in the paste box, and on the clipboard', async ({ page }) => {
    const text = readFileSync(CS('cs-valid-demo.jsonl'), 'utf8');
    await page.getByRole('button', { name: 'Paste text…' }).click();
    await page.getByLabel('Paste bundle text').fill(text);
    await page.getByRole('button', { name: 'Verify pasted text' }).click();
    expect(await verdictOf(page)).toBe('warn');
    // A paste event anywhere outside a text field.
    await page.evaluate(
      (t) => {
        const dt = new DataTransfer();
        dt.setData('text/plain', t);
        document.querySelector('main')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true }));
      },
      readFileSync(CS('cs-fail-ckpt-root.jsonl'), 'utf8'),
    );
    await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'fail');
    await expect(page.locator('.finding-group', { hasText: 'CKPT.root' })).toBeVisible();
  });

  test('MakerChecker bundles dropped: valid run warns unpinned and says it does not prove completeness; tampered fails', async ({ page }) => {
    await dropFile(page, MC('valid-run.json'));
    expect(await verdictOf(page)).toBe('warn');
    const banner = page.getByTestId('verdict');
    await expect(banner).toContainText(/complete/i);
    await expect(banner).toContainText('SPKI SHA-256');
    await expect(banner).not.toContainText(/trusted/i);
    await page.getByRole('tab', { name: /Governance/ }).click();
    await expect(page.getByText('Governance lens — not part of the verdict.')).toBeVisible();
    await shot(page, 'makerchecker-lens', true);
    await page.getByRole('tab', { name: /Timeline/ }).click();
    await page.getByTestId('timeline').getByRole('option').first().click();
    await expect(page.getByTestId('entry-detail')).toContainText('The stored hash recomputes.');

    await dropFile(page, MC('tampered-payload.json'));
    await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'fail');
    await expect(page.locator('.finding-group', { hasText: 'AAPR.hash' })).toBeVisible();
    await shot(page, 'makerchecker-fail', true);
  });

  test('every conformance case gets the core verdict', async ({ page }) => {
    test.setTimeout(300_000);
    type Case = { file: string; expect: string; trust?: string | string[] | null; pinKey?: string; remember?: string };
    const runs = VECTOR_SETS.flatMap(({ CS, MC }) => {
      const cs = JSON.parse(readFileSync(CS('index.json'), 'utf8')).cases as Case[];
      const mc = JSON.parse(readFileSync(MC('index.json'), 'utf8')).cases as Case[];
      return [
        // Cases judged against a remembered checkpoint run in witness-vectors.spec.ts.
        ...cs.filter((c) => !c.remember).map((c) => ({ path: CS(c.file), anchor: [c.trust ?? ''].flat().join(' '), expect: c.expect })),
        // MakerChecker's own index says pass for an unpinned valid bundle; ours says warn (TRUST.unpinned only).
        ...mc.map((c) => ({
          path: MC(c.file),
          anchor: c.pinKey ? readFileSync(MC(c.pinKey), 'utf8') : '',
          expect: !c.pinKey && c.expect === 'pass' ? 'warn' : c.expect,
        })),
      ];
    });
    for (const r of runs) {
      await forgetRemembered(page);
      await setAnchor(page, r.anchor);
      await pickFile(page, r.path);
      await expect(page.getByTestId('verdict'), `${r.path} with ${r.anchor ? 'anchor' : 'no anchor'}`).toHaveAttribute('data-verdict', r.expect, {
        timeout: 30_000,
      });
      // The next file must not be judged by this file's banner.
      await page.evaluate(() => document.querySelector('[data-testid="verdict"]')?.removeAttribute('data-verdict'));
    }
  });

  test('pinning: kept in IndexedDB across reloads, turns warn into pass, and can be removed', async ({ page }) => {
    await pickFile(page, CS('cs-valid-demo.jsonl'));
    expect(await verdictOf(page)).toBe('warn');
    await setAnchor(page, DEMO_GENESIS);
    await page.getByLabel('Name for this anchor').fill('ACME agents-prod');
    await page.getByRole('button', { name: 'Pin anchor' }).click();
    await expect(page.getByRole('list', { name: 'Pinned anchors' })).toContainText('ACME agents-prod');
    // Pinning re-checks the open file.
    await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'pass');
    await expect(page.getByTestId('trust-line')).toContainText('“ACME agents-prod”');

    await page.reload();
    await expect(page.getByRole('list', { name: 'Pinned anchors' })).toContainText('ACME agents-prod');
    await pickFile(page, CS('cs-valid-demo.jsonl'));
    expect(await verdictOf(page)).toBe('pass');
    await expect(page.getByTestId('trust-line')).toContainText('ACME agents-prod');

    await page.getByRole('button', { name: 'Remove pinned anchor ACME agents-prod' }).click();
    await expect(page.getByRole('list', { name: 'Pinned anchors' })).toHaveCount(0);
    await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'warn');
    await page.reload();
    await expect(page.getByText('No anchors pinned yet.')).toBeVisible();
  });

  test('export: the JSON report and the printable report carry the SHA-256 and verifier version', async ({ page }) => {
    await setAnchor(page, DEMO_GENESIS);
    await pickFile(page, CS('cs-valid-demo.jsonl'));
    expect(await verdictOf(page)).toBe('pass');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download report (JSON)' }).click()]);
    expect(download.suggestedFilename()).toBe(DEMO.reportName);
    const report = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(report.countersign).toBe('report/v1');
    expect(report.verdict).toBe('pass');
    expect(report.bundle.sha256).toBe(sha256File(CS('cs-valid-demo.jsonl')));
    expect(report.verifier).toEqual({ name: 'countersign', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });

    await page.emulateMedia({ media: 'print' });
    const footer = page.getByTestId('print-footer');
    await expect(footer).toBeVisible();
    await expect(footer).toContainText(report.bundle.sha256);
    await expect(footer).toContainText(`countersign ${report.verifier.version}`);
    await expect(page.getByLabel('Open audit bundle')).toBeHidden();
    await shot(page, 'print', true);
    await page.emulateMedia({ media: 'screen' });
  });

  test('360 px wide: nothing overflows sideways', async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 780 });
    await shot(page, 'empty-360', true);
    await dropFile(page, CS('cs-fail-policy-self-approval.jsonl'));
    expect(await verdictOf(page)).toBe('fail');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, 'fail-360', true);
    await page.getByRole('tab', { name: /Governance/ }).click();
    await shot(page, 'governance-360', true);
    await page.getByRole('tab', { name: /Timeline/ }).click();
    await page.getByTestId('timeline').getByRole('option').nth(3).click();
    await expect(page.getByTestId('entry-detail')).toContainText('Decoded statement');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await shot(page, 'timeline-360', true);
  });
});

test('the demo: its anchor in one click re-checks at once, and a pending request is amber everywhere', async ({ page }) => {
  await page.getByRole('button', { name: 'Try the demo bundle' }).click();
  expect(await verdictOf(page)).toBe('warn');
  await page.getByRole('button', { name: 'Use the demo’s anchor and check again' }).click();
  // No "Check again" needed: anchored now, the request still parked (REQ.pending) until the gate accepts an approval.
  await expect(page.getByTestId('trust-line')).toContainText('matches the anchor typed for this check');
  await expect(page.locator('.finding-group', { hasText: 'TRUST.unpinned' })).toHaveCount(0);
  expect(await verdictOf(page)).toBe('warn');
  // Focus moved to the new verdict, not to the page body.
  await expect(page.getByTestId('verdict')).toBeFocused();
  // The governance view says warning, as the verdict does: no red cross for a pending request.
  await page.getByRole('tab', { name: /Governance/ }).click();
  await expect(page.getByTestId('gov-warnings')).toContainText('1 with warnings');
  await expect(page.getByTestId('gov-errors')).toHaveCount(0);
  const pending = page.locator('[data-testid="request"][data-level="warning"]');
  await expect(pending).toHaveCount(1);
  await expect(pending).toContainText('REQ.pending');
  await expect(page.locator('[data-testid="request"][data-level="error"]')).toHaveCount(0);
});

test('a large signed bundle: progress, a responsive page, and cancel', async ({ page }) => {
  test.setTimeout(150_000);
  const big = await signedBundle(60_000);
  await recordLongTasks(page);
  await page.reload();
  await longTasks(page);

  // Cancel part-way.
  await pickFile(page, big.path);
  const progress = page.getByTestId('progress');
  await expect(progress).toBeVisible();
  await expect.poll(async () => Number((await page.getByTestId('progress-entries').textContent())?.replace(/,/g, '')), { timeout: 30_000 }).toBeGreaterThan(0);
  await shot(page, 'progress');
  await progress.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('cancelled')).toContainText('cancelled');
  await expect(progress).toBeHidden();

  // Then the whole run, measuring the main thread.
  await setAnchor(page, `genesis:${big.genesis}`);
  await longTasks(page);
  const t0 = Date.now();
  await pickFile(page, big.path);
  // Wait inside the page without polling from the test, so the test's own probes are not measured.
  const verdict = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const seen = () => document.querySelector('[data-testid="verdict"]')?.getAttribute('data-verdict');
        const mo = new MutationObserver(() => {
          const v = seen();
          if (v) {
            mo.disconnect();
            resolve(v);
          }
        });
        mo.observe(document.body, { subtree: true, childList: true, attributes: true });
      }),
  );
  expect(verdict).toBe('pass');
  const wall = Date.now() - t0;
  const tasks = await longTasks(page);
  const report = await page.locator('.summary').innerText();
  const longest = Math.max(0, ...tasks);
  console.log(
    `[measure] ${big.bytes} bytes, 60001 entries in ${wall} ms wall (${Math.round(60001 / (wall / 1000))} entries/s in the page); ` +
      `long tasks: ${tasks.length}, longest ${Math.round(longest)} ms; summary: ${report.replace(/\s+/g, ' ')}`,
  );
  // The budget is 50 ms (met on a quiet machine: 0 long tasks). A shared, loaded two-core test
  // machine stretches any task, so this gate only catches gross regressions.
  expect(longest, 'no long main-thread task while verifying').toBeLessThan(500);
});

test('the timeline scrolls a million rows', async ({ page }) => {
  test.setTimeout(150_000);
  const path = manyRowsBundle(1_000_000);
  await recordLongTasks(page);
  await page.reload();
  await pickFile(page, path);
  expect(await verdictOf(page)).toBe('fail');
  await longTasks(page);
  await page.getByRole('tab', { name: /Timeline/ }).click();
  const timeline = page.getByTestId('timeline');
  await expect(timeline.getByRole('option').first()).toBeVisible();
  const rendered = await timeline.getByRole('option').count();
  expect(rendered).toBeLessThan(80);
  // Jump to the middle and to the end, then page down: rows are there at once.
  await timeline.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
  await expect(timeline.locator('[data-row="500000"]')).toBeVisible();
  await timeline.focus();
  await page.keyboard.press('End');
  await expect(timeline.locator('[data-row="999999"]')).toBeVisible();
  await expect(page.getByTestId('entry-detail')).toContainText('row 999998');
  for (let i = 0; i < 20; i++) await page.mouse.wheel(0, -2000);
  const tasks = await longTasks(page);
  const longest = Math.max(0, ...tasks);
  console.log(`[measure] 1,000,000-row timeline: long tasks while scrolling ${tasks.length}, longest ${Math.round(longest)} ms`);
  // A gross-regression gate: the shared, loaded test machine stretches tasks (a quiet run shows none over 50 ms).
  expect(longest, 'scrolling stays smooth').toBeLessThan(500);
  await shot(page, 'timeline-million');
});
