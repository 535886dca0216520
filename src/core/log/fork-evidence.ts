// fork-evidence/v1 (docs/format.md §7 choice 4): two checkpoints the same log signed that
// cannot both be true, in one file anyone can check with nothing else:
//
//   {"countersign":"fork-evidence/v1","log":<origin>,
//    "a":"<checkpoint note of size m>","a_key":"<base64 gate key>",
//    "b":"<checkpoint note of size n ≥ m>","b_key":"<base64 gate key>",
//    "b_root_at_a":"<base64 root of b's first m entries>",
//    "proof":["<base64>",...]}
//
// It proves a fork when: both notes verify under their keys (log signature, key name = origin);
// and either n = m with different roots, or b_root_at_a differs from a's root while the
// RFC 6962 consistency proof shows that b's tree of size n extends (m, b_root_at_a).
// Whether a_key and b_key are the gate's keys is for the reader to compare with the log's
// roster (the report shows their key ids); a fork signed by one key is already its own proof.
import { z } from 'zod';
import { equalBytes, type Digest } from '../encoding/bytes.ts';
import { decodeBase64, encodeBase64 } from '../encoding/base64.ts';
import { parseJsonText } from '../encoding/json.ts';
import { keyIdOf } from '../crypto/ed25519.ts';
import { Base64Key, describeZodError } from '../statements/schemas.ts';
import { parseCheckpoint } from './checkpoint.ts';
import { verifyConsistencyProof } from './proofs.ts';
import { hasLogSignature } from './witness-files.ts';

const Hash = z.string().regex(/^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/, 'must be base64 of a 32-byte hash');
const ForkEvidenceSchema = z.strictObject({
  countersign: z.literal('fork-evidence/v1'),
  log: z.string().min(1),
  a: z.string(),
  a_key: Base64Key,
  b: z.string(),
  b_key: Base64Key,
  b_root_at_a: Hash,
  proof: z.array(Hash).max(128),
});

export interface ForkEvidenceInput {
  log: string;
  a: string;
  aKey: Uint8Array;
  b: string;
  bKey: Uint8Array;
  bRootAtA: Uint8Array;
  proof: readonly Uint8Array[];
}

export function formatForkEvidence(e: ForkEvidenceInput): string {
  return (
    JSON.stringify(
      {
        countersign: 'fork-evidence/v1',
        log: e.log,
        a: e.a,
        a_key: encodeBase64(e.aKey),
        b: e.b,
        b_key: encodeBase64(e.bKey),
        b_root_at_a: encodeBase64(e.bRootAtA),
        proof: e.proof.map(encodeBase64),
      },
      null,
      1,
    ) + '\n'
  );
}

export type ForkEvidenceVerdict = { ok: true; log: string; sizeA: number; sizeB: number; keyIds: string[]; summary: string } | { ok: false; message: string };

/** Checks a fork-evidence/v1 file. Attacker-controlled: all of it. Never throws. */
export function checkForkEvidence(text: string): ForkEvidenceVerdict {
  const fail = (message: string): ForkEvidenceVerdict => ({ ok: false, message });
  if (typeof text !== 'string') return fail('fork evidence must be text');
  const j = parseJsonText(text);
  if (!j.ok) return fail(`not I-JSON: ${j.error.message} at ${j.error.path}`);
  const s = ForkEvidenceSchema.safeParse(j.value);
  if (!s.success) return fail(`not a fork-evidence/v1 file: ${describeZodError(s.error, 'file')}`);
  const e = s.data;
  const a = parseCheckpoint(e.a);
  const b = parseCheckpoint(e.b);
  if (!a.ok) return fail(`a: ${a.message}`);
  if (!b.ok) return fail(`b: ${b.message}`);
  const A = a.checkpoint;
  const B = b.checkpoint;
  if (A.origin !== e.log || B.origin !== e.log) return fail(`both checkpoints must be of "${e.log}"`);
  const aKey = decodeBase64(e.a_key);
  const bKey = decodeBase64(e.b_key);
  if (!hasLogSignature(A, aKey)) return fail('a: no log signature verifies under a_key');
  if (!hasLogSignature(B, bKey)) return fail('b: no log signature verifies under b_key');
  if (A.size > B.size) return fail(`a (size ${A.size}) must not be larger than b (size ${B.size})`);
  const bRootAtA = decodeBase64(e.b_root_at_a) as Digest;
  if (A.size === B.size) {
    if (equalBytes(A.root, B.root)) return fail(`both checkpoints of size ${A.size} have the same root: no fork`);
    if (!equalBytes(bRootAtA, B.root)) return fail("b_root_at_a must be b's root when the sizes are equal");
  } else {
    if (equalBytes(bRootAtA, A.root)) return fail(`b's root at size ${A.size} equals a's root: no fork`);
    if (!verifyConsistencyProof({ oldSize: A.size, newSize: B.size, oldRoot: bRootAtA, newRoot: B.root, proof: e.proof.map((h) => decodeBase64(h)) }))
      return fail(`the consistency proof does not show that b's tree of size ${B.size} has b_root_at_a at size ${A.size}`);
  }
  const keyIds = [...new Set([keyIdOf(aKey), keyIdOf(bKey)])];
  return {
    ok: true,
    log: e.log,
    sizeA: A.size,
    sizeB: B.size,
    keyIds,
    summary: `the log "${e.log}" signed two different histories: a checkpoint of size ${A.size} and one of size ${B.size} whose first ${A.size} entries differ`,
  };
}
