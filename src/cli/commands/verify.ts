import { parseArgs } from 'node:util';
import { verifyBundle } from '../../core/verifier/verify-bundle.ts';
import { availableParallelism } from 'node:os';
import { formatReport } from '../format-report.ts';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createMakerCheckerPool, DEFAULT_WORKER_URL, type NodeEventPool } from '../makerchecker-pool.ts';
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
  --workers N           threads that read MakerChecker events beside the main one
                        (default: one per core; 0 reads everything on the main thread)

Exit status: 0 pass or warn, 1 fail, 2 usage error or not a bundle.`;

export async function runVerify(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      trust: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      backend: { type: 'string' },
      workers: { type: 'string' },
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
  const workers = values.workers === undefined ? availableParallelism() : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 0 || workers > 256) throw new UsageError('--workers is a whole number from 0 to 256');
  let pool: NodeEventPool | null = null;
  // A CLI bundled without its worker script (makerchecker-worker.mjs beside it) reads on one thread.
  const makerCheckerPool =
    workers > 0 && existsSync(fileURLToPath(DEFAULT_WORKER_URL)) ? () => (pool = createMakerCheckerPool(workers)) : undefined;
  const result = await verifyBundle(input.chunks, {
    trust,
    backend,
    ...(input.size !== undefined ? { totalBytes: input.size } : {}),
    ...(makerCheckerPool ? { makerCheckerPool } : {}),
  }).finally(() => (pool as NodeEventPool | null)?.terminate());
  if (!result.ok) {
    console.error(`countersign: ${input.name}: ${result.message}`);
    return 2;
  }
  const r = result.report;
  if (values.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
  else console.log(formatReport(r, input.name, isTty(process.stdout)));
  return r.verdict === 'fail' ? 1 : 0;
}
