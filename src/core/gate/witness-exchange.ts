// The gate's side of witnessing (docs/format.md §7.3): a consistency/v1 file from one of its
// own checkpoints to its latest, and a witness's cosignature/v1 file added to the matching
// checkpoint line of the bundle. Cosignature lines change no leaf (docs/format.md "Witnesses"), so the
// entry lines are kept byte for byte; only that one checkpoint line is rewritten.
import { equalBytes } from '../encoding/bytes.ts';
import { parseJsonText, type JsonValue } from '../encoding/json.ts';
import { parseCheckpoint, type Checkpoint } from '../log/checkpoint.ts';
import { addCosignatureLine } from '../log/cosignature.ts';
import { LogWriter } from '../log/log-writer.ts';
import { entryLeafHash } from '../log/merkle.ts';
import { ProofCollector } from '../log/proofs.ts';
import { makeConsistencyFile, parseCosignatureFile } from '../log/witness-files.ts';

interface BundleLines {
  lines: string[];
  /** Index into `lines` and parsed note of every checkpoint line. */
  checkpoints: { index: number; note: string; checkpoint: Checkpoint }[];
  origin: string;
}

/** Re-reads a bundle as LogWriter.resume does (throws RangeError naming the line) and lists its checkpoints. */
function readBundle(bundleText: string): BundleLines {
  const w = LogWriter.resume(bundleText);
  const raw = bundleText.split('\n');
  if (raw.length > 1 && raw[raw.length - 1] === '') raw.pop();
  const lines = raw.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const checkpoints: BundleLines['checkpoints'] = [];
  for (let i = 1; i < lines.length; i++) {
    const v = parseJsonText(lines[i]!);
    if (!v.ok) continue;
    const note = (v.value as { checkpoint?: JsonValue }).checkpoint;
    if (typeof note !== 'string') continue;
    const p = parseCheckpoint(note);
    if (p.ok) checkpoints.push({ index: i, note, checkpoint: p.checkpoint });
  }
  return { lines, checkpoints, origin: w.origin };
}

/**
 * consistency/v1 from the bundle's checkpoint of size `fromSize` to its last checkpoint.
 * Throws RangeError when there is no checkpoint of that size.
 */
export function makeGateConsistency(bundleText: string, fromSize: number): string {
  if (!Number.isSafeInteger(fromSize) || fromSize < 0) throw new RangeError('fromSize must be a non-negative integer');
  const b = readBundle(bundleText);
  const last = b.checkpoints[b.checkpoints.length - 1];
  if (!last) throw new RangeError('the bundle has no checkpoint');
  const old = [...b.checkpoints].reverse().find((c) => c.checkpoint.size === fromSize);
  if (!old)
    throw new RangeError(`the bundle has no checkpoint of size ${fromSize} (sizes: ${[...new Set(b.checkpoints.map((c) => c.checkpoint.size))].join(', ')})`);
  const n = last.checkpoint.size;
  let proof: Uint8Array[] = [];
  if (fromSize < n) {
    const c = new ProofCollector(n, { consistency: [fromSize] });
    for (let i = 1; i < b.lines.length && !c.done; i++) {
      const v = parseJsonText(b.lines[i]!);
      if (v.ok && v.value && typeof v.value === 'object' && 'entry' in v.value) c.appendLeafHash(entryLeafHash((v.value as { entry: JsonValue }).entry));
    }
    proof = c.consistencyProof(fromSize);
  }
  return makeConsistencyFile({ log: b.origin, old: old.note, new: last.note, proof });
}

export type ApplyCosignatureResult = { ok: true; text: string; size: number; added: string[] } | { ok: false; message: string };

/**
 * Adds the witness lines of a cosignature/v1 file to the last checkpoint line of the bundle
 * with the same body. The file's note must keep every signature line the bundle's note has
 * (a witness adds, never removes). Never throws on input.
 */
export function applyCosignature(bundleText: string, cosignatureText: string): ApplyCosignatureResult {
  const f = parseCosignatureFile(cosignatureText);
  if (!f.ok) return { ok: false, message: f.message };
  let b: BundleLines;
  try {
    b = readBundle(bundleText);
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
  if (f.value.log !== b.origin) return { ok: false, message: `the cosignature is for "${f.value.log}", the bundle is "${b.origin}"` };
  const target = [...b.checkpoints].reverse().find((c) => c.checkpoint.body === f.value.checkpoint.body);
  if (!target) return { ok: false, message: `the bundle has no checkpoint with the cosigned body (size ${f.value.checkpoint.size})` };
  const theirs = f.value.checkpoint.signatures;
  const same = (x: { name: string; keyHash: Uint8Array; signature: Uint8Array }, y: typeof x) =>
    x.name === y.name && equalBytes(x.keyHash, y.keyHash) && equalBytes(x.signature, y.signature);
  for (const s of target.checkpoint.signatures)
    if (s.name === b.origin && !theirs.some((t) => same(s, t)))
      return { ok: false, message: "the cosigned checkpoint lacks the log signature of the bundle's checkpoint" };
  const sigLines = f.value.note.slice(f.value.checkpoint.body.length + 1, -1).split('\n');
  let note = target.note;
  const added: string[] = [];
  for (const [i, s] of theirs.entries()) {
    if (s.name === b.origin || target.checkpoint.signatures.some((t) => same(s, t))) continue;
    if (s.signature.length !== 72)
      return { ok: false, message: `signature line of "${s.name}" is not a cosignature/v1 line (${s.signature.length} bytes after the key hash, want 72)` };
    note = addCosignatureLine(note, sigLines[i]!);
    added.push(s.name);
  }
  const lines = [...b.lines];
  lines[target.index] = JSON.stringify({ checkpoint: note });
  return { ok: true, text: lines.join('\n') + '\n', size: target.checkpoint.size, added };
}
