#!/usr/bin/env node
// Builds and runs test/bench/disclose.ts (BENCH_ENTRIES, default 100,000).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';

await build({
  entryPoints: ['test/bench/disclose.ts'],
  outfile: 'dist/bench/disclose.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});
execFileSync(process.execPath, ['--max-old-space-size=4096', 'dist/bench/disclose.mjs'], { stdio: 'inherit' });
