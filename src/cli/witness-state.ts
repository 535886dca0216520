// Node-side storage of remembered checkpoints (remembered/v1, docs/format.md §7.2) for
// `verify --remember FILE` and `witness cosign --state FILE`: a missing file is an empty
// state; writes go to a temporary file renamed over the old one, so a crash never leaves a
// torn state (a witness that forgets what it saw can be shown a fork).
import { existsSync } from 'node:fs';
import { formatRememberedFile, parseRememberedFile, type RememberedCheckpoint } from '../core/log/remembered.ts';
import { CAPS, readCappedText, UsageError } from './io.ts';
import { writeFileAtomic } from './write-file.ts';

export function loadRemembered(path: string): RememberedCheckpoint[] {
  if (!existsSync(path)) return [];
  const r = parseRememberedFile(readCappedText(path, 'remembered checkpoints', CAPS.packet));
  if (!r.ok) throw new UsageError(`${path}: ${r.message}`);
  return r.checkpoints;
}

export function saveRemembered(path: string, checkpoints: readonly RememberedCheckpoint[]): void {
  writeFileAtomic(path, formatRememberedFile(checkpoints), 0o644);
}
