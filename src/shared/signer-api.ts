// What the signer worker (workers/signer.worker.ts) offers the page, typed once for both
// sides of the comlink bridge (worker-bridge.ts). The page never sees a plaintext key:
// it passes encrypted key/v1 files and passphrases in and gets envelopes back. Nothing
// here throws across the bridge: every fallible call answers a BridgeResult.

import type { BridgeResult } from './worker-bridge.ts';
import type { KeyFile } from '../core/crypto/key-file.ts';
import type { Envelope } from '../core/statements/schemas.ts';

export interface SessionStatus {
  keyId: string;
  /** Milliseconds until the session locks itself. */
  remainingMs: number;
}

export interface CreatedIdentity {
  keyFile: KeyFile;
  keyId: string;
  pub: string;
  ms: number;
}

export interface UnlockedIdentity {
  keyId: string;
  principal: string;
  name: string;
  pub: string;
  ms: number;
}

export type ProgressFn = (fraction: number) => void;

export interface SignerApi {
  /** Sets the idle time after which a session locks itself (1 s to 24 h). */
  configure(opts: { idleMs?: number }): void;
  status(): SessionStatus[];
  /** Locks one session, or every session when no key id is given. */
  lock(keyId?: string): void;
  /** A new Ed25519 key, returned only as its key/v1 file; the session is left unlocked. */
  createIdentity(
    args: { principal: string; name: string; passphrase: string; n?: number },
    port?: MessagePort,
    onProgress?: ProgressFn,
  ): Promise<BridgeResult<CreatedIdentity>>;
  /** Opens a backup file with its passphrase; the session is left unlocked. */
  importIdentity(
    args: { text: string; passphrase: string },
    port?: MessagePort,
    onProgress?: ProgressFn,
  ): Promise<BridgeResult<UnlockedIdentity & { keyFile: KeyFile }>>;
  unlock(args: { keyFile: KeyFile; passphrase: string }, port?: MessagePort, onProgress?: ProgressFn): Promise<BridgeResult<UnlockedIdentity>>;
  /** Checks that a backup file decrypts with the passphrase to the expected public key. */
  checkBackup(
    args: { text: string; passphrase: string; expectedPub: string },
    port?: MessagePort,
    onProgress?: ProgressFn,
  ): Promise<BridgeResult<{ ms: number }>>;
  /** Signs an approval or the identity's own enrollment, unlocking first when `unlock` is given. */
  sign(
    args: { keyId: string; statement: unknown; unlock?: { keyFile: KeyFile; passphrase: string } },
    port?: MessagePort,
    onProgress?: ProgressFn,
  ): Promise<BridgeResult<{ envelope: Envelope; unlockMs: number | null }>>;
  /**
   * docs/format.md §7.2: cosigns a checkpoint note as a witness (a key whose principal is
   * "witness"), unlocking first when `unlock` is given. Answers the cosignature/v1 file text.
   */
  cosign(
    args: { keyId: string; note: string; timestamp: number; unlock?: { keyFile: KeyFile; passphrase: string } },
    port?: MessagePort,
    onProgress?: ProgressFn,
  ): Promise<BridgeResult<{ file: string; unlockMs: number | null }>>;
}
