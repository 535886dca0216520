// Writes a file whole or not at all: a temporary file beside it (created with O_EXCL and
// the final mode, so the mode never depends on an old file or the umask), fsync, rename.
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync, fchmodSync, constants } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { UsageError } from './io.ts';

export function writeFileAtomic(path: string, text: string, mode: number): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  } catch (e) {
    throw new UsageError(
      `cannot write ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : ((e as NodeJS.ErrnoException).code ?? 'error')}`,
    );
  }
  try {
    fchmodSync(fd, mode); // the umask may have narrowed or the platform ignored `mode`
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
    try {
      unlinkSync(tmp);
    } catch {
      /* nothing to clean */
    }
    throw new UsageError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
