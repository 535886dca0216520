// C2SP tlog-proof@v1 (c2sp.org/tlog-proof), the single-entry proof of docs/format.md §7.3:
//
//   c2sp.org/tlog-proof@v1
//   extra <base64 C(entry)>          optional in C2SP; always written by us
//   index <seq>                      ASCII decimal, no leading zeroes
//   <base64 hash>                    zero or more: RFC 6962 §2.1.1 PATH, leaf's sibling first
//   (empty line)
//   <checkpoint note, verbatim>      tlog-checkpoint, with its signature lines
//
// The parser is strict and total (attacker-controlled input): any string gets a result or a
// message naming the line, never an exception.
import { assertBytes } from '../encoding/bytes.ts';
import { decodeBase64, encodeBase64 } from '../encoding/base64.ts';

export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';

export interface TlogProof {
  /** The opaque extra data (for us: C(entry)), or null when the line is absent. */
  extra: Uint8Array | null;
  index: number;
  proof: Uint8Array[];
  /** The checkpoint note text, verbatim. */
  checkpoint: string;
}

export function formatTlogProof(p: TlogProof): string {
  if (p === null || typeof p !== 'object') throw new TypeError('formatTlogProof needs a proof object');
  if (p.extra !== null) assertBytes(p.extra, undefined, 'extra');
  if (typeof p.index !== 'number' || !Number.isSafeInteger(p.index) || p.index < 0) throw new RangeError('index must be an integer in [0, 2^53 - 1]');
  if (!Array.isArray(p.proof)) throw new TypeError('proof must be an array of 32-byte hashes');
  p.proof.forEach((h, i) => assertBytes(h, 32, `proof[${i}]`));
  if (typeof p.checkpoint !== 'string' || !p.checkpoint.endsWith('\n')) throw new TypeError('checkpoint must be a note text ending in a newline');
  const lines = [TLOG_PROOF_HEADER];
  if (p.extra !== null) lines.push(`extra ${encodeBase64(p.extra)}`);
  lines.push(`index ${p.index}`);
  for (const h of p.proof) lines.push(encodeBase64(h));
  return lines.join('\n') + '\n\n' + p.checkpoint;
}

/** Parses a .tlog-proof file. Never throws. */
export function parseTlogProof(text: string): { ok: true; proof: TlogProof } | { ok: false; message: string } {
  const fail = (message: string) => ({ ok: false as const, message });
  if (typeof text !== 'string') return fail('a tlog-proof must be text');
  const sep = text.indexOf('\n\n');
  if (sep < 0) return fail('no empty line between the proof and the checkpoint');
  const head = text.slice(0, sep).split('\n');
  const checkpoint = text.slice(sep + 2);
  if (head[0] !== TLOG_PROOF_HEADER) return fail(`line 1 must be "${TLOG_PROOF_HEADER}"`);
  let i = 1;
  let extra: Uint8Array | null = null;
  if (head[i]?.startsWith('extra ')) {
    try {
      extra = decodeBase64(head[i]!.slice(6));
    } catch (e) {
      return fail(`line ${i + 1}: extra is not strict base64 (${(e as Error).message})`);
    }
    i++;
  }
  const idx = head[i];
  if (idx === undefined || !idx.startsWith('index ')) return fail(`line ${i + 1} must be "index <N>"`);
  const n = idx.slice(6);
  if (!/^(0|[1-9][0-9]{0,15})$/.test(n) || !Number.isSafeInteger(Number(n)))
    return fail(`line ${i + 1}: index ${JSON.stringify(n)} is not a decimal integer without leading zeroes below 2^53`);
  i++;
  const proof: Uint8Array[] = [];
  for (; i < head.length; i++) {
    if (proof.length >= 64) return fail('the inclusion proof has more than 64 hashes');
    let h: Uint8Array;
    try {
      h = decodeBase64(head[i]!);
    } catch (e) {
      return fail(`line ${i + 1}: not a base64 hash (${(e as Error).message})`);
    }
    if (h.length !== 32) return fail(`line ${i + 1}: a proof hash is 32 bytes, this is ${h.length}`);
    proof.push(h);
  }
  if (checkpoint.length === 0) return fail('the checkpoint after the empty line is missing');
  return { ok: true, proof: { extra, index: Number(n), proof, checkpoint } };
}
