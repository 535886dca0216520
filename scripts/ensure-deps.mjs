#!/usr/bin/env node
// Installs what the project needs on a fresh machine, and nothing when it is all there:
//   - npm packages (npm ci) when node_modules is missing or older than package-lock.json;
//   - with --browser, Debian's chromium (/usr/bin/chromium) for the Playwright tests.
// Never downloads a browser of its own: Playwright drives the system Chromium.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const run = (cmd) => {
  console.log(`$ ${cmd}`);
  execSync(cmd, { stdio: 'inherit' });
};

const marker = 'node_modules/.package-lock.json';
const stale = !existsSync(marker) || statSync('package-lock.json').mtimeMs > statSync(marker).mtimeMs + 1000;
if (stale) run('npm ci --no-audit --no-fund');

if (process.argv.includes('--browser') && !existsSync('/usr/bin/chromium')) {
  const sudo = process.getuid && process.getuid() !== 0 ? 'sudo ' : '';
  run(`${sudo}apt-get update -qq`);
  run(`${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core`);
}
