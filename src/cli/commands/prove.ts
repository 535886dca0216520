import { parseArgs } from 'node:util';
import { makeTlogProof } from '../../core/disclosure/make-disclosure.ts';
import { openInput, UsageError } from '../io.ts';
import { writeAtomically } from './disclose.ts';

export const PROVE_HELP = `Usage: countersign prove BUNDLE --seq N --out FILE.tlog-proof [--force]

Writes one entry as a C2SP tlog-proof@v1 (c2sp.org/tlog-proof; docs/format.md §7.3): its
"extra" line is base64 of C(entry), "index" is its seq, then the RFC 6962 inclusion proof and
the bundle's last checkpoint with its cosignatures. Any C2SP tool can check the inclusion;
"countersign verify FILE.tlog-proof --trust …" also checks the entry's signatures.

Exit status: 0 written, 2 usage error or an entry that cannot be proven.`;

export async function runProve(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { seq: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(PROVE_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('prove takes exactly one BUNDLE');
  if (values.seq === undefined || !/^(0|[1-9][0-9]{0,15})$/.test(values.seq)) throw new UsageError('give --seq N (a non-negative decimal integer)');
  if (!values.out) throw new UsageError('give --out FILE.tlog-proof');
  const input = openInput(positionals[0]!);
  const r = await makeTlogProof(input.chunks, { seq: Number(values.seq) });
  if (!r.ok) {
    console.error(`countersign prove: ${input.name}: ${r.message}`);
    return 2;
  }
  writeAtomically(values.out, r.text, values.force ?? false);
  console.log(`Wrote ${values.out}: the ${r.type} at seq ${values.seq}, proven in the tree of size ${r.size.toLocaleString('en-US')}.`);
  return 0;
}
