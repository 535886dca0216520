#!/usr/bin/env node
// `npx countersign …`: runs the bundled CLI, building it first on a fresh clone.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli', 'countersign.mjs');
if (!existsSync(cli)) execFileSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { cwd: root, stdio: 'inherit' });
const { main } = await import(pathToFileURL(cli).href);
process.exitCode = await main(process.argv.slice(2));
