import { isPrincipalId, PASSPHRASE_MIN_LENGTH, PRINCIPAL_ID_TEXT } from '../../core/encoding/constants.ts';
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { generateSecretKey, getPublicKey, keyIdOf, fingerprintOf } from '../../core/crypto/ed25519.ts';
import { encryptKeyFile, isDisplayName, MAX_NAME_LENGTH } from '../../core/crypto/key-file.ts';
import { encodeBase64 } from '../../core/encoding/base64.ts';
import { readPassphrase, UsageError } from '../io.ts';
import { writeFileAtomic } from '../write-file.ts';

export const KEYGEN_HELP = `Usage: countersign keygen --out KEYFILE --principal ID --name "Display Name"
                         [--passphrase-file FILE] [--force]

Creates an Ed25519 signing key and writes it encrypted (key/v1: scrypt + AES-256-GCM,
see docs/keyfile.md). The same file is the wallet's backup format.
The passphrase comes from --passphrase-file or COUNTERSIGN_PASSPHRASE, never from an argument.`;

export async function runKeygen(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      principal: { type: 'string' },
      name: { type: 'string' },
      'passphrase-file': { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(KEYGEN_HELP);
    return 0;
  }
  if (!values.out) throw new UsageError('keygen needs --out KEYFILE');
  if (!values.principal || !isPrincipalId(values.principal))
    throw new UsageError(`keygen needs --principal ID matching ${PRINCIPAL_ID_TEXT} (docs/format.md "Bytes")`);
  if (!values.name) throw new UsageError('keygen needs --name "Display Name"');
  if (!isDisplayName(values.name)) throw new UsageError(`--name must be 1 to ${MAX_NAME_LENGTH} characters without control characters (docs/keyfile.md)`);
  const outDir = dirname(values.out);
  if (!existsSync(outDir) || !statSync(outDir).isDirectory()) throw new UsageError(`--out: no such directory: ${outDir}`);
  if (existsSync(values.out) && statSync(values.out).isDirectory()) throw new UsageError(`--out ${values.out} is a directory`);
  if (existsSync(values.out) && !values.force) throw new UsageError(`${values.out} exists; refusing to overwrite a key (use --force)`);
  const passphrase = readPassphrase(values['passphrase-file']);
  if (passphrase.length < PASSPHRASE_MIN_LENGTH) throw new UsageError(`the passphrase must be at least ${PASSPHRASE_MIN_LENGTH} characters`);
  const secretKey = generateSecretKey();
  const pub = getPublicKey(secretKey);
  const file = await encryptKeyFile({ secretKey, principal: values.principal, name: values.name, passphrase });
  secretKey.fill(0);
  // Always 0600, also over an existing 0644 file: a new file renamed into place (issue 8, item 8).
  writeFileAtomic(values.out, JSON.stringify(file, null, 2) + '\n', 0o600);
  const keyId = keyIdOf(pub);
  console.log(`wrote ${values.out}`);
  console.log(`  principal    ${values.principal} (${values.name})`);
  console.log(`  public key   ${encodeBase64(pub)}`);
  console.log(`  key id       ${keyId}`);
  console.log(`  fingerprint  ${fingerprintOf(keyId)}`);
  return 0;
}
