// The conformance cases in ../shared/vectors are read in place when the folder
// exists (they are never copied into this repository); suites skip otherwise.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const hasShared = existsSync(join(SHARED, 'vectors'));

export function sharedPath(...parts: string[]): string {
  return join(SHARED, ...parts);
}

export function readShared(...parts: string[]): Buffer {
  return readFileSync(sharedPath(...parts));
}

/** Splits bytes into chunks of `size`, to exercise streaming boundaries. */
export function chunked(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}
