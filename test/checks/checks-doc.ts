// docs/checks.md from the checks registry (src/core/statements/checks.ts): per code, its
// severity and sentence, the docs/format.md section, the verifier steps, where in src/core it
// is checked (file and function, found by reading the source with the TypeScript parser) and
// the vectors that break it (the own Countersign vectors, and the MakerChecker breakers of
// test/unit/makerchecker.test.ts). `npm run checks` writes it; the checks test fails if stale.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import {
  CHECKS,
  FINDING_CODE_LIST,
  GATE_REASON_WORDS,
  LENS_CODE_LIST,
  PENDING_CHECKS,
  WALLET_REASON_WORDS,
  isCheckCode,
  type CheckCode,
} from '../../src/core/statements/checks.ts';

export const ROOT = join(import.meta.dirname, '..', '..');
export const CHECKS_DOC = join(ROOT, 'docs', 'checks.md');
/** The registry and the sink name every code; they are not where a code is checked. */
const NOT_SITES = new Set(['src/core/statements/checks.ts', 'src/core/statements/findings.ts']);

export interface Site {
  file: string;
  fn: string;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The names of the declarations around a node, outermost first: `GovernanceReplay.applyApproval`. */
function enclosingName(node: ts.Node): string {
  const names: string[] = [];
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    let name: string | null = null;
    if ((ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n) || ts.isMethodDeclaration(n)) && n.name) name = n.name.getText();
    else if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name)) name = n.name.text;
    else if (ts.isPropertyAssignment(n) && ts.isFunctionLike(n.initializer)) name = n.name.getText().replace(/['"]/g, '');
    if (name) names.unshift(name);
  }
  return names.join('.') || '(module)';
}

/** Every place in src/core that names a code as a value (not a type, not a list entry). */
export function raisingSites(): Map<CheckCode, Site[]> {
  const out = new Map<CheckCode, Site[]>();
  for (const path of filesUnder(join(ROOT, 'src', 'core'))) {
    const file = relative(ROOT, path).split('\\').join('/');
    if (NOT_SITES.has(file)) continue;
    const src = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (n: ts.Node): void => {
      if ((ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) && isCheckCode(n.text)) {
        const inType = !!ts.findAncestor(n, (a) => ts.isTypeNode(a));
        const inList = ts.isArrayLiteralExpression(n.parent);
        if (!inType && !inList) {
          const list = out.get(n.text) ?? [];
          const site = { file, fn: enclosingName(n) };
          if (!list.some((s) => s.file === site.file && s.fn === site.fn)) list.push(site);
          out.set(n.text, list);
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(src);
  }
  return out;
}

/** The files and tests that break each code. */
export function vectorsFor(): Map<CheckCode, string[]> {
  const out = new Map<CheckCode, string[]>();
  const add = (code: string, v: string) => {
    if (!isCheckCode(code)) return;
    const list = out.get(code) ?? [];
    if (!list.includes(v)) list.push(v);
    out.set(code, list);
  };
  const index = JSON.parse(readFileSync(join(ROOT, 'test/vectors/countersign/index.json'), 'utf8')) as {
    cases: { file: string; codes: string[]; trust: string | null; expect: string }[];
  };
  for (const c of index.cases) {
    for (const code of c.codes) add(code, `test/vectors/countersign/${c.file}`);
    // a valid log checked without an anchor is the TRUST.unpinned case
    if (c.trust === null && c.expect === 'warn') add('TRUST.unpinned', `test/vectors/countersign/${c.file} (no anchor)`);
  }
  // Disclosure packets and tlog-proofs (docs/format.md §7.3-§7.4): their own vector folder.
  const packets = JSON.parse(readFileSync(join(ROOT, 'test/vectors/disclosure/index.json'), 'utf8')) as { cases: { file: string; codes: string[] }[] };
  for (const c of packets.cases) for (const code of c.codes) add(code, `test/vectors/disclosure/${c.file}`);
  // MakerChecker: the breakers of the unit suite, one test per code, named after it.
  const mc = 'test/unit/makerchecker.test.ts';
  for (const m of readFileSync(join(ROOT, mc), 'utf8').matchAll(/\bit\('((?:AAPR|LENS|TRUST|FORMAT)\.[a-z_]+)[^']*'/g)) add(m[1]!, `${mc} › ${m[1]}`);
  return out;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

export function renderChecksDoc(): string {
  const sites = raisingSites();
  const vectors = vectorsFor();
  const out: string[] = [
    '# Checks',
    '',
    '<!-- Generated from src/core/statements/checks.ts by `npm run checks` (test/checks/checks-doc.ts). Do not edit: the checks test fails when this file is stale. -->',
    '',
    'Every code a verifier can raise, with what it means in plain words, where docs/format.md defines it,',
    'the verifier steps that raise it, where in `src/core` it is checked, and the vector that breaks it.',
    '`error` fails the verdict; `warning` makes it at best `warn`; `observation` (the MakerChecker',
    'governance lens) never changes it. Codes marked *pending* are registered for FORMAT.md §7 before',
    'any step raises them (`PENDING_CHECKS`).',
    '',
    '| code | severity | what it means |',
    '| --- | --- | --- |',
  ];
  const codes: CheckCode[] = [...FINDING_CODE_LIST, ...LENS_CODE_LIST];
  for (const c of codes) out.push(`| [\`${c}\`](#${c.toLowerCase().replace(/[^a-z0-9_-]/g, '')}) | ${CHECKS[c].severity} | ${cell(CHECKS[c].title)} |`);
  for (const c of codes) {
    const info = CHECKS[c];
    const pending = PENDING_CHECKS.includes(c as never);
    out.push('', `## ${c}`, '', `**${info.severity}**${pending ? ' · *pending*' : ''} — ${info.title}`, '');
    out.push(`- Defined in: ${info.section}`);
    out.push(`- Verifier steps: ${info.steps.map((s) => `\`${s}\``).join(', ')}`);
    const s = sites.get(c) ?? [];
    out.push(`- Checked in: ${s.length ? s.map((x) => `\`${x.file}\` (\`${x.fn}\`)`).join('; ') : pending ? '(pending)' : '(none)'}`);
    const v = vectors.get(c) ?? [];
    out.push(`- Broken by: ${v.length ? v.map((x) => `\`${x}\``).join('; ') : pending ? '(pending)' : '(none)'}`);
  }
  out.push(
    '',
    '## Reasons the gate gives',
    '',
    'Refusal codes the reference gate writes, and the reasons for its decisions.',
    '',
    '| reason | in plain words |',
    '| --- | --- |',
  );
  for (const [k, v] of Object.entries(GATE_REASON_WORDS)) out.push(`| \`${k}\` | ${cell(v)} |`);
  out.push('', '## Reasons the wallet gives', '', 'Why a wallet will not let its holder sign a request.', '', '| reason | in plain words |', '| --- | --- |');
  for (const [k, v] of Object.entries(WALLET_REASON_WORDS)) out.push(`| \`${k}\` | ${cell(v)} |`);
  return out.join('\n') + '\n';
}
