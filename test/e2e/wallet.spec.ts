// The signing wallet end to end, in Debian's Chromium with real IndexedDB and workers.
// Fixtures are built at test time (fixtures-wallet/): a log kept by the reference gate, key
// files, request packets, QR pictures and a .y4m video of QR frames for the fake camera.
import { expect, test, chromium, type Page, type Download } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBase64 } from '../../src/core/encoding/base64.ts';
import { keyIdOf, verifyStrict } from '../../src/core/crypto/ed25519.ts';
import { openEnvelope } from '../../src/core/statements/envelope.ts';
import { ApprovalFileSchema, EnrollmentFileSchema, type Approval, type Enrollment } from '../../src/core/statements/schemas.ts';
import { ReferenceGate } from '../../src/core/gate/reference-gate.ts';
import { buildDemo, DEMO_ORIGIN } from '../../src/core/gate/demo.ts';
import { decryptKeyFile } from '../../src/core/crypto/key-file.ts';
import { partQr, urEncoder } from '../../src/app/wallet/qr.ts';
import { GateWorld, World, PAY, makeActor, publicActor } from './fixtures-wallet/world.ts';
import { decodePng, keyFileText, qrMatrixOf, qrPng, writeY4m } from './fixtures-wallet/e2e.ts';

const SHOTS = '/tmp/shots';
mkdirSync(SHOTS, { recursive: true });
const PASS = 'correct horse battery staple';
const HOOKS = { scryptN: 2 ** 14 };

async function shot(page: Page, name: string, fullPage = true) {
  await page.screenshot({ path: join(SHOTS, `wallet-${name}.png`), fullPage });
}

async function openWallet(page: Page, hooks: Record<string, number> = HOOKS) {
  await page.addInitScript((h) => {
    (globalThis as { __COUNTERSIGN_WALLET_TEST__?: unknown }).__COUNTERSIGN_WALLET_TEST__ = h;
  }, hooks);
  await page.goto('./#/wallet');
  await expect(page.getByRole('heading', { name: 'Signing wallet' })).toBeVisible();
  await expect(page.getByText('Opening the wallet…')).toHaveCount(0);
}

const file = (name: string, text: string) => ({ name, mimeType: 'application/json', buffer: Buffer.from(text, 'utf8') });

async function tab(page: Page, name: 'Sign a request' | 'Identities' | 'Trusted logs' | 'History') {
  await page.getByRole('navigation', { name: 'Wallet' }).getByRole('button', { name }).click();
}

async function importIdentity(page: Page, text: string, passphrase: string, name: string) {
  await tab(page, 'Identities');
  await page.getByLabel('Import identity').setInputFiles(file('approver.key', text));
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Restore identity' }).click();
  await expect(page.locator('.cs-card', { hasText: name })).toBeVisible();
}

async function importProfile(page: Page, text: string, origin: string) {
  await tab(page, 'Trusted logs');
  await page.getByLabel('Import log profile').setInputFiles(file('log-profile.json', text));
  await expect(page.getByText(`Trusted: ${origin}`).or(page.getByText(`Updated: ${origin}`))).toBeVisible();
}

async function importRequest(page: Page, text: string) {
  await tab(page, 'Sign a request');
  const closeBtn = page.getByRole('button', { name: /^(Stop reviewing|Put this request away|Put this file away|Done)$/ });
  if (await closeBtn.count()) await closeBtn.click();
  const another = page.getByRole('button', { name: 'Review another request' });
  if (await another.count()) await another.click();
  await page.getByLabel('Import request').setInputFiles(file('request.json', text));
}

async function saved(d: Promise<Download>): Promise<string> {
  const dl = await d;
  return readFileSync((await dl.path())!, 'utf8');
}

/** Approve (or reject) the request under review; `passphrase` when the identity is locked. */
async function sign(page: Page, vote: 'Approve' | 'Reject', passphrase?: string, comment?: string) {
  if (comment) await page.getByLabel(/^Comment/).fill(comment);
  await page.getByRole('button', { name: vote, exact: true }).click();
  if (passphrase) await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Confirm and sign' }).click();
  await expect(page.getByRole('heading', { name: vote === 'Approve' ? 'Approval signed' : 'Rejection signed' })).toBeVisible();
}

function openApproval(text: string): { st: Approval; keyId: string; ok: (pub: string) => boolean } {
  const f = ApprovalFileSchema.parse(JSON.parse(text));
  const { opened, problems } = openEnvelope(f.envelope);
  expect(problems).toEqual([]);
  const st = opened!.statement as Approval;
  return { st, keyId: opened!.signatures[0]!.keyId, ok: (pub) => verifyStrict(opened!.signatures[0]!.signature, opened!.signedMessage, decodeBase64(pub)) };
}

test.describe.configure({ mode: 'serial' });

test('create an identity, back it up, check the backup, enroll, and sign a request the reference gate accepts', async ({ page }) => {
  const g = new GateWorld();
  await openWallet(page);
  await expect(page.getByRole('heading', { name: 'Your identities' })).toBeVisible();
  await expect(page.getByText(/Storage is (not )?persistent/)).toBeVisible();
  await shot(page, '01-identities-empty');

  // Create
  await page.getByRole('button', { name: 'Create identity' }).click();
  await page.getByLabel('Display name').fill('Erin Example');
  await page.getByLabel('Principal id').fill('Erin!');
  await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
  await page.getByLabel('Repeat passphrase').fill(PASS);
  await page.getByRole('button', { name: 'Create identity' }).click();
  await expect(page.getByRole('alert')).toContainText('principal id uses lower-case letters');
  await page.getByLabel('Principal id').fill('erin');
  await shot(page, '02-create');
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Create identity' }).click();
  await expect(page.getByRole('heading', { name: 'Back up Erin Example' })).toBeVisible();
  console.log(`[measure] create identity (scrypt n=2^14) ${Date.now() - t0} ms`);
  await shot(page, '03-backup');

  // The backup must be downloaded, then shown to restore.
  const backup = await saved(Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download backup file' }).click()]).then(([d]) => d));
  const kf = JSON.parse(backup);
  expect(kf).toMatchObject({ countersign: 'key/v1', principal: 'erin', name: 'Erin Example', kdf: { name: 'scrypt', n: 2 ** 14 } });
  const dec = await decryptKeyFile(backup, PASS);
  expect(dec.ok).toBe(true);
  await page.getByLabel('Backup file').setInputFiles(file('erin.key', backup));
  await page.getByLabel('Passphrase', { exact: true }).fill('wrong passphrase!!');
  await page.getByRole('button', { name: 'Check backup' }).click();
  await expect(page.getByRole('alert')).toContainText('Wrong passphrase');
  await page.getByLabel('Backup file').setInputFiles(file('erin.key', backup));
  await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
  await page.getByRole('button', { name: 'Check backup' }).click();
  await expect(page.getByText('The backup restores this key')).toBeVisible();
  await shot(page, '04-backup-checked');

  // Enrollment for governance: self-signed, verified here with the core.
  await page.getByRole('button', { name: 'Next: export enrollment' }).click();
  await page.getByLabel('Log origin').fill(g.gate.origin);
  await page.getByRole('button', { name: 'Create enrollment' }).click();
  await expect(page.getByRole('img', { name: /QR code of the enrollment file/ })).toBeVisible();
  await shot(page, '05-enrollment');
  const enrollText = await saved(
    Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download enrollment' }).click()]).then(([d]) => d),
  );
  const enr = EnrollmentFileSchema.parse(JSON.parse(enrollText));
  const opened = openEnvelope(enr.envelope).opened!;
  const est = opened.statement as Enrollment;
  expect(est).toMatchObject({ type: 'enrollment', principal: 'erin', name: 'Erin Example', pub: kf.pub, log: g.gate.origin });
  expect(verifyStrict(opened.signatures[0]!.signature, opened.signedMessage, decodeBase64(est.pub))).toBe(true);
  await page.getByRole('button', { name: 'Done' }).click();

  // Governance enrolls erin (roster update); the gate parks a request, bob approves first.
  const erin = publicActor('erin', 'Erin Example', ['security-lead'], est.pub, keyIdOf(decodeBase64(est.pub)));
  g.enroll(erin);
  const packet = g.request('req-100', [g.w.bob]);
  await importProfile(page, g.profileText(), g.gate.origin);
  await expect(page.getByText('erin: security-lead')).toBeVisible();
  await shot(page, '06-trust');

  // Review: everything that will be signed.
  await tab(page, 'Sign a request');
  await shot(page, '07-import');
  await importRequest(page, packet);
  await expect(page.getByRole('heading', { name: 'Review the request' })).toBeVisible();
  const review = page.locator('.cs-review');
  await expect(review).toContainText('iam.grant_access');
  await expect(review).toContainText('Risk: high');
  await expect(review).toContainText('Ops agent');
  await expect(review).toContainText('Nightly report job needs read access');
  await expect(review).toContainText('2 approvals needed from "security-lead"');
  await expect(review).toContainText('Approvals so far: 1 of 2');
  await expect(review).toContainText('Bob Okafor');
  await expect(review).toContainText('{"duration_h":8,"principal":"svc-reporting","project":"acme-prod","role":"roles/storage.objectViewer"}');
  await expect(page.locator('.cs-readaloud')).toHaveText(/^[0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}$/);
  await shot(page, '08-review');

  // Locked: the passphrase is asked; a wrong one signs nothing.
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(page.locator('.cs-current')).toContainText('Locked');
  await page.getByLabel(/^Comment/).fill('Checked with the reporting team');
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  await page.getByLabel('Passphrase', { exact: true }).fill('not my passphrase');
  await page.getByRole('button', { name: 'Confirm and sign' }).click();
  await expect(page.locator('.cs-confirm').getByRole('alert')).toContainText('Wrong passphrase');
  await shot(page, '09-confirm-wrong-passphrase');
  await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
  const t1 = Date.now();
  await page.getByRole('button', { name: 'Confirm and sign' }).click();
  await expect(page.getByRole('heading', { name: 'Approval signed' })).toBeVisible();
  console.log(`[measure] unlock (n=2^14) + sign ${Date.now() - t1} ms`);
  await expect(page.locator('.cs-current')).toContainText('Unlocked');
  const qr = page.getByRole('img', { name: /QR code of the approval file \(one code/ });
  await expect(qr).toBeVisible();
  await shot(page, '10-signed');
  const approvalText = await saved(
    Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download approval' }).click()]).then(([d]) => d),
  );

  // The static QR code on screen decodes to the same file.
  expect(decodePng(await qr.screenshot())).toBe(approvalText);

  // The approval verifies with the core and the reference gate accepts it: 2 of 2, executed.
  const a = openApproval(approvalText);
  expect(a.st).toMatchObject({
    type: 'approval',
    approver: 'erin',
    vote: 'approve',
    request_id: 'req-100',
    skill: 'iam.grant_access',
    log: g.gate.origin,
    comment: 'Checked with the reporting team',
  });
  expect(a.keyId).toBe(erin.keyId);
  expect(a.ok(est.pub)).toBe(true);
  const res = g.gate.acceptApproval(approvalText, new Date().toISOString());
  expect(res.outcome, res.message).toBe('executed');

  // History: chained, exported, and kept across a reload.
  await tab(page, 'History');
  await expect(page.getByText("This wallet's history: chain intact")).toBeVisible();
  await expect(page.locator('.cs-table')).toContainText('download');
  await shot(page, '11-history');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Signing wallet' })).toBeVisible();
  await tab(page, 'History');
  await expect(page.locator('.cs-table tbody tr')).toHaveCount(1);
  await expect(page.getByText("This wallet's history: chain intact")).toBeVisible();
  await tab(page, 'Identities');
  await expect(page.locator('.cs-card', { hasText: 'Erin Example' })).toContainText('Locked');
  await expect(page.locator('.cs-card', { hasText: 'Erin Example' })).toContainText('Checked');
  const hist = await saved(
    Promise.all([page.waitForEvent('download'), (await tab(page, 'History'), page.getByRole('button', { name: 'Export history' }).click())]).then(([d]) => d),
  );
  expect(hist.split('\n')[0]).toContain('wallet-history/v1');
  await page.getByLabel('Check a history file').setInputFiles({ name: 'h.jsonl', mimeType: 'text/plain', buffer: Buffer.from(hist) });
  await expect(page.getByText('h.jsonl: chain intact')).toBeVisible();
  const tampered = hist.replace('"vote":"approve"', '"vote":"reject"');
  await page.getByLabel('Check a history file').setInputFiles({ name: 't.jsonl', mimeType: 'text/plain', buffer: Buffer.from(tampered) });
  await expect(page.getByText('t.jsonl: chain broken')).toBeVisible();
});

test('the demo: carol restores her key, signs the waiting request, and the demo gate executes it', async ({ page }) => {
  const demo = await buildDemo({ seed: 'wallet-e2e', scryptN: 2 ** 14 });
  await openWallet(page);
  await importIdentity(page, demo['approver.key']!, demo['approver.passphrase']!.trim(), 'Carol Nguyen');
  await importProfile(page, demo['log-profile.json']!, DEMO_ORIGIN);
  // By paste this time.
  await tab(page, 'Sign a request');
  await page.getByText('Paste a request').click();
  await page.getByLabel('Request text').fill(demo['request.json']!);
  await page.getByRole('button', { name: 'Check pasted request' }).click();
  await expect(page.getByRole('heading', { name: 'Review the request' })).toBeVisible();
  await expect(page.locator('.cs-review')).toContainText('release.deploy');
  await expect(page.locator('.cs-review')).toContainText('Alice Moreau');
  await sign(page, 'Approve');
  const approvalText = await saved(
    Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download approval' }).click()]).then(([d]) => d),
  );
  const gateKey = await decryptKeyFile(demo['gate.key']!, demo['gate.passphrase']!.trim());
  if (!gateKey.ok) throw new Error(gateKey.message);
  const gate = ReferenceGate.resume(demo['bundle.jsonl']!, gateKey.secretKey);
  const r = gate.acceptApproval(approvalText, new Date().toISOString());
  expect(r.outcome, r.message).toBe('executed');
});

test('every refusal: stop screens for untrusted logs and forged signatures, policy refusals, already signed, hidden characters', async ({ page }) => {
  const w = new World();
  await openWallet(page);
  await importIdentity(page, await keyFileText(w.alice.secret!, 'alice', 'Alice Moreau', PASS), PASS, 'Alice Moreau');

  // No trusted log yet: stop. (This one arrives by drag and drop.)
  const first = w.packet({ id: 'req-a' });
  await tab(page, 'Sign a request');
  const drop = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'request.json', { type: 'application/json' }));
    return dt;
  }, first.text);
  await page.locator('.cs-drop').dispatchEvent('drop', { dataTransfer: drop });
  await expect(page.getByRole('heading', { name: 'Stop: do not sign this request' })).toBeVisible();
  await expect(page.locator('[data-code="untrusted_log"]')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  await importProfile(page, w.profileText(), w.origin);

  const stops: [string, string][] = [
    ['decision_signature', w.packet({ id: 'req-b', decisionSigner: w.bob }).text],
    ['untrusted_log', new World({ origin: 'other.example/log' }).packet({ id: 'req-c' }).text],
  ];
  {
    const p = w.packet({ id: 'req-d' });
    const forged = JSON.parse(p.text);
    const st = JSON.parse(Buffer.from(forged.request.payload, 'base64').toString());
    st.args = { ...st.args, role: 'roles/owner' }; // edited after signing: the signature no longer holds
    forged.request.payload = Buffer.from(JSON.stringify(st)).toString('base64');
    stops.push(['request_signature', JSON.stringify(forged)]);
    stops.push(['format', JSON.stringify({ ...p.packet, request: p.packet.decision, decision: p.packet.request })]);
    const { signStatement } = await import('../../src/core/statements/sign-statement.ts');
    forged.request = signStatement(st, [w.carol.secret!]);
    stops.push(['request_signature', JSON.stringify(forged)]);
    const weaker = { ...p.decision, gate: { ...p.decision.gate, approvals_required: 1 } };
    stops.push(['decision_mismatch', JSON.stringify({ ...p.packet, decision: signStatement(weaker, [w.gate.secret!]) })]);
  }
  for (const [code, text] of stops) {
    await importRequest(page, text);
    await expect(page.getByRole('heading', { name: 'Stop: do not sign this request' })).toBeVisible();
    await expect(page.locator(`[data-code="${code}"]`)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
    if (code === 'decision_signature') await shot(page, '12-stop');
  }

  // Policy refusals: explained, no Approve or Reject.
  const refusals: [string, string][] = [
    ['expired', w.packet({ id: 'req-e', decidedAt: w.now - 3 * 3600_000 }).text],
    ['requester', w.packet({ id: 'req-f', requester: w.alice }).text],
    ['not_eligible', w.packet({ id: 'req-g', skill: PAY }).text],
    ['vetoed', w.packet({ id: 'req-h', approvals: [{ by: w.bob, vote: 'reject', comment: 'not during the freeze' }] }).text],
  ];
  for (const [code, text] of refusals) {
    await importRequest(page, text);
    await expect(page.getByRole('heading', { name: 'You cannot sign this request' })).toBeVisible();
    await expect(page.locator(`[data-code="${code}"]`)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
    if (code === 'requester') await shot(page, '13-refuse');
  }

  // Collected approvals: the same key twice is flagged; a bad one does not count.
  const dup = w.packet({ id: 'req-i', approvals: [{ by: w.bob }, { by: w.paula, signWith: w.bob }] });
  await importRequest(page, dup.text);
  await expect(page.getByRole('heading', { name: 'Review the request' })).toBeVisible();
  await expect(page.getByText('same key as an earlier approval')).toBeVisible();
  await expect(page.locator('.cs-review')).toContainText('Approvals so far: 1 of 2');
  await shot(page, '16-duplicate-key');

  // Hidden characters: marked, explained, and never put raw into the page.
  const bidi = w.packet({
    id: 'req-j',
    reason: 'Grant read access to \u202Etxt.SNART\u202C bucket',
    args: { principal: 'svc-rep\u200Borting', project: 'аcme-prod', ['ro\u2066le']: 'viewer' },
  });
  await importRequest(page, bidi.text);
  await expect(page.getByText('Hidden or lookalike characters in this request')).toBeVisible();
  await expect(page.locator('.cs-review').getByText('⟦U+202E⟧').first()).toBeVisible();
  await expect(page.locator('.cs-review').getByText('⟦U+200B⟧').first()).toBeVisible();
  await expect(page.locator('.cs-review').getByText('⟦U+2066⟧').first()).toBeVisible();
  await expect(page.locator('.cs-review .cs-mark-confusable').first()).toBeVisible();
  await expect(page.locator('.cs-review')).toContainText('RIGHT-TO-LEFT OVERRIDE');
  await expect(page.locator('.cs-review')).toContainText('looks like the Latin "a"');
  const raw = await page.locator('.cs-review').evaluate((el) => /[\u202A-\u202E\u2066-\u2069\u200B]/.test(el.textContent ?? ''));
  expect(raw).toBe(false);
  await shot(page, '14-bidi');

  // Sign one, then the same request again: re-export, not a second signature.
  const once = w.packet({ id: 'req-k' });
  await importRequest(page, once.text);
  await sign(page, 'Reject', undefined, 'Use the existing service account');
  await importRequest(page, once.text);
  await expect(page.getByRole('heading', { name: 'You already signed this request' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  const again = await saved(Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download approval' }).click()]).then(([d]) => d));
  expect(openApproval(again).st).toMatchObject({ request_id: 'req-k', vote: 'reject', approver: 'alice', comment: 'Use the existing service account' });
  await shot(page, '15-already-signed');

  // Not enrolled: a second identity whose key is not in the roster.
  const stranger = makeActor('dana', 'Dana Newcomer', 'human', []);
  await importIdentity(page, await keyFileText(stranger.secret!, 'dana', 'Dana Newcomer', PASS), PASS, 'Dana Newcomer');
  await tab(page, 'Sign a request');
  await importRequest(page, w.packet({ id: 'req-l' }).text);
  await page.getByLabel('Sign as').selectOption({ label: `Dana Newcomer (dana) · ${stranger.keyId.slice(0, 4)} ${stranger.keyId.slice(4, 8)}` });
  await expect(page.locator('[data-code="not_enrolled"]')).toBeVisible();
  await page.getByLabel('Sign as').selectOption({ index: 0 });
  await expect(page.getByRole('heading', { name: 'Review the request' })).toBeVisible();
});

test('a signed approval not yet exported survives a reload; identities lock when idle', async ({ page }) => {
  const w = new World();
  await openWallet(page, { scryptN: 2 ** 14, idleMs: 4000 });
  await importIdentity(page, await keyFileText(w.paula.secret!, 'paula', 'Paula Finance', PASS), PASS, 'Paula Finance');
  await importProfile(page, w.profileText(), w.origin);
  await importRequest(page, w.packet({ id: 'pay-1', skill: PAY, args: { amount: '1250.00', currency: 'EUR', to: 'DE89 3704 0044 0532 0130 00' } }).text);
  await expect(page.getByRole('heading', { name: 'Review the request' })).toBeVisible();
  await expect(page.locator('.cs-review')).toContainText('Risk: critical');
  await page.setViewportSize({ width: 360, height: 780 });
  await shot(page, '18-review-360');
  await sign(page, 'Approve');
  await shot(page, '19-signed-360');
  await page.setViewportSize({ width: 1280, height: 860 });
  // Idle lock: the unlocked session ends by itself.
  await expect(page.locator('.cs-current')).toContainText('Unlocked');
  await expect(page.locator('.cs-current')).toContainText('Locked', { timeout: 10_000 });
  await page.reload();
  await expect(page.getByText('Signed, not yet sent back')).toBeVisible();
  await page.getByRole('button', { name: 'Export…' }).click();
  const text = await saved(Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download approval' }).click()]).then(([d]) => d));
  expect(openApproval(text).st).toMatchObject({ request_id: 'pay-1', approver: 'paula' });
  await expect(page.getByText('Signed, not yet sent back')).toHaveCount(0);
  await page.setViewportSize({ width: 360, height: 780 });
  await tab(page, 'Identities');
  await shot(page, '20-identities-360');
});

test('QR paths: a request from a picture of its code, and from the camera as one code and as animated ur:bytes', async ({ browser }, info) => {
  test.setTimeout(150_000);
  const w = new World();
  const small = w.packet({ id: 'q-1', reason: 'r', args: { p: 'x' } });
  const compact = JSON.stringify(small.packet);
  const big = w.packet({
    id: 'q-2',
    approvals: [{ by: w.bob }],
    args: { principal: 'svc-reporting', role: 'roles/storage.objectViewer', project: 'acme-prod', duration_h: 8, note: 'x'.repeat(600) },
  });
  const bigText = JSON.stringify(big.packet);
  const keyText = await keyFileText(w.alice.secret!, 'alice', 'Alice Moreau', PASS);
  console.log(`[measure] compact packet ${Buffer.byteLength(compact)} bytes (static QR); large packet ${Buffer.byteLength(bigText)} bytes (animated)`);

  // Picture of a code, in the ordinary browser.
  {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await openWallet(page);
    await importIdentity(page, keyText, PASS, 'Alice Moreau');
    await importProfile(page, w.profileText(), w.origin);
    await tab(page, 'Sign a request');
    await page.getByLabel('Request QR picture').setInputFiles({ name: 'qr.png', mimeType: 'image/png', buffer: await qrPng(compact) });
    await expect(page.getByRole('heading', { name: 'Review the request' })).toBeVisible();
    await expect(page.locator('.cs-review')).toContainText('q-1');
    await ctx.close();
  }

  // The fake camera: one static code, then an animated ur:bytes loop.
  const runCamera = async (y4m: string, expectId: string, animated: boolean) => {
    const b = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-video-capture=${y4m}`,
      ],
    });
    try {
      const ctx = await b.newContext({ baseURL: info.project.use.baseURL, viewport: { width: 1280, height: 860 } });
      await ctx.grantPermissions(['camera']);
      const page = await ctx.newPage();
      page.on('pageerror', (e) => console.log(`[camera page error] ${e.message}`));
      await openWallet(page);
      await importIdentity(page, keyText, PASS, 'Alice Moreau');
      await importProfile(page, w.profileText(), w.origin);
      await tab(page, 'Sign a request');
      const t0 = Date.now();
      await page.getByRole('button', { name: 'Scan request QR' }).click();
      const counter = page.getByTestId('frames-received');
      const diagnose = async () => {
        await shot(page, `camera-failed-${animated ? 'animated' : 'static'}`);
        console.log(
          `[camera] ${await page
            .locator('.cs-scanner')
            .innerText()
            .catch(() => 'no scanner')}`,
        );
        console.log(
          `[camera] loop ${JSON.stringify(
            await page
              .locator('.cs-video-wrap')
              .evaluate((e: HTMLElement) => ({ ...e.dataset }))
              .catch(() => null),
          )}`,
        );
        console.log(
          `[camera] video ${JSON.stringify(
            await page
              .locator('video')
              .evaluate((v: HTMLVideoElement) => ({ w: v.videoWidth, h: v.videoHeight, rs: v.readyState, t: v.currentTime, paused: v.paused }))
              .catch(() => null),
          )}`,
        );
      };
      if (animated) {
        await expect(counter)
          .not.toHaveText('0', { timeout: 30_000 })
          .catch(async (e) => {
            await diagnose();
            throw e;
          });
        await expect(page.getByText(/animated code, \d+ parts/)).toBeVisible({ timeout: 30_000 });
        await shot(page, '17-camera-animated');
      }
      try {
        await expect(page.getByRole('heading', { name: 'Review the request' })).toBeVisible({ timeout: 60_000 });
      } catch (e) {
        await diagnose();
        throw e;
      }
      console.log(`[measure] camera ${animated ? 'animated' : 'static'}: complete after ${Date.now() - t0} ms`);
      await expect(page.locator('.cs-review')).toContainText(expectId);
      await ctx.close();
    } finally {
      await b.close();
    }
  };

  const staticY4m = info.outputPath('static.y4m');
  writeY4m(staticY4m, [qrMatrixOf(Buffer.from(compact))], { width: 960, height: 960, fps: 10, repeat: 10 });
  await runCamera(staticY4m, 'q-1', false);

  const enc = await urEncoder(new TextEncoder().encode(bigText), 250);
  const parts = Array.from({ length: enc.fragments + 4 }, () => enc.nextPart());
  const animY4m = info.outputPath('animated.y4m');
  const v = writeY4m(
    animY4m,
    parts.map((p) => {
      const m = partQr(p);
      return { size: m.size, data: m.modules };
    }),
    { width: 640, height: 640, fps: 10, repeat: 3 },
  );
  console.log(
    `[measure] animated y4m: ${parts.length} UR parts (${enc.fragments} fragments of 250 bytes), ${v.frames} video frames, ${(v.bytes / 1e6).toFixed(1)} MB`,
  );
  await runCamera(animY4m, 'q-2', true);
});

test('works with the network off once loaded', async ({ page, context }) => {
  const w = new World();
  const bobKey = await keyFileText(w.bob.secret!, 'bob', 'Bob Okafor', PASS);
  await openWallet(page);
  // With the build's service worker: wait until it controls the page, then reload offline.
  const hasSw = await page.evaluate(async () => 'serviceWorker' in navigator && (await fetch('./sw.js', { method: 'HEAD' })).ok);
  if (hasSw)
    await page.waitForFunction(
      async () => {
        const reg = await navigator.serviceWorker.getRegistration();
        return !!reg?.active && navigator.serviceWorker.controller !== null;
      },
      undefined,
      { timeout: 30_000 },
    );
  await page.waitForTimeout(700); // the wallet preloads its QR libraries and starts the signer
  await context.setOffline(true);
  if (hasSw) {
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Signing wallet' })).toBeVisible();
    await page.waitForTimeout(700);
  }
  console.log(`[measure] offline: ${hasSw ? 'reloaded from the service worker cache' : 'no service worker in this build; the loaded page kept working'}`);
  await importIdentity(page, bobKey, PASS, 'Bob Okafor');
  await importProfile(page, w.profileText(), w.origin);
  await importRequest(page, w.packet({ id: 'off-1' }).text);
  await expect(page.getByRole('heading', { name: 'Review the request' })).toBeVisible();
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await sign(page, 'Approve', PASS);
  await expect(page.getByRole('img', { name: /QR code of the approval file/ })).toBeVisible();
  await page.getByRole('button', { name: 'Show as animated codes (easier for some cameras)' }).click();
  await expect(page.getByRole('img', { name: /Animated QR code of the approval file: frame/ })).toBeVisible();
  await shot(page, '21-offline-animated-qr');
  const text = await saved(Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download approval' }).click()]).then(([d]) => d));
  expect(openApproval(text).st).toMatchObject({ request_id: 'off-1', approver: 'bob' });
  if (hasSw) {
    await page.reload();
    await tab(page, 'History');
    await expect(page.locator('.cs-table tbody tr')).toHaveCount(1);
  }
  await context.setOffline(false);
});

test('measure: a key at the product strength (scrypt n = 2^17) restores and unlocks in the browser', async ({ page }) => {
  const w = new World();
  const t0 = Date.now();
  const strong = await keyFileText(w.alice.secret!, 'alice', 'Alice Moreau', PASS, 2 ** 17);
  console.log(`[measure] Node: write a 2^17 key file ${Date.now() - t0} ms`);
  expect(JSON.parse(strong).kdf.n).toBe(2 ** 17);
  await openWallet(page, {});
  const t1 = Date.now();
  await importIdentity(page, strong, PASS, 'Alice Moreau');
  console.log(`[measure] browser: restore a 2^17 backup (decrypt in the worker, store) ${Date.now() - t1} ms`);
  await page.getByRole('button', { name: 'Lock now' }).click();
  await page.getByRole('button', { name: 'Unlock…' }).click();
  await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  const msg = await page.getByRole('status').filter({ hasText: 'unlocked (the key was decrypted in' }).innerText();
  console.log(`[measure] browser: ${msg}`);
  await shot(page, '22-unlocked');
});

test('keyboard only, in dark mode: create an identity without a mouse', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openWallet(page);
  const focusName = () =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el ? `${el.tagName}:${el.getAttribute('aria-label') ?? el.textContent?.trim() ?? ''}` : '';
    });
  // Tab until the "Create identity" button has focus.
  for (let i = 0; i < 40 && (await focusName()) !== 'BUTTON:Create identity'; i++) await page.keyboard.press('Tab');
  expect(await focusName()).toBe('BUTTON:Create identity');
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Display name')).toBeFocused();
  await page.keyboard.type('Kim Keyboard');
  await page.keyboard.press('Tab');
  await page.keyboard.type('kim');
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASS);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASS);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Back up Kim Keyboard' })).toBeVisible();
  for (let i = 0; i < 40 && (await focusName()) !== 'BUTTON:Download backup file'; i++) await page.keyboard.press('Tab');
  const dl = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  expect(JSON.parse(await saved(dl))).toMatchObject({ countersign: 'key/v1', principal: 'kim' });
  await expect(page.getByLabel('Backup file')).toBeVisible();
  await shot(page, '23-dark-keyboard');
});

test('a tab picked while the wallet is still opening stays picked: the first-visit default does not override it', async ({ page }) => {
  // A slow device: the real IndexedDB, with the success event of every open held back 1.5 s.
  await page.addInitScript(() => {
    const add = EventTarget.prototype.addEventListener;
    IDBOpenDBRequest.prototype.addEventListener = function (
      this: IDBOpenDBRequest,
      type: string,
      fn: EventListenerOrEventListenerObject | null,
      o?: boolean | AddEventListenerOptions,
    ) {
      if (type !== 'success' || typeof fn !== 'function') return add.call(this, type, fn, o);
      return add.call(this, type, (e: Event) => setTimeout(() => fn.call(this, e), 1500), o);
    };
  });
  await page.goto('./#/wallet');
  await expect(page.getByText('Opening the wallet…')).toBeVisible();
  await tab(page, 'History');
  await expect(page.getByText('Opening the wallet…')).toHaveCount(0);
  // A new wallet has no identity: without the click, the first-visit default would show Identities.
  await expect(page.getByRole('navigation', { name: 'Wallet' }).getByRole('button', { name: 'History' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('navigation', { name: 'Wallet' }).getByRole('button', { name: 'Identities' })).not.toHaveAttribute('aria-current', 'page');
});
