// What `npm run build` puts in dist/app is what gets deployed: it must hold no private key,
// no passphrase and no demo (the demo is written to dist/demo and served only by `npm start`).
import { expect, test } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSecrets } from '../../scripts/check-build.mjs';

test('the deployable build holds no private key, passphrase or demo file', async ({ request }) => {
  expect(findSecrets('dist/app')).toEqual([]);
  // The demo the e2e server offers comes from outside the build, and never the gate's own key.
  expect((await request.get('./demo/trust.txt')).ok()).toBe(true);
  expect((await request.get('./demo/gate.key')).status()).toBe(404);
  expect((await request.get('./demo/gate.passphrase')).status()).toBe(404);
});

test('the secrets guard finds what it is for (a key backup, a PEM key, a passphrase, a demo folder)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-build-'));
  try {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'assets', 'app.js'), 'const kind = "key/v1"; // a string in code is fine');
    expect(findSecrets(dir)).toEqual([]);
    writeFileSync(join(dir, 'assets', 'backup.json'), readFileSync('dist/demo/approver.key'));
    writeFileSync(join(dir, 'id.txt'), '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI\n-----END PRIVATE KEY-----\n');
    writeFileSync(join(dir, 'x.passphrase'), 'hunter2');
    mkdirSync(join(dir, 'demo'));
    expect(
      findSecrets(dir)
        .map((f) => f.file)
        .sort(),
    ).toEqual(['assets/backup.json', 'demo', 'id.txt', 'x.passphrase']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
