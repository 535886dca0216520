// The CLI as users run it, for the suites that spawn it: bundled from src/cli/main.ts with the
// same esbuild options as scripts/build-cli.mjs (CommonJS dependencies such as proper-lockfile
// call require(), so the bundle gets one), plus a tiny runner that sets the exit code.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'error',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
} as const;

/**
 * Bundles the CLI into `dir`, with its pool worker scripts beside it when `workers` (as
 * scripts/build-cli.mjs does; without them the CLI reads on one thread). Answers the path of
 * the runner script to spawn with node.
 */
export async function bundleCli(dir: string, workers = false): Promise<string> {
  mkdirSync(dir, { recursive: true });
  await build({
    ...OPTIONS,
    entryPoints: {
      countersign: 'src/cli/main.ts',
      ...(workers ? { 'countersign-worker': 'src/cli/countersign-worker.ts', 'makerchecker-worker': 'src/cli/makerchecker-worker.ts' } : {}),
    },
    outdir: dir,
    outExtension: { '.js': '.mjs' },
  });
  const run = join(dir, 'run.mjs');
  writeFileSync(run, "import { main } from './countersign.mjs';\nprocess.exitCode = await main(process.argv.slice(2));\n");
  return run;
}

/** Bundles one pool worker script (src/cli/*-worker.ts) into `dir`; answers its URL for a pool. */
export async function bundleWorker(entry: string, dir: string): Promise<URL> {
  const outfile = join(dir, 'w.mjs');
  await build({ ...OPTIONS, entryPoints: [entry], outfile });
  return pathToFileURL(outfile);
}
