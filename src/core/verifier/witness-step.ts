// The verifier's witness steps (docs/format.md §7.2), self-contained so that the named steps
// of countersign.ts call them with one line each:
//
//   afterLeaf        every remembered size m the stream reaches: root(m) against the
//                    remembered root (WITNESS.fork); a pure integer compare otherwise
//   readCosignatures every checkpoint line of this origin: each cosignature line of a given
//                    witness is checked (WITNESS.signature)
//   anchored         the last valid checkpoint (note and the gate key that signed it)
//   finish           WITNESS.truncated, WITNESS.quorum on the last valid checkpoint, and the
//                    report's `witness` section (every cosignature, forks with both checkpoints)
import type { Digest } from '../encoding/bytes.ts';
import { encodeBase64 } from '../encoding/base64.ts';
import { equalBytes } from '../encoding/bytes.ts';
import type { Checkpoint } from '../log/checkpoint.ts';
import { checkCosignature, isLineOf, listCosignatures } from '../log/cosignature.ts';
import { formatWitnessKey, type WitnessKey } from '../log/witness-key.ts';
import { rememberedFor, type RememberedCheckpoint } from '../log/remembered.ts';
import type { FindingSink } from '../statements/findings.ts';
import type { ForkReport, WitnessReport } from './report-v1.ts';

export interface WitnessStepOptions {
  witnesses: readonly WitnessKey[];
  /** K of docs/format.md §7.2; default: every given witness. */
  quorum?: number;
  remembered: readonly RememberedCheckpoint[];
}

export class WitnessStep {
  readonly #sink: FindingSink;
  readonly #witnesses: readonly WitnessKey[];
  readonly #quorum: number;
  readonly #all: readonly RememberedCheckpoint[];
  #origin: string | null = null;
  #mine: RememberedCheckpoint[] = [];
  #next = 0; // index into #mine of the next size to check
  #nextSize = Infinity;
  #forks: ForkReport[] = [];
  #last: { checkpoint: Checkpoint; note: string; key: Uint8Array } | null = null;

  constructor(sink: FindingSink, opts: WitnessStepOptions) {
    this.#sink = sink;
    // One key per (name, key hash): a witness given twice counts once.
    const seen = new Set<string>();
    this.#witnesses = opts.witnesses.filter((w) => {
      const k = formatWitnessKey(w.name, w.publicKey);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    this.#quorum = opts.quorum ?? this.#witnesses.length;
    this.#all = opts.remembered;
  }

  get active(): boolean {
    return this.#witnesses.length > 0 || this.#all.length > 0;
  }

  setOrigin(origin: string | null): void {
    this.#origin = origin;
    // Size 0 proves nothing (every history extends the empty one).
    this.#mine = rememberedFor(this.#all, origin).filter((c) => c.size > 0);
    this.#next = 0;
    this.#nextSize = this.#mine.length ? this.#mine[0]!.size : Infinity;
  }

  /** Called after each leaf with the tree size it made. Cheap unless `size` is remembered. */
  afterLeaf(size: number, root: () => Digest, line: number): void {
    if (size !== this.#nextSize) return;
    const r = root();
    while (this.#next < this.#mine.length && this.#mine[this.#next]!.size === size) {
      const c = this.#mine[this.#next++]!;
      if (!equalBytes(c.root, r)) {
        this.#sink.add(
          'WITNESS.fork',
          line,
          `the root over the first ${size} entries differs from the remembered checkpoint of size ${size}: the gate signed two different histories`,
          size - 1,
        );
        this.#forks.push({
          size,
          remembered: c.note,
          rememberedKey: encodeBase64(c.key),
          rootAtSize: encodeBase64(r),
          conflicting: null,
          conflictingKey: null,
        });
      }
    }
    this.#nextSize = this.#next < this.#mine.length ? this.#mine[this.#next]!.size : Infinity;
  }

  /** WITNESS.signature for each cosignature line of a given witness that does not verify. */
  readCosignatures(cp: Checkpoint, line: number): void {
    if (!this.#witnesses.length) return;
    // One line per witness per checkpoint is checked (docs/format.md choice 39): a hostile
    // checkpoint repeating a witness's name and key hash 100 times costs one Ed25519 check.
    const seen = new Set<WitnessKey>();
    for (const sig of cp.signatures)
      for (const w of this.#witnesses) {
        if (!isLineOf(sig, w) || seen.has(w)) continue;
        seen.add(w);
        const r = checkCosignature(cp, sig, w);
        if (!r.valid) this.#sink.add('WITNESS.signature', line, `checkpoint of size ${cp.size}: cosignature of witness ${w.name}: ${r.reason}`);
      }
  }

  /** The last checkpoint so far whose log signature, size and root all hold. */
  anchored(cp: Checkpoint, note: string, key: Uint8Array): void {
    this.#last = { checkpoint: cp, note, key };
  }

  finish(entries: number, lines: number): WitnessReport {
    const largest = this.#mine.length ? this.#mine[this.#mine.length - 1]! : null;
    if (largest && entries < largest.size)
      this.#sink.add(
        'WITNESS.truncated',
        lines,
        `the bundle holds ${entries} entries, fewer than the remembered checkpoint of size ${largest.size}: entries the gate signed before are missing`,
      );
    const last = this.#last;
    const cosignatures = last && this.#origin !== null ? listCosignatures(last.checkpoint, this.#witnesses, this.#origin) : [];
    const validWitnesses = new Set(cosignatures.filter((c) => c.status === 'valid').map((c) => c.witness));
    if (this.#witnesses.length && validWitnesses.size < this.#quorum)
      this.#sink.add(
        'WITNESS.quorum',
        lines,
        last
          ? `the last valid checkpoint (size ${last.checkpoint.size}) carries valid cosignatures from ${validWitnesses.size} of the given witnesses; ${this.#quorum} required`
          : `no valid checkpoint, so no cosignatures; ${this.#quorum} required`,
      );
    // Both checkpoints of a fork: the remembered one and this bundle's signed one covering its size.
    for (const f of this.#forks)
      if (last && last.checkpoint.size >= f.size) {
        f.conflicting = last.note;
        f.conflictingKey = encodeBase64(last.key);
      }
    return {
      witnesses: this.#witnesses.map((w) => formatWitnessKey(w.name, w.publicKey)),
      quorum: this.#quorum,
      cosignatures,
      lastCheckpoint: last ? { note: last.note, key: encodeBase64(last.key) } : null,
      remembered: this.#mine.map((c) => c.size),
      forks: this.#forks,
      truncated: largest && entries < largest.size ? { remembered: largest.note, size: largest.size, entries } : null,
    };
  }
}
