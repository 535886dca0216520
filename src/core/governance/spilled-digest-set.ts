// A DigestSet (digest-set.ts) whose keys live in a RecordLog (record-log.ts), for when the
// record log spills: in memory each digest costs one 8-byte slot (its first 32 bits and its
// record's offset) instead of 17, so the request ids and closed requests of a hostile log of
// millions of requests stay within the CLI's memory bound (issue 8, item 4; docs/format.md
// choice 54). A 32-bit match is confirmed on the record's 128 bits, as DigestSet compares.

import type { DigestTags } from './digest-set.ts';
import { CHUNK_BYTES, RecordLog, type ColdStore } from './record-log.ts';
import { RecordIndex } from './record-index.ts';

const KEY_BYTES = 16; // 128 bits of each digest, as DigestSet keeps

export class SpilledDigestSet implements DigestTags {
  readonly #index = new RecordIndex();
  readonly #log: RecordLog;
  readonly #record = new Uint8Array(KEY_BYTES + 1);
  #wanted: Uint8Array = this.#record;
  /** Whether the record at an offset holds #wanted's 128 bits (made once, not per lookup). */
  readonly #matches = (offset: number): boolean => {
    const r = this.#log.peek(offset, this.#record);
    for (let k = 4; k < KEY_BYTES; k++) if (r[k] !== this.#wanted[k]) return false;
    return true;
  };

  constructor(cold: ColdStore) {
    // Lookups are by hash, so recent records are not hotter than old ones: a small window.
    this.#log = new RecordLog(cold, Math.min(cold.windowBytes ?? Infinity, 2 * CHUNK_BYTES));
  }

  get size(): number {
    return this.#index.size;
  }

  /** Bytes held in memory: the slots and the record log's window. */
  get byteLength(): number {
    return this.#index.byteLength + this.#log.residentBytes;
  }

  get(d: Uint8Array): number {
    const i = this.#find(d);
    return i < 0 ? 0 : this.#log.peek(this.#index.offsetAt(i), this.#record)[KEY_BYTES]!;
  }

  has(d: Uint8Array): boolean {
    return this.#find(d) >= 0;
  }

  /** Stores (or replaces) the tag, 1..255. */
  set(d: Uint8Array, tag: number): void {
    if (!Number.isInteger(tag) || tag < 1 || tag > 255) throw new RangeError('tag must be 1..255');
    const i = this.#find(d);
    if (i >= 0) this.#log.free(this.#index.offsetAt(i));
    this.#record.set(d.subarray(0, KEY_BYTES));
    this.#record[KEY_BYTES] = tag;
    const offset = this.#log.append(this.#record);
    if (i >= 0) this.#index.setOffset(i, offset);
    else this.#index.insert(word(d), offset);
  }

  close(): void {
    this.#log.close();
  }

  #find(d: Uint8Array): number {
    if (!(d instanceof Uint8Array) || d.length < KEY_BYTES) throw new TypeError('a digest of at least 16 bytes is needed');
    this.#wanted = d;
    return this.#index.find(word(d), this.#matches);
  }
}

function word(d: Uint8Array): number {
  return (d[0]! | (d[1]! << 8) | (d[2]! << 16) | (d[3]! << 24)) >>> 0;
}
