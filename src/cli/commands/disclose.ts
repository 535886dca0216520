import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { makeDisclosure } from '../../core/disclosure/make-disclosure.ts';
import { openInput, UsageError } from '../io.ts';
import { writeFileAtomic } from '../write-file.ts';

export const DISCLOSE_HELP = `Usage: countersign disclose BUNDLE --request ID [--request ID]... --out FILE [--force]

Writes a disclosure/v1 packet (docs/format.md §7.4): the named requests' own entries (request,
decision, approvals, refusals, execution or closure, cited approvals), the genesis and every
roster and policy entry, each with an RFC 6962 inclusion proof to the bundle's last checkpoint
(copied with its witness cosignatures). One streaming pass; the bundle is never held in memory.
Anyone can check the packet with "countersign verify FILE --trust genesis:HEX" without the rest
of the log.

Exit status: 0 written, 2 usage error or a bundle that cannot be disclosed from.`;

/** Writes through a temporary file so a failed run never leaves half a packet. */
export function writeAtomically(path: string, text: string, force: boolean): void {
  if (existsSync(path) && !force) throw new UsageError(`${path} exists (give --force to replace it)`);
  writeFileAtomic(path, text, 0o644);
}

export async function runDisclose(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      request: { type: 'string', multiple: true },
      out: { type: 'string' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(DISCLOSE_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('disclose takes exactly one BUNDLE');
  if (!values.request?.length) throw new UsageError('give --request ID (repeat for several requests)');
  if (!values.out) throw new UsageError('give --out FILE for the packet');
  const input = openInput(positionals[0]!);
  const r = await makeDisclosure(input.chunks, { requests: values.request });
  if (!r.ok) {
    console.error(`countersign disclose: ${input.name}: ${r.message}`);
    return 2;
  }
  writeAtomically(values.out, r.text, values.force ?? false);
  const s = r.summary;
  if (values.json) {
    process.stdout.write(JSON.stringify({ out: values.out, bytes: Buffer.byteLength(r.text), ...s }, null, 2) + '\n');
    return 0;
  }
  console.log(
    `Wrote ${values.out} (${Buffer.byteLength(r.text).toLocaleString('en-US')} bytes): ${s.entries.length} of ${s.read.toLocaleString('en-US')} entries of ${s.log},`,
  );
  console.log(
    `proven against the checkpoint of size ${s.size.toLocaleString('en-US')} (${s.cosignatures} witness cosignature${s.cosignatures === 1 ? '' : 's'}), in ${s.elapsedMs} ms.`,
  );
  for (const e of s.entries) console.log(`  seq ${String(e.seq).padStart(8)}  ${e.type.padEnd(10)} ${e.request ?? ''}`);
  for (const n of s.notes) console.log(`  note: ${n}`);
  return 0;
}
