// One entry point for every bundle: open the bytes (gzip or not), tell the two
// formats apart by the first member name of the first JSON object, and run the
// matching verifier. Input that is no bundle at all gets INPUT.not_bundle, never
// an exception, so the CLI can exit 2 and the app can say so in words.

import { createSignatureBackend, type SignatureBackend } from '../crypto/ed25519.ts';
import type { VerifierOptions, VerifyResult } from './report-v1.ts';
import { AbortError, openSource, type ByteSource } from './byte-source.ts';
import { verifyCountersign } from './countersign.ts';
import { verifyMakerChecker } from './makerchecker.ts';
import { MAX_PACKET_BYTES, verifyDisclosure, verifyTlogProof } from './disclosure.ts';
import { parseWitnessKey } from '../log/witness-key.ts';

/** Witness anchors must parse and K must be within 0..(number of witnesses) (docs/format.md §7.2). */
function checkWitnessOptions(options: VerifyBundleOptions): string | null {
  let n = 0;
  for (const a of options.trust ?? [])
    if (a.kind === 'witness') {
      const k = parseWitnessKey(a.key);
      if (!k.ok) return `witness anchor: ${k.message}`;
      n++;
    }
  const q = options.witnessQuorum;
  if (q !== undefined && (!Number.isSafeInteger(q) || q < 0 || q > n))
    return `the witness quorum must be an integer from 0 to the number of witness anchors (${n}), not ${q}`;
  return null;
}
import type { MakerCheckerEventPool } from './makerchecker-event.ts';
import type { CountersignLinePool } from './countersign-lines.ts';
import type { ReplayObserver } from '../governance/replay.ts';
import type { ColdStore } from '../governance/record-log.ts';

export interface VerifyBundleOptions extends VerifierOptions {
  backend?: SignatureBackend;
  /** Countersign only: false skips governance replay (integrity checks only). */
  policy?: boolean;
  /** MakerChecker only: makes the pool that digests events on other threads (issue 10). */
  makerCheckerPool?: () => MakerCheckerEventPool;
  /** Countersign only: makes the pool that prepares lines on other threads (issue 10). */
  countersignPool?: () => CountersignLinePool;
  /** Countersign only: hears each request event (report/verify-report.ts passes the request summaries). */
  observer?: ReplayObserver;
  /** Countersign only: makes the cold stores the replay's tables spill to past a memory window (the CLI's temp files). */
  spill?: () => ColdStore;
}

export type DetectedFormat = 'countersign' | 'makerchecker' | 'disclosure' | 'tlog-proof' | null;

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const PEEK_LIMIT = 4096;

/** Reads the first member name of the first object in `head`, if complete. */
export function detectFormat(head: Uint8Array): DetectedFormat | 'need-more' {
  // docs/format.md §7.3: a C2SP tlog-proof is text whose first line names it.
  const TLOG = 'c2sp.org/tlog-proof@v1\n';
  if (head.length < TLOG.length && TLOG.startsWith(String.fromCharCode(...head))) return 'need-more';
  if (String.fromCharCode(...head.subarray(0, TLOG.length)) === TLOG) return 'tlog-proof';
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
  if (key === 'countersign') {
    // docs/format.md §7.4: a disclosure/v1 packet starts {"countersign":"disclosure/v1", like a bundle header.
    const m = /^\s*:\s*"([^"]{0,40})"/.exec(String.fromCharCode(...head.subarray(end + 1, end + 64)));
    if (!m) return head.length - end < 64 && head.length < PEEK_LIMIT ? 'need-more' : 'countersign';
    return m[1] === 'disclosure/v1' ? 'disclosure' : 'countersign';
  }
  if (key === 'log') return 'countersign';
  if (key === 'manifest' || key === 'events') return 'makerchecker';
  return null;
}

export async function verifyBundle(source: ByteSource, options: VerifyBundleOptions = {}): Promise<VerifyResult> {
  const witnessProblem = checkWitnessOptions(options);
  if (witnessProblem) return { ok: false, code: 'INPUT.trust', message: witnessProblem };
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
            : head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf
              ? 'This file starts with a byte-order mark (EF BB BF), which a bundle never has (docs/format.md "Bytes": UTF-8 without a BOM): it was probably re-saved by an editor. Use the file as the gate wrote it.'
              : 'This is not an audit bundle: expected a Countersign bundle (.jsonl, first line {"countersign":"bundle/v1",…}), a disclosure packet ({"countersign":"disclosure/v1",…}), a .tlog-proof, or a MakerChecker export (.json with "manifest" and "events").',
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
      ...(options.witnessQuorum !== undefined ? { witnessQuorum: options.witnessQuorum } : {}),
      ...(options.remembered !== undefined ? { remembered: options.remembered } : {}),
    };
    if (format === 'disclosure' || format === 'tlog-proof') {
      // Small files by nature: read whole, with a ceiling (docs/format.md §7.3, §7.4).
      const parts: Uint8Array[] = [];
      let n = 0;
      for await (const c of replayed()) {
        n += c.length;
        if (n > MAX_PACKET_BYTES)
          return {
            ok: false,
            code: 'INPUT.read',
            message: `A ${format === 'disclosure' ? 'disclosure packet' : 'tlog-proof'} over ${MAX_PACKET_BYTES >> 20} MiB is not one this verifier reads.`,
          };
        parts.push(c);
      }
      const all = new Uint8Array(n);
      let o = 0;
      for (const p of parts) {
        all.set(p, o);
        o += p.length;
      }
      const report =
        format === 'disclosure'
          ? await verifyDisclosure(all, stats, { ...common, ...(options.observer ? { observer: options.observer } : {}) })
          : await verifyTlogProof(all, stats, common);
      return { ok: true, report };
    }
    const report =
      format === 'countersign'
        ? await verifyCountersign(replayed(), stats, {
            ...common,
            ...(options.policy === false ? { policy: false } : {}),
            ...(options.observer ? { observer: options.observer } : {}),
            ...(options.spill ? { spill: options.spill } : {}),
            ...(options.countersignPool ? { linePool: options.countersignPool() } : {}),
          })
        : await verifyMakerChecker(replayed(), stats, { ...common, ...(options.makerCheckerPool ? { eventPool: options.makerCheckerPool() } : {}) });
    return { ok: true, report };
  } catch (e) {
    if (e instanceof AbortError || (e as { name?: string })?.name === 'AbortError')
      return { ok: false, code: 'INPUT.aborted', message: 'Verification was cancelled.' };
    const msg = e instanceof Error ? e.message : String(e);
    return { ok: false, code: 'INPUT.read', message: `The file could not be read: ${msg}` };
  }
}
