// The gate's guard: before it appends an entry, the gate feeds it to the verifier's own replay
// through the one feed path (governance/feed.ts), signatures checked at once, and refuses what
// the verifier would fail (docs/format.md choice 4: nothing is deferred). A checkpoint already
// in a resumed bundle is judged the same way (CKPT.signature, choice 15).
import { FindingSink, type Finding } from '../statements/findings.ts';
import type { Entry, Statement } from '../statements/schemas.ts';
import { parseCheckpoint } from '../log/checkpoint.ts';
import { GovernanceFeed, SYNC_SIGNATURES } from '../governance/feed.ts';
import { CHECKPOINT_REASON_TABLE } from '../governance/reasons.ts';
import { LogRefusedError } from './gate-types.ts';

export interface Checked {
  statement: Statement | null;
  digest: string | null;
  errors: Finding[];
  findings: Finding[];
}

export class AppendGuard {
  readonly #sink = new FindingSink(Number.MAX_SAFE_INTEGER);
  readonly feed: GovernanceFeed;

  constructor(origin: string) {
    // The gate judges each entry before it appends it: nothing is deferred (docs/format.md choice 4).
    this.feed = new GovernanceFeed(this.#sink, origin, SYNC_SIGNATURES, { deferUnknownKeys: false });
  }

  /** Feeds entry `seq` to the replay, as the verifier would, and returns what it found. */
  check(entry: Entry, seq: number, line: number): Checked {
    const before = this.#sink.findings.length;
    const r = this.feed.feedEntry(entry.envelope, line, seq);
    const findings = this.#sink.findings.slice(before);
    return { statement: r?.statement ?? null, digest: r?.digest ?? null, findings, errors: findings.filter((f) => f.severity === 'error') };
  }

  /** Key ids of the gate principal in the roster in force (docs/format.md "The log and its checkpoints"). */
  gateKeys(): Set<string> {
    return this.feed.replay.gateKeysInForce();
  }

  /** A checkpoint already in a bundle must be signed by a gate key in force there (CKPT.signature). */
  checkCheckpoint(note: string, line: number, origin: string, gateId: string): void {
    const p = parseCheckpoint(note);
    const j = p.ok && p.checkpoint.origin === origin ? this.feed.judgeCheckpoint(this.feed.prepareCheckpoint(p.checkpoint)) : null;
    if (!j || j.reason !== null)
      throw new LogRefusedError(`the bundle's checkpoint on line ${line}`, [
        { code: 'CKPT.signature', severity: 'error', line, message: CHECKPOINT_REASON_TABLE[j?.reason ?? 'not_gate_signed'].words({ origin, gate: gateId }) },
      ]);
  }
}
