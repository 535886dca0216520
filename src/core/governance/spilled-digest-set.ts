// A DigestSet (digest-set.ts) whose keys live in a RecordLog (record-log.ts), for when the
// record log spills: in memory each digest costs one 8-byte slot (its first 32 bits and its
// record's offset) instead of 17, so the request ids and closed requests of a hostile log of
// millions of requests stay within the CLI's memory bound (issue 8, item 4; docs/format.md
// choice 54). A 32-bit match is confirmed on the record's 128 bits, as DigestSet compares.

import type { DigestTags } from './digest-set.ts';
import { CHUNK_BYTES, RecordLog, type ColdStore } from './record-log.ts';

const KEY_BYTES = 16; // 128 bits of each digest, as DigestSet keeps

export class SpilledDigestSet implements DigestTags {
  #keys = new Uint32Array(1024);
  #offs = new Uint32Array(1024); // record offset / 8 + 1; 0 = empty
  #size = 0;
  readonly #log: RecordLog;
  readonly #record = new Uint8Array(KEY_BYTES + 1);

  constructor(cold: ColdStore) {
    // Lookups are by hash, so recent records are not hotter than old ones: a small window.
    this.#log = new RecordLog(cold, Math.min(cold.windowBytes ?? Infinity, 2 * CHUNK_BYTES));
  }

  get size(): number {
    return this.#size;
  }

  /** Bytes held in memory: the slots and the record log's window. */
  get byteLength(): number {
    return this.#keys.byteLength + this.#offs.byteLength + this.#log.residentBytes;
  }

  get(d: Uint8Array): number {
    const i = this.#slot(d);
    return this.#offs[i] === 0 ? 0 : this.#log.peek((this.#offs[i]! - 1) * 8, this.#record)[KEY_BYTES]!;
  }

  has(d: Uint8Array): boolean {
    return this.get(d) !== 0;
  }

  /** Stores (or replaces) the tag, 1..255. */
  set(d: Uint8Array, tag: number): void {
    if (!Number.isInteger(tag) || tag < 1 || tag > 255) throw new RangeError('tag must be 1..255');
    let i = this.#slot(d);
    if (this.#offs[i] === 0) {
      if ((this.#size + 1) * 4 > this.#keys.length * 3) {
        this.#grow();
        i = this.#slot(d);
      }
      this.#size++;
      this.#keys[i] = word(d);
    } else this.#log.free((this.#offs[i]! - 1) * 8);
    this.#record.set(d.subarray(0, KEY_BYTES));
    this.#record[KEY_BYTES] = tag;
    this.#offs[i] = this.#log.append(this.#record) / 8 + 1;
  }

  close(): void {
    this.#log.close();
  }

  /** The slot holding `d`, or the empty slot where it would go. */
  #slot(d: Uint8Array): number {
    if (!(d instanceof Uint8Array) || d.length < KEY_BYTES) throw new TypeError('a digest of at least 16 bytes is needed');
    const mask = this.#keys.length - 1;
    const w = word(d);
    for (let i = w & mask; ; i = (i + 1) & mask) {
      if (this.#offs[i] === 0) return i;
      if (this.#keys[i] !== w) continue;
      const r = this.#log.peek((this.#offs[i]! - 1) * 8, this.#record);
      let same = true;
      for (let k = 4; k < KEY_BYTES && same; k++) same = r[k] === d[k];
      if (same) return i;
    }
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

function word(d: Uint8Array): number {
  return (d[0]! | (d[1]! << 8) | (d[2]! << 16) | (d[3]! << 24)) >>> 0;
}
