import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import lockfile from 'proper-lockfile';
import { decryptKeyFile } from '../../core/crypto/key-file.ts';
import { ReferenceGate, LogRefusedError } from '../../core/gate/reference-gate.ts';
import { demoRunner } from '../../core/gate/demo.ts';
import { formatInstant, parseTime } from '../../core/statements/time.ts';
import { CAPS, readCappedText, readPassphrase, UsageError } from '../io.ts';
import { escapeTerminal } from '../terminal.ts';
import { writeFileAtomic } from '../write-file.ts';
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
  if (values.at !== undefined && !parseTime(values.at)) throw new UsageError('--at takes an RFC 3339 UTC time such as 2026-03-18T10:04:05Z');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`no such gate directory: ${dir}`);
  const bundlePath = join(dir, 'bundle.jsonl');
  if (!existsSync(bundlePath)) throw new UsageError(`no such file: ${bundlePath}`);
  const approvalText = readCappedText(approvalPath, 'approval file', CAPS.approval);
  const passFile = values['passphrase-file'] ?? (process.env.COUNTERSIGN_PASSPHRASE ? undefined : join(dir, 'gate.passphrase'));
  const keyPath = join(dir, 'gate.key');
  const key = await decryptKeyFile(readCappedText(keyPath, 'key file', CAPS.key), readPassphrase(passFile));
  if (!key.ok) throw new UsageError(`${keyPath}: ${escapeTerminal(key.message)}`);

  // One writer at a time (issue 8, item 3): an exclusive lock on the log directory, held
  // from reading the log to renaming the new one into place, so two accepts started
  // together both append. proper-lockfile: an atomic mkdir, refreshed while held, taken
  // over once stale (a crashed gate), released on exit.
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, {
      lockfilePath: join(dir, '.gate.lock'),
      stale: 10_000,
      retries: { retries: 600, minTimeout: 20, maxTimeout: 200, randomize: true },
    });
  } catch (e) {
    key.secretKey.fill(0);
    throw new UsageError(`${dir} is locked by another gate (${(e as Error).message}); nothing written`);
  }
  let gate: ReferenceGate;
  let result: ReturnType<ReferenceGate['acceptApproval']>;
  let before: number;
  try {
    try {
      try {
        // Re-read under the lock: the log another accept just wrote.
        gate = ReferenceGate.resume(readFileSync(bundlePath, 'utf8'), key.secretKey, { run: demoRunner });
      } catch (e) {
        console.error(`countersign gate: cannot resume ${bundlePath}: ${escapeTerminal((e as Error).message)}`);
        return 2;
      }
      const at = values.at ?? formatInstant({ sec: Math.floor(Date.now() / 1000), nanos: 0 });
      before = gate.size;
      try {
        result = gate.acceptApproval(approvalText, at);
      } catch (e) {
        // The gate's guard: it would rather refuse than write a log the verifier fails.
        if (!(e instanceof LogRefusedError)) throw e;
        console.error(`countersign gate: not accepted, nothing written: ${escapeTerminal(e.message)}`);
        return 2;
      }
    } finally {
      key.secretKey.fill(0); // the gate holds this array: wipe only when it is done signing
    }
    if (result.outcome === 'rejected-input') {
      console.error(`countersign gate: not accepted, nothing appended: ${escapeTerminal(result.message)}`);
      return 2;
    }
    // Write-then-rename: a crash mid-write must never leave a torn log.
    writeFileAtomic(bundlePath, gate.bundleText(), 0o644);
  } finally {
    await release().catch(() => {});
  }
  const verb2: Record<string, string> = {
    recorded: 'recorded the approval',
    executed: 'recorded the approval; the quorum holds, so the request was executed',
    closed: 'recorded the vote; the request is closed',
    refused: `refused the approval (${result.code}) and recorded the refusal`,
  };
  console.log(`gate: ${verb2[result.outcome] ?? result.outcome}: ${escapeTerminal(result.message)}`);
  const n = gate.size - before;
  console.log(`gate: appended ${n} ${n === 1 ? 'entry' : 'entries'} to ${bundlePath} and a new checkpoint (size ${gate.size})`);
  const trust = existsSync(join(dir, 'trust.txt')) ? escapeTerminal(readCappedText(join(dir, 'trust.txt'), 'trust file', CAPS.trust).trim()) : 'genesis:<hex>';
  console.log(`verify: npx countersign verify ${bundlePath} --trust ${trust}`);
  return result.outcome === 'refused' ? 1 : 0;
}
