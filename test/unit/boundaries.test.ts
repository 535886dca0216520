// The fences around each runtime hold: npm test (typecheck, boundaries, lint) fails when a
// file steps over one. Each case writes one offending file into the real tree, runs the
// same checker npm test runs, expects it to fail naming that file, and removes the file.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const ESLINT = join(ROOT, 'node_modules/eslint/bin/eslint.js');

const probes: string[] = [];
/** Writes an offending file (repo-relative path) that afterEach removes. */
function probe(relPath: string, text: string): string {
  const name = relPath.replace('PROBE', `zz-boundary-probe-${process.pid}`);
  writeFileSync(join(ROOT, name), `// A temporary file written by test/unit/boundaries.test.ts.\n${text}\n`);
  probes.push(name);
  return name;
}
afterEach(() => {
  for (const p of probes.splice(0)) rmSync(join(ROOT, p), { force: true });
});

function run(script: string, args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [script, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}
const typecheck = (project: string) => run(TSC, ['-b', project, '--pretty', 'false']);
const boundaries = () => run(DEPCRUISE, ['src', 'workers', '--config', '.dependency-cruiser.cjs', '--output-type', 'err']);

describe('runtimes the compiler enforces (npm run typecheck)', () => {
  it('fails on the DOM in a worker', () => {
    const file = probe('workers/PROBE.ts', 'export const title: string = document.title;');
    const r = typecheck('workers');
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(new RegExp(`${file.replace(/[.]/g, '\\.')}\\(\\d+,\\d+\\): error TS2584: Cannot find name 'document'`));
  }, 240_000);

  it('fails on Node in the app', () => {
    const file = probe('src/app/PROBE.ts', "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;");
    const r = typecheck('src/app');
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(new RegExp(`${file.replace(/[.]/g, '\\.')}\\(\\d+,\\d+\\): error TS2307: Cannot find module 'node:fs'`));
  }, 240_000);

  it('fails on the DOM in core', () => {
    const file = probe('src/core/encoding/PROBE.ts', 'export const w = window.location.href;');
    const r = typecheck('src/core');
    expect(r.status).not.toBe(0);
    expect(r.out).toContain(`${file}(`);
    expect(r.out).toContain("Cannot find name 'window'");
  }, 240_000);
});

describe('import boundaries (npm run boundaries)', () => {
  it('fails on a worker importing the page', () => {
    const file = probe('workers/PROBE.ts', "import { int } from '../src/app/lib/format.ts';\nexport const f = int;");
    const r = boundaries();
    expect(r.status).not.toBe(0);
    expect(r.out).toContain(`workers-not-app: ${file} → src/app/lib/format.ts`);
  }, 240_000);

  it('fails on a core layer importing one above it', () => {
    const file = probe('src/core/encoding/PROBE.ts', "import { sha256 } from '../crypto/hash.ts';\nexport const h = sha256;");
    const r = boundaries();
    expect(r.status).not.toBe(0);
    expect(r.out).toContain(`core-layer-encoding: ${file} → src/core/crypto/hash.ts`);
  }, 240_000);

  it('fails on the app importing the CLI', () => {
    const file = probe('src/app/PROBE.ts', "import { main } from '../cli/main.ts';\nexport const m = main;");
    const r = boundaries();
    expect(r.status).not.toBe(0);
    expect(r.out).toContain(`app-not-cli: ${file} → src/cli/main.ts`);
  }, 240_000);
});

describe('habits (npm run lint)', () => {
  it('fails on a lint error, and on an eslint-disable comment that disables nothing', () => {
    const file = probe('src/shared/PROBE.ts', '// eslint-disable-next-line no-console\nexport function f(): number {\n  const unused = 1;\n  return 2;\n}');
    const r = run(ESLINT, ['--max-warnings', '0', file]);
    expect(r.status).not.toBe(0);
    expect(r.out).toContain("'unused' is assigned a value but never used");
    expect(r.out).toContain("Unused eslint-disable directive (no problems were reported from 'no-console')");
  }, 240_000);
});
