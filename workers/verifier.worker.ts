// The verifier worker: streams the dropped File into core's verifyBundle, with
// signature checks spread over a pool of sub-workers, and indexes the timeline
// from the same bytes on the way. It keeps the last File so one row can be
// re-read and decoded when the reviewer opens it.
/// <reference lib="webworker" />
import { Comlink, signalFromPort, type BridgeResult } from '../src/shared/worker-bridge.ts';
import {
  LIGHT_GATES,
  type EntryDetail,
  type RequestFacets,
  type SignatureStatus,
  type TimelineIndex,
  type VerifierApi,
  type VerifyOutcome,
  type VerifyProgress,
} from '../src/shared/verify-api.ts';
import type { GovernanceReport } from '../src/core/report/request-summaries.ts';
import type { MakerCheckerGovernance } from '../src/core/verifier/makerchecker-lens.ts';
import { EventIndexer, LineIndexer, mapFindingRows, type Indexer } from '../src/shared/timeline-index.ts';
import { detectFormat } from '../src/core/verifier/verify-bundle.ts';
import { verifyBundleReport } from '../src/core/report/verify-report.ts';
import type { Report } from '../src/core/report/report.ts';
import { checkSeverity } from '../src/core/statements/checks.ts';
import { createSignatureBackend, type SignatureBackend } from '../src/core/crypto/ed25519.ts';
import { openEnvelope } from '../src/core/statements/envelope.ts';
import { parseJsonBytes } from '../src/core/encoding/json.ts';
import { canonicalBytes } from '../src/core/encoding/jcs.ts';
import { sha256 } from '../src/core/crypto/hash.ts';
import { encodeHex } from '../src/core/encoding/hex.ts';
import { decodeBase64 } from '../src/core/encoding/base64.ts';
import { createSignaturePool, type SignaturePool } from './signature-pool.ts';
import { makeDisclosure } from '../src/core/disclosure/make-disclosure.ts';
import { makeForkEvidence } from '../src/core/verifier/fork-proof.ts';
import { createMakerCheckerPool, type WebEventPool } from './makerchecker-pool.ts';
import { createCountersignLinePool, type WebLinePool } from './countersign-pool.ts';
import { installWasmSha256 } from './wasm-sha256.ts';

// Before the first verify: every hash of a run then goes through the same implementation.
const sha256Ready = installWasmSha256();

const PROGRESS_EVERY_MS = 100;
const HEAD_BYTES = 4096;
const RAW_MAX = 64 * 1024;

let pool: Promise<SignaturePool> | null = null;
// One core is left to the page (it must stay responsive); the verifier thread itself waits
// while a batch's signatures are checked, so it needs none of its own.
const poolSize = () => Math.max(1, Math.min(8, (self.navigator?.hardwareConcurrency || 2) - 1));
const getPool = () => (pool ??= createSignaturePool(poolSize()));

let localBackend: Promise<SignatureBackend> | null = null;

// MakerChecker events are read by one sub-worker per core (issue 10); created on first use.
/** One sub-worker per core, at most 8. */
const subWorkers = () => Math.max(1, Math.min(8, self.navigator?.hardwareConcurrency || 2));
let mcPool: WebEventPool | null | undefined;
const getMakerCheckerPool = () => (mcPool === undefined ? (mcPool = createMakerCheckerPool(subWorkers())) : mcPool);
// Countersign lines likewise (issue 10): the sub-workers parse, open and check each line; this
// thread splits the lines and applies them in order; created on first use.
let csPool: WebLinePool | null | undefined;
const getCountersignPool = () => (csPool === undefined ? (csPool = createCountersignLinePool(subWorkers())) : csPool);

/** What the last run left for entryDetail, the governance filters and the export. */
let last: { file: Blob; gzip: boolean; index: Omit<TimelineIndex, 'findingRows'>; report: Report } | null = null;

/**
 * The page gets the report without its long lists: cloning ten thousand request summaries
 * onto the main thread is a long task. They stay here and are read a page at a time.
 */
function lighten(report: Report): { report: Report; requests: RequestFacets | null } {
  const g = report.governance as GovernanceReport | MakerCheckerGovernance | undefined;
  if (g?.kind === 'countersign-replay') {
    const skills = new Set<string>();
    const people = new Set<string>();
    const tiers = new Set<string>();
    let withProblems = 0;
    let withErrors = 0;
    for (const r of g.requests) {
      skills.add(r.skill);
      people.add(r.requester.id);
      for (const a of r.approvals) people.add(a.approver);
      for (const a of r.refusals) people.add(a.approver);
      if (r.riskTier) tiers.add(r.riskTier);
      if (r.findings.length) withProblems++;
      // Same severity as the verdict's (a pending request is a warning, not an error).
      if (r.findings.some((c) => checkSeverity(c) === 'error')) withErrors++;
    }
    const order = ['low', 'medium', 'high', 'critical'];
    return {
      report: { ...report, governance: { ...g, requests: [] } },
      requests: {
        total: g.requests.length,
        withProblems,
        withErrors,
        skills: [...skills].sort(),
        people: [...people].sort(),
        tiers: [...tiers].sort((a, b) => order.indexOf(a) - order.indexOf(b)),
      },
    };
  }
  if (g?.kind === 'makerchecker-lens' && g.gates.length > LIGHT_GATES)
    return {
      report: { ...report, governance: { ...g, gates: g.gates.slice(0, LIGHT_GATES), gatesDropped: g.gatesDropped + g.gates.length - LIGHT_GATES } },
      requests: null,
    };
  return { report, requests: null };
}

function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

async function readAll(stream: ReadableStream<Uint8Array>, each: (chunk: Uint8Array) => boolean | void): Promise<void> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) return;
      if (each(r.value) === false) {
        await reader.cancel().catch(() => {});
        return;
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/** The decompressed bytes of `file` from `start` to `end` (re-streams a gzip file from its beginning). */
async function readRange(file: Blob, gzip: boolean, start: number, end: number): Promise<Uint8Array> {
  if (!gzip) return new Uint8Array(await file.slice(start, end).arrayBuffer());
  const out = new Uint8Array(end - start);
  let pos = 0;
  await readAll(file.stream().pipeThrough(new DecompressionStream('gzip')), (c) => {
    const a = Math.max(start, pos);
    const b = Math.min(end, pos + c.length);
    if (b > a) out.set(c.subarray(a - pos, b - pos), a - start);
    pos += c.length;
    return pos < end;
  });
  return out;
}

async function headOf(file: Blob): Promise<{ gzip: boolean; head: Uint8Array }> {
  const raw = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  const gzip = isGzip(raw);
  if (!gzip) return { gzip, head: new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer()) };
  try {
    return { gzip, head: await readRange(file, true, 0, HEAD_BYTES) };
  } catch {
    return { gzip, head: new Uint8Array(0) };
  }
}

/** The last file's bytes again (decompressed by core when gzip). */
async function* fileChunks(file: Blob): AsyncGenerator<Uint8Array> {
  const reader = file.stream().getReader();
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) return;
      yield r.value;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

const api: VerifierApi = {
  async forkEvidence(): Promise<BridgeResult<string>> {
    const fork = last?.report.witness?.forks[0];
    if (!last || !fork) return { ok: false, code: 'FORK.none', message: 'The last verification found no fork.' };
    try {
      const r = await makeForkEvidence(fileChunks(last.file), fork);
      return r.ok ? { ok: true, value: r.text } : { ok: false, code: 'FORK.unsigned', message: r.message };
    } catch (e) {
      return { ok: false, code: 'FORK.read', message: `The file could not be read again: ${(e as Error).message}` };
    }
  },

  async verify(file, anchors, abort, onProgress, remembered): Promise<BridgeResult<VerifyOutcome>> {
    const signal = signalFromPort(abort);
    try {
      await sha256Ready;
      const { gzip, head } = await headOf(file);
      const format = detectFormat(head);
      const indexer: Indexer | null = format === 'countersign' ? new LineIndexer() : format === 'makerchecker' ? new EventIndexer() : null;
      const sigPool = await getPool();

      const t0 = performance.now();
      let lastSent = 0;
      let entries = 0;
      let bytes = 0;
      const send = (force = false) => {
        const t = performance.now();
        if (!force && t - lastSent < PROGRESS_EVERY_MS) return;
        lastSent = t;
        const p: VerifyProgress = { bytes, totalBytes: file.size, entries, rows: indexer?.rows ?? 0, elapsedMs: t - t0 };
        void onProgress(p);
      };

      // The timeline index sees the same decompressed bytes the verifier reads.
      let tap: { write(c: Uint8Array): Promise<void>; close(): Promise<void> } | null = null;
      if (indexer && gzip) {
        const ds = new DecompressionStream('gzip');
        const writer = ds.writable.getWriter();
        const drained = readAll(ds.readable, (c) => indexer.push(c)).catch(() => {});
        tap = {
          write: (c) => writer.write(c as Uint8Array<ArrayBuffer>).catch(() => {}),
          close: async () => {
            await writer.close().catch(() => {});
            await drained;
          },
        };
      }

      async function* source(): AsyncGenerator<Uint8Array> {
        const reader = file.stream().getReader();
        try {
          for (;;) {
            const r = await reader.read();
            if (r.done) break;
            bytes += r.value.length;
            if (indexer) {
              if (tap) await tap.write(r.value);
              else indexer.push(r.value);
            }
            send();
            yield r.value;
          }
          if (tap) await tap.close();
        } finally {
          await reader.cancel().catch(() => {});
        }
      }

      const result = await verifyBundleReport(source(), {
        // Unfiltered: which anchors apply to which format is core's rule (verifier/anchors.ts),
        // the same one the CLI goes through.
        trust: anchors,
        ...(format === 'countersign' && remembered?.length ? { remembered } : {}),
        signal,
        backend: sigPool,
        totalBytes: file.size,
        ...(format === 'makerchecker' && getMakerCheckerPool() ? { makerCheckerPool: () => getMakerCheckerPool()! } : {}),
        ...(format === 'countersign' && getCountersignPool() ? { countersignPool: () => getCountersignPool()! } : {}),
        onProgress: (p) => {
          entries = p.entries;
          send();
        },
      });
      if (!result.ok) return { ok: false, code: result.code, message: result.message };
      const report = result.report;
      entries = report.entries;
      send(true);
      const base = (indexer ?? new LineIndexer()).finish();
      last = { file, gzip, index: base, report };
      const light = lighten(report);
      // The page gets its own copies by transfer; the worker keeps `base` for entryDetail.
      const index: TimelineIndex = {
        ...base,
        offset: base.offset.slice(),
        length: base.length.slice(),
        seq: base.seq.slice(),
        type: base.type.slice(),
        line: base.line?.slice() ?? null,
        findingRows: mapFindingRows(base, report.findings),
      };
      const transfer: Transferable[] = [index.offset.buffer, index.length.buffer, index.seq.buffer, index.type.buffer, index.findingRows.buffer];
      if (index.line) transfer.push(index.line.buffer);
      // A Countersign bundle's signatures are checked mostly by the line pool's sub-workers.
      const checkers = format === 'countersign' && csPool ? csPool.size : sigPool.size;
      return Comlink.transfer({ ok: true as const, value: { ...light, index, pool: { workers: checkers, backend: sigPool.name } } }, transfer);
    } catch (e) {
      if ((e as { name?: string })?.name === 'AbortError') return { ok: false, code: 'INPUT.aborted', message: 'Verification was cancelled.' };
      return { ok: false, code: 'INPUT.read', message: `The file could not be read: ${e instanceof Error ? e.message : String(e)}` };
    }
  },

  async queryRequests(q) {
    const g = last?.report.governance as GovernanceReport | undefined;
    if (g?.kind !== 'countersign-replay') return { ok: true, value: { rows: [], matched: 0 } };
    const match = g.requests.filter(
      (r) =>
        (!q.problemsOnly || r.findings.length > 0) &&
        (!q.skill || r.skill === q.skill) &&
        (!q.tier || r.riskTier === q.tier) &&
        (!q.person || r.requester.id === q.person || r.approvals.some((a) => a.approver === q.person) || r.refusals.some((a) => a.approver === q.person)),
    );
    return { ok: true, value: { rows: match.slice(0, q.limit), matched: match.length } };
  },

  // docs/format.md §7.4: a packet for requests of the last verified full bundle, made here
  // (the worker holds the File) in one streaming pass, never with the bundle in memory.
  async disclose(requestIds) {
    try {
      if (!last || last.report.format !== 'countersign-bundle/v1')
        return { ok: false, code: 'DISCLOSE.none', message: 'Verify a full Countersign bundle first.' };
      const file = last.file;
      async function* chunks(): AsyncGenerator<Uint8Array> {
        const reader = file.stream().getReader();
        try {
          for (;;) {
            const c = await reader.read();
            if (c.done) return;
            yield c.value;
          }
        } finally {
          await reader.cancel().catch(() => {});
        }
      }
      const r = await makeDisclosure(chunks(), { requests: requestIds });
      if (!r.ok) return { ok: false, code: r.code, message: r.message };
      return {
        ok: true,
        value: {
          blob: new Blob([r.text], { type: 'application/json' }),
          entries: r.summary.entries.length,
          size: r.summary.size,
          cosignatures: r.summary.cosignatures,
          notes: r.summary.notes,
        },
      };
    } catch (e) {
      return { ok: false, code: 'DISCLOSE.make', message: `The packet could not be made: ${e instanceof Error ? e.message : String(e)}` };
    }
  },

  async reportFile() {
    if (!last) return { ok: false, code: 'REPORT.none', message: 'No report yet.' };
    return { ok: true, value: new Blob([JSON.stringify(last.report, null, 2) + '\n'], { type: 'application/json' }) };
  },

  async entryDetail(row): Promise<BridgeResult<EntryDetail>> {
    try {
      if (!last || row < 0 || row >= last.index.count) return { ok: false, code: 'DETAIL.none', message: 'No such row.' };
      const { index } = last;
      const offset = index.offset[row]!;
      const length = index.length[row]!;
      const bytes = await readRange(last.file, last.gzip, offset, offset + Math.min(length, 1 << 21));
      const line = index.line ? index.line[row]! : row + 1;
      const typeName = index.types[index.type[row]!] ?? '';
      const raw = new TextDecoder().decode(bytes.subarray(0, RAW_MAX));
      const d: EntryDetail = { row, line, offset, length, raw, rawTruncated: bytes.length > RAW_MAX, kind: 'other' };
      const parsed = parseJsonBytes(bytes);
      if (!parsed.ok) {
        d.problem = `Not readable JSON: ${parsed.error.message} (column ${parsed.error.column}).`;
        return { ok: true, value: d };
      }
      const v = parsed.value as Record<string, unknown>;
      if (index.kind === 'makerchecker') {
        d.kind = 'event';
        d.statement = v;
        if (v && typeof v === 'object' && !Array.isArray(v)) {
          d.seq = v.seq as string;
          const hashed = {
            id: v.id,
            occurredAt: v.occurred_at,
            actor: v.actor,
            eventType: v.event_type,
            entityType: v.entity_type,
            entityId: v.entity_id,
            runId: v.run_id,
            payload: v.payload,
            prevHash: v.prev_hash,
          };
          if (Object.values(hashed).some((x) => x === undefined)) d.problem = 'The event lacks a field its hash covers.';
          else {
            const computed = encodeHex(sha256(canonicalBytes(hashed as never)));
            const stored = String(v.hash ?? '');
            d.hash = { stored, computed, matches: stored === computed };
          }
        }
        return { ok: true, value: d };
      }
      if (row === 0) {
        d.kind = 'header';
        d.statement = v;
        return { ok: true, value: d };
      }
      if (typeName === 'checkpoint') {
        d.kind = 'checkpoint';
        d.statement = v.checkpoint;
        return { ok: true, value: d };
      }
      const entry = v.entry as Record<string, unknown> | undefined;
      if (!entry || typeof entry !== 'object') return { ok: true, value: d };
      d.kind = 'entry';
      if (typeof entry.seq === 'number') d.seq = entry.seq;
      const { opened, problems } = openEnvelope(entry.envelope);
      if (problems.length) d.problem = problems.map((p) => `${p.code}: ${p.message}`).join('\n');
      if (!opened) return { ok: true, value: d };
      d.payloadType = opened.envelope.payloadType;
      d.digest = opened.digest;
      if (opened.statement) d.statement = opened.statement;
      else {
        d.payloadText = new TextDecoder().decode(decodeBase64(opened.envelope.payload)).slice(0, RAW_MAX);
      }
      const keys = (await getPool()).keysById;
      const backend = await (localBackend ??= createSignatureBackend('auto'));
      const checks = opened.signatures.map((s) => ({ s, pub: keys.get(s.keyId) }));
      const known = checks.filter((c) => c.pub);
      const ok = await backend.verifyBatch(known.map((c) => ({ publicKey: c.pub!, signature: c.s.signature, message: opened.signedMessage })));
      d.signatures = checks.map((c): SignatureStatus => {
        if (!c.pub) return { keyId: c.s.keyId, status: 'unknown' };
        return { keyId: c.s.keyId, status: ok[known.indexOf(c)] ? 'valid' : 'invalid' };
      });
      return { ok: true, value: d };
    } catch (e) {
      return { ok: false, code: 'DETAIL.read', message: `The entry could not be read: ${e instanceof Error ? e.message : String(e)}` };
    }
  },
};

Comlink.expose(api);
