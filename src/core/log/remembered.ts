// Remembered checkpoints (docs/format.md §7.2): what a witness (the CLI with --remember, the
// page, a wallet's trusted log) keeps per log origin so that a later bundle or consistency
// proof is held to the history it already saw.
//
//   {"countersign":"remembered/v1","checkpoints":[{"note":"<checkpoint note>","key":"<base64>"}, ...]}
//
// `key` is the gate public key whose log signature on `note` verified when it was remembered:
// a consistency/v1 file is accepted only under that key (docs/format.md §7 choice 3).
// Pure core: no storage here; the CLI keeps this JSON in a file, the page in IndexedDB.
import { z } from 'zod';
import { equalBytes, type Digest, type PublicKey } from '../encoding/bytes.ts';
import { decodeBase64, encodeBase64 } from '../encoding/base64.ts';
import { parseJsonText } from '../encoding/json.ts';
import { Base64Key, describeZodError } from '../statements/schemas.ts';
import { parseCheckpoint, type Checkpoint } from './checkpoint.ts';

export interface RememberedCheckpoint {
  origin: string;
  size: number;
  root: Digest;
  note: string;
  /** The gate key whose log signature on the note verified. */
  key: PublicKey;
}

/** At most this many per origin; the smallest go first (the largest implies them, §7.2). */
export const MAX_REMEMBERED_PER_ORIGIN = 64;

const RememberedFileSchema = z.strictObject({
  countersign: z.literal('remembered/v1'),
  checkpoints: z.array(z.strictObject({ note: z.string(), key: Base64Key })).max(100_000),
});

export type ParseRememberedResult = { ok: true; checkpoints: RememberedCheckpoint[] } | { ok: false; message: string };

/** Builds one remembered checkpoint from a note and the key that signed it. Throws RangeError on a bad note. */
export function rememberedFrom(note: string, key: Uint8Array): RememberedCheckpoint {
  const p = parseCheckpoint(note);
  if (!p.ok) throw new RangeError(`not a checkpoint note: ${p.message}`);
  if (!(key instanceof Uint8Array) || key.length !== 32) throw new RangeError('key must be 32 bytes');
  return fromCheckpoint(p.checkpoint, note, key as PublicKey);
}

function fromCheckpoint(cp: Checkpoint, note: string, key: PublicKey): RememberedCheckpoint {
  return { origin: cp.origin, size: cp.size, root: cp.root, note, key };
}

/** Reads a remembered/v1 file. Strict I-JSON, strict schema; names the checkpoint that is wrong. Never throws. */
export function parseRememberedFile(text: string): ParseRememberedResult {
  if (typeof text !== 'string') return { ok: false, message: 'remembered file must be text' };
  const j = parseJsonText(text);
  if (!j.ok) return { ok: false, message: `remembered file is not I-JSON: ${j.error.message} at ${j.error.path}` };
  const s = RememberedFileSchema.safeParse(j.value);
  if (!s.success) return { ok: false, message: `not a remembered/v1 file: ${describeZodError(s.error, 'file')}` };
  const out: RememberedCheckpoint[] = [];
  for (const [i, c] of s.data.checkpoints.entries()) {
    const p = parseCheckpoint(c.note);
    if (!p.ok) return { ok: false, message: `remembered checkpoint ${i}: ${p.message}` };
    out.push(fromCheckpoint(p.checkpoint, c.note, decodeBase64(c.key) as PublicKey));
  }
  return { ok: true, checkpoints: out };
}

export function formatRememberedFile(checkpoints: readonly RememberedCheckpoint[]): string {
  const sorted = [...checkpoints].sort((a, b) => (a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : a.size - b.size));
  return JSON.stringify({ countersign: 'remembered/v1', checkpoints: sorted.map((c) => ({ note: c.note, key: encodeBase64(c.key) })) }, null, 1) + '\n';
}

/** The remembered checkpoints of `origin`, smallest first. */
export function rememberedFor(checkpoints: readonly RememberedCheckpoint[], origin: string | null): RememberedCheckpoint[] {
  return checkpoints.filter((c) => c.origin === origin).sort((a, b) => a.size - b.size);
}

/**
 * Adds `next` (the largest checkpoint of a bundle that verified without errors). A checkpoint
 * of the same origin, size and root is replaced (it may carry newer cosignatures); the list
 * of an origin is capped at MAX_REMEMBERED_PER_ORIGIN by dropping the smallest.
 * Never forgets a conflicting checkpoint: that is evidence.
 */
export function rememberCheckpoint(checkpoints: readonly RememberedCheckpoint[], next: RememberedCheckpoint): RememberedCheckpoint[] {
  const same = (c: RememberedCheckpoint) => c.origin === next.origin && c.size === next.size && equalBytes(c.root, next.root);
  const rest = checkpoints.filter((c) => !same(c));
  const mine = rememberedFor(rest, next.origin);
  const conflicting = new Set(mine.filter((c) => mine.some((d) => d.size === c.size && !equalBytes(d.root, c.root))));
  const droppable = mine.filter((c) => !conflicting.has(c));
  const drop = new Set(droppable.slice(0, Math.max(0, mine.length + 1 - MAX_REMEMBERED_PER_ORIGIN)));
  return [...rest.filter((c) => !drop.has(c)), next];
}

/** The largest remembered checkpoint of `origin`, or null. */
export function largestRemembered(checkpoints: readonly RememberedCheckpoint[], origin: string): RememberedCheckpoint | null {
  const mine = rememberedFor(checkpoints, origin);
  return mine.length ? mine[mine.length - 1]! : null;
}
