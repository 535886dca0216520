// countersign gate consistency | cosign (docs/format.md §7.3): the reference gate's side of
// witnessing. Kept apart from `gate accept` (gate.ts), which they share nothing with but DIR.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { applyCosignature, makeGateConsistency } from '../../core/gate/witness-exchange.ts';
import { CAPS, readCappedText, UsageError } from '../io.ts';
import { parseJsonText } from '../../core/encoding/json.ts';
import { writeFileAtomic } from '../write-file.ts';

export const GATE_WITNESS_HELP = `Usage:
  countersign gate consistency DIR --from SIZE --out FILE
  countersign gate cosign DIR COSIGNATURE.json

consistency writes a consistency/v1 file from the checkpoint of size SIZE in DIR/bundle.jsonl
(the one a witness remembers) to the bundle's last checkpoint, with its RFC 6962 proof.
cosign adds a witness's cosignature line (cosignature/v1 file) to the checkpoint of the
bundle with the same body, atomically; entry lines are not touched.`;

export async function runGateWitness(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { from: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(GATE_WITNESS_HELP);
    return 0;
  }
  const [verb, dir, file] = positionals;
  if (!dir) throw new UsageError(`usage: countersign gate ${verb} DIR ...`);
  const bundlePath = join(dir, 'bundle.jsonl');
  if (!existsSync(bundlePath)) throw new UsageError(`no such file: ${bundlePath}`);
  const text = readFileSync(bundlePath, 'utf8');
  if (verb === 'consistency') {
    if (positionals.length !== 2) throw new UsageError('usage: countersign gate consistency DIR --from SIZE --out FILE');
    if (values.from === undefined || !/^[0-9]+$/.test(values.from))
      throw new UsageError('gate consistency needs --from SIZE (a checkpoint size the witness remembers)');
    if (!values.out) throw new UsageError('gate consistency needs --out FILE');
    let out: string;
    try {
      out = makeGateConsistency(text, Number(values.from));
    } catch (e) {
      console.error(`countersign gate: ${bundlePath}: ${(e as Error).message}`);
      return 2;
    }
    writeFileAtomic(values.out, out, 0o644);
    const p = parseJsonText(out);
    const v = (p.ok ? p.value : {}) as { proof?: string[]; new?: string };
    console.log(`gate: wrote ${values.out} (consistency/v1 from size ${values.from} to ${v.new?.split('\n')[1] ?? '?'}, ${v.proof?.length ?? 0} proof hashes)`);
    return 0;
  }
  if (verb === 'cosign') {
    if (!file || positionals.length !== 3) throw new UsageError('usage: countersign gate cosign DIR COSIGNATURE.json');
    if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
    const r = applyCosignature(text, readCappedText(file, 'cosignature file', CAPS.packet));
    if (!r.ok) {
      console.error(`countersign gate: cosignature not added, nothing written: ${r.message}`);
      return 2;
    }
    // The bundle may have grown since the file was read: refuse rather than lose entries.
    if (readFileSync(bundlePath, 'utf8') !== text) {
      console.error('countersign gate: the bundle changed while adding the cosignature; nothing written, try again');
      return 2;
    }
    writeFileAtomic(bundlePath, r.text, 0o644);
    console.log(
      r.added.length
        ? `gate: added the cosignature of ${r.added.join(', ')} to the checkpoint of size ${r.size} in ${bundlePath}`
        : `gate: the checkpoint of size ${r.size} already carries that cosignature; ${bundlePath} unchanged`,
    );
    return 0;
  }
  throw new UsageError(`unknown gate command "${verb}"`);
}
