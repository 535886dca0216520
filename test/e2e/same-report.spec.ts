// The same bundle with the same anchors gives the same report in the CLI and in the page, for
// both formats and every anchor kind (issue 9). Which anchors apply to which format is core's
// rule (src/core/verifier/anchors.ts); the page used to filter anchors in its worker and so
// said `warn` where the CLI said `fail`. Each case: verify in the built page with a typed
// anchor, export the JSON report, run `countersign verify --json` with the same anchors, and
// compare everything but the timings (and the PEM anchor's label, a file name in the CLI).
import { expect, test } from '@playwright/test';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pemFromPublicKey } from '../../src/core/verifier/pem.ts';
import { getPublicKey } from '../../src/core/crypto/ed25519.ts';
import { generateMakerCheckerEvents, writeMakerCheckerBundle } from '../../src/core/gate/makerchecker-writer.ts';
import { cliReport, pageReport } from './helpers/verify.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OWN = (f: string) => join(ROOT, 'test/vectors/countersign', f);
const TMP = mkdtempSync(join(tmpdir(), 'countersign-same-report-'));

/** An anchor as both sides take it: the CLI's --trust values and the text typed into the page. */
interface Anchors {
  name: string;
  cli: string[];
  typed: string;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function pemFile(pem: string, name: string): string {
  const p = join(TMP, name);
  writeFileSync(p, pem);
  return p;
}

/** Drops what may differ between runs (timings) or names a file rather than a key (a PEM's label). */
function comparable(report: unknown): unknown {
  const { timings: _t, ...rest } = report as { timings: unknown };
  return JSON.parse(JSON.stringify(rest).replace(/pem:[^",]*/g, 'pem:(label)'));
}

// --- a Countersign log: its governance keys as key ids and as PEM -------------------------------------
const CS_FILE = OWN('valid-demo-waiting.jsonl');
const CS_FAIL = OWN('policy-self-approval.jsonl');
const csIndex = JSON.parse(readFileSync(OWN('index.json'), 'utf8')).cases as { file: string; trust: string }[];
const csGenesis = csIndex.find((c) => c.file === 'valid-demo-waiting.jsonl')!.trust;
const genesisStatement = (() => {
  const entry = JSON.parse(readFileSync(CS_FILE, 'utf8').split('\n')[1]!).entry;
  return JSON.parse(Buffer.from(entry.envelope.payload, 'base64').toString('utf8'));
})();
const govKeys: Uint8Array[] = genesisStatement.roster.principals
  .filter((p: { roles: string[] }) => p.roles.includes(genesisStatement.governance.role))
  .flatMap((p: { keys: { pub: string }[] }) => p.keys.map((k) => new Uint8Array(Buffer.from(k.pub, 'base64'))));
const govIds = govKeys.map(sha256);
const govPems = govKeys.map((k) => pemFromPublicKey(k));
const otherPem = pemFromPublicKey(getPublicKey(new Uint8Array(32).fill(9)));

const csAnchors: Anchors[] = [
  { name: 'no anchor', cli: [], typed: '' },
  { name: 'genesis (right)', cli: [csGenesis], typed: csGenesis },
  { name: 'genesis (wrong)', cli: ['genesis:' + 'ab'.repeat(32)], typed: 'genesis:' + 'ab'.repeat(32) },
  { name: 'governance key ids (whole set)', cli: govIds.map((k) => 'key:' + k), typed: govIds.map((k) => 'key:' + k).join(' ') },
  { name: 'one governance key id', cli: ['key:' + govIds[0]], typed: 'key:' + govIds[0] },
  { name: 'governance keys as PEM', cli: govPems.map((p, i) => 'pem:' + pemFile(p, `gov-${i}.pem`)), typed: govPems.join('\n') },
  { name: 'a PEM of another key', cli: ['pem:' + pemFile(otherPem, 'other.pem')], typed: otherPem },
];

// --- a MakerChecker export, made here with the core writer ------------------------------------------------
const MC_KEY = new Uint8Array(32).fill(5);
const MC_FILE = join(TMP, 'makerchecker-full.json');
writeFileSync(
  MC_FILE,
  writeMakerCheckerBundle({
    secretKey: MC_KEY,
    instanceId: 'inst-same-report',
    exportedAt: '2026-05-01T12:00:00.000Z',
    bundleKind: 'full',
    events: generateMakerCheckerEvents({ runs: 3, seed: 'same-report', payloadBytes: 64, instanceId: 'inst-same-report' }),
  }),
);
const mcPub = getPublicKey(MC_KEY);
const mcPem = pemFromPublicKey(mcPub);
const mcSpki = sha256(new Uint8Array([...Buffer.from('302a300506032b6570032100', 'hex'), ...mcPub]));

const mcAnchors: Anchors[] = [
  { name: 'no anchor', cli: [], typed: '' },
  { name: 'genesis alone (does not apply: mismatch)', cli: [csGenesis], typed: csGenesis },
  { name: 'key id', cli: ['key:' + sha256(mcPub)], typed: 'key:' + sha256(mcPub) },
  { name: 'SPKI SHA-256', cli: ['key:' + mcSpki], typed: 'key:' + mcSpki },
  { name: 'PEM (right)', cli: ['pem:' + pemFile(mcPem, 'mc.pem')], typed: mcPem },
  { name: 'PEM (wrong)', cli: ['pem:' + pemFile(otherPem, 'other2.pem')], typed: otherPem },
  // The page's anchor field reads PEM blocks first, so the CLI gets them in that order too.
  { name: 'genesis and the right PEM', cli: ['pem:' + pemFile(mcPem, 'mc2.pem'), csGenesis], typed: csGenesis + '\n' + mcPem },
];

const runs: { file: string; anchors: Anchors }[] = [
  ...csAnchors.map((anchors) => ({ file: CS_FILE, anchors })),
  ...csAnchors.slice(0, 3).map((anchors) => ({ file: CS_FAIL, anchors })),
  ...mcAnchors.map((anchors) => ({ file: MC_FILE, anchors })),
];

test('the CLI and the page give the same report for both formats and every anchor kind', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('./#/verify');
  await expect(page.getByLabel('Open audit bundle')).toBeAttached();
  const verdicts: string[] = [];
  for (const r of runs) {
    const what = `${r.file.split('/').pop()} with ${r.anchors.name}`;
    const fromCli = comparable(cliReport(r.file, r.anchors.cli));
    const fromPage = comparable(await pageReport(page, r.file, r.anchors.typed));
    expect(fromPage, what).toEqual(fromCli);
    verdicts.push(`${what}: ${(fromCli as { verdict: string }).verdict}`);
  }
  // The cases mean what they say (not two identical wrong answers).
  expect(verdicts).toEqual([
    'valid-demo-waiting.jsonl with no anchor: warn',
    'valid-demo-waiting.jsonl with genesis (right): warn',
    'valid-demo-waiting.jsonl with genesis (wrong): fail',
    'valid-demo-waiting.jsonl with governance key ids (whole set): warn',
    'valid-demo-waiting.jsonl with one governance key id: ' + (govIds.length > 1 && genesisStatement.governance.approvals_required > 1 ? 'fail' : 'warn'),
    'valid-demo-waiting.jsonl with governance keys as PEM: warn',
    'valid-demo-waiting.jsonl with a PEM of another key: fail',
    'policy-self-approval.jsonl with no anchor: fail',
    'policy-self-approval.jsonl with genesis (right): fail',
    'policy-self-approval.jsonl with genesis (wrong): fail',
    'makerchecker-full.json with no anchor: warn',
    'makerchecker-full.json with genesis alone (does not apply: mismatch): fail',
    'makerchecker-full.json with key id: pass',
    'makerchecker-full.json with SPKI SHA-256: pass',
    'makerchecker-full.json with PEM (right): pass',
    'makerchecker-full.json with PEM (wrong): fail',
    'makerchecker-full.json with genesis and the right PEM: pass',
  ]);
});
