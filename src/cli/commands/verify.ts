import { parseArgs } from 'node:util';
import { verifyBundleReport } from '../../core/report/verify-report.ts';
import { formatReport } from '../format-report.ts';
import { isTty, openInput, parseTrustArg, UsageError } from '../io.ts';

export const VERIFY_HELP = `Usage: countersign verify FILE|- [--trust ANCHOR]... [--json]

Verifies a Countersign bundle (.jsonl, .jsonl.gz) or a MakerChecker AAPR export (.json),
streaming it: the file is never held in memory.

  --trust genesis:HEX   pin a Countersign log by its genesis digest (hex leafhash of entry 0)
  --trust key:HEX       pin a key by key id (SHA-256 of the raw 32-byte key); for MakerChecker,
                        also the SHA-256 of the SPKI DER. Repeat to pin a governance set.
  --trust pem:FILE      pin a MakerChecker instance key (Ed25519 public key PEM)
  --json                print the report/v1 JSON instead of the summary
  --backend NAME        auto (default), webcrypto or noble

Exit status: 0 pass or warn, 1 fail, 2 usage error or not a bundle.`;

export async function runVerify(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      trust: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      backend: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(VERIFY_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('verify takes exactly one FILE (or - for stdin)');
  const trust = (values.trust ?? []).map(parseTrustArg);
  const input = openInput(positionals[0]!);
  const backendName = values.backend ?? 'auto';
  if (!['auto', 'webcrypto', 'noble'].includes(backendName)) throw new UsageError('--backend is auto, webcrypto or noble');
  const { createSignatureBackend } = await import('../../core/crypto/ed25519.ts');
  const backend = await createSignatureBackend(backendName as 'auto');
  const result = await verifyBundleReport(input.chunks, { trust, backend, ...(input.size !== undefined ? { totalBytes: input.size } : {}) });
  if (!result.ok) {
    console.error(`countersign: ${input.name}: ${result.message}`);
    return 2;
  }
  const r = result.report;
  if (values.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
  else console.log(formatReport(r, input.name, isTty(process.stdout)));
  return r.verdict === 'fail' ? 1 : 0;
}
