// Node-side storage of remembered checkpoints (remembered/v1, docs/format.md §7.2) for
// `verify --remember FILE` and `witness cosign --state FILE`: a missing file is an empty
// state; writes go to a temporary file renamed over the old one, so a crash never leaves a
// torn state (a witness that forgets what it saw can be shown a fork).
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { formatRememberedFile, parseRememberedFile, type RememberedCheckpoint } from '../core/log/remembered.ts';
import { UsageError } from './io.ts';

export function loadRemembered(path: string): RememberedCheckpoint[] {
  if (!existsSync(path)) return [];
  const r = parseRememberedFile(readFileSync(path, 'utf8'));
  if (!r.ok) throw new UsageError(`${path}: ${r.message}`);
  return r.checkpoints;
}

export function saveRemembered(path: string, checkpoints: readonly RememberedCheckpoint[]): void {
  writeAtomically(path, formatRememberedFile(checkpoints));
}

export function writeAtomically(path: string, text: string, mode = 0o644): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, path);
}
