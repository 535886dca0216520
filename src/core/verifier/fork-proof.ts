// Fork evidence from a verified bundle (docs/format.md §7 choice 4): a second streaming pass
// over the bundle that made the WITNESS.fork finding, to prove with an RFC 6962 consistency
// proof that its signed checkpoint of size n commits to the other root at the remembered
// size m. Only a fork report with a conflicting checkpoint can be made into evidence.
import { decodeBase64 } from '../encoding/base64.ts';
import { parseJsonBytes, type JsonValue } from '../encoding/json.ts';
import { parseCheckpoint } from '../log/checkpoint.ts';
import { formatForkEvidence } from '../log/fork-evidence.ts';
import { entryLeafHash } from '../log/merkle.ts';
import { ProofCollector } from '../log/proofs.ts';
import type { ForkReport } from './report-v1.ts';
import { openSource, splitLines, type ByteSource } from './byte-source.ts';
import { MAX_LINE_BYTES } from './countersign.ts';

export type ForkEvidenceResult = { ok: true; text: string } | { ok: false; message: string };

export async function makeForkEvidence(source: ByteSource, fork: ForkReport): Promise<ForkEvidenceResult> {
  if (!fork.conflicting || !fork.conflictingKey)
    return { ok: false, message: 'this bundle has no valid checkpoint covering the remembered size, so there is no second signed history to export' };
  const a = parseCheckpoint(fork.remembered);
  const b = parseCheckpoint(fork.conflicting);
  if (!a.ok || !b.ok) return { ok: false, message: 'the fork report holds an unreadable checkpoint' };
  const m = a.checkpoint.size;
  const n = b.checkpoint.size;
  let proof: Uint8Array[] = [];
  if (n > m) {
    const c = new ProofCollector(n, { consistency: [m] });
    const { chunks } = await openSource(source);
    for await (const line of splitLines(chunks, MAX_LINE_BYTES)) {
      if (c.done) break;
      if (line.number === 1 || line.tooLong || !line.bytes.length) continue;
      const p = parseJsonBytes(line.bytes);
      if (!p.ok) continue;
      const v = p.value as { entry?: unknown };
      if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && 'entry' in v)
        c.appendLeafHash(entryLeafHash(v.entry as JsonValue, line.bytes));
    }
    if (!c.done) return { ok: false, message: `the bundle has fewer than ${n} entries on the second reading: was it changed?` };
    proof = c.consistencyProof(m);
  }
  const text = formatForkEvidence({
    log: a.checkpoint.origin,
    a: fork.remembered,
    aKey: decodeBase64(fork.rememberedKey),
    b: fork.conflicting,
    bKey: decodeBase64(fork.conflictingKey),
    bRootAtA: decodeBase64(fork.rootAtSize),
    proof,
  });
  return { ok: true, text };
}
