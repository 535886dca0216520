// A compact set of SHA-256 digests with a small tag each, for what the replay must
// remember about every request ever closed (docs/format.md "Bundles": duplicate requests, late
// approvals, re-executions). A JS Map costs ~200 bytes a key; this costs 17 bytes a
// slot: the first 128 bits of the digest in a Uint32Array (collisions need ~2^64 work)
// and a one-byte tag. Open addressing with linear probing, doubling at 75 % load (issue 8: a 5M-request
// log must fit in memory; at 50 % the table alone took 272 MB).

const WORDS = 4; // 128 bits of each digest

/** What the replay asks of a set of digests with a tag each (DigestSet, or SpilledDigestSet in the CLI). */
export interface DigestTags {
  readonly size: number;
  readonly byteLength: number;
  /** The tag stored for this digest, or 0. */
  get(d: Uint8Array): number;
  has(d: Uint8Array): boolean;
  /** Stores (or replaces) the tag, 1..255. */
  set(d: Uint8Array, tag: number): void;
}

export class DigestSet implements DigestTags {
  #keys: Uint32Array;
  #tags: Uint8Array; // 0 = empty slot, else the caller's tag (1..255)
  #size = 0;

  constructor(initialSlots = 1024) {
    if (!Number.isInteger(initialSlots) || initialSlots < 8 || (initialSlots & (initialSlots - 1)) !== 0)
      throw new RangeError('initialSlots must be a power of two ≥ 8');
    this.#keys = new Uint32Array(initialSlots * WORDS);
    this.#tags = new Uint8Array(initialSlots);
  }

  get size(): number {
    return this.#size;
  }

  /** Bytes held by the table (for the memory figures in BENCHMARKS.md). */
  get byteLength(): number {
    return this.#keys.byteLength + this.#tags.byteLength;
  }

  #slot(d: Uint8Array): number {
    if (!(d instanceof Uint8Array) || d.length < 16) throw new TypeError('a digest of at least 16 bytes is needed');
    const mask = this.#tags.length - 1;
    const w0 = (d[0]! | (d[1]! << 8) | (d[2]! << 16) | (d[3]! << 24)) >>> 0;
    let i = w0 & mask;
    for (;;) {
      if (this.#tags[i] === 0) return i;
      const k = i * WORDS;
      if (this.#keys[k] === w0 && this.#keys[k + 1] === word(d, 4) && this.#keys[k + 2] === word(d, 8) && this.#keys[k + 3] === word(d, 12)) return i;
      i = (i + 1) & mask;
    }
  }

  /** The tag stored for this digest, or 0. */
  get(d: Uint8Array): number {
    return this.#tags[this.#slot(d)]!;
  }

  has(d: Uint8Array): boolean {
    return this.get(d) !== 0;
  }

  /** Stores (or replaces) the tag, 1..255. */
  set(d: Uint8Array, tag: number): void {
    if (!Number.isInteger(tag) || tag < 1 || tag > 255) throw new RangeError('tag must be 1..255');
    let i = this.#slot(d);
    if (this.#tags[i] === 0) {
      if ((this.#size + 1) * 4 > this.#tags.length * 3) {
        this.#grow();
        i = this.#slot(d);
      }
      this.#size++;
      const k = i * WORDS;
      this.#keys[k] = word(d, 0);
      this.#keys[k + 1] = word(d, 4);
      this.#keys[k + 2] = word(d, 8);
      this.#keys[k + 3] = word(d, 12);
    }
    this.#tags[i] = tag;
  }

  #grow(): void {
    const keys = this.#keys;
    const tags = this.#tags;
    this.#keys = new Uint32Array(keys.length * 2);
    this.#tags = new Uint8Array(tags.length * 2);
    const mask = this.#tags.length - 1;
    for (let i = 0; i < tags.length; i++) {
      if (tags[i] === 0) continue;
      let j = keys[i * WORDS]! & mask;
      while (this.#tags[j] !== 0) j = (j + 1) & mask;
      this.#keys.set(keys.subarray(i * WORDS, i * WORDS + WORDS), j * WORDS);
      this.#tags[j] = tags[i]!;
    }
  }
}

function word(d: Uint8Array, o: number): number {
  return (d[o]! | (d[o + 1]! << 8) | (d[o + 2]! << 16) | (d[o + 3]! << 24)) >>> 0;
}
