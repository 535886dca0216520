// Node-side input helpers for the CLI.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import type { TrustAnchor } from '../core/report/report.ts';
import { publicKeyFromPem } from '../core/verifier/pem.ts';
import { parseWitnessKey } from '../core/log/witness-key.ts';

export class UsageError extends Error {}

/** A file (or `-` for stdin) as an async iterable of byte chunks. Never read whole. */
export function openInput(path: string): { chunks: AsyncIterable<Uint8Array>; size?: number; name: string } {
  if (path === '-') return { chunks: process.stdin, name: 'stdin' };
  if (!existsSync(path)) throw new UsageError(`no such file: ${path}`);
  const st = statSync(path);
  if (!st.isFile()) throw new UsageError(`not a file: ${path}`);
  return { chunks: createReadStream(path, { highWaterMark: 1 << 20 }), size: st.size, name: path };
}

/** `genesis:HEX`, `key:HEX`, `pem:FILE` or `witness:VKEY` (FORMAT.md §6, §7.2 trust anchors; MAKERCHECKER.md pinning). */
export function parseTrustArg(text: string): TrustAnchor {
  const i = text.indexOf(':');
  const kind = i < 0 ? '' : text.slice(0, i);
  const rest = text.slice(i + 1).trim();
  if (kind === 'genesis' || kind === 'key') {
    const hex = rest.toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(hex))
      throw new UsageError(`--trust ${kind}: expects 64 hex digits (${kind === 'genesis' ? 'the genesis leaf hash' : 'a key id: SHA-256 of the raw key, or of a MakerChecker SPKI'})`);
    return { kind, hex };
  }
  if (kind === 'witness') {
    // docs/format.md §7.2: a C2SP verifier key; checked strictly here so a typo is a usage error.
    const k = parseWitnessKey(rest);
    if (!k.ok) throw new UsageError(`--trust witness: ${k.message}`);
    return { kind: 'witness', key: rest };
  }
  if (kind === 'pem') {
    if (!existsSync(rest)) throw new UsageError(`--trust pem: no such file: ${rest}`);
    const pem = readFileSync(rest, 'utf8');
    if (!publicKeyFromPem(pem)) throw new UsageError(`--trust pem: ${rest} is not an Ed25519 public key PEM`);
    return { kind: 'pem', pem, label: rest };
  }
  throw new UsageError(`--trust takes genesis:HEX, key:HEX, pem:FILE or witness:VKEY, not ${JSON.stringify(text)}`);
}

/** The passphrase from --passphrase-file or COUNTERSIGN_PASSPHRASE; never from a bare argument. */
export function readPassphrase(file: string | undefined): string {
  if (file) {
    if (!existsSync(file)) throw new UsageError(`no such passphrase file: ${file}`);
    // One trailing newline is what editors and `echo` add; it is not part of the passphrase.
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  }
  const env = process.env.COUNTERSIGN_PASSPHRASE;
  if (env !== undefined && env !== '') return env;
  throw new UsageError('a passphrase is needed: give --passphrase-file FILE or set COUNTERSIGN_PASSPHRASE');
}

export function readJsonFile(path: string, what: string): unknown {
  if (!existsSync(path)) throw new UsageError(`no such ${what}: ${path}`);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`${path} is not JSON: ${(e as Error).message}`);
  }
}

export const isTty = (stream: NodeJS.WriteStream) => !!stream.isTTY && !process.env.NO_COLOR;
