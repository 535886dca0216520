import { parseArgs } from 'node:util';
import { verifyBundleReport } from '../../core/report/verify-report.ts';
import { availableParallelism } from 'node:os';
import { formatReport } from '../format-report.ts';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SpillFiles } from '../spill-file.ts';
import { createMakerCheckerPool, DEFAULT_WORKER_URL, type NodeEventPool } from '../makerchecker-pool.ts';
import { COUNTERSIGN_WORKER_URL, createCountersignPool, type NodeLinePool } from '../countersign-pool.ts';
import { isTty, openInput, parseTrustArg, UsageError } from '../io.ts';
import { decodeBase64 } from '../../core/encoding/base64.ts';
import { rememberCheckpoint, rememberedFrom } from '../../core/log/remembered.ts';
import { makeForkEvidence } from '../../core/verifier/fork-proof.ts';
import { loadRemembered, saveRemembered } from '../witness-state.ts';
import { writeFileAtomic } from '../write-file.ts';
import { escapeJsonForTerminal, escapeTerminal } from '../terminal.ts';

export const VERIFY_HELP = `Usage: countersign verify FILE|- [--trust ANCHOR]... [--witness-quorum K] [--remember FILE] [--json]

Verifies a Countersign bundle (.jsonl, .jsonl.gz) or a MakerChecker AAPR export (.json),
streaming it: the file is never held in memory. Also a disclosure/v1 packet (countersign
disclose) and a C2SP .tlog-proof (countersign prove), told apart by their first bytes.

  --trust genesis:HEX   pin a Countersign log by its genesis digest (hex leafhash of entry 0)
  --trust key:HEX       pin a key by key id (SHA-256 of the raw 32-byte key); for MakerChecker,
                        also the SHA-256 of the SPKI DER. Repeat to pin a governance set.
  --trust pem:FILE      pin a MakerChecker instance key (Ed25519 public key PEM)
  --trust witness:VKEY  a witness's C2SP verifier key (name+hash+key); repeat for several.
                        Its cosignatures on checkpoints are checked (WITNESS.signature), and
                        the last valid checkpoint needs K of them (WITNESS.quorum)
  --witness-quorum K    K of the given witnesses (default: all of them)
  --remember FILE       checkpoints remembered from earlier bundles (remembered/v1, created if
                        missing): this bundle must extend them (WITNESS.fork, WITNESS.truncated);
                        when it has no error its last checkpoint is remembered too
  --fork-evidence OUT   on WITNESS.fork, write both signed checkpoints and a consistency
                        proof as a fork-evidence/v1 file anyone can check
  --json                print the report/v1 JSON instead of the summary
  --backend NAME        auto (default), webcrypto or noble
  --workers N           threads that read Countersign lines or MakerChecker events beside
                        the main one (default: one per core; 0 reads everything on the
                        main thread)

Exit status: 0 pass or warn, 1 fail, 2 usage error or not a bundle.`;

export async function runVerify(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      trust: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      backend: { type: 'string' },
      'witness-quorum': { type: 'string' },
      remember: { type: 'string' },
      'fork-evidence': { type: 'string' },
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
  let witnessQuorum: number | undefined;
  if (values['witness-quorum'] !== undefined) {
    witnessQuorum = Number(values['witness-quorum']);
    if (!/^[0-9]+$/.test(values['witness-quorum'])) throw new UsageError('--witness-quorum takes a whole number K');
  }
  if (values['fork-evidence'] && positionals[0] === '-') throw new UsageError('--fork-evidence reads the bundle twice, so it needs a FILE, not stdin');
  const remembered = values.remember ? loadRemembered(values.remember) : undefined;
  const workers = values.workers === undefined ? availableParallelism() : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 0 || workers > 256) throw new UsageError('--workers is a whole number from 0 to 256');
  let pool: NodeEventPool | null = null;
  let linePool: NodeLinePool | null = null;
  // A CLI bundled without its worker scripts (*-worker.mjs beside it) reads on one thread.
  const makerCheckerPool = workers > 0 && existsSync(fileURLToPath(DEFAULT_WORKER_URL)) ? () => (pool = createMakerCheckerPool(workers)) : undefined;
  // Open requests past an 8 MiB window go to a temp file: memory stays flat on a hostile log (issue 8).
  const spill = new SpillFiles();
  const countersignPool = workers > 0 && existsSync(fileURLToPath(COUNTERSIGN_WORKER_URL)) ? () => (linePool = createCountersignPool(workers)) : undefined;
  const result = await verifyBundleReport(input.chunks, {
    trust,
    backend,
    spill: spill.make,
    ...(input.size !== undefined ? { totalBytes: input.size } : {}),
    ...(witnessQuorum !== undefined ? { witnessQuorum } : {}),
    ...(remembered ? { remembered } : {}),
    ...(makerCheckerPool ? { makerCheckerPool } : {}),
    ...(countersignPool ? { countersignPool } : {}),
  }).finally(() => {
    spill.close();
    return Promise.all([(pool as NodeEventPool | null)?.terminate(), (linePool as NodeLinePool | null)?.terminate()]);
  });
  if (!result.ok) {
    console.error(`countersign: ${input.name}: ${escapeTerminal(result.message)}`);
    return 2;
  }
  const r = result.report;
  // --json keeps every value (JSON escapes), but no raw control or bidi character reaches the terminal.
  if (values.json) process.stdout.write(escapeJsonForTerminal(JSON.stringify(r, null, 2)) + '\n');
  else console.log(formatReport(r, input.name, isTty(process.stdout)));
  const log = values.json ? console.error : console.log;
  // docs/format.md §7.2: remember the largest checkpoint of a bundle that verified without errors.
  const last = r.witness?.lastCheckpoint;
  if (values.remember && remembered && r.verdict !== 'fail' && last) {
    saveRemembered(values.remember, rememberCheckpoint(remembered, rememberedFrom(last.note, decodeBase64(last.key))));
    log(`remembered: checkpoint of size ${r.checkpoint?.size ?? '?'} of ${r.log} in ${values.remember}`);
  } else if (values.remember && r.verdict === 'fail') log(`remembered: nothing new (the bundle has errors); ${values.remember} unchanged`);
  const fork = r.witness?.forks[0];
  if (values['fork-evidence'] && fork) {
    const ev = await makeForkEvidence(openInput(positionals[0]!).chunks, fork);
    if (ev.ok) {
      writeFileAtomic(values['fork-evidence'], ev.text, 0o644);
      log(`fork evidence: wrote ${values['fork-evidence']} (fork-evidence/v1: both signed checkpoints and a consistency proof)`);
    } else log(`fork evidence: not written: ${ev.message}`);
  }
  return r.verdict === 'fail' ? 1 : 0;
}
