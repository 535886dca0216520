// countersign: verify evidence, make keys, sign approvals, run the demo gate.
import { runVerify } from './commands/verify.ts';
import { runKeygen } from './commands/keygen.ts';
import { runSign } from './commands/sign.ts';
import { UsageError } from './io.ts';
import { escapeTerminal } from './terminal.ts';
import { installNodeSha256 } from './native-sha256.ts';

installNodeSha256();
import { VERIFIER_VERSION } from '../core/report/report.ts';

const HELP = `countersign ${VERIFIER_VERSION}: offline verifier and signing tool for AI-agent approval evidence

Usage:
  countersign verify FILE|- [--trust genesis:HEX|key:HEX|pem:FILE|witness:VKEY]... [--witness-quorum K]
                   [--remember FILE] [--fork-evidence OUT] [--json]
  countersign keygen --out KEYFILE --principal ID --name NAME [--passphrase-file FILE]
  countersign sign --key KEYFILE --packet REQUEST.json --vote approve|reject [--comment TEXT] [--out FILE]
  countersign demo [DIR] [--seed SEED] [--force]
  countersign gate accept DIR APPROVAL.json
  countersign disclose BUNDLE --request ID [--request ID]... --out PACKET.json
  countersign prove BUNDLE --seq N --out FILE.tlog-proof
  countersign gate consistency DIR --from SIZE --out FILE
  countersign gate cosign DIR COSIGNATURE.json
  countersign witness keygen --out KEYFILE --name WITNESS-NAME
  countersign witness cosign --key KEYFILE (--consistency FILE --out FILE | BUNDLE) --state FILE

Run "countersign COMMAND --help" for details. Passphrases come from --passphrase-file
or the COUNTERSIGN_PASSPHRASE environment variable, never from a bare argument.`;

type Command = (argv: string[]) => Promise<number>;

const commands: Record<string, { run: () => Promise<Command> }> = {
  verify: { run: async () => runVerify },
  keygen: { run: async () => runKeygen },
  sign: { run: async () => runSign },
  demo: { run: async () => (await import('./commands/demo.ts')).runDemo },
  gate: { run: async () => (await import('./commands/gate.ts')).runGate },
  disclose: { run: async () => (await import('./commands/disclose.ts')).runDisclose },
  prove: { run: async () => (await import('./commands/prove.ts')).runProve },
  witness: { run: async () => (await import('./commands/witness.ts')).runWitness },
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(HELP);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    console.log(VERIFIER_VERSION);
    return 0;
  }
  const cmd = commands[name];
  if (!cmd) {
    console.error(`countersign: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  try {
    return await (
      await cmd.run()
    )(rest);
  } catch (e) {
    // One line, what was wrong, exit 2 (issue 8, item 6): never a stack trace for input.
    const err = e as NodeJS.ErrnoException;
    if (e instanceof UsageError || err?.code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`countersign ${name}: ${escapeTerminal(err.message)}`);
      return 2;
    }
    if (typeof err?.code === 'string' && typeof err.syscall === 'string') {
      // A file-system error no command foresaw: name it, without the stack.
      console.error(`countersign ${name}: ${err.syscall} ${err.path ?? ''}: ${err.code}`.replace('  ', ' '));
      return 2;
    }
    // An internal error is not a verdict: exit 2 so CI never reads it as "fail" of the evidence.
    if (process.env.COUNTERSIGN_DEBUG) console.error(err?.stack ?? e);
    console.error(`countersign ${name}: internal error: ${escapeTerminal(String(err?.message ?? e))} (set COUNTERSIGN_DEBUG=1 for details)`);
    return 2;
  }
}
