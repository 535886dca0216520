// C2SP tlog-cosignature v1 lines (docs/format.md §7.2): a witness's extra signature line on a
// checkpoint note,
//
//   — <witness name> base64(key hash[4] || timestamp[8, big-endian] || Ed25519 signature[64])
//
// over the message `cosignature/v1\ntime <timestamp>\n` followed by the checkpoint body
// (every body line with its newline, extension lines included; no signature lines).
// This module is the one place that makes and checks such lines; the verifier, the CLI's
// witness commands and the page's witness all call it.
import { assertBytes, concatBytes, equalBytes, type SecretKey } from '../encoding/bytes.ts';
import { encodeBase64 } from '../encoding/base64.ts';
import { encodeHex } from '../encoding/hex.ts';
import { encodeUtf8 } from '../encoding/utf8.ts';
import { getPublicKey, sign, verifyStrict } from '../crypto/ed25519.ts';
import { formatInstant } from '../statements/time.ts';
import { parseCheckpoint, type Checkpoint, type NoteSignature } from './checkpoint.ts';
import { formatWitnessKey, witnessKeyHash, type WitnessKey } from './witness-key.ts';

/** tlog-cosignature: "timestamp ... MUST be at most 2^63 - 1". */
export const MAX_COSIGNATURE_TIME = (1n << 63n) - 1n;
const DASH = '\u2014 ';

/** `cosignature/v1\ntime <T>\n` || body: the bytes a witness signs. */
export function cosignatureMessage(body: string, timestamp: bigint | number): Uint8Array {
  if (typeof body !== 'string' || !body.endsWith('\n')) throw new TypeError('body must be checkpoint body text ending in a newline');
  const t = toTimestamp(timestamp);
  return encodeUtf8(`cosignature/v1\ntime ${t.toString()}\n${body}`);
}

function toTimestamp(timestamp: bigint | number): bigint {
  if (typeof timestamp === 'number') {
    if (!Number.isSafeInteger(timestamp)) throw new RangeError('timestamp must be an integer number of seconds');
    timestamp = BigInt(timestamp);
  }
  if (typeof timestamp !== 'bigint') throw new TypeError('timestamp must be a number or bigint');
  if (timestamp < 0n || timestamp > MAX_COSIGNATURE_TIME) throw new RangeError('timestamp must be in [0, 2^63 - 1]');
  return timestamp;
}

/**
 * Signs the checkpoint `body` as witness `name` at `timestamp` (seconds since the epoch) and
 * returns the signature line, without its final newline.
 */
export function makeCosignatureLine(args: { body: string; name: string; secretKey: SecretKey; timestamp: bigint | number }): string {
  if (args === null || typeof args !== 'object') throw new TypeError('makeCosignatureLine needs an arguments object');
  const { body, name, secretKey } = args;
  assertBytes(secretKey, 32, 'secretKey');
  const t = toTimestamp(args.timestamp);
  const keyHash = witnessKeyHash(name, getPublicKey(secretKey));
  const ts = new Uint8Array(8);
  new DataView(ts.buffer).setBigUint64(0, t, false);
  const sig = sign(cosignatureMessage(body, t), secretKey);
  return `${DASH}${name} ${encodeBase64(concatBytes(keyHash, ts, sig))}`;
}

/**
 * Adds a cosignature line to a checkpoint note, replacing an earlier line of the same witness
 * (same name and key hash) so that re-cosigning never stacks lines. The body and every other
 * signature line stay byte for byte.
 */
export function addCosignatureLine(note: string, line: string): string {
  const p = parseCheckpoint(note);
  if (!p.ok) throw new RangeError(`not a checkpoint note: ${p.message}`);
  const l = line.endsWith('\n') ? line.slice(0, -1) : line;
  const q = parseCheckpoint(`${p.checkpoint.body}\n${l}\n`);
  if (!q.ok || q.checkpoint.signatures.length !== 1) throw new RangeError(`not a signature line: ${q.ok ? 'more than one line' : q.message}`);
  const added = q.checkpoint.signatures[0]!;
  const sigLines = note.slice(p.checkpoint.body.length + 1, -1).split('\n');
  const kept = sigLines.filter((_, i) => !isLineOf(p.checkpoint.signatures[i]!, added));
  return `${p.checkpoint.body}\n${[...kept, l].join('\n')}\n`;
}

export type CosignatureStatus = 'valid' | 'invalid' | 'unchecked';

/** One cosignature line of a checkpoint, as the report lists it (docs/format.md §7.2). */
export interface CosignatureInfo {
  name: string;
  /** Hex of the 4-byte key hash on the line. */
  keyHash: string;
  /** valid/invalid: checked against a given witness key; unchecked: no such witness given. */
  status: CosignatureStatus;
  /** The cosigning time, when the line is long enough to carry one. */
  timestamp?: string;
  /** RFC 3339 of the timestamp, when it is a representable instant. */
  time?: string;
  /** The given witness key (verifier-key text) the line was checked against. */
  witness?: string;
  /** Why an invalid line failed. */
  reason?: string;
}

function readTimestamp(sig: NoteSignature): bigint | null {
  if (sig.signature.length < 8) return null;
  return new DataView(sig.signature.buffer, sig.signature.byteOffset, 8).getBigUint64(0, false);
}

function timeText(t: bigint): string | undefined {
  // Date covers ±8.64e12 s; anything beyond is shown as the raw number only.
  return t <= 8_640_000_000_000n ? formatInstant({ sec: Number(t), nanos: 0 }) : undefined;
}

/** Whether `sig` is a line of witness `key` (name and key hash both match, as C2SP matches). */
export function isLineOf(sig: NoteSignature, key: Pick<WitnessKey, 'name' | 'keyHash'>): boolean {
  return sig.name === key.name && equalBytes(sig.keyHash, key.keyHash);
}

/**
 * Checks one cosignature line against a witness key whose name and key hash it carries.
 * Attacker-controlled: the line's bytes. Invalid when the line is not 4 + 8 + 64 bytes, the
 * timestamp exceeds 2^63 - 1, or the Ed25519 signature does not verify (strict rules, §1).
 */
export function checkCosignature(
  cp: Checkpoint,
  sig: NoteSignature,
  key: WitnessKey,
): { valid: true; timestamp: bigint } | { valid: false; reason: string; timestamp?: bigint } {
  if (!isLineOf(sig, key)) return { valid: false, reason: "the line is not this witness's (name or key hash differs)" };
  if (sig.signature.length !== 72)
    return { valid: false, reason: `the line carries ${sig.signature.length} bytes after the key hash, want 72 (timestamp and signature)` };
  const t = readTimestamp(sig)!;
  if (t > MAX_COSIGNATURE_TIME) return { valid: false, reason: `timestamp ${t} exceeds 2^63 - 1`, timestamp: t };
  const ok = verifyStrict(sig.signature.subarray(8), cosignatureMessage(cp.body, t), key.publicKey);
  return ok ? { valid: true, timestamp: t } : { valid: false, reason: 'the Ed25519 cosignature does not verify', timestamp: t };
}

/**
 * Lists every cosignature line of `cp` (every line not named `logName`), checking those of
 * given witnesses. A line that names a given witness but carries another key hash is not that
 * witness's line (C2SP: verifiers match name and key hash) and is listed unchecked.
 */
export function listCosignatures(cp: Checkpoint, witnesses: readonly WitnessKey[], logName: string): CosignatureInfo[] {
  const out: CosignatureInfo[] = [];
  const checked = new Set<WitnessKey>();
  for (const sig of cp.signatures) {
    if (sig.name === logName) continue;
    const info: CosignatureInfo = { name: sig.name, keyHash: encodeHex(sig.keyHash), status: 'unchecked' };
    const t = sig.signature.length === 72 ? readTimestamp(sig) : null;
    if (t !== null) {
      info.timestamp = t.toString();
      const tt = timeText(t);
      if (tt) info.time = tt;
    }
    const key = witnesses.find((w) => isLineOf(sig, w));
    if (key && checked.has(key)) {
      info.reason = 'a second line of the same witness on this checkpoint: not checked, not counted';
    } else if (key) {
      checked.add(key);
      const r = checkCosignature(cp, sig, key);
      info.status = r.valid ? 'valid' : 'invalid';
      info.witness = formatWitnessKey(key.name, key.publicKey);
      if (!r.valid) info.reason = r.reason;
    }
    out.push(info);
  }
  return out;
}
