// One entry point for every bundle: open the bytes (gzip or not), tell the two
// formats apart by the first member name of the first JSON object, and run the
// matching verifier. Input that is no bundle at all gets INPUT.not_bundle, never
// an exception, so the CLI can exit 2 and the app can say so in words.

import { createSignatureBackend, type SignatureBackend } from '../crypto/ed25519.ts';
import type { VerifierOptions, VerifyResult } from './report-v1.ts';
import { AbortError, openSource, type ByteSource } from './byte-source.ts';
import { verifyCountersign } from './countersign.ts';
import { verifyMakerChecker } from './makerchecker.ts';

export interface VerifyBundleOptions extends VerifierOptions {
  backend?: SignatureBackend;
  /** Countersign only: false skips governance replay (integrity checks only). */
  policy?: boolean;
}

export type DetectedFormat = 'countersign' | 'makerchecker' | null;

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const PEEK_LIMIT = 4096;

/** Reads the first member name of the first object in `head`, if complete. */
export function detectFormat(head: Uint8Array): DetectedFormat | 'need-more' {
  let i = 0;
  while (i < head.length && WS.has(head[i]!)) i++;
  if (i >= head.length) return head.length >= PEEK_LIMIT ? null : 'need-more';
  if (head[i] !== 0x7b) return null; // '{'
  i++;
  while (i < head.length && WS.has(head[i]!)) i++;
  if (i >= head.length) return 'need-more';
  if (head[i] !== 0x22) return null; // '"'
  const end = head.indexOf(0x22, i + 1);
  if (end < 0) return head.length >= PEEK_LIMIT ? null : 'need-more';
  const key = String.fromCharCode(...head.subarray(i + 1, Math.min(end, i + 40)));
  if (key === 'countersign' || key === 'log') return 'countersign';
  if (key === 'manifest' || key === 'events') return 'makerchecker';
  return null;
}

export async function verifyBundle(source: ByteSource, options: VerifyBundleOptions = {}): Promise<VerifyResult> {
  try {
    const { stats, chunks } = await openSource(source, options.signal);
    // Peek without losing bytes: keep what was read and replay it.
    const peeked: Uint8Array[] = [];
    let head = new Uint8Array(0);
    let format: DetectedFormat | 'need-more' = 'need-more';
    while (format === 'need-more') {
      const r = await chunks.next();
      if (r.done) {
        format = detectFormat(head);
        if (format === 'need-more') format = null;
        break;
      }
      peeked.push(r.value);
      const merged = new Uint8Array(head.length + r.value.length);
      merged.set(head);
      merged.set(r.value, head.length);
      head = merged.length > PEEK_LIMIT ? merged.subarray(0, PEEK_LIMIT) : merged;
      format = detectFormat(head);
    }
    if (format === null) {
      await chunks.return(undefined);
      return {
        ok: false,
        code: 'INPUT.not_bundle',
        message:
          stats.bytes === 0
            ? 'The file is empty.'
            : 'This is not an audit bundle: expected a Countersign bundle (.jsonl, first line {"countersign":"bundle/v1",…}) or a MakerChecker export (.json with "manifest" and "events").',
      };
    }
    async function* replayed(): AsyncGenerator<Uint8Array> {
      yield* peeked;
      yield* chunks;
    }
    const backend = options.backend ?? (await createSignatureBackend('auto'));
    const common = {
      trust: options.trust ?? [],
      backend,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.capPerCode !== undefined ? { capPerCode: options.capPerCode } : {}),
      ...(options.totalBytes !== undefined ? { totalBytes: options.totalBytes } : {}),
    };
    const report =
      format === 'countersign'
        ? await verifyCountersign(replayed(), stats, { ...common, ...(options.policy === false ? { policy: false } : {}) })
        : await verifyMakerChecker(replayed(), stats, common);
    return { ok: true, report };
  } catch (e) {
    if (e instanceof AbortError || (e as { name?: string })?.name === 'AbortError')
      return { ok: false, code: 'INPUT.aborted', message: 'Verification was cancelled.' };
    const msg = e instanceof Error ? e.message : String(e);
    return { ok: false, code: 'INPUT.read', message: `The file could not be read: ${msg}` };
  }
}
