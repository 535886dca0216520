// The signer: the only place where a wallet's secret key exists in plaintext.
//
// The page holds identities only as encrypted key/v1 files (docs/keyfile.md). To sign, it
// hands this worker the file and the passphrase once; the worker decrypts (scrypt +
// AES-256-GCM), keeps the 32-byte seed for the unlocked session, and answers with
// signatures, never with the key. After `idleMs` without use the session locks itself and
// the seed is overwritten with zeros. A reload ends the worker and so every session.
//
// It signs only the two statements a wallet needs, schema-checked and bound to the
// identity that signs: an approval whose approver is the key's principal, and the key's
// own enrollment. Nothing is thrown across comlink: failures are {ok:false, code, message}.
import * as Comlink from 'comlink';
import { signalFromPort, type BridgeResult } from '../src/shared/worker-bridge.ts';
import { decodeBase64, encodeBase64 } from '../src/core/encoding/base64.ts';
import type { SecretKey } from '../src/core/encoding/bytes.ts';
import { equalBytes } from '../src/core/encoding/bytes.ts';
import { generateSecretKey, getPublicKey, keyIdOf } from '../src/core/crypto/ed25519.ts';
import { DEFAULT_SCRYPT_N, decryptKeyFile, encryptKeyFile, parseKeyFile, type KeyFile } from '../src/core/crypto/key-file.ts';
import { signStatement } from '../src/core/statements/sign-statement.ts';
import { ApprovalSchema, EnrollmentSchema, describeZodError } from '../src/core/statements/schemas.ts';
import type { Envelope } from '../src/core/statements/schemas.ts';
import type { CreatedIdentity, ProgressFn, SessionStatus, SignerApi, UnlockedIdentity } from '../src/shared/signer-api.ts';
import { makeCosignatureFile } from '../src/core/log/witness-files.ts';
import { witnessNameProblem } from '../src/core/log/witness-key.ts';

/** key/v1 principal of witness keys (docs/format.md choice 38), as `countersign witness keygen` writes. */
const WITNESS_PRINCIPAL = 'witness';

interface Session {
  secret: SecretKey;
  principal: string;
  pub: string;
  /** The key file's display name; for a witness key, its C2SP witness name. */
  name: string;
  lastUsed: number;
}

const sessions = new Map<string, Session>();
let idleMs = 5 * 60_000;
/** Floor for the KDF cost a caller may ask for: keyfile.md's minimum. Default is 2^17. */
const MIN_N = 2 ** 14;

function lockOne(keyId: string): void {
  const s = sessions.get(keyId);
  if (!s) return;
  s.secret.fill(0);
  sessions.delete(keyId);
}

function sweep(): void {
  const now = Date.now();
  for (const [id, s] of sessions) if (now - s.lastUsed >= idleMs) lockOne(id);
}
setInterval(sweep, 500);

const fail = (code: string, message: string) => ({ ok: false as const, code, message });

function progressWithAbort(signal: AbortSignal, onProgress?: ProgressFn): (f: number) => void {
  let last = 0;
  return (f: number) => {
    if (signal.aborted) throw new DOMException('cancelled', 'AbortError');
    const now = Date.now();
    if (onProgress && (now - last > 100 || f === 1)) {
      last = now;
      void Promise.resolve(onProgress(f)).catch(() => {});
    }
  };
}

function open(keyId: string, secret: SecretKey, principal: string, pub: string, name = ''): void {
  lockOne(keyId);
  sessions.set(keyId, { secret, principal, pub, name, lastUsed: Date.now() });
}

async function unlockWith(keyFile: unknown, passphrase: string, signal: AbortSignal, onProgress?: ProgressFn): Promise<BridgeResult<UnlockedIdentity>> {
  const t0 = performance.now();
  let r;
  try {
    r = await decryptKeyFile(keyFile, passphrase, progressWithAbort(signal, onProgress));
  } catch (e) {
    if ((e as Error).name === 'AbortError') return fail('CANCELLED', 'cancelled');
    return fail('KEY.platform', `decryption failed: ${(e as Error).message}`);
  }
  if (!r.ok) return fail(r.code, r.code === 'KEY.passphrase' ? 'Wrong passphrase (or the key file was altered).' : r.message);
  const keyId = keyIdOf(r.publicKey);
  const pub = encodeBase64(r.publicKey);
  open(keyId, r.secretKey, r.principal, pub, r.name);
  return { ok: true, value: { keyId, principal: r.principal, name: r.name, pub, ms: Math.round(performance.now() - t0) } };
}

const api: SignerApi = {
  configure(opts: { idleMs?: number }): void {
    if (typeof opts?.idleMs === 'number' && opts.idleMs >= 1000 && opts.idleMs <= 24 * 3600_000) idleMs = opts.idleMs;
    sweep();
  },

  status(): SessionStatus[] {
    sweep();
    const now = Date.now();
    return [...sessions].map(([keyId, s]) => ({ keyId, remainingMs: Math.max(0, idleMs - (now - s.lastUsed)) }));
  },

  lock(keyId?: string): void {
    if (keyId === undefined) for (const id of [...sessions.keys()]) lockOne(id);
    else lockOne(keyId);
  },

  /** A new Ed25519 key, returned only as its key/v1 file; the session is left unlocked. */
  async createIdentity(
    args: { principal: string; name: string; passphrase: string; n?: number },
    port?: MessagePort,
    onProgress?: ProgressFn,
  ): Promise<BridgeResult<CreatedIdentity>> {
    const signal = signalFromPort(port);
    const t0 = performance.now();
    const n = args.n === undefined ? DEFAULT_SCRYPT_N : args.n;
    if (!Number.isSafeInteger(n) || n < MIN_N) return fail('KEY.format', `scrypt n must be at least 2^14`);
    const secret = generateSecretKey();
    try {
      const keyFile = await encryptKeyFile({
        secretKey: secret,
        principal: args.principal,
        name: args.name,
        passphrase: args.passphrase,
        n,
        onProgress: progressWithAbort(signal, onProgress),
      });
      const pub = getPublicKey(secret);
      const keyId = keyIdOf(pub);
      open(keyId, secret, args.principal, encodeBase64(pub), args.name);
      return { ok: true, value: { keyFile, keyId, pub: encodeBase64(pub), ms: Math.round(performance.now() - t0) } };
    } catch (e) {
      secret.fill(0);
      if ((e as Error).name === 'AbortError') return fail('CANCELLED', 'cancelled');
      return fail('KEY.format', (e as Error).message);
    }
  },

  /** Opens a backup file with its passphrase; the session is left unlocked. */
  async importIdentity(
    args: { text: string; passphrase: string },
    port?: MessagePort,
    onProgress?: ProgressFn,
  ): Promise<BridgeResult<UnlockedIdentity & { keyFile: KeyFile }>> {
    const parsed = parseKeyFile(args.text);
    if (!parsed.ok) return fail(parsed.code, `This is not a key/v1 backup file: ${parsed.message}`);
    const r = await unlockWith(parsed.file, args.passphrase, signalFromPort(port), onProgress);
    if (!r.ok) return r;
    return { ok: true, value: { ...r.value, keyFile: parsed.file } };
  },

  async unlock(args: { keyFile: KeyFile; passphrase: string }, port?: MessagePort, onProgress?: ProgressFn) {
    return unlockWith(args.keyFile, args.passphrase, signalFromPort(port), onProgress);
  },

  /**
   * Checks that a backup file restores the expected key: it must decrypt with the passphrase
   * to the same public key. The decrypted seed is wiped at once; no session is opened.
   */
  async checkBackup(
    args: { text: string; passphrase: string; expectedPub: string },
    port?: MessagePort,
    onProgress?: ProgressFn,
  ): Promise<BridgeResult<{ ms: number }>> {
    const t0 = performance.now();
    const parsed = parseKeyFile(args.text);
    if (!parsed.ok) return fail(parsed.code, `This is not a key/v1 backup file: ${parsed.message}`);
    let r;
    try {
      r = await decryptKeyFile(parsed.file, args.passphrase, progressWithAbort(signalFromPort(port), onProgress));
    } catch (e) {
      return fail((e as Error).name === 'AbortError' ? 'CANCELLED' : 'KEY.platform', (e as Error).message);
    }
    if (!r.ok) return fail(r.code, r.code === 'KEY.passphrase' ? 'Wrong passphrase (or the file was altered).' : r.message);
    const same = equalBytes(r.publicKey, decodeBase64(args.expectedPub));
    r.secretKey.fill(0);
    if (!same) return fail('KEY.other', 'This backup holds a different key than this identity.');
    return { ok: true, value: { ms: Math.round(performance.now() - t0) } };
  },

  /**
   * Signs an approval or the identity's own enrollment. Uses the unlocked session, or unlocks
   * it first when `unlock` (the key file and passphrase) is given.
   */
  async sign(
    args: { keyId: string; statement: unknown; unlock?: { keyFile: KeyFile; passphrase: string } },
    port?: MessagePort,
    onProgress?: ProgressFn,
  ): Promise<BridgeResult<{ envelope: Envelope; unlockMs: number | null }>> {
    sweep();
    let unlockMs: number | null = null;
    if (!sessions.has(args.keyId)) {
      if (!args.unlock) return fail('LOCKED', 'This identity is locked: enter its passphrase.');
      const r = await unlockWith(args.unlock.keyFile, args.unlock.passphrase, signalFromPort(port), onProgress);
      if (!r.ok) return r;
      if (r.value.keyId !== args.keyId) {
        lockOne(r.value.keyId);
        return fail('KEY.other', 'That key file is for another identity.');
      }
      unlockMs = r.value.ms;
    }
    const s = sessions.get(args.keyId)!;
    const st = args.statement as { type?: unknown };
    if (st?.type === 'approval') {
      const a = ApprovalSchema.safeParse(st);
      if (!a.success) return fail('STATEMENT', describeZodError(a.error, 'approval'));
      if (a.data.approver !== s.principal) return fail('STATEMENT', `this key belongs to ${s.principal}, not ${a.data.approver}`);
    } else if (st?.type === 'enrollment') {
      const e = EnrollmentSchema.safeParse(st);
      if (!e.success) return fail('STATEMENT', describeZodError(e.error, 'enrollment'));
      if (e.data.principal !== s.principal || e.data.pub !== s.pub) return fail('STATEMENT', 'an enrollment must name this key and its principal');
    } else return fail('STATEMENT', 'the wallet signs approvals and enrollments only');
    s.lastUsed = Date.now();
    return { ok: true, value: { envelope: signStatement(st as object, [s.secret]), unlockMs } };
  },

  /**
   * docs/format.md §7.2: cosigns a checkpoint note as a witness, with a key whose principal is
   * "witness" (never an approver's key) and its name as the witness name. Returns the
   * cosignature/v1 file text. The page calls this only after a verdict without errors.
   */
  async cosign(
    args: { keyId: string; note: string; timestamp: number; unlock?: { keyFile: KeyFile; passphrase: string } },
    port?: MessagePort,
    onProgress?: ProgressFn,
  ): Promise<BridgeResult<{ file: string; unlockMs: number | null }>> {
    sweep();
    let unlockMs: number | null = null;
    if (!sessions.has(args.keyId)) {
      if (!args.unlock) return fail('LOCKED', 'This witness key is locked: enter its passphrase.');
      const r = await unlockWith(args.unlock.keyFile, args.unlock.passphrase, signalFromPort(port), onProgress);
      if (!r.ok) return r;
      if (r.value.keyId !== args.keyId) {
        lockOne(r.value.keyId);
        return fail('KEY.other', 'That key file is for another witness key.');
      }
      unlockMs = r.value.ms;
    }
    const s = sessions.get(args.keyId)!;
    if (s.principal !== WITNESS_PRINCIPAL) return fail('KEY.other', 'Only a witness key cosigns checkpoints; this is an approver’s key.');
    const problem = witnessNameProblem(s.name);
    if (problem) return fail('KEY.other', `This key’s name is not a usable witness name: ${problem}.`);
    try {
      s.lastUsed = Date.now();
      return { ok: true, value: { file: makeCosignatureFile({ note: args.note, name: s.name, secretKey: s.secret, timestamp: args.timestamp }), unlockMs } };
    } catch (e) {
      return fail('STATEMENT', (e as Error).message);
    }
  },
};

Comlink.expose(api);
