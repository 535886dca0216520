// Conformance files. The repository owns a set for each format (test/vectors/countersign,
// test/vectors/makerchecker, made by `npm run vectors`), so a fresh clone runs every suite.
// The shared cases in ../shared/vectors, from an independent implementation of the spec,
// are read in place when that folder exists (they are never copied into this repository)
// and then run as a second set through the same tests.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const OWN_VECTORS = fileURLToPath(new URL('../vectors/', import.meta.url));

export function sharedPath(...parts: string[]): string {
  return join(SHARED, ...parts);
}

/** Whether ../shared/vectors is beside the repository (CI has it; a fresh clone may not). */
export const hasShared = existsSync(join(SHARED, 'vectors'));

export function readShared(...parts: string[]): Buffer {
  return readFileSync(sharedPath(...parts));
}

export interface VectorSet {
  /** `own` (this repository's files) or `shared` (../shared/vectors). */
  name: 'own' | 'shared';
  dir: string;
  path(file: string): string;
  read(file: string): Buffer;
}

function vectorSet(name: VectorSet['name'], dir: string): VectorSet {
  return { name, dir, path: (f) => join(dir, f), read: (f) => readFileSync(join(dir, f)) };
}

/** The sets of conformance files of one format: ours always, the shared ones when present. */
export function vectorSets(format: 'countersign' | 'makerchecker'): VectorSet[] {
  const sets = [vectorSet('own', join(OWN_VECTORS, format))];
  const shared = sharedPath('vectors', format);
  if (existsSync(join(shared, 'index.json'))) sets.push(vectorSet('shared', shared));
  return sets;
}

/** Splits bytes into chunks of `size`, to exercise streaming boundaries. */
export function chunked(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/**
 * A suite over ../shared's independent cases only, defined when that folder is there. The
 * repository's own vectors cover the same codes, so a fresh clone runs (and skips) nothing less.
 */
export function whenShared(define: () => void): void {
  if (hasShared) define();
}
