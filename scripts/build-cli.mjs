#!/usr/bin/env node
// Bundles the Node CLI (src/cli) into dist/cli/countersign.mjs, and the workers its
// pools start beside it (dist/cli/makerchecker-worker.mjs, dist/cli/countersign-worker.mjs).
import { build } from 'esbuild';

await build({
  entryPoints: {
    countersign: 'src/cli/main.ts',
    'makerchecker-worker': 'src/cli/makerchecker-worker.ts',
    'countersign-worker': 'src/cli/countersign-worker.ts',
  },
  outdir: 'dist/cli',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: false,
  logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
