// countersign witness keygen | cosign (docs/format.md §7.2-§7.3): a regulator or auditor
// keeps a witness key and a state file of remembered checkpoints, and cosigns a gate's
// checkpoint only after checking that the log grew append-only from what it remembers:
// either from a consistency/v1 file, or by verifying a full bundle.
import { existsSync } from 'node:fs';
import { SpillFiles } from '../spill-file.ts';
import { parseArgs } from 'node:util';
import { decryptKeyFile, encryptKeyFile } from '../../core/crypto/key-file.ts';
import { generateSecretKey, getPublicKey } from '../../core/crypto/ed25519.ts';
import { decodeBase64 } from '../../core/encoding/base64.ts';
import { formatWitnessKey, witnessNameProblem } from '../../core/log/witness-key.ts';
import { checkConsistencyFile, makeCosignatureFile } from '../../core/log/witness-files.ts';
import { checkForkEvidence, formatForkEvidence } from '../../core/log/fork-evidence.ts';
import { rememberCheckpoint, rememberedFrom } from '../../core/log/remembered.ts';
import { verifyBundle } from '../../core/verifier/verify-bundle.ts';
import { PASSPHRASE_MIN_LENGTH } from '../../core/encoding/constants.ts';
import { formatReport } from '../format-report.ts';
import { CAPS, isTty, openInput, parseTrustArg, readCappedText, readPassphrase, UsageError } from '../io.ts';
import { loadRemembered, saveRemembered } from '../witness-state.ts';
import { writeFileAtomic } from '../write-file.ts';

export const WITNESS_HELP = `Usage:
  countersign witness keygen --out KEYFILE --name WITNESS-NAME [--passphrase-file FILE] [--force]
  countersign witness cosign --key KEYFILE --consistency FILE --state STATE --out FILE
  countersign witness cosign --key KEYFILE BUNDLE --state STATE [--trust ANCHOR]... [--out FILE]
  countersign witness check-fork FORK-EVIDENCE.json

keygen writes an encrypted witness key (key/v1, like an approver's) and prints its C2SP
verifier key, <name>+<key hash>+<key>: hand that to verifiers as --trust witness:<vkey>.

cosign checks that the log grew append-only from the checkpoint STATE remembers for it
(a remembered/v1 file; created on first use), then writes a cosignature/v1 file for the
gate (countersign gate cosign DIR FILE) and remembers the new checkpoint:
  --consistency FILE  a consistency/v1 file from the gate: the old checkpoint must be the
                      one remembered, both must be signed by the gate key that signed it,
                      and the RFC 6962 proof must verify
  BUNDLE              a whole bundle: it is fully verified against the remembered
                      checkpoints and must have no error; its last checkpoint is cosigned
A fork (the gate signed another history) is never cosigned: exit 1, and --fork-evidence
OUT writes both checkpoints as a fork-evidence/v1 file anyone can check.
The key's passphrase comes from --passphrase-file or COUNTERSIGN_PASSPHRASE.
check-fork checks a fork-evidence/v1 file on its own: exit 0 when it proves a fork.
Exit status: 0 cosigned (or key written), 1 refused (fork, bad proof, errors), 2 usage.`;

export async function runWitness(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === 'keygen') return keygen(rest);
  if (verb === 'cosign') return cosign(rest);
  if (verb === 'check-fork') return checkFork(rest);
  if (!verb || verb === '--help' || verb === '-h') {
    console.log(WITNESS_HELP);
    return verb ? 0 : 2;
  }
  throw new UsageError(`unknown witness command "${verb}": keygen, cosign or check-fork`);
}

/** Anyone can check a fork-evidence/v1 file: two gate-signed checkpoints that cannot both hold. */
async function checkFork(argv: string[]): Promise<number> {
  if (argv.length !== 1 || argv[0]!.startsWith('-')) throw new UsageError('usage: countersign witness check-fork FORK-EVIDENCE.json');
  if (!existsSync(argv[0]!)) throw new UsageError(`no such file: ${argv[0]}`);
  const v = checkForkEvidence(readCappedText(argv[0]!, 'fork evidence', CAPS.packet));
  if (!v.ok) {
    console.log(`not proven: ${v.message}`);
    return 1;
  }
  console.log(`FORK PROVEN: ${v.summary}.`);
  console.log(`  signed by key id${v.keyIds.length > 1 ? 's' : ''} ${v.keyIds.join(', ')}: compare with the gate's keys in the log's roster`);
  return 0;
}

/** key/v1 needs a principal id; a witness key is labelled "witness", its name is the witness name. */
const WITNESS_PRINCIPAL = 'witness';

async function keygen(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      name: { type: 'string' },
      'passphrase-file': { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(WITNESS_HELP);
    return 0;
  }
  if (!values.out) throw new UsageError('witness keygen needs --out KEYFILE');
  if (!values.name) throw new UsageError('witness keygen needs --name WITNESS-NAME (e.g. auditor.example/w1)');
  const problem = witnessNameProblem(values.name);
  if (problem) throw new UsageError(`--name: witness ${problem}`);
  if (existsSync(values.out) && !values.force) throw new UsageError(`${values.out} exists; refusing to overwrite a key (use --force)`);
  const passphrase = readPassphrase(values['passphrase-file']);
  if (passphrase.length < PASSPHRASE_MIN_LENGTH) throw new UsageError(`the passphrase must be at least ${PASSPHRASE_MIN_LENGTH} characters`);
  const secretKey = generateSecretKey();
  const vkey = formatWitnessKey(values.name, getPublicKey(secretKey));
  const file = await encryptKeyFile({ secretKey, principal: WITNESS_PRINCIPAL, name: values.name, passphrase });
  secretKey.fill(0);
  writeFileAtomic(values.out, JSON.stringify(file, null, 2) + '\n', 0o600);
  console.log(`wrote ${values.out}`);
  console.log(`  witness key  ${vkey}`);
  console.log(`  verifiers:   --trust witness:${vkey}`);
  return 0;
}

async function loadWitnessKey(path: string, passFile: string | undefined) {
  if (!existsSync(path)) throw new UsageError(`no such key file: ${path}`);
  const k = await decryptKeyFile(readCappedText(path, 'key file', CAPS.key), readPassphrase(passFile));
  if (!k.ok) throw new UsageError(`${path}: ${k.message}`);
  const problem = witnessNameProblem(k.name);
  if (problem) {
    k.secretKey.fill(0);
    throw new UsageError(`${path}: its name is not a usable witness name (${problem})`);
  }
  return k;
}

async function cosign(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      key: { type: 'string' },
      consistency: { type: 'string' },
      state: { type: 'string' },
      out: { type: 'string' },
      trust: { type: 'string', multiple: true },
      'fork-evidence': { type: 'string' },
      'passphrase-file': { type: 'string' },
      time: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(WITNESS_HELP);
    return 0;
  }
  if (!values.key) throw new UsageError('witness cosign needs --key KEYFILE');
  if (!values.state) throw new UsageError('witness cosign needs --state FILE (remembered checkpoints; created if missing)');
  if (!!values.consistency === positionals.length > 0 || positionals.length > 1)
    throw new UsageError('witness cosign takes either --consistency FILE or one BUNDLE');
  if (values.consistency && !values.out) throw new UsageError('witness cosign --consistency needs --out FILE');
  const timestamp = values.time !== undefined ? Number(values.time) : Math.floor(Date.now() / 1000);
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new UsageError('--time is seconds since the epoch');
  const remembered = loadRemembered(values.state);

  let note: string;
  let next: ReturnType<typeof rememberedFrom>;
  if (values.consistency) {
    if (!existsSync(values.consistency)) throw new UsageError(`no such file: ${values.consistency}`);
    const v = checkConsistencyFile(readCappedText(values.consistency, 'consistency file', CAPS.packet), remembered);
    if (!v.ok) {
      console.error(`countersign witness: not cosigned: ${v.code}: ${v.message}`);
      if (v.code === 'WITNESS.fork' && v.fork) {
        console.error('countersign witness: this gate signed two different histories; keep both checkpoints as evidence');
        if (values['fork-evidence']) {
          const a = v.fork.remembered;
          const bNote = v.fork.conflicting;
          const { parseCheckpoint } = await import('../../core/log/checkpoint.ts');
          const b = parseCheckpoint(bNote);
          if (b.ok) {
            writeFileAtomic(
              values['fork-evidence'],
              formatForkEvidence({ log: a.origin, a: a.note, aKey: a.key, b: bNote, bKey: v.fork.conflictingKey, bRootAtA: b.checkpoint.root, proof: [] }),
              0o644,
            );
            console.error(`countersign witness: wrote ${values['fork-evidence']} (fork-evidence/v1)`);
          }
        }
      }
      return v.code === 'FORMAT.schema' || v.code === 'INPUT.unknown_log' || v.code === 'INPUT.stale' ? 2 : 1;
    }
    note = v.next.note;
    next = v.next;
    console.log(`witness: ${v.next.origin} grew append-only from size ${v.from.size} to ${v.next.size} (RFC 6962 consistency proof verified)`);
  } else {
    const input = openInput(positionals[0]!);
    const trust = (values.trust ?? []).map(parseTrustArg);
    const spill = new SpillFiles();
    const result = await verifyBundle(input.chunks, {
      trust,
      remembered,
      spill: spill.make,
      ...(input.size !== undefined ? { totalBytes: input.size } : {}),
    }).finally(() => spill.close());
    if (!result.ok) {
      console.error(`countersign witness: ${input.name}: ${result.message}`);
      return 2;
    }
    const r = result.report;
    const last = r.witness?.lastCheckpoint;
    if (r.verdict === 'fail' || !last) {
      console.log(formatReport(r, input.name, isTty(process.stdout)));
      console.error(`countersign witness: not cosigned: ${!last ? 'the bundle has no valid checkpoint' : 'the bundle has errors'}`);
      return 1;
    }
    note = last.note;
    next = rememberedFrom(last.note, decodeBase64(last.key));
    console.log(`witness: ${input.name} verified (${r.verdict}); cosigning its last checkpoint (size ${next.size})`);
  }

  const k = await loadWitnessKey(values.key, values['passphrase-file']);
  let text: string;
  try {
    text = makeCosignatureFile({ note, name: k.name, secretKey: k.secretKey, timestamp });
  } finally {
    k.secretKey.fill(0);
  }
  // Remember first: a witness must never have cosigned something it does not remember.
  saveRemembered(values.state, rememberCheckpoint(remembered, next));
  if (values.out) {
    writeFileAtomic(values.out, text, 0o644);
    console.log(`witness: wrote ${values.out} (cosignature/v1 by ${formatWitnessKey(k.name, k.publicKey)})`);
    console.log(`gate:    npx countersign gate cosign DIR ${values.out}`);
  } else process.stdout.write(text);
  return 0;
}
