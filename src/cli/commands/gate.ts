import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decryptKeyFile } from '../../core/crypto/key-file.ts';
import { ReferenceGate, LogRefusedError } from '../../core/gate/reference-gate.ts';
import { demoRunner } from '../../core/gate/demo.ts';
import { formatInstant } from '../../core/statements/time.ts';
import { readPassphrase, UsageError } from '../io.ts';

export const GATE_HELP = `Usage: countersign gate accept DIR APPROVAL.json [--passphrase-file FILE]

Hands an approval/v1 file to the reference gate whose log is DIR/bundle.jsonl (as written
by countersign demo). The gate checks it against the policy and roster in force, appends it
as an approval or, if it cannot count (requester, not eligible, late, duplicate, unknown
key), as a refusal; executes the request once its quorum holds; closes it on a vetoing
reject; and writes a new checkpoint. It never writes a log the verifier would fail.

The gate's key is DIR/gate.key; its passphrase comes from --passphrase-file,
COUNTERSIGN_PASSPHRASE, or DIR/gate.passphrase (the demo's).
Exit status: 0 recorded or executed, 1 refused (a refusal was appended), 2 not accepted.`;

export async function runGate(argv: string[]): Promise<number> {
  // docs/format.md §7.3: the witness exchange (gate-witness.ts).
  if (argv[0] === 'consistency' || argv[0] === 'cosign') return (await import('./gate-witness.ts')).runGateWitness(argv);
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'passphrase-file': { type: 'string' }, at: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || positionals.length === 0) {
    console.log(GATE_HELP);
    return values.help ? 0 : 2;
  }
  const [verb, dir, approvalPath] = positionals;
  if (verb !== 'accept' || !dir || !approvalPath || positionals.length !== 3) throw new UsageError('usage: countersign gate accept DIR APPROVAL.json');
  const bundlePath = join(dir, 'bundle.jsonl');
  for (const f of [bundlePath, join(dir, 'gate.key'), approvalPath]) if (!existsSync(f)) throw new UsageError(`no such file: ${f}`);
  const passFile = values['passphrase-file'] ?? (process.env.COUNTERSIGN_PASSPHRASE ? undefined : join(dir, 'gate.passphrase'));
  const key = await decryptKeyFile(readFileSync(join(dir, 'gate.key'), 'utf8'), readPassphrase(passFile));
  if (!key.ok) throw new UsageError(`${join(dir, 'gate.key')}: ${key.message}`);

  let gate: ReferenceGate;
  let result: ReturnType<ReferenceGate['acceptApproval']>;
  let before: number;
  try {
    try {
      gate = ReferenceGate.resume(readFileSync(bundlePath, 'utf8'), key.secretKey, { run: demoRunner });
    } catch (e) {
      console.error(`countersign gate: cannot resume ${bundlePath}: ${(e as Error).message}`);
      return 2;
    }
    const at = values.at ?? formatInstant({ sec: Math.floor(Date.now() / 1000), nanos: 0 });
    before = gate.size;
    try {
      result = gate.acceptApproval(readFileSync(approvalPath, 'utf8'), at);
    } catch (e) {
      // The gate's guard: it would rather refuse than write a log the verifier fails.
      if (!(e instanceof LogRefusedError)) throw e;
      console.error(`countersign gate: not accepted, nothing written: ${e.message}`);
      return 2;
    }
  } finally {
    key.secretKey.fill(0); // the gate holds this array: wipe only when it is done signing
  }
  if (result.outcome === 'rejected-input') {
    console.error(`countersign gate: not accepted, nothing appended: ${result.message}`);
    return 2;
  }
  // Write-then-rename: a crash mid-write must never leave a torn log.
  const tmp = `${bundlePath}.tmp-${process.pid}`;
  writeFileSync(tmp, gate.bundleText());
  renameSync(tmp, bundlePath);
  const verb2: Record<string, string> = {
    recorded: 'recorded the approval',
    executed: 'recorded the approval; the quorum holds, so the request was executed',
    closed: 'recorded the vote; the request is closed',
    refused: `refused the approval (${result.code}) and recorded the refusal`,
  };
  console.log(`gate: ${verb2[result.outcome] ?? result.outcome}: ${result.message}`);
  const n = gate.size - before;
  console.log(`gate: appended ${n} ${n === 1 ? 'entry' : 'entries'} to ${bundlePath} and a new checkpoint (size ${gate.size})`);
  const trust = existsSync(join(dir, 'trust.txt')) ? readFileSync(join(dir, 'trust.txt'), 'utf8').trim() : 'genesis:<hex>';
  console.log(`verify: npx countersign verify ${bundlePath} --trust ${trust}`);
  return result.outcome === 'refused' ? 1 : 0;
}
