#!/usr/bin/env node
// Refuses a deployable build that holds a secret: a private key (a key/v1 backup, a PEM
// private key) or a passphrase file. The demo's keys are written outside dist/app (see
// `npm start`); this guard keeps it that way. Run by the build (vite.config.ts) and by
// test/e2e/build.spec.ts. Usage: node scripts/check-build.mjs [dir]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const NAME = /\.(key|passphrase|pem)$|(^|[/\\])demo([/\\]|$)/i;
const CONTENT = [/"countersign"\s*:\s*"key\/v1"/, /-----BEGIN (?:ENCRYPTED |EC |OPENSSH )?PRIVATE KEY-----/];

/** Every file under `dir` that looks like a secret, with why. */
export function findSecrets(dir) {
  const found = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const rel = relative(dir, p).split('\\').join('/');
      if (statSync(p).isDirectory()) {
        if (NAME.test(rel)) found.push({ file: rel, why: 'a demo directory (demo keys belong outside the build)' });
        walk(p);
        continue;
      }
      if (NAME.test(rel)) found.push({ file: rel, why: 'a key, passphrase or demo file name' });
      else if (statSync(p).size < 4_000_000) {
        const text = readFileSync(p, 'latin1');
        const hit = CONTENT.find((re) => re.test(text));
        if (hit) found.push({ file: rel, why: `content matches ${hit}` });
      }
    }
  };
  walk(dir);
  return found;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2] ?? 'dist/app';
  const found = findSecrets(dir);
  for (const f of found) console.error(`${dir}/${f.file}: ${f.why}`);
  if (found.length) process.exit(1);
  console.log(`${dir}: no private key or passphrase file`);
}
