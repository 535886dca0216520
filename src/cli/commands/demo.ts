import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildDemo, DEMO_APPROVER, DEMO_WAITING_REQUEST } from '../../core/gate/demo.ts';
import { UsageError } from '../io.ts';

export const DEMO_HELP = `Usage: countersign demo [DIR] [--seed SEED] [--force]

Writes demo evidence into DIR (default ./demo), produced by the reference gate:
  bundle.jsonl          the log: a self-approval refused, two security leads approve, access
                        granted; an ungranted skill denied; a low-risk skill run ungated; one
                        request (${DEMO_WAITING_REQUEST}) left waiting for one more approval
  trust.txt             its trust anchor (genesis:<hex>)
  request.json          the waiting request's packet, for the wallet or countersign sign
  log-profile.json      what a wallet needs to trust this log
  approver.key          ${DEMO_APPROVER}'s encrypted key (passphrase in approver.passphrase)
  gate.key              the demo gate's key, for countersign gate accept (gate.passphrase)
  witness.key           an auditor's witness key (witness.passphrase); witness.txt its anchor
  forked.jsonl          the same gate signing another history (req-2 left out): a witness
                        that remembered bundle.jsonl catches it with WITNESS.fork
The same --seed gives the same bundle, trust anchor, packet and profile.`;

export async function runDemo(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { seed: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(DEMO_HELP);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError('demo takes at most one DIR');
  const dir = positionals[0] ?? 'demo';
  if (existsSync(join(dir, 'bundle.jsonl')) && !values.force) throw new UsageError(`${dir} already holds a bundle; use --force to replace the demo there`);
  const files = await buildDemo({ seed: values.seed ?? 'countersign-demo' });
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files))
    writeFileSync(join(dir, name), text, { mode: name.endsWith('.key') || name.endsWith('.passphrase') ? 0o600 : 0o644 });
  const trust = files['trust.txt']!.trim();
  console.log(`Demo evidence written to ${dir}/ (${Object.keys(files).join(', ')})

Verify it (warn: ${DEMO_WAITING_REQUEST} is still waiting for one approval):
  npx countersign verify ${join(dir, 'bundle.jsonl')} --trust ${trust}

Sign the waiting request as ${DEMO_APPROVER}, in the wallet (import ${join(dir, 'approver.key')},
${join(dir, 'log-profile.json')} and ${join(dir, 'request.json')}) or here:
  npx countersign sign --key ${join(dir, 'approver.key')} --passphrase-file ${join(dir, 'approver.passphrase')} \\
    --packet ${join(dir, 'request.json')} --vote approve --out approval.json

Hand the approval to the gate, then verify again (pass):
  npx countersign gate accept ${dir} approval.json
  npx countersign verify ${join(dir, 'bundle.jsonl')} --trust ${trust}

Witness it as an auditor, and catch the gate showing another history:
  npx countersign witness cosign --key ${join(dir, 'witness.key')} --passphrase-file ${join(dir, 'witness.passphrase')} \
    ${join(dir, 'bundle.jsonl')} --trust ${trust} --state witness-state.json --out cosignature.json
  npx countersign gate cosign ${dir} cosignature.json
  npx countersign verify ${join(dir, 'bundle.jsonl')} --trust ${trust} --trust ${files['witness.txt']!.trim()}
  npx countersign verify ${join(dir, 'forked.jsonl')} --trust ${trust} --remember witness-state.json --fork-evidence fork.json`);
  return 0;
}
