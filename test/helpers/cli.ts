// The CLI as users run it, for the suites that spawn it: bundled from src/cli/main.ts with the
// same esbuild options as scripts/build-cli.mjs (CommonJS dependencies such as proper-lockfile
// call require(), so the bundle gets one), plus a tiny runner that sets the exit code.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

/** Bundles the CLI into `dir`; answers the path of the runner script to spawn with node. */
export async function bundleCli(dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  await build({
    entryPoints: ['src/cli/main.ts'],
    outfile: join(dir, 'countersign.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  const run = join(dir, 'run.mjs');
  writeFileSync(run, "import { main } from './countersign.mjs';\nprocess.exitCode = await main(process.argv.slice(2));\n");
  return run;
}
