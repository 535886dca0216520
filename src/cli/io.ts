// Node-side input helpers for the CLI.
import { closeSync, createReadStream, existsSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import type { TrustAnchor } from '../core/report/report.ts';
import { parseJsonText } from '../core/encoding/json.ts';
import { publicKeyFromPem } from '../core/verifier/pem.ts';
import { parseWitnessKey } from '../core/log/witness-key.ts';

export class UsageError extends Error {}

/**
 * Size caps for every file the CLI reads that is not the bundle (issue 8, item 5). The
 * bundle is streamed; everything else is read whole, so it must be small: a path like
 * /dev/zero or a multi-gigabyte file must be an error, not an out-of-memory crash.
 */
export const CAPS = {
  pem: 64 << 10,
  key: 64 << 10,
  passphrase: 4 << 10,
  packet: 4 << 20,
  profile: 4 << 20,
  approval: 1 << 20,
  trust: 4 << 10,
} as const;

const sizeText = (n: number) => (n >= 1 << 20 ? `${n / (1 << 20)} MiB` : `${n / 1024} KiB`);

/**
 * Reads at most `cap` bytes of `path` (a file, a pipe, /dev/stdin…); a directory, a missing
 * file or anything longer is a UsageError naming `what`. `shownAs` replaces the path in
 * messages when the path itself may be a secret.
 */
export function readCapped(path: string, what: string, cap: number, shownAs: string = path): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`no such ${what}: ${shownAs}`);
    if (code === 'EACCES' || code === 'EPERM') throw new UsageError(`${what} ${shownAs} cannot be read: permission denied`);
    throw new UsageError(`${what} ${shownAs} cannot be opened (${code ?? 'error'})`);
  }
  try {
    if (fstatSync(fd).isDirectory()) throw new UsageError(`${what} ${shownAs} is a directory, not a file`);
    const buf = Buffer.allocUnsafe(cap + 1);
    let n = 0;
    for (;;) {
      let r: number;
      try {
        r = readSync(fd, buf, n, cap + 1 - n, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') continue;
        throw new UsageError(`${what} ${shownAs} cannot be read (${code ?? 'error'})`);
      }
      if (r === 0) break;
      n += r;
      if (n > cap) throw new UsageError(`${what} ${shownAs} is larger than ${sizeText(cap)}: not a ${what}`);
    }
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** readCapped, as UTF-8 text (invalid UTF-8 is an error, not U+FFFD). */
export function readCappedText(path: string, what: string, cap: number, shownAs: string = path): string {
  const bytes = readCapped(path, what, cap, shownAs);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(`${what} ${shownAs} is not UTF-8 text`);
  }
}

/** A file (or `-` for stdin) as an async iterable of byte chunks. Never read whole. */
export function openInput(path: string): { chunks: AsyncIterable<Uint8Array>; size?: number; name: string } {
  if (path === '-') return { chunks: process.stdin, name: 'stdin' };
  if (!existsSync(path)) throw new UsageError(`no such file: ${path}`);
  const st = statSync(path);
  if (!st.isFile()) throw new UsageError(`not a file: ${path}`);
  return { chunks: createReadStream(path, { highWaterMark: 1 << 20 }), size: st.size, name: path };
}

/** `genesis:HEX`, `key:HEX`, `pem:FILE` or `witness:VKEY` (docs/format.md "Bundles", §7.2 trust anchors; docs/format.md "MakerChecker AAPR v1" pinning). */
export function parseTrustArg(text: string): TrustAnchor {
  const i = text.indexOf(':');
  const kind = i < 0 ? '' : text.slice(0, i);
  const rest = text.slice(i + 1).trim();
  if (kind === 'genesis' || kind === 'key') {
    const hex = rest.toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(hex))
      throw new UsageError(
        `--trust ${kind}: expects 64 hex digits (${kind === 'genesis' ? 'the genesis leaf hash' : 'a key id: SHA-256 of the raw key, or of a MakerChecker SPKI'})`,
      );
    return { kind, hex };
  }
  if (kind === 'witness') {
    // docs/format.md §7.2: a C2SP verifier key; checked strictly here so a typo is a usage error.
    const k = parseWitnessKey(rest);
    if (!k.ok) throw new UsageError(`--trust witness: ${k.message}`);
    return { kind: 'witness', key: rest };
  }
  if (kind === 'pem') {
    const pem = readCappedText(rest, 'PEM file', CAPS.pem);
    if (!publicKeyFromPem(pem)) throw new UsageError(`--trust pem: ${rest} is not an Ed25519 public key PEM`);
    return { kind: 'pem', pem, label: rest };
  }
  throw new UsageError(`--trust takes genesis:HEX, key:HEX, pem:FILE or witness:VKEY, not ${JSON.stringify(text)}`);
}

/** The passphrase from --passphrase-file or COUNTERSIGN_PASSPHRASE; never from a bare argument. */
export function readPassphrase(file: string | undefined): string {
  if (file) {
    // Never echo the name: `--passphrase-file=hunter2` is a common slip, and the
    // "file name" is then the passphrase itself (issue 8, item 11).
    const shown = '(the name given to --passphrase-file, not shown in case it is the passphrase itself)';
    // One trailing newline is what editors and `echo` add; it is not part of the passphrase.
    return readCappedText(file, 'passphrase file', CAPS.passphrase, shown).replace(/\r?\n$/, '');
  }
  const env = process.env.COUNTERSIGN_PASSPHRASE;
  if (env !== undefined && env !== '') return env;
  throw new UsageError('a passphrase is needed: give --passphrase-file FILE or set COUNTERSIGN_PASSPHRASE');
}

/**
 * Reads a JSON file with the project's strict I-JSON reader (duplicate keys, lone
 * surrogates and the like are refused, as the wallet refuses them: issue 8, item 7).
 */
export function readJsonFile(path: string, what: string, cap: number = CAPS.packet): unknown {
  const text = readCappedText(path, what, cap);
  const r = parseJsonText(text.replace(/^\uFEFF/, ''));
  if (!r.ok) throw new UsageError(`${what} ${path} is not valid JSON: ${r.error.message} at ${r.error.path} (line ${r.error.line}, column ${r.error.column})`);
  return r.value;
}

export const isTty = (stream: NodeJS.WriteStream) => !!stream.isTTY && !process.env.NO_COLOR;
