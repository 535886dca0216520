// The witness exchange files of docs/format.md §7.3, read with the strict I-JSON reader and
// strict schemas, and the witness's rule for accepting a consistency file:
//
//   consistency/v1  gate → witness  {"countersign":"consistency/v1","log":…,"old":note,"new":note,"proof":[b64…]}
//   cosignature/v1  witness → gate  {"countersign":"cosignature/v1","log":…,"checkpoint":note + witness line}
//
// Everything in these files is attacker-controlled; every function here is total (never throws
// on input) and names the field that is wrong.
import { z } from 'zod';
import { equalBytes, type Digest, type PublicKey, type SecretKey } from '../encoding/bytes.ts';
import { decodeBase64, encodeBase64 } from '../encoding/base64.ts';
import { parseJsonText } from '../encoding/json.ts';
import { verifyStrict } from '../crypto/ed25519.ts';
import { describeZodError } from '../statements/schemas.ts';
import { checkpointSignedMessage, noteKeyHash, parseCheckpoint, type Checkpoint } from './checkpoint.ts';
import { addCosignatureLine, makeCosignatureLine } from './cosignature.ts';
import { verifyConsistencyProof } from './proofs.ts';
import { largestRemembered, rememberedFor, type RememberedCheckpoint } from './remembered.ts';

const Hash = z.string().regex(/^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/, 'must be base64 of a 32-byte hash');
const ConsistencySchema = z.strictObject({
  countersign: z.literal('consistency/v1'),
  log: z.string().min(1),
  old: z.string(),
  new: z.string(),
  proof: z.array(Hash).max(128),
});
const CosignatureFileSchema = z.strictObject({ countersign: z.literal('cosignature/v1'), log: z.string().min(1), checkpoint: z.string() });

export interface NoteOf {
  note: string;
  checkpoint: Checkpoint;
}
export interface ConsistencyFile {
  log: string;
  old: NoteOf;
  new: NoteOf;
  proof: Digest[];
}

type Read<T> = { ok: true; value: T } | { ok: false; message: string };

function readNote(text: string, field: string, log: string): Read<NoteOf> {
  const p = parseCheckpoint(text);
  if (!p.ok) return { ok: false, message: `${field}: not a checkpoint note: ${p.message}` };
  if (p.checkpoint.origin !== log) return { ok: false, message: `${field}: checkpoint of "${p.checkpoint.origin}", but the file is for "${log}"` };
  return { ok: true, value: { note: text, checkpoint: p.checkpoint } };
}

function readJson<T>(text: string, schema: z.ZodType<T>, what: string): Read<T> {
  if (typeof text !== 'string') return { ok: false, message: `${what} must be text` };
  const j = parseJsonText(text);
  if (!j.ok) return { ok: false, message: `${what} is not I-JSON: ${j.error.message} at ${j.error.path}` };
  const s = schema.safeParse(j.value);
  if (!s.success) return { ok: false, message: `not a ${what}: ${describeZodError(s.error, 'file')}` };
  return { ok: true, value: s.data };
}

export function parseConsistencyFile(text: string): Read<ConsistencyFile> {
  const r = readJson(text, ConsistencySchema, 'consistency/v1 file');
  if (!r.ok) return r;
  const old = readNote(r.value.old, 'old', r.value.log);
  if (!old.ok) return old;
  const nu = readNote(r.value.new, 'new', r.value.log);
  if (!nu.ok) return nu;
  return { ok: true, value: { log: r.value.log, old: old.value, new: nu.value, proof: r.value.proof.map((h) => decodeBase64(h) as Digest) } };
}

export function parseCosignatureFile(text: string): Read<{ log: string } & NoteOf> {
  const r = readJson(text, CosignatureFileSchema, 'cosignature/v1 file');
  if (!r.ok) return r;
  const n = readNote(r.value.checkpoint, 'checkpoint', r.value.log);
  if (!n.ok) return n;
  return { ok: true, value: { log: r.value.log, ...n.value } };
}

/** A cosignature/v1 file: `note` with the witness's line added (or replaced). Throws on bad arguments. */
export function makeCosignatureFile(args: { note: string; name: string; secretKey: SecretKey; timestamp: number | bigint }): string {
  const p = parseCheckpoint(args.note);
  if (!p.ok) throw new RangeError(`not a checkpoint note: ${p.message}`);
  const line = makeCosignatureLine({ body: p.checkpoint.body, name: args.name, secretKey: args.secretKey, timestamp: args.timestamp });
  const checkpoint = addCosignatureLine(args.note, line);
  return JSON.stringify({ countersign: 'cosignature/v1', log: p.checkpoint.origin, checkpoint }, null, 1) + '\n';
}

export function makeConsistencyFile(args: { log: string; old: string; new: string; proof: readonly Uint8Array[] }): string {
  return JSON.stringify({ countersign: 'consistency/v1', log: args.log, old: args.old, new: args.new, proof: args.proof.map(encodeBase64) }, null, 1) + '\n';
}

/** Whether `cp` carries a log signature (key name = origin) that verifies under `key`. */
export function hasLogSignature(cp: Checkpoint, key: Uint8Array): boolean {
  const h = noteKeyHash(cp.origin, key);
  const msg = checkpointSignedMessage(cp);
  return cp.signatures.some((s) => s.name === cp.origin && equalBytes(s.keyHash, h) && s.signature.length === 64 && verifyStrict(s.signature, msg, key));
}

export type ConsistencyVerdict =
  | { ok: true; next: RememberedCheckpoint; from: RememberedCheckpoint }
  | {
      ok: false;
      code: 'FORMAT.schema' | 'INPUT.unknown_log' | 'INPUT.stale' | 'CKPT.signature' | 'PROOF.consistency' | 'WITNESS.fork' | 'WITNESS.truncated';
      message: string;
      /** For WITNESS.fork: the remembered note and the conflicting note of the same size, both gate-signed. */
      fork?: { remembered: RememberedCheckpoint; conflicting: string; conflictingKey: PublicKey };
    };

/**
 * The witness's rule (docs/format.md §7.3 and §7 choice 3): `old` must be the largest
 * checkpoint it remembers for the log (same size and root), both notes must carry a log
 * signature under the gate key that signed the remembered one, and the RFC 6962 proof must
 * verify. A remembered checkpoint of `old`'s or `new`'s size with another root is WITNESS.fork;
 * it is checked first, so a fork is never reported as a mere bad proof.
 */
export function checkConsistencyFile(text: string, remembered: readonly RememberedCheckpoint[]): ConsistencyVerdict {
  const f = parseConsistencyFile(text);
  if (!f.ok) return { ok: false, code: 'FORMAT.schema', message: f.message };
  const { log, old, new: nu, proof } = f.value;
  const last = largestRemembered(remembered, log);
  if (!last) return { ok: false, code: 'INPUT.unknown_log', message: `no checkpoint of "${log}" is remembered: verify a full bundle of this log first` };
  const key = last.key;
  for (const [which, n] of [
    ['old', old],
    ['new', nu],
  ] as const)
    if (!hasLogSignature(n.checkpoint, key))
      return {
        ok: false,
        code: 'CKPT.signature',
        message: `${which}: no log signature verifies under the gate key that signed the remembered checkpoint (size ${last.size})`,
      };
  for (const n of [old, nu])
    for (const r of rememberedFor(remembered, log))
      if (r.size === n.checkpoint.size && !equalBytes(r.root, n.checkpoint.root))
        return {
          ok: false,
          code: 'WITNESS.fork',
          message: `the gate signed a checkpoint of size ${r.size} with another root than the one remembered: two different histories`,
          fork: { remembered: r, conflicting: n.note, conflictingKey: key },
        };
  if (nu.checkpoint.size < last.size)
    return {
      ok: false,
      code: 'WITNESS.truncated',
      message: `new has ${nu.checkpoint.size} entries, fewer than the remembered checkpoint of size ${last.size}`,
    };
  if (old.checkpoint.size !== last.size)
    return {
      ok: false,
      code: 'INPUT.stale',
      message: `old has size ${old.checkpoint.size}, but the remembered checkpoint has size ${last.size}: ask the gate for a proof from size ${last.size}`,
    };
  if (!verifyConsistencyProof({ oldSize: old.checkpoint.size, newSize: nu.checkpoint.size, oldRoot: old.checkpoint.root, newRoot: nu.checkpoint.root, proof }))
    return {
      ok: false,
      code: 'PROOF.consistency',
      message: `the consistency proof from size ${old.checkpoint.size} to ${nu.checkpoint.size} does not verify: the new checkpoint is not proven to extend the remembered one`,
    };
  return { ok: true, from: last, next: { origin: log, size: nu.checkpoint.size, root: nu.checkpoint.root, note: nu.note, key } };
}
