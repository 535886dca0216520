// Witnessing in the page (docs/format.md §7.2), as an auditor would: verify the demo bundle
// (this browser remembers its checkpoint), cosign it with a witness key held in the signer
// worker, then verify the gate's other history (demo forked.jsonl) and see the fork screen,
// and export the fork evidence, which checks on its own.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkForkEvidence } from '../../src/core/log/fork-evidence.ts';
import { parseCosignatureFile } from '../../src/core/log/witness-files.ts';
import { pickFile, setAnchor, shot, verdictOf } from './helpers/verify.ts';

const DEMO = 'dist/demo'; // written by the e2e web server (playwright.config.ts)
const HOOKS = { scryptN: 2 ** 14, now: Date.UTC(2026, 2, 18, 12) };

async function open(page: Page) {
  await page.addInitScript((h) => {
    (globalThis as { __COUNTERSIGN_WALLET_TEST__?: unknown }).__COUNTERSIGN_WALLET_TEST__ = h;
  }, HOOKS);
  await page.goto('./#/verify');
  await expect(page.getByLabel('Open audit bundle')).toBeAttached();
}

test('verify, cosign as a witness, verify the forked bundle, see the fork screen, export the evidence', async ({ page }) => {
  await open(page);
  const trust = readFileSync(join(DEMO, 'trust.txt'), 'utf8').trim();
  await setAnchor(page, trust);
  await pickFile(page, join(DEMO, 'bundle.jsonl'));
  expect(await verdictOf(page)).toBe('warn');
  await expect(page.getByTestId('fork')).toHaveCount(0);

  // Cosign: a new witness key, created encrypted in the signer worker.
  const panel = page.getByTestId('witness-panel');
  await expect(panel).toContainText('The last checkpoint carries no cosignature.');
  await panel.getByTestId('cosign-open').click();
  await panel.getByPlaceholder('auditor.example/w1').fill('auditor.example/w1');
  await panel.getByLabel('Passphrase').fill('correct horse battery staple');
  await panel.getByTestId('witness-create').click();
  await expect(panel.getByTestId('witness-vkey')).toContainText('witness:auditor.example/w1+');
  await panel.getByTestId('cosign').click();
  const text = await panel.getByTestId('cosign-text').inputValue();
  const parsed = parseCosignatureFile(text);
  expect(parsed.ok).toBe(true);
  if (parsed.ok) expect(parsed.value.checkpoint.signatures.map((s) => s.name)).toEqual(['demo.countersign.example/agents-prod', 'auditor.example/w1']);
  await shot(page, 'witness-cosigned', true);

  // The same gate's other history, with req-2 quietly dropped: the fork screen.
  await pickFile(page, join(DEMO, 'forked.jsonl'));
  expect(await verdictOf(page)).toBe('fail');
  const fork = page.getByTestId('fork');
  await expect(fork).toContainText('This gate signed two different histories');
  await expect(fork.getByTestId('fork-remembered')).toContainText('\n15\n');
  await expect(fork.getByTestId('fork-conflicting')).toContainText('\n16\n');
  await expect(page.getByText('WITNESS.fork').first()).toBeVisible();
  await shot(page, 'witness-fork', true);

  const download = page.waitForEvent('download');
  await fork.getByTestId('export-fork').click();
  const d = await download;
  const evidence = readFileSync((await d.path())!, 'utf8');
  const v = checkForkEvidence(evidence);
  expect(v.ok, JSON.stringify(v)).toBe(true);
  if (v.ok) expect([v.sizeA, v.sizeB]).toEqual([15, 16]);

  // Remembered across a reload (IndexedDB), and the real bundle still passes its checks.
  await page.reload();
  await setAnchor(page, trust);
  await pickFile(page, join(DEMO, 'forked.jsonl'));
  expect(await verdictOf(page)).toBe('fail');
  await expect(page.getByTestId('fork')).toBeVisible();
  await pickFile(page, join(DEMO, 'bundle.jsonl'));
  expect(await verdictOf(page)).toBe('warn');
});

test('a witness anchor pins like the others and requires the cosignature', async ({ page }) => {
  await open(page);
  const trust = readFileSync(join(DEMO, 'trust.txt'), 'utf8').trim();
  const wit = readFileSync(join(DEMO, 'witness.txt'), 'utf8').trim();
  await setAnchor(page, `${trust} ${wit}`);
  await page.getByPlaceholder('Name, e.g. ACME production').fill('Demo log and its auditor');
  await page.getByRole('button', { name: 'Pin anchor' }).click();
  await expect(page.getByRole('list', { name: 'Pinned anchors' })).toContainText('witness:auditor.demo.countersign.example/witness');
  await pickFile(page, join(DEMO, 'bundle.jsonl'));
  // The demo bundle is not cosigned by the demo witness: WITNESS.quorum.
  expect(await verdictOf(page)).toBe('fail');
  await expect(page.getByText('WITNESS.quorum').first()).toBeVisible();
  await shot(page, 'witness-pinned-quorum', true);
  await setAnchor(page, 'witness:auditor.demo+00000000+AAAA');
  await expect(page.getByRole('alert').filter({ hasText: 'witness key is not usable' })).toBeVisible();
});

test('wallet trusted logs: a consistency proof moves the log forward and offers to cosign; a bad proof stops with the fork screen', async ({ page }) => {
  // The demo gate grows (carol approves), then proves it from the size the wallet trusts (15).
  const { spawnSync } = await import('node:child_process');
  const { cpSync, mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'cs-e2e-witness-'));
  cpSync(DEMO, join(dir, 'demo'), { recursive: true });
  const cs = (...args: string[]) => {
    const r = spawnSync(process.execPath, ['bin/countersign.js', ...args], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  };
  const d = join(dir, 'demo');
  cs(
    'sign',
    '--key',
    join(d, 'approver.key'),
    '--passphrase-file',
    join(d, 'approver.passphrase'),
    '--packet',
    join(d, 'request.json'),
    '--vote',
    'approve',
    '--out',
    join(dir, 'approval.json'),
  );
  cs('gate', 'accept', d, join(dir, 'approval.json'));
  cs('gate', 'consistency', d, '--from', '15', '--out', join(dir, 'consistency.json'));
  const good = JSON.parse(readFileSync(join(dir, 'consistency.json'), 'utf8'));
  const bad = structuredClone(good);
  bad.proof[0] = Buffer.from(Buffer.from(bad.proof[0], 'base64').map((b: number, i: number) => (i === 0 ? b ^ 1 : b))).toString('base64');
  writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));

  await page.addInitScript((h) => {
    (globalThis as { __COUNTERSIGN_WALLET_TEST__?: unknown }).__COUNTERSIGN_WALLET_TEST__ = h;
  }, HOOKS);
  await page.goto('./#/wallet');
  await page.getByRole('navigation', { name: 'Wallet' }).getByRole('button', { name: 'Trusted logs' }).click();
  await page.getByLabel('Import log profile').setInputFiles(join(DEMO, 'log-profile.json'));
  await expect(page.getByText('15 entries, signed by the gate')).toBeVisible();

  // A bad proof: the fork screen, and the log stays where it was.
  await page.getByLabel('Import consistency proof').setInputFiles(join(dir, 'bad.json'));
  const fork = page.getByTestId('wallet-fork');
  await expect(fork).toContainText('proof does not verify');
  await expect(fork.getByRole('button', { name: /update/i })).toHaveCount(0);
  await expect(page.getByText('15 entries, signed by the gate')).toBeVisible();
  await shot(page, 'wallet-consistency-refused', true);

  // The good proof: moved forward, and offered to cosign.
  await page.getByLabel('Import consistency proof').setInputFiles(join(dir, 'consistency.json'));
  await expect(page.getByTestId('log-moved')).toContainText('from the 15 entries you trusted to 17');
  await expect(page.getByText('17 entries, signed by the gate')).toBeVisible();
  await expect(page.getByTestId('cosign-open')).toBeVisible();
  await shot(page, 'wallet-consistency-moved', true);
});
