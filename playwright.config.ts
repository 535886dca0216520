import { defineConfig } from '@playwright/test';

// Drives Debian's Chromium (/usr/bin/chromium); Playwright never downloads a browser here.
const PORT = Number(process.env.E2E_PORT ?? 4319);

export default defineConfig({
  testDir: 'test/e2e',
  // One tsconfig for every file the tests import: src/app/tsconfig.json maps `qrcode` and
  // `@ngraveio/bc-ur` to type-only declarations (to keep Node's types out of the page),
  // a mapping for the compiler, not for loading the real modules.
  tsconfig: './test/tsconfig.json',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    viewport: { width: 1280, height: 860 },
    trace: 'off',
  },
  // The demo is written outside the build (dist/demo) and only this local server serves it.
  webServer: {
    command: `node bin/countersign.js demo dist/demo --seed demo --force > /dev/null && node scripts/serve.mjs ${PORT} --demo dist/demo`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
