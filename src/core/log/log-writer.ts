// Writes a bundle (docs/format.md "The log and its checkpoints" and §4): chains entries (seq, prev = hex leafhash of the
// previous entry), keeps the RFC 6962 accumulator, and signs checkpoints with the gate key
// under key name = origin. It can resume from a bundle's text, re-reading every entry to
// rebuild seq, prev and the tree, so a gate can append to the bundle it left on disk.
//
// It writes what it is given: whether a statement is allowed is the gate's business
// (reference-gate.ts), and conformance vectors use `appendEntry`/`appendLine` to write
// broken lines on purpose.
import { assertBytes, equalBytes, type Digest, type SecretKey } from '../encoding/bytes.ts';
import { encodeHex } from '../encoding/hex.ts';
import { parseJsonText, type JsonValue } from '../encoding/json.ts';
import { BundleHeaderSchema, EntrySchema, describeZodError, type Entry, type Envelope } from '../statements/schemas.ts';
import { buildEntry, digestEnvelope, signStatement, ZERO_PREV } from '../statements/sign-statement.ts';
import { parseCheckpoint, signCheckpoint, type GovernanceVersions } from './checkpoint.ts';
import { entryLeafHash, MerkleAccumulator } from './merkle.ts';

export interface AppendedEntry {
  seq: number;
  entry: Entry;
  /** Hex leafhash of the entry: the next entry's `prev`. */
  leafHash: string;
  /** The statement's digest, `sha256:…` of the payload bytes (docs/format.md "Countersign statements and envelopes"). */
  digest: string;
  /** 1-based line of the bundle file (the header is line 1). */
  line: number;
}

/** The origin is also the checkpoint's key name (docs/format.md "The log and its checkpoints"): one line, no spaces, no '+'. */
function assertOrigin(origin: unknown): asserts origin is string {
  if (typeof origin !== 'string') throw new TypeError('origin must be a string');
  if (origin.length === 0) throw new RangeError('origin must not be empty');
  if (/[\s+\p{Cc}\p{Cs}]/u.test(origin))
    throw new RangeError('origin must have no spaces, control characters, "+" or lone surrogates (it names the checkpoint key)');
}

export class LogWriter {
  readonly origin: string;
  readonly #header: string;
  readonly #lines: string[] = [];
  readonly #entries: Entry[] = [];
  readonly #merkle = new MerkleAccumulator();
  #nextSeq = 0;
  #prev = ZERO_PREV;
  #gateKey: SecretKey | null = null;
  #lastCheckpoint: { size: number; note: string } | null = null;

  private constructor(origin: string, header: string) {
    this.origin = origin;
    this.#header = header;
  }

  /** A new, empty bundle. `gateKey` signs checkpoints; it can be set later. */
  static create(origin: string, gateKey?: SecretKey): LogWriter {
    assertOrigin(origin);
    const w = new LogWriter(origin, JSON.stringify({ countersign: 'bundle/v1', log: origin }));
    if (gateKey !== undefined) w.setGateKey(gateKey);
    return w;
  }

  /**
   * Re-reads a bundle's text. Throws RangeError (naming the line) if it is not a bundle
   * this writer could have written: strict I-JSON lines, a bundle/v1 header, entries in
   * seq order chained by prev, checkpoints of this origin whose size and root match. The
   * lines are kept byte for byte. Signatures are not checked here (the gate does that).
   */
  static resume(bundleText: string, gateKey?: SecretKey): LogWriter {
    if (typeof bundleText !== 'string') throw new TypeError('bundleText must be a string');
    const raw = bundleText.split('\n');
    if (raw.length > 1 && raw[raw.length - 1] === '') raw.pop(); // the final \n is optional (docs/format.md "Bundles")
    const lines = raw.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
    const fail = (n: number, why: string): never => {
      throw new RangeError(`bundle line ${n}: ${why}`);
    };
    const read = (n: number): JsonValue => {
      const p = parseJsonText(lines[n - 1]!);
      if (!p.ok) return fail(n, `${p.error.message} at ${p.error.path}`);
      return p.value;
    };
    if (lines.length === 0 || lines[0] === '') fail(1, 'the bundle is empty');
    const h = BundleHeaderSchema.safeParse(read(1));
    if (!h.success) return fail(1, `not a bundle/v1 header: ${describeZodError(h.error, 'header')}`);
    const w = new LogWriter(h.data.log, lines[0]!);
    assertOrigin(w.origin);
    if (gateKey !== undefined) w.setGateKey(gateKey);
    for (let n = 2; n <= lines.length; n++) {
      const text = lines[n - 1]!;
      if (text === '') fail(n, 'blank line');
      const v = read(n);
      const keys = v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : [];
      if (keys.length === 1 && keys[0] === 'entry') {
        const e = EntrySchema.safeParse((v as { entry: JsonValue }).entry);
        if (!e.success) fail(n, describeZodError(e.error, 'entry'));
        const entry = e.data!;
        if (entry.seq !== w.#nextSeq) fail(n, `entry.seq is ${entry.seq}, expected ${w.#nextSeq}`);
        if (entry.prev !== w.#prev) fail(n, "entry.prev is not the previous entry's leaf hash");
        w.#push(entry, text);
      } else if (keys.length === 1 && keys[0] === 'checkpoint') {
        const note = (v as { checkpoint: JsonValue }).checkpoint;
        const cp = typeof note === 'string' ? parseCheckpoint(note) : { ok: false as const, message: 'checkpoint must be a string' };
        if (!cp.ok) return fail(n, cp.message);
        if (cp.checkpoint.origin !== w.origin) fail(n, `checkpoint origin "${cp.checkpoint.origin}" is not "${w.origin}"`);
        if (cp.checkpoint.size !== w.size) fail(n, `checkpoint size ${cp.checkpoint.size}, but ${w.size} entries precede it`);
        if (!equalBytes(cp.checkpoint.root, w.root())) fail(n, 'checkpoint root differs from the root of the entries');
        w.#lines.push(text);
        w.#lastCheckpoint = { size: cp.checkpoint.size, note: note as string };
      } else fail(n, 'a line must be {"entry":…} or {"checkpoint":…}');
    }
    return w;
  }

  /** The key that signs checkpoints: a key of the gate principal in force (docs/format.md "The log and its checkpoints"). */
  setGateKey(gateKey: SecretKey): void {
    assertBytes(gateKey, 32, 'gateKey');
    this.#gateKey = gateKey;
  }

  /** Number of entries. */
  get size(): number {
    return this.#merkle.size;
  }

  /** The seq the next entry gets. */
  get nextSeq(): number {
    return this.#nextSeq;
  }

  /** The `prev` the next entry gets: hex leafhash of the last entry (64 zeros when empty). */
  get prev(): string {
    return this.#prev;
  }

  /** RFC 6962 root of every entry so far. */
  root(): Digest {
    return this.#merkle.root();
  }

  /** The entries written or re-read, in order. */
  get entries(): readonly Entry[] {
    return this.#entries;
  }

  /** The last checkpoint note, or null. */
  get lastCheckpoint(): string | null {
    return this.#lastCheckpoint?.note ?? null;
  }

  /** True when the last checkpoint covers every entry. */
  get anchored(): boolean {
    return this.#lastCheckpoint !== null && this.#lastCheckpoint.size === this.size;
  }

  /** The entry that `appendEnvelope(envelope)` would write, without writing it. */
  nextEntry(envelope: Envelope): Entry {
    return buildEntry(this.#nextSeq, this.#prev, envelope);
  }

  /** Signs `statement` with `secretKeys` (sign-statement.ts) and appends it. */
  append(statement: object, secretKeys: SecretKey[]): AppendedEntry {
    return this.appendEnvelope(signStatement(statement, secretKeys));
  }

  /** Appends an envelope as the next entry, chained to the previous one. */
  appendEnvelope(envelope: Envelope): AppendedEntry {
    return this.appendEntry(this.nextEntry(envelope));
  }

  /**
   * Appends any object as an entry line, as given: the leaf is C(entry) (docs/format.md "The log and its checkpoints")
   * and the next `prev` is its leaf hash. The next seq follows the entry's own seq when
   * it has one, as a verifier resynchronises. Vectors use this to write a wrong seq/prev.
   */
  appendEntry(entry: object): AppendedEntry {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw new TypeError('entry must be an object');
    return this.#push(entry as Entry, JSON.stringify({ entry }));
  }

  #push(entry: Entry, line: string): AppendedEntry {
    const lh = entryLeafHash(entry);
    const seq = typeof entry.seq === 'number' ? entry.seq : this.#nextSeq;
    this.#merkle.appendLeafHash(lh);
    this.#prev = encodeHex(lh);
    this.#nextSeq = seq + 1;
    this.#entries.push(entry);
    this.#lines.push(line);
    let digest = '';
    try {
      digest = digestEnvelope(entry.envelope);
    } catch {
      // a deliberately broken envelope (vectors): it has no digest
    }
    return { seq, entry, leafHash: this.#prev, digest, line: this.#lines.length + 1 };
  }

  /** Appends a line as given, with no effect on the chain (vectors: blank or foreign lines). */
  appendLine(text: string): void {
    if (typeof text !== 'string') throw new TypeError('line must be a string');
    if (text.includes('\n')) throw new RangeError('a line must not contain a newline');
    this.#lines.push(text);
  }

  /**
   * Signs a checkpoint of every entry so far (docs/format.md "The log and its checkpoints": key name = origin) with the
   * gate key, or `secretKey` when given, and appends its line. Returns the note text.
   * `governance`: the roster and policy versions in force, written as the docs/format.md "Witnesses" line.
   */
  checkpoint(secretKey?: SecretKey, governance?: GovernanceVersions): string {
    const key = secretKey ?? this.#gateKey;
    if (key === null) throw new RangeError('no gate key to sign the checkpoint: call setGateKey first');
    const note = signCheckpoint({
      origin: this.origin,
      size: this.size,
      root: this.root(),
      secretKey: key,
      ...(governance !== undefined ? { governance } : {}),
    });
    this.#lines.push(JSON.stringify({ checkpoint: note }));
    this.#lastCheckpoint = { size: this.size, note };
    return note;
  }

  /** Every line after the header, as written. */
  get lines(): readonly string[] {
    return this.#lines;
  }

  /** The bundle (docs/format.md "Bundles"): header line, then the lines, `\n`-terminated. */
  text(): string {
    return [this.#header, ...this.#lines].join('\n') + '\n';
  }
}
