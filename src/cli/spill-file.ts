// The CLI's ColdStore (core/governance/record-log.ts): open-request records that leave the
// verifier's memory window go to a temp file, so a hostile bundle of millions of open requests
// costs disk, not memory (issue 8, item 4; docs/format.md choice 54). The file is made only
// when the window first overflows, is unlinked as soon as it is open (nothing is left behind
// if the process dies), and is readable by its owner only.
import { closeSync, mkdtempSync, openSync, readSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ColdStore } from '../core/governance/record-log.ts';

/** Records kept in memory per table before they go to the file: 8 MiB holds ~50,000 open requests (docs/format.md choice 54). */
const WINDOW_BYTES = 8 << 20;

export class SpillFile implements ColdStore {
  #fd: number | null = null;
  #closed = false;
  /** Bytes written so far (for --json timings and tests). */
  written = 0;

  constructor(
    private readonly dir: string = tmpdir(),
    /** Bytes of records the verifier keeps in memory before writing here. */
    readonly windowBytes = WINDOW_BYTES,
  ) {}

  write(position: number, bytes: Uint8Array): void {
    try {
      const fd = this.#open();
      for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      throw new Error(`open requests outgrew memory and the spill file in ${this.dir} could not be written (${code})`, { cause: e });
    }
    this.written += bytes.length;
  }

  read(position: number, into: Uint8Array): void {
    if (this.#fd === null) throw new RangeError('nothing was spilled at this position');
    let done = 0;
    while (done < into.length) {
      const n = readSync(this.#fd, into, done, into.length - done, position + done);
      if (n === 0) throw new RangeError(`the spill file ends before byte ${position + into.length}`);
      done += n;
    }
  }

  close(): void {
    this.#closed = true;
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
  }

  #open(): number {
    if (this.#closed) throw new Error('the spill file is closed');
    if (this.#fd !== null) return this.#fd;
    const dir = mkdtempSync(join(this.dir, 'countersign-spill-'));
    const path = join(dir, 'open-requests');
    this.#fd = openSync(path, 'wx+', 0o600);
    unlinkSync(path);
    rmdirSync(dir);
    return this.#fd;
  }
}

/** verifyBundle's `spill` option: one SpillFile per table that asks (`make`), all closed together. */
export class SpillFiles {
  readonly #files: SpillFile[] = [];
  constructor(
    private readonly dir: string = tmpdir(),
    private readonly windowBytes = WINDOW_BYTES,
  ) {}

  readonly make = (): SpillFile => {
    const f = new SpillFile(this.dir, this.windowBytes);
    this.#files.push(f);
    return f;
  };

  /** Bytes written to all of them. */
  get written(): number {
    return this.#files.reduce((n, f) => n + f.written, 0);
  }

  close(): void {
    for (const f of this.#files) f.close();
  }
}
