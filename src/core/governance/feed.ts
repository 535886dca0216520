// The one path that feeds log entries into the governance replay (docs/format.md "The log
// and its checkpoints"): open the envelope, register the keys a genesis or roster brings,
// check or queue each signature, and replay the entry. The verifier, the reference gate and
// the wallet's log-profile check all feed entries through a GovernanceFeed; they differ only
// in the backend that checks signatures:
//
//   SYNC_SIGNATURES       checks each signature at once (the gate judging its next append,
//                         the wallet reading a profile)
//   BatchedSignatures     queues each check; the verifier runs a batch on its Ed25519 backend,
//                         settles the verdicts, then replays the batch's entries in order
//
// Checkpoints take the same path: prepareCheckpoint() checks (or queues) every signature line
// named for the log under each known key whose note key hash matches, and judgeCheckpoint()
// says whether one of them is the gate in force (judgements.ts).

import { decodeBase64 } from '../encoding/base64.ts';
import { encodeHex } from '../encoding/hex.ts';
import { keyIdOf, verifyStrict, type SigJob } from '../crypto/ed25519.ts';
import { openEnvelope, openValidEnvelope, type OpenedEnvelope } from '../statements/envelope.ts';
import type { FindingSink } from '../statements/findings.ts';
import type { Approval, Envelope, Statement } from '../statements/schemas.ts';
import { checkpointSignedMessage, keyNameProblem, noteKeyHash, type Checkpoint } from '../log/checkpoint.ts';
import { judgeCheckpointSignature, type CheckpointReason, type SignatureCheck } from './judgements.ts';
import { GovernanceReplay, type ReplayEntry, type ReplayObserver } from './replay.ts';
import type { ColdStore } from './record-log.ts';

/** Where a signature check goes. The returned check may be filled later (batched). */
export interface SignatureCheckBackend {
  check(keyId: string, publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array): SignatureCheck;
}

/** Checks at once with strict Ed25519 (RFC 8032 §5.1.7 plus the checks of docs/format.md "Bytes"). */
export const SYNC_SIGNATURES: SignatureCheckBackend = {
  check: (keyId, publicKey, signature, message) => ({ keyId, valid: verifyStrict(signature, message, publicKey) }),
};

/**
 * Queues checks for a batch: `valid` is false until settle() sets it from the batch's
 * verdicts. One job and one check per signature, in two parallel arrays.
 */
export class BatchedSignatures implements SignatureCheckBackend {
  #jobs: SigJob[] = [];
  #checks: SignatureCheck[] = [];

  check(keyId: string, publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array): SignatureCheck {
    const c: SignatureCheck = { keyId, valid: false };
    this.#checks.push(c);
    this.#jobs.push({ publicKey, signature, message });
    return c;
  }

  get size(): number {
    return this.#jobs.length;
  }

  /** Hands over the queued work and starts a new batch. */
  take(): { jobs: SigJob[]; checks: SignatureCheck[] } {
    const out = { jobs: this.#jobs, checks: this.#checks };
    this.#jobs = [];
    this.#checks = [];
    return out;
  }

  /** Writes a batch's verdicts into its checks. */
  static settle(checks: readonly SignatureCheck[], verdicts: readonly boolean[]): void {
    for (let i = 0; i < checks.length; i++) checks[i]!.valid = verdicts[i] === true;
  }
}

/**
 * Every key any roster of the log has held so far (docs/format.md "Bundles" SIG.unknown_key,
 * docs/format.md choice 4), by key id and by signed-note key hash under the origin.
 */
export class KeyRing {
  readonly known = new Map<string, Uint8Array>();
  readonly #byNoteHash = new Map<string, string[]>();
  constructor(readonly origin: string | null) {}

  register(principals: readonly { keys: readonly { pub: string }[] }[]): void {
    for (const p of principals)
      for (const k of p.keys) {
        const pub = decodeBase64(k.pub);
        const id = keyIdOf(pub);
        if (this.known.has(id)) continue;
        this.known.set(id, pub);
        // An origin that cannot be a key name has no note key hash (docs/format.md choice 51).
        if (this.origin !== null && keyNameProblem(this.origin) === null) {
          const h = encodeHex(noteKeyHash(this.origin, pub));
          const list = this.#byNoteHash.get(h);
          if (list) list.push(id);
          else this.#byNoteHash.set(h, [id]);
        }
      }
  }

  /** Key ids whose note key hash (hex) is `keyHashHex`. */
  byNoteHash(keyHashHex: string): readonly string[] {
    return this.#byNoteHash.get(keyHashHex) ?? [];
  }
}

/** A checkpoint's signature lines, checked or queued, waiting to be judged. */
export interface PreparedCheckpoint {
  /** Some signature line is named for the log (others are witnesses we do not know: docs/format.md "The log and its checkpoints"). */
  hasLogSignature: boolean;
  candidates: SignatureCheck[];
}

/** What the feed reads of an opened envelope (a pool worker's reply rebuilds just this). */
export type OpenedForFeed = Pick<OpenedEnvelope, 'digest' | 'signatures' | 'signedMessage'>;

export interface FeedOptions {
  /** false: integrity only, no request/policy state (benchmarks). Default true. */
  policy?: boolean;
  /** true (a verifier reading a whole log): unknown keys are judged at the end. Default true. */
  deferUnknownKeys?: boolean;
  /** Hears each request event (the report layer's request summaries). */
  observer?: ReplayObserver | null;
  /** Makes the cold stores the replay's tables spill to past a memory window (governance/record-log.ts). */
  spill?: (() => ColdStore) | null;
}

export class GovernanceFeed {
  readonly keys: KeyRing;
  readonly replay: GovernanceReplay;

  constructor(
    private readonly sink: FindingSink,
    readonly origin: string | null,
    private readonly backend: SignatureCheckBackend,
    options: FeedOptions = {},
  ) {
    this.keys = new KeyRing(origin);
    this.replay = new GovernanceReplay(sink, origin, options.policy ?? true, options.deferUnknownKeys ?? true, options.observer ?? null, options.spill ?? null);
  }

  /**
   * Opens an entry's envelope (attacker-controlled; `schemaChecked`: it already passed
   * EntrySchema), reports its problems, registers keys and checks or queues signatures.
   * Null when there is no statement to replay.
   */
  prepareEntry(envelope: Envelope | unknown, line: number, seq: number, schemaChecked = false): ReplayEntry | null {
    const { opened, problems } = schemaChecked ? openValidEnvelope(envelope as Envelope, 'entry.envelope') : openEnvelope(envelope, 'entry.envelope');
    for (let i = 0; i < problems.length; i++) this.sink.add(problems[i]!.code, line, problems[i]!.message, seq);
    if (!opened || !opened.statement) return null;
    return this.prepareOpened(opened, opened.statement, line, seq);
  }

  /** As prepareEntry, for an envelope the caller opened (and reported) itself. */
  prepareOpened(opened: OpenedForFeed, st: Statement, line: number, seq: number): ReplayEntry {
    if (st.type === 'genesis') this.keys.register(st.roster.principals);
    const r: ReplayEntry = { line, seq, statement: st, digest: opened.digest, signatures: this.#check(opened) };
    // A roster is signed by the roster before it: its keys count from the next entry on.
    if (st.type === 'roster') this.keys.register(st.principals);
    if (st.type === 'refusal') {
      // The refused approval travels whole inside the refusal (docs/format.md "Countersign statements and envelopes" "refusal").
      const a = openEnvelope(st.attempt, 'refusal.attempt');
      const problems = a.problems.map((p) => `${p.code}: ${p.message}`);
      if (a.opened) {
        const ap = a.opened.statement;
        r.attempt = {
          statement: ap && ap.type === 'approval' ? (ap as Approval) : null,
          digest: a.opened.digest,
          signatures: this.#check(a.opened),
          problems: ap && ap.type !== 'approval' ? [...problems, `the attempt is a ${ap.type}`] : problems,
        };
      } else r.attempt = { statement: null, digest: '', signatures: [], problems };
    }
    return r;
  }

  /** Replays a prepared entry; a batched caller calls this once the entry's checks are settled. */
  apply(entry: ReplayEntry): void {
    this.replay.apply(entry);
  }

  /** Prepare and apply at once (synchronous backends). Returns the replayed entry, or null. */
  feedEntry(envelope: Envelope | unknown, line: number, seq: number): ReplayEntry | null {
    const r = this.prepareEntry(envelope, line, seq);
    if (r) this.apply(r);
    return r;
  }

  #check(opened: OpenedForFeed): SignatureCheck[] {
    const out: SignatureCheck[] = [];
    for (const s of opened.signatures) {
      const pub = this.keys.known.get(s.keyId);
      // A verdict a pool worker reached under this same key (the key id is the key's hash) is
      // taken as is; one for a key no roster has held so far is not (valid: null, as always).
      out.push(
        !pub
          ? { keyId: s.keyId, valid: null }
          : s.verified !== undefined
            ? { keyId: s.keyId, valid: s.verified }
            : this.backend.check(s.keyId, pub, s.signature, opened.signedMessage),
      );
    }
    return out;
  }

  /** Checks or queues every signature line of a checkpoint named for the log, under each key its key hash names. */
  prepareCheckpoint(cp: Checkpoint): PreparedCheckpoint {
    const message = checkpointSignedMessage(cp);
    const candidates: SignatureCheck[] = [];
    let hasLogSignature = false;
    for (const s of cp.signatures) {
      if (s.name !== this.origin) continue; // cosignatures by witnesses we do not know: ignored (docs/format.md "The log and its checkpoints")
      hasLogSignature = true;
      if (s.signature.length !== 64) continue;
      for (const id of this.keys.byNoteHash(encodeHex(s.keyHash))) candidates.push(this.backend.check(id, this.keys.known.get(id)!, s.signature, message));
    }
    return { hasLogSignature, candidates };
  }

  /** Whether a prepared (and settled) checkpoint is signed by the gate in force now (docs/format.md choice 15). */
  judgeCheckpoint(p: PreparedCheckpoint): { reason: null; keyId: string } | { reason: CheckpointReason } {
    return judgeCheckpointSignature(p.hasLogSignature, p.candidates, this.replay.gateKeysInForce());
  }
}
