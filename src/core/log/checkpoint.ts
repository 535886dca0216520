// Checkpoints (docs/format.md "The log and its checkpoints"): a C2SP signed-note whose text is a C2SP tlog-checkpoint body.
//
//   <origin>\n<N>\n<base64 root>\n[<extension line>\n...]
//   \n
//   — <key name> <base64(4-byte key hash || signature)>\n   (one or more)
//
// The parser is strict and total: any string gets a verdict, never an exception, and a
// rejection says which line is wrong and why (the verifier shows it to a human).
import { assertBytes, concatBytes, type Digest, type SecretKey } from '../encoding/bytes.ts';
import { decodeBase64, encodeBase64 } from '../encoding/base64.ts';
import { encodeUtf8 } from '../encoding/utf8.ts';
import { sha256 } from '../crypto/hash.ts';
import { getPublicKey, sign } from '../crypto/ed25519.ts';

export type NoteSignature = {
  name: string;
  /** The 4-byte key ID (C2SP signed-note §Signatures). */
  keyHash: Uint8Array;
  /** The bytes after the key ID: 64 for Ed25519, anything for foreign signature types. */
  signature: Uint8Array;
};

/** The §7.1 extension line's versions (docs/format.md §7.1). */
export type GovernanceVersions = { roster: number; policy: number };

export type Checkpoint = {
  origin: string;
  size: number;
  root: Digest;
  /** The signed note text: every body line including the final newline. */
  body: string;
  signatures: NoteSignature[];
  /** Body lines after the root (tlog-checkpoint extension lines), verbatim. */
  extensions: string[];
  /**
   * The versions of the one well-formed `countersign/governance` line (docs/format.md "Witnesses"), or
   * null when there is none or the extensions are not exactly that line.
   */
  governance: GovernanceVersions | null;
  /**
   * Why the extension lines are not what §7.1 allows (a malformed governance line, another
   * extension, two lines), or null. Not a parse failure: the note is still well formed, and
   * a verifier reports this as `CKPT.extension`.
   */
  extensionProblem: string | null;
};

export type ParseCheckpointResult = { ok: true; checkpoint: Checkpoint } | { ok: false; message: string };

/** Signed-note §Format: "Verifiers SHOULD apply a maximum ... MUST accept at least 16". */
const MAX_SIGNATURES = 100;
const DASH = '\u2014 ';

/** Signed-note key names: non-empty, no Unicode spaces, no '+'. */
export function keyNameProblem(name: string): string | null {
  if (name.length === 0) return 'key name is empty';
  if (/\s/u.test(name)) return `key name ${JSON.stringify(name)} contains a space`;
  if (name.includes('+')) return `key name ${JSON.stringify(name)} contains "+"`;
  return null;
}

/** Signed-note §Format: valid UTF-8 (no lone surrogates in a JS string), no C0 control but \n. */
function textProblem(text: string): string | null {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) return `checkpoint contains control character U+${c.toString(16).padStart(4, '0').toUpperCase()} at offset ${i}`;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      else return `checkpoint contains a lone surrogate at offset ${i}`;
    } else if (c >= 0xdc00 && c <= 0xdfff) return `checkpoint contains a lone surrogate at offset ${i}`;
  }
  return null;
}

function parseSignatureLine(line: string, where: string): NoteSignature | string {
  if (!line.startsWith(DASH)) return `${where}: signature line must start with "\u2014 " (U+2014, space)`;
  const rest = line.slice(DASH.length);
  const sp = rest.indexOf(' ');
  if (sp < 0) return `${where}: signature line needs "<key name> <base64>"`;
  const name = rest.slice(0, sp);
  const nameProblem = keyNameProblem(name);
  if (nameProblem) return `${where}: ${nameProblem}`;
  const b64 = rest.slice(sp + 1);
  let raw: Uint8Array;
  try {
    raw = decodeBase64(b64);
  } catch (e) {
    return `${where}: signature is not strict base64 (${(e as Error).message})`;
  }
  if (raw.length < 5) return `${where}: signature decodes to ${raw.length} bytes, need a 4-byte key hash and a signature`;
  return { name, keyHash: raw.slice(0, 4), signature: raw.slice(4) };
}

/** Parses a checkpoint note. Never throws. */
export function parseCheckpoint(text: string): ParseCheckpointResult {
  const fail = (message: string): ParseCheckpointResult => ({ ok: false, message });
  if (typeof text !== 'string') return fail('checkpoint must be a string');
  if (text.length === 0) return fail('checkpoint is empty');
  const bad = textProblem(text);
  if (bad) return fail(bad);
  if (!text.endsWith('\n')) return fail('checkpoint does not end with a newline');
  const lines = text.slice(0, -1).split('\n');
  const blanks: number[] = [];
  lines.forEach((l, i) => l === '' && blanks.push(i));
  if (blanks.length === 0) return fail('checkpoint has no blank line between body and signatures');
  const sep = blanks[blanks.length - 1]!;
  // tlog-checkpoint: body lines are all non-empty, so the only blank line is the separator.
  if (blanks.length > 1) return fail(`checkpoint line ${blanks[0]! + 1}: unexpected blank line (only one may separate body and signatures)`);
  if (sep === 0) return fail('checkpoint line 1: origin is empty');
  if (sep === lines.length - 1) return fail('checkpoint has no signature lines');
  const bodyLines = lines.slice(0, sep);
  if (bodyLines.length < 3) return fail(`checkpoint body has ${bodyLines.length} line(s), need origin, size and root`);
  if (lines.length - sep - 1 > MAX_SIGNATURES) return fail(`checkpoint has more than ${MAX_SIGNATURES} signature lines`);

  const [origin, sizeText, rootText] = bodyLines as [string, string, string];
  if (!/^[0-9]+$/.test(sizeText)) return fail(`checkpoint line 2: size ${JSON.stringify(sizeText)} is not a decimal integer`);
  if (sizeText.length > 1 && sizeText.startsWith('0')) return fail(`checkpoint line 2: size ${JSON.stringify(sizeText)} has leading zeros`);
  const size = Number(sizeText);
  if (sizeText.length > 16 || !Number.isSafeInteger(size)) return fail(`checkpoint line 2: size ${sizeText} exceeds 2^53 - 1`);
  let root: Uint8Array;
  try {
    root = decodeBase64(rootText);
  } catch (e) {
    return fail(`checkpoint line 3: root is not strict base64 (${(e as Error).message})`);
  }
  if (root.length !== 32) return fail(`checkpoint line 3: root decodes to ${root.length} bytes, want 32`);

  const signatures: NoteSignature[] = [];
  for (let i = sep + 1; i < lines.length; i++) {
    const sig = parseSignatureLine(lines[i]!, `checkpoint line ${i + 1}`);
    if (typeof sig === 'string') return fail(sig);
    signatures.push(sig);
  }
  const body = bodyLines.join('\n') + '\n';
  const extensions = bodyLines.slice(3);
  const ext = readExtensions(extensions);
  return {
    ok: true,
    checkpoint: { origin, size, root: root as Digest, body, signatures, extensions, governance: ext.governance, extensionProblem: ext.problem },
  };
}

const GOVERNANCE_PREFIX = 'countersign/governance ';
const VERSION = /^(0|[1-9][0-9]{0,15})$/;

/**
 * docs/format.md "Witnesses": `countersign/governance roster <r> policy <p>`, ASCII decimal, no leading
 * zeros, single spaces. Returns the versions or a message naming what is wrong.
 * Attacker-controlled: the line comes from a checkpoint in a file.
 */
export function parseGovernanceLine(line: string): { ok: true; versions: GovernanceVersions } | { ok: false; message: string } {
  if (typeof line !== 'string') return { ok: false, message: 'extension line must be a string' };
  const parts = line.split(' ');
  if (parts.length !== 5 || parts[0] + ' ' !== GOVERNANCE_PREFIX || parts[1] !== 'roster' || parts[3] !== 'policy')
    return { ok: false, message: `extension line ${JSON.stringify(line)} is not "countersign/governance roster <r> policy <p>"` };
  const nums: number[] = [];
  for (const [field, text] of [
    ['roster', parts[2]!],
    ['policy', parts[4]!],
  ] as const) {
    if (!VERSION.test(text))
      return { ok: false, message: `extension line: ${field} version ${JSON.stringify(text)} is not a decimal integer without leading zeros` };
    const n = Number(text);
    if (!Number.isSafeInteger(n)) return { ok: false, message: `extension line: ${field} version ${text} exceeds 2^53 - 1` };
    nums.push(n);
  }
  return { ok: true, versions: { roster: nums[0]!, policy: nums[1]! } };
}

/** `countersign/governance roster <r> policy <p>` (no newline). */
export function formatGovernanceLine(versions: GovernanceVersions): string {
  if (versions === null || typeof versions !== 'object') throw new TypeError('versions must be an object {roster, policy}');
  for (const f of ['roster', 'policy'] as const) {
    const v = versions[f];
    if (typeof v !== 'number') throw new TypeError(`${f} version must be a number`);
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${f} version must be an integer in [0, 2^53 - 1]`);
  }
  return `${GOVERNANCE_PREFIX}roster ${versions.roster} policy ${versions.policy}`;
}

/** docs/format.md §7.1: at most one extension line, and only the governance line. */
function readExtensions(lines: string[]): { governance: GovernanceVersions | null; problem: string | null } {
  if (lines.length === 0) return { governance: null, problem: null };
  if (lines.length > 1)
    return { governance: null, problem: `checkpoint has ${lines.length} extension lines; only one "countersign/governance" line is allowed` };
  const p = parseGovernanceLine(lines[0]!);
  return p.ok ? { governance: p.versions, problem: null } : { governance: null, problem: `checkpoint line 4: ${p.message}` };
}

/** C2SP signed-note Ed25519 key ID: SHA-256(name || 0x0A || 0x01 || pub)[:4]. */
export function noteKeyHash(name: string, publicKey: Uint8Array): Uint8Array {
  if (typeof name !== 'string') throw new TypeError('key name must be a string');
  const problem = keyNameProblem(name);
  if (problem) throw new RangeError(problem);
  assertBytes(publicKey, 32, 'publicKey');
  return sha256(concatBytes(encodeUtf8(name), Uint8Array.of(0x0a, 0x01), publicKey)).slice(0, 4);
}

/**
 * `<origin>\n<size>\n<base64 root>\n`, plus the §7.1 line
 * `countersign/governance roster <r> policy <p>\n` when `governance` is given.
 */
export function formatCheckpointBody(origin: string, size: number, root: Digest, governance?: GovernanceVersions): string {
  if (typeof origin !== 'string') throw new TypeError('origin must be a string');
  if (origin.length === 0) throw new RangeError('origin must not be empty');
  if (textProblem(origin) !== null || origin.includes('\n')) throw new RangeError('origin must be one line without control characters or lone surrogates');
  if (typeof size !== 'number') throw new TypeError('size must be a number');
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError('size must be an integer in [0, 2^53 - 1]');
  assertBytes(root, 32, 'root');
  const ext = governance === undefined ? '' : formatGovernanceLine(governance) + '\n';
  return `${origin}\n${size}\n${encodeBase64(root)}\n${ext}`;
}

/**
 * Signs a checkpoint with Ed25519 under key name `name` (default: the origin, as docs/format.md "The log and its checkpoints"
 * requires for the log's own signature) and returns the full note text. `extraSignatures` are
 * complete signature lines from other signers (e.g. witnesses), appended after the log's own.
 */
export function signCheckpoint(args: {
  origin: string;
  size: number;
  root: Digest;
  secretKey: SecretKey;
  name?: string;
  extraSignatures?: string[];
  /** Writes the §7.1 governance extension line with these versions. */
  governance?: GovernanceVersions;
}): string {
  if (args === null || typeof args !== 'object') throw new TypeError('signCheckpoint needs an arguments object');
  const { origin, size, root, secretKey, name = origin, extraSignatures = [], governance } = args;
  const body = formatCheckpointBody(origin, size, root, governance);
  const keyHash = noteKeyHash(name, getPublicKey(secretKey));
  const sig = sign(encodeUtf8(body), secretKey);
  let text = `${body}\n${DASH}${name} ${encodeBase64(concatBytes(keyHash, sig))}\n`;
  if (!Array.isArray(extraSignatures)) throw new TypeError('extraSignatures must be an array of strings');
  for (const [i, extra] of extraSignatures.entries()) {
    if (typeof extra !== 'string') throw new TypeError('extraSignatures must be an array of strings');
    const line = extra.endsWith('\n') ? extra.slice(0, -1) : extra;
    const parsed = line.includes('\n') ? `extra signature ${i}: contains a newline` : parseSignatureLine(line, `extra signature ${i}`);
    if (typeof parsed === 'string') throw new RangeError(parsed);
    text += line + '\n';
  }
  return text;
}

/** The bytes every checkpoint signature covers: the UTF-8 body including its final newline. */
export function checkpointSignedMessage(cp: Checkpoint): Uint8Array {
  if (cp === null || typeof cp !== 'object' || typeof cp.body !== 'string') throw new TypeError('checkpoint must have a body');
  return encodeUtf8(cp.body);
}
