// A ColdStore (core/governance/record-log.ts) in memory, counting what goes through it: the
// tests' stand-in for the CLI's temp file, so they can see that records really left memory.
import { CHUNK_BYTES, type ColdStore } from '../../src/core/governance/record-log.ts';

/** A cold store in memory that counts what goes through it. */
export class MapColdStore implements ColdStore {
  readonly #chunks = new Map<number, Uint8Array>();
  written = 0;
  reads = 0;
  closed = false;
  write(position: number, bytes: Uint8Array): void {
    this.#chunks.set(position, bytes.slice());
    this.written += bytes.length;
  }
  read(position: number, into: Uint8Array): void {
    this.reads++;
    const base = position - (position % CHUNK_BYTES);
    const c = this.#chunks.get(base)!;
    into.set(c.subarray(position - base, position - base + into.length));
  }
  close(): void {
    this.closed = true;
  }
}
