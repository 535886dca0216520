// The in-memory index over a RecordLog (record-log.ts): 8 bytes a slot, the first 32 bits of
// a record's key (also its home slot) and its offset / 8 + 1 (0 = empty). Open addressing with
// linear probing, at most 3/4 full, backward-shift deletion. A 32-bit match is only a
// candidate: the caller's `matches` reads the record to confirm the whole key. Shared by the
// open requests (open-requests.ts) and the spilled digest sets (spilled-digest-set.ts).

export class RecordIndex {
  #keys = new Uint32Array(1024);
  #offs = new Uint32Array(1024);
  #count = 0;

  get size(): number {
    return this.#count;
  }

  get byteLength(): number {
    return this.#keys.byteLength + this.#offs.byteLength;
  }

  /** The slot holding the record whose key `matches` confirms, or -1. */
  find(key: number, matches: (offset: number) => boolean): number {
    const mask = this.#keys.length - 1;
    for (let i = key & mask; ; i = (i + 1) & mask) {
      if (this.#offs[i] === 0) return -1;
      if (this.#keys[i] === key && matches(this.offsetAt(i))) return i;
    }
  }

  offsetAt(slot: number): number {
    return (this.#offs[slot]! - 1) * 8;
  }

  /** Points a slot at a rewritten record. */
  setOffset(slot: number, offset: number): void {
    this.#offs[slot] = offset / 8 + 1;
  }

  /** Adds a record not yet in the index. */
  insert(key: number, offset: number): void {
    if ((this.#count + 1) * 4 > this.#keys.length * 3) this.#grow();
    const mask = this.#keys.length - 1;
    let i = key & mask;
    while (this.#offs[i] !== 0) i = (i + 1) & mask;
    this.#keys[i] = key;
    this.#offs[i] = offset / 8 + 1;
    this.#count++;
  }

  /** Every slot in use (for a sweep or a compaction). */
  *slots(): Generator<number> {
    for (let i = 0; i < this.#offs.length; i++) if (this.#offs[i] !== 0) yield i;
  }

  remove(hole: number): void {
    const mask = this.#keys.length - 1;
    let i = hole;
    for (let j = (i + 1) & mask; this.#offs[j] !== 0; j = (j + 1) & mask) {
      const home = this.#keys[j]! & mask;
      // Move j into the hole at i if its home is not in (i, j].
      if (i <= j ? home <= i || home > j : home <= i && home > j) {
        this.#keys[i] = this.#keys[j]!;
        this.#offs[i] = this.#offs[j]!;
        i = j;
      }
    }
    this.#offs[i] = 0;
    this.#keys[i] = 0;
    this.#count--;
  }

  #grow(): void {
    const keys = this.#keys;
    const offs = this.#offs;
    this.#keys = new Uint32Array(keys.length * 2);
    this.#offs = new Uint32Array(keys.length * 2);
    const mask = this.#keys.length - 1;
    for (let i = 0; i < keys.length; i++) {
      if (offs[i] === 0) continue;
      let j = keys[i]! & mask;
      while (this.#offs[j] !== 0) j = (j + 1) & mask;
      this.#keys[j] = keys[i]!;
      this.#offs[j] = offs[i]!;
    }
  }
}
