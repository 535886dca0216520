// An append-only log of byte records: where the replay keeps what it must remember about
// each open request (open-requests.ts) without holding an object per request (issue 8,
// item 4; docs/format.md choices 53-54). Records go into 1 MiB chunks at 8-byte-aligned
// offsets. Without a ColdStore every chunk stays in memory (the page, the gate, tests);
// with one (the CLI's temp file) only the newest `windowBytes` do, and older chunks are
// written out once and read back on demand, so memory no longer follows a hostile log's
// open requests.

/** Where chunks that left the memory window go. Positions are written once, in order. */
export interface ColdStore {
  write(position: number, bytes: Uint8Array): void;
  /** Fills `into` with the bytes at `position` (all of them were written before). */
  read(position: number, into: Uint8Array): void;
  close(): void;
  /** Bytes of records to keep in memory before chunks go here (default 32 MiB). */
  readonly windowBytes?: number;
}

export const CHUNK_BYTES = 1 << 20;
/** Offsets are kept in 32 bits as multiples of 8 (open-requests.ts): 32 GiB of records. */
export const MAX_LOG_BYTES = 2 ** 35;

export class RecordLog {
  readonly #chunks: (Uint8Array | null)[] = [];
  #end = 0;
  /** Index of the oldest chunk still in memory. */
  #resident = 0;
  #dead = 0;
  readonly #cold: ColdStore | null;
  readonly #windowChunks: number;
  readonly #head = new Uint8Array(4);

  constructor(cold: ColdStore | null = null, windowBytes = cold?.windowBytes ?? 32 * CHUNK_BYTES) {
    if (!Number.isInteger(windowBytes) || windowBytes < 2 * CHUNK_BYTES) throw new RangeError(`windowBytes must be a whole number ≥ ${2 * CHUNK_BYTES}`);
    this.#cold = cold;
    this.#windowChunks = Math.floor(windowBytes / CHUNK_BYTES);
  }

  /** Bytes appended so far, dead ones included. */
  get length(): number {
    return this.#end;
  }
  /** Bytes of records freed since they were written. */
  get deadBytes(): number {
    return this.#dead;
  }
  /** Bytes held in memory. */
  get residentBytes(): number {
    return (this.#chunks.length - this.#resident) * CHUNK_BYTES;
  }
  get spills(): boolean {
    return this.#cold !== null;
  }

  /** Appends one record (a 4-byte length, then `body`) and returns its offset. */
  append(body: Uint8Array): number {
    const at = this.#end;
    const size = 4 + body.length;
    if (at + size > MAX_LOG_BYTES) throw new RangeError('the open-request log is over 32 GiB');
    this.#head[0] = size & 0xff;
    this.#head[1] = (size >>> 8) & 0xff;
    this.#head[2] = (size >>> 16) & 0xff;
    this.#head[3] = size >>> 24;
    this.#put(at, this.#head);
    this.#put(at + 4, body);
    this.#end = at + ((size + 7) & ~7);
    return at;
  }

  /** The body of the record at `offset`. */
  read(offset: number): Uint8Array {
    this.#get(offset, this.#head);
    const size = (this.#head[0]! | (this.#head[1]! << 8) | (this.#head[2]! << 16) | (this.#head[3]! << 24)) >>> 0;
    const body = new Uint8Array(size - 4);
    this.#get(offset + 4, body);
    return body;
  }

  /** The first bytes of the record at `offset`'s body (as many as fit `into`), without allocating. */
  peek(offset: number, into: Uint8Array): Uint8Array {
    this.#get(offset, this.#head);
    const size = (this.#head[0]! | (this.#head[1]! << 8) | (this.#head[2]! << 16) | (this.#head[3]! << 24)) >>> 0;
    const part = into.subarray(0, Math.min(into.length, size - 4));
    this.#get(offset + 4, part);
    return part;
  }

  /** Marks the record at `offset` as garbage (for compaction). */
  free(offset: number): void {
    this.#get(offset, this.#head);
    const size = (this.#head[0]! | (this.#head[1]! << 8) | (this.#head[2]! << 16) | (this.#head[3]! << 24)) >>> 0;
    this.#dead += (size + 7) & ~7;
  }

  close(): void {
    this.#chunks.length = 0;
    this.#cold?.close();
  }

  #put(at: number, bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) {
      const c = Math.floor((at + done) / CHUNK_BYTES);
      const o = (at + done) % CHUNK_BYTES;
      while (this.#chunks.length <= c) this.#newChunk();
      const n = Math.min(bytes.length - done, CHUNK_BYTES - o);
      this.#chunks[c]!.set(bytes.subarray(done, done + n), o);
      done += n;
    }
  }

  #get(at: number, into: Uint8Array): void {
    let done = 0;
    while (done < into.length) {
      const c = Math.floor((at + done) / CHUNK_BYTES);
      const o = (at + done) % CHUNK_BYTES;
      const n = Math.min(into.length - done, CHUNK_BYTES - o);
      const chunk = this.#chunks[c];
      if (chunk) into.set(chunk.subarray(o, o + n), done);
      else this.#cold!.read(at + done, into.subarray(done, done + n));
      done += n;
    }
  }

  #newChunk(): void {
    this.#chunks.push(new Uint8Array(CHUNK_BYTES));
    // The chunk being written and the one before it always stay; older ones leave when the window is full.
    if (this.#cold && this.#chunks.length - this.#resident > this.#windowChunks) {
      const old = this.#chunks[this.#resident]!;
      this.#cold.write(this.#resident * CHUNK_BYTES, old);
      this.#chunks[this.#resident++] = null;
    }
  }
}
