// The Countersign bundle verifier (docs/format.md "Bundles" and §6), as fixed,
// named steps, each a method of CountersignVerifier, run in this order for every line:
//
//   readLine         the line's framing: length, blank, I-JSON, and which kind it is
//   readHeader       line 1 is {"countersign":"bundle/v1","log":...}
//   readEntry        entry schema, CHAIN.seq/prev, leaf into the Merkle tree; the envelope
//                    goes through the governance feed (governance/feed.ts): opened, keys
//                    registered, signatures queued
//   readCheckpoint   note well-formed and of this origin, CKPT.size, CKPT.root, its
//                    signature lines queued through the feed
//   flush            every BATCH_ENTRIES lines: the queued Ed25519 checks run as one batch on
//                    the backend while the next batch is read
//   settle           the batch's verdicts are written, then in log order each entry is
//                    replayed (SIG/STMT/GOV/POLICY/TIME) and each checkpoint judged
//                    (judgeCheckpoint: CKPT.signature, docs/format.md choice 15)
//   finish           GOV.genesis for an empty bundle, CKPT.unanchored, SIG.unknown_key,
//                    REQ.pending, WITNESS.quorum/truncated (witness-step.ts), then
//                    evaluateTrust (countersign-trust.ts: TRUST.*)
//
// With a line pool (countersign-lines.ts; the CLI's --workers, the page's nested workers),
// readPooled replaces the loop over readLine: workers prepare each entry line (parse, leaf
// hash, EntrySchema, envelope, Ed25519 under the keys registered so far), and readPrepared
// applies them in file order (the chain, then the feed as readEntry does); every other line,
// and every batch a worker failed, still goes through readLine here.
//
// Witnessing (docs/format.md §7.1-§7.2) hooks into these steps through WitnessStep: the root
// at every remembered size while leaves go in (WITNESS.fork), cosignature lines as each
// checkpoint is read (WITNESS.signature), CKPT.extension against the replay as each
// checkpoint is judged.
//
// It reads the file once, front to back; what it holds is the Merkle frontier
// (O(log n)), the roster and policy in force, open requests, and two batches.

import { encodeHex } from '../encoding/hex.ts';
import type { Digest } from '../encoding/bytes.ts';
import { parseJsonBytes, type JsonValue } from '../encoding/json.ts';
import { equalBytes } from '../encoding/bytes.ts';
import { ZERO_PREV } from '../encoding/constants.ts';
import { fingerprintOf, type SignatureBackend } from '../crypto/ed25519.ts';
import { keyNameProblem, parseCheckpoint, type Checkpoint } from '../log/checkpoint.ts';
import { parseWitnessKey } from '../log/witness-key.ts';
import { entryLeafHash, MerkleAccumulator } from '../log/merkle.ts';
import { FindingSink, type FindingCode } from '../statements/findings.ts';
import { BundleHeaderSchema, describeZodError, parseEntry } from '../statements/schemas.ts';
import type { GovernanceReplay, ReplayEntry, ReplayObserver } from '../governance/replay.ts';
import { BatchedSignatures, GovernanceFeed, type PreparedCheckpoint } from '../governance/feed.ts';
import type { ColdStore } from '../governance/record-log.ts';
import { CHECKPOINT_REASON_TABLE } from '../governance/reasons.ts';
import { buildReport, type Report, type SignerInfo, type VerifierOptions } from './report-v1.ts';
import { splitLines, throwIfAborted, type Line, type SourceStats } from './byte-source.ts';
import { evaluateTrust } from './countersign-trust.ts';
import { decodePreparedLines, entryOf, type CountersignLinePool, type PackedLines, type PreparedEntry } from './countersign-lines.ts';
import { WitnessStep } from './witness-step.ts';

/** docs/format.md "Bundles": "A line longer than 1 MiB is an error." */
export const MAX_LINE_BYTES = 1 << 20;
const BATCH_ENTRIES = 512;
/** A pool batch: this many lines, or this many bytes, whichever comes first. */
const POOL_BATCH_LINES = 256;
const POOL_BATCH_BYTES = 1 << 20;

export interface VerifyOptions extends VerifierOptions {
  backend: SignatureBackend;
  /** false: integrity only, no policy replay (benchmarks compare the two). Default true. */
  policy?: boolean;
  /** Hears each request event: the report layer's request summaries (report/request-summaries.ts). */
  observer?: ReplayObserver;
  /** Makes the cold stores open requests, request ids and closed requests spill to (the CLI: temp files; issue 8). */
  spill?: () => ColdStore;
  /** Prepares lines on other threads (countersign-lines.ts); without one, every line is read here. */
  linePool?: CountersignLinePool;
}

/** A checkpoint line waiting for its batch's signature verdicts. */
export interface CheckpointRecord {
  line: number;
  checkpoint: Checkpoint;
  /** The note text as it stands in the bundle (cosignature lines included). */
  note: string;
  /** size and root agree with the entries before the line */
  consistent: boolean;
  signatures: PreparedCheckpoint;
}

/** A line waiting for its batch's signature verdicts: an entry to replay, or a checkpoint to judge. */
export type LineRecord = ReplayEntry | CheckpointRecord;

const now = () => (typeof performance !== 'undefined' && performance ? performance.now() : Date.now());

export async function verifyCountersign(chunks: AsyncIterable<Uint8Array>, stats: SourceStats, opts: VerifyOptions): Promise<Report> {
  const v = new CountersignVerifier(stats, opts);
  const lines = splitLines(chunks, MAX_LINE_BYTES);
  if (opts.linePool && opts.linePool.size > 0) await v.readPooled(lines, opts.linePool);
  else
    for await (const line of lines) {
      throwIfAborted(opts.signal);
      v.readLine(line);
      if (v.batchFull) await v.flush();
    }
  await v.drain();
  return v.finish();
}

/** One verification's state; each method is one named step (see the top of this file). */
export class CountersignVerifier {
  readonly sink: FindingSink;
  readonly #opts: VerifyOptions;
  readonly #stats: SourceStats;
  readonly #t0 = now();
  #lastProgress = this.#t0;

  #origin: string | null = null;
  #feed: GovernanceFeed | null = null;
  readonly #queue = new BatchedSignatures();
  readonly #merkle = new MerkleAccumulator();
  #entries = 0;
  #expectedSeq = 0;
  #prevHex = ZERO_PREV;
  #genesisHex: string | null = null;
  #checkpoints = 0;
  #lastAnchored = 0;
  #lastCheckpoint: { size: number; root: string } | null = null;
  #lines = 0;
  #signatures = 0;
  readonly #checkpointSigners = new Map<string, number>();
  #batch: LineRecord[] = [];
  #inflight: Promise<void> | null = null;
  readonly #witness: WitnessStep;
  /** The Merkle root so far, made once: readEntry hands it to the witness step for every leaf. */
  readonly #rootNow = (): Digest => this.#merkle.root();
  /** Every key registered so far, in order (append-only): what a line pool's workers are told. */
  readonly #keyList: Uint8Array[] = [];

  constructor(stats: SourceStats, opts: VerifyOptions) {
    this.#stats = stats;
    this.#opts = opts;
    this.sink = new FindingSink(opts.capPerCode ?? 100);
    // Witness anchors (docs/format.md §7.2) judge checkpoints, never whose log it is;
    // verifyBundle has already refused unparsable ones (INPUT.trust).
    const witnesses = (opts.trust ?? []).flatMap((a) => {
      if (a.kind !== 'witness') return [];
      const k = parseWitnessKey(a.key);
      if (!k.ok) throw new TypeError(`witness anchor: ${k.message}`);
      return [k.key];
    });
    this.#witness = new WitnessStep(this.sink, {
      witnesses,
      ...(opts.witnessQuorum !== undefined ? { quorum: opts.witnessQuorum } : {}),
      remembered: opts.remembered ?? [],
    });
  }

  get batchFull(): boolean {
    return this.#batch.length >= BATCH_ENTRIES;
  }

  /** The governance feed, made once line 1 has said (or failed to say) the origin. */
  #newFeed(): GovernanceFeed {
    return new GovernanceFeed(this.sink, this.#origin, this.#queue, {
      policy: this.#opts.policy ?? true,
      observer: this.#opts.observer ?? null,
      spill: this.#opts.spill ?? null,
    });
  }

  // --- step: readLine ---------------------------------------------------------------------------
  readLine(line: Line): void {
    const sink = this.sink;
    this.#lines = line.number;
    if (line.tooLong) {
      sink.add('FORMAT.line', line.number, `line is ${line.length} bytes, over the 1 MiB limit`);
      if (line.number === 1) this.#feed = this.#newFeed();
      return;
    }
    if (line.bytes.length === 0) {
      sink.add('FORMAT.line', line.number, 'blank line');
      if (line.number === 1) this.#feed = this.#newFeed();
      return;
    }
    // Attacker-controlled: the whole line.
    const parsed = parseJsonBytes(line.bytes);
    if (!parsed.ok) {
      const e = parsed.error;
      sink.add('FORMAT.json', line.number, `line ${line.number}, column ${e.column}: ${e.message} at ${e.path}`);
      if (line.number === 1) this.#feed = this.#newFeed();
      return;
    }
    const v = parsed.value;
    if (line.number === 1) return this.readHeader(line, v);
    const entry = entryOf(v);
    if (entry !== undefined) return this.readEntry(line, entry);
    const keys = v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : [];
    if (keys.length === 1 && keys[0] === 'checkpoint') this.readCheckpoint(line, (v as { checkpoint: JsonValue }).checkpoint);
    else
      sink.add(
        'FORMAT.line',
        line.number,
        keys.length
          ? `unknown line kind with fields ${keys.map((k) => JSON.stringify(k)).join(', ')}`
          : 'a line must be an object with "entry" or "checkpoint"',
      );
  }

  // --- step: readHeader -------------------------------------------------------------------------
  readHeader(line: Line, value: JsonValue): void {
    const h = BundleHeaderSchema.safeParse(value);
    if (!h.success) {
      this.sink.add('FORMAT.line', line.number, `line 1 is not a bundle/v1 header: ${describeZodError(h.error, 'header')}`);
      const v = value as { log?: unknown };
      if (v && typeof v === 'object' && typeof v.log === 'string') this.#origin = v.log;
    } else this.#origin = h.data.log;
    // Attacker-controlled: the origin is also the checkpoint key name (docs/format.md "Bundles"),
    // so one that cannot be a key name ("a b") is a finding here (choice 51), not an exception later.
    const nameProblem = this.#origin === null ? null : keyNameProblem(this.#origin);
    if (nameProblem) this.sink.add('FORMAT.line', line.number, `the log origin cannot name the checkpoint key: ${nameProblem}`);
    this.#feed = this.#newFeed();
    this.#witness.setOrigin(this.#origin);
  }

  // --- step: readEntry --------------------------------------------------------------------------
  readEntry(line: Line, entryValue: JsonValue): void {
    const sink = this.sink;
    // Attacker-controlled: the whole entry. The leaf is C(entry) however the line is spaced.
    const lh = entryLeafHash(entryValue, line.bytes);
    const ev = entryValue as { seq?: unknown; prev?: unknown };
    const seq = this.#chain(
      line.number,
      lh,
      encodeHex(lh),
      typeof ev?.seq === 'number' ? ev.seq : undefined,
      typeof ev?.prev === 'string' ? ev.prev : undefined,
    );
    const entry = parseEntry(entryValue);
    if (!entry.ok) {
      sink.add('FORMAT.schema', line.number, entry.message, seq);
      return;
    }
    // Open, register keys, queue signatures (governance/feed.ts); replayed once the batch settles.
    const r = this.#feed!.prepareEntry(entry.value.envelope, line.number, seq, true);
    if (r) this.#batch.push(r);
  }

  /** The leaf into the Merkle tree and the witness step; CHAIN.seq and CHAIN.prev. Returns the entry's seq for its findings. */
  #chain(lineNumber: number, lh: Digest, lhHex: string, seqSeen: number | undefined, prevSeen: string | undefined): number {
    const sink = this.sink;
    this.#merkle.appendLeafHash(lh);
    const position = this.#entries++;
    this.#witness.afterLeaf(this.#entries, this.#rootNow, lineNumber);
    if (position === 0) this.#genesisHex = lhHex;
    const seq = seqSeen ?? position;
    if (seqSeen !== undefined && seqSeen !== this.#expectedSeq) {
      sink.add('CHAIN.seq', lineNumber, `entry.seq is ${seqSeen}, expected ${this.#expectedSeq}`, seq);
      this.#expectedSeq = seqSeen + 1; // resynchronise: one gap is one finding (docs/format.md choice 16)
    } else this.#expectedSeq++;
    if (prevSeen !== undefined && prevSeen !== this.#prevHex)
      sink.add('CHAIN.prev', lineNumber, `entry.prev is ${prevSeen.slice(0, 16)}…, the previous leaf hash is ${this.#prevHex.slice(0, 16)}…`, seq);
    this.#prevHex = lhHex;
    return seq;
  }

  // --- step: readPrepared (readEntry for a line a pool worker prepared: countersign-lines.ts) ----
  readPrepared(lineNumber: number, p: PreparedEntry): void {
    this.#lines = lineNumber;
    const seq = this.#chain(lineNumber, p.leaf, p.leafHex, p.seq, p.prev);
    // The envelope's problems, then keys and signatures, in the order prepareEntry has them.
    for (const [code, message] of p.problems) this.sink.add(code, lineNumber, message, seq);
    if (!p.opened || !p.statement) return;
    this.#signatures += p.checked;
    this.#batch.push(this.#feed!.prepareOpened(p.opened, p.statement, lineNumber, seq));
  }

  // --- step: readPooled -------------------------------------------------------------------------
  // The main thread splits lines and ships them, in batches of raw bytes, to the pool; the
  // replies are applied here in file order, so the report is the one without a pool. A batch
  // whose worker failed is read here, line by line, from the bytes kept for it.
  async readPooled(lines: AsyncIterable<Line>, pool: CountersignLinePool): Promise<void> {
    const perBatch = Math.max(1, pool.batchLines ?? POOL_BATCH_LINES);
    const maxQueue = 2 * pool.size;
    type Pending = { batch: PackedLines; tooLong: Map<number, number> | null; reply: Promise<string> };
    const queue: Pending[] = [];
    let buf = new Uint8Array(1 << 16);
    let len = 0;
    let ends: number[] = [];
    let first = 1;
    let tooLong: Map<number, number> | null = null;
    const send = () => {
      if (!ends.length) return;
      const batch: PackedLines = { bytes: buf.subarray(0, len), ends: Uint32Array.from(ends), first };
      const reply = pool.prepare(batch, this.#knownKeys());
      reply.catch(() => {}); // awaited in order below; a failure there is read here instead
      queue.push({ batch, tooLong, reply });
      first += ends.length;
      buf = new Uint8Array(buf.length);
      len = 0;
      ends = [];
      tooLong = null;
    };
    const applyHead = async () => {
      const { batch, tooLong: long, reply } = queue.shift()!;
      let prepared: (PreparedEntry | null)[] | null;
      try {
        prepared = decodePreparedLines(await reply, batch);
      } catch {
        prepared = null;
      }
      let start = 0;
      for (let i = 0; i < batch.ends.length; i++) {
        const end = batch.ends[i]!;
        const number = batch.first + i;
        const p = prepared?.[i];
        if (p) this.readPrepared(number, p);
        else {
          const length = long?.get(number);
          this.readLine(
            length !== undefined
              ? { number, bytes: new Uint8Array(0), tooLong: true, length }
              : { number, bytes: batch.bytes.subarray(start, end), tooLong: false, length: end - start },
          );
        }
        if (this.batchFull) await this.flush();
        start = end;
      }
    };
    for await (const line of lines) {
      throwIfAborted(this.#opts.signal);
      if (line.tooLong) (tooLong ??= new Map()).set(line.number, line.length);
      else {
        const n = line.bytes.length;
        if (len + n > buf.length) {
          const grown = new Uint8Array(Math.max(2 * buf.length, len + n));
          grown.set(buf.subarray(0, len));
          buf = grown;
        }
        // A copy: the line may be a view into a chunk the source reuses.
        buf.set(line.bytes, len);
        len += n;
      }
      ends.push(len);
      if (ends.length >= perBatch || len >= POOL_BATCH_BYTES) {
        send();
        while (queue.length > maxQueue) await applyHead();
      }
    }
    send();
    while (queue.length) {
      throwIfAborted(this.#opts.signal);
      await applyHead();
    }
  }

  /** The keys registered so far, in registration order (KeyRing.known keeps insertion order). */
  #knownKeys(): readonly Uint8Array[] {
    const known = this.#feed?.keys.known;
    if (known && known.size !== this.#keyList.length) {
      let i = 0;
      for (const pub of known.values()) if (i++ >= this.#keyList.length) this.#keyList.push(pub);
    }
    return this.#keyList;
  }

  // --- step: readCheckpoint ---------------------------------------------------------------------
  readCheckpoint(line: Line, text: JsonValue): void {
    const sink = this.sink;
    if (typeof text !== 'string') {
      sink.add('FORMAT.line', line.number, 'checkpoint: must be a string holding a signed note');
      return;
    }
    // Attacker-controlled: the note text.
    const p = parseCheckpoint(text);
    if (!p.ok) {
      sink.add('FORMAT.line', line.number, `checkpoint is not a well-formed signed note: ${p.message}`);
      return;
    }
    const cp = p.checkpoint;
    if (cp.origin !== this.#origin) {
      sink.add('FORMAT.line', line.number, `checkpoint origin "${cp.origin}" is not this log's origin "${this.#origin}"`);
      return;
    }
    this.#checkpoints++;
    let consistent = true;
    if (cp.size !== this.#entries) {
      sink.add('CKPT.size', line.number, `checkpoint size is ${cp.size}, but ${this.#entries} entries precede it`);
      consistent = false;
    } else if (!equalBytes(cp.root, this.#merkle.root())) {
      sink.add('CKPT.root', line.number, `checkpoint root for size ${cp.size} differs from the root of the entries`);
      consistent = false;
    }
    // docs/format.md §7.1: a malformed or foreign extension line; the versions are judged with the signature.
    if (cp.extensionProblem) sink.add('CKPT.extension', line.number, cp.extensionProblem);
    this.#witness.readCosignatures(cp, line.number);
    this.#batch.push({ line: line.number, checkpoint: cp, note: text, consistent, signatures: this.#feed!.prepareCheckpoint(cp) });
  }

  // --- step: flush ------------------------------------------------------------------------------
  // The Ed25519 work of batch k runs (on the platform's threads) while the main thread reads
  // batch k+1; settling batch k waits for its verdicts, in order.
  async flush(): Promise<void> {
    if (this.#batch.length) {
      const records = this.#batch;
      const { jobs, checks } = this.#queue.take();
      const pending = jobs.length ? this.#opts.backend.verifyBatch(jobs) : Promise.resolve([] as boolean[]);
      this.#signatures += jobs.length;
      this.#batch = [];
      const previous = this.#inflight;
      this.#inflight = (async () => {
        const verdicts = await pending;
        await previous;
        BatchedSignatures.settle(checks, verdicts);
        this.settle(records);
      })();
      // Awaited by the next flush or by drain(); a failure (a spill that cannot be written) must
      // end the run there, not also surface as an unhandled rejection of this batch.
      this.#inflight.catch(() => {});
      // At most two batches outstanding: wait for the one before this.
      if (previous) await previous;
    }
    const t = now();
    if (t - this.#lastProgress > 100) {
      this.#lastProgress = t;
      this.#progress();
    }
  }

  /** Flushes the last batch and waits for every batch to settle. */
  async drain(): Promise<void> {
    await this.flush();
    if (this.#inflight) await this.#inflight;
    this.#inflight = null;
    this.#progress();
  }

  // --- step: settle -----------------------------------------------------------------------------
  settle(records: readonly LineRecord[]): void {
    const f = this.#feed!;
    for (const rec of records) {
      if ('statement' in rec) f.apply(rec);
      // Without a valid genesis there is no gate to judge by; GOV.genesis already failed the log.
      else if (f.replay.genesisOk) this.judgeCheckpoint(rec);
    }
  }

  // --- step: judgeCheckpoint (CKPT.signature; anchors entries, docs/format.md choice 15) ----------
  judgeCheckpoint(rec: CheckpointRecord): void {
    const f = this.#feed!;
    checkExtensionVersions(rec, f.replay, this.sink);
    const j = f.judgeCheckpoint(rec.signatures);
    if (j.reason !== null) {
      const why = CHECKPOINT_REASON_TABLE[j.reason].words({ origin: String(this.#origin), gate: f.replay.gatePrincipal ?? '' });
      this.sink.add('CKPT.signature', rec.line, `checkpoint of size ${rec.checkpoint.size}: ${why}`);
      return;
    }
    this.#checkpointSigners.set(j.keyId, (this.#checkpointSigners.get(j.keyId) ?? 0) + 1);
    if (rec.consistent) {
      this.#lastAnchored = rec.checkpoint.size;
      this.#lastCheckpoint = { size: rec.checkpoint.size, root: encodeHex(rec.checkpoint.root) };
      this.#witness.anchored(rec.checkpoint, rec.note, f.keys.known.get(j.keyId)!);
    }
  }

  #progress(): void {
    const opts = this.#opts;
    opts.onProgress?.({
      bytes: this.#stats.bytes,
      decompressedBytes: this.#stats.decompressedBytes,
      ...(opts.totalBytes !== undefined ? { totalBytes: opts.totalBytes } : {}),
      entries: this.#entries,
      elapsedMs: now() - this.#t0,
    });
  }

  // --- step: finish -----------------------------------------------------------------------------
  finish(): Report {
    const sink = this.sink;
    const fd = (this.#feed ??= this.#newFeed());
    const rp = fd.replay;
    const entries = this.#entries;
    const lines = this.#lines;
    if (entries === 0) sink.add('GOV.genesis', Math.max(lines, 1), 'the bundle has no entries, so no genesis');
    if (entries > this.#lastAnchored && rp.genesisOk)
      sink.add(
        'CKPT.unanchored',
        lines,
        this.#lastAnchored === 0
          ? `none of the ${entries} entries is covered by a valid checkpoint`
          : `${entries - this.#lastAnchored} entries after the last valid checkpoint (size ${this.#lastAnchored})`,
      );
    rp.finish((id) => fd.keys.known.has(id));
    const witnessReport = this.#witness.finish(entries, lines);
    const trust = evaluateTrust(this.#opts.trust ?? [], sink, this.#genesisHex, rp);
    // Stable sort: the signature stage reports after the read stage of later lines.
    sink.findings.sort((x, y) => x.line - y.line);
    return {
      ...buildReport({
        format: 'countersign-bundle/v1',
        sink,
        stats: this.#stats,
        lines,
        log: this.#origin,
        entries,
        checkpoints: this.#checkpoints,
        genesis: this.#genesisHex,
        signers: this.#signers(),
        trust,
        totalMs: now() - this.#t0,
        signatureBackend: (this.#opts.linePool?.size && this.#opts.linePool.backendName) || this.#opts.backend.name,
        signatures: this.#signatures,
      }),
      checkpoint: this.#lastCheckpoint,
      governance: rp.report(),
      ...(this.#witness.active || witnessReport.lastCheckpoint ? { witness: witnessReport } : {}),
    };
  }

  /** Keys that signed validly, with the gate keys that signed checkpoints marked as such. */
  #signers(): SignerInfo[] {
    const signers: SignerInfo[] = [...this.#feed!.replay.signers.values()];
    for (const [keyId, n] of this.#checkpointSigners) {
      const s = signers.find((x) => x.keyId === keyId);
      if (s) {
        if (!s.roles?.includes('checkpoint')) s.roles = [...(s.roles ?? []), 'checkpoint'];
      } else signers.push({ keyId, fingerprint: fingerprintOf(keyId), roles: ['checkpoint'], signatures: n });
    }
    return signers;
  }
}

/** docs/format.md §7.1: the versions a checkpoint's extension line states must be the replay's. */
function checkExtensionVersions(rec: CheckpointRecord, rp: GovernanceReplay, sink: FindingSink): void {
  const g = rec.checkpoint.governance;
  if (!g || !rec.consistent) return;
  const { rosterVersion, policyVersion } = rp.report();
  if (g.roster !== rosterVersion || g.policy !== policyVersion)
    sink.add(
      'CKPT.extension',
      rec.line,
      `checkpoint of size ${rec.checkpoint.size} states roster ${g.roster} policy ${g.policy}; the replay has roster ${rosterVersion} policy ${policyVersion} in force`,
    );
}

export type { FindingCode };
