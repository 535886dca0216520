// Making disclosure packets (docs/format.md §7.4) and single-entry tlog-proofs (§7.3) from
// a bundle, in one streaming pass: the bundle is never held in memory. Entries are chosen
// as they are parsed, their inclusion proofs collected by proofs.ts's InclusionProver, and
// the proofs are for the tree of the last checkpoint line (the one with the most
// cosignatures a gate has gathered).
//
// This is the log owner's tool: it trusts its own bundle only as far as it must. The
// packet it writes is checked by the disclosure verifier like any other; here a bundle
// that does not even parse, or whose last checkpoint root is not its entries' root, is
// refused with a message naming the line ("verify the bundle first").
import { decodeBase64, encodeBase64 } from '../encoding/base64.ts';
import { encodeHex } from '../encoding/hex.ts';
import { canonicalBytes } from '../encoding/jcs.ts';
import { parseJsonBytes, type JsonValue } from '../encoding/json.ts';
import { equalBytes } from '../encoding/bytes.ts';
import { sha256 } from '../crypto/hash.ts';
import { parseCheckpoint } from '../log/checkpoint.ts';
import { entryLeafHash } from '../log/merkle.ts';
import { InclusionProver } from '../log/proofs.ts';
import { AbortError, openSource, splitLines, throwIfAborted, type ByteSource } from '../verifier/byte-source.ts';
import { MAX_LINE_BYTES } from '../verifier/countersign.ts';
import { formatTlogProof } from '../log/tlog-proof.ts';

export type MakeErrorCode = 'INPUT.not_bundle' | 'INPUT.read' | 'INPUT.aborted' | 'DISCLOSE.make';
export type MakeResult<T> = ({ ok: true } & T) | { ok: false; code: MakeErrorCode; message: string };

/** What the maker learnt, for the CLI and the page to show. */
export interface DisclosureSummary {
  log: string;
  /** Size of the checkpoint the proofs lead to. */
  size: number;
  /** Cosignature lines on that checkpoint (signature lines not named by the origin). */
  cosignatures: number;
  entries: { seq: number; type: string; request?: string }[];
  /** Things the reader of the packet should know (e.g. a cited approval of another request). */
  notes: string[];
  /** Bundle entries read. */
  read: number;
  elapsedMs: number;
}

interface Picked {
  seq: number;
  type: string;
  entry: JsonValue;
  requestId?: string;
}

interface ScanOptions {
  signal?: CoreAbortSignal;
  onProgress?: (p: { entries: number; bytes: number }) => void;
}

const now = () => (typeof performance !== 'undefined' && performance ? performance.now() : Date.now());

/** A light look into a statement: only the fields that decide whether it is disclosed. */
function peekStatement(entry: JsonValue): { type: string; payload: Uint8Array; statement: Record<string, JsonValue> } | null {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return null;
  const env = entry['envelope'];
  if (!env || typeof env !== 'object' || Array.isArray(env) || typeof env['payload'] !== 'string') return null;
  let payload: Uint8Array;
  try {
    payload = decodeBase64(env['payload']);
  } catch {
    return null;
  }
  const p = parseJsonBytes(payload);
  if (!p.ok || !p.value || typeof p.value !== 'object' || Array.isArray(p.value)) return null;
  const type = p.value['type'];
  return typeof type === 'string' ? { type, payload, statement: p.value } : null;
}

type Chooser = (seq: number, entry: JsonValue) => Picked | null;

/**
 * The one streaming pass: every entry line's leaf goes into the prover; `choose` decides
 * which entries to keep; every checkpoint line of the log's origin whose size is the number
 * of entries before it becomes the tree the proofs are for.
 */
async function scan(
  source: ByteSource,
  choose: (origin: string) => Chooser,
  opts: ScanOptions,
): Promise<MakeResult<{ origin: string; checkpoint: string; size: number; picked: { p: Picked; proof: string[] }[]; read: number }>> {
  const fail = (code: MakeErrorCode, message: string) => ({ ok: false as const, code, message });
  try {
    const { chunks, stats } = await openSource(source, opts.signal);
    const prover = new InclusionProver();
    let origin: string | null = null;
    let chooser: Chooser | null = null;
    let checkpoint: { text: string; size: number; root: Uint8Array } | null = null;
    const picked: Picked[] = [];
    let seq = 0;
    let lastProgress = now();
    for await (const line of splitLines(chunks, MAX_LINE_BYTES)) {
      throwIfAborted(opts.signal);
      const where = `line ${line.number}`;
      if (line.tooLong) return fail('DISCLOSE.make', `${where} is over 1 MiB; verify the bundle first`);
      const parsed = line.bytes.length ? parseJsonBytes(line.bytes) : null;
      if (!parsed || !parsed.ok || !parsed.value || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
        if (line.number === 1) return fail('INPUT.not_bundle', 'This is not a Countersign bundle: line 1 must be {"countersign":"bundle/v1","log":…}.');
        return fail('DISCLOSE.make', `${where} is not a JSON object; verify the bundle first`);
      }
      const v = parsed.value;
      if (line.number === 1) {
        if (v['countersign'] !== 'bundle/v1' || typeof v['log'] !== 'string')
          return fail('INPUT.not_bundle', 'This is not a Countersign bundle: line 1 must be {"countersign":"bundle/v1","log":…}.');
        origin = v['log'];
        chooser = choose(origin);
        continue;
      }
      if ('entry' in v) {
        // The leaf is C(entry), whatever the line's spacing (docs/format.md §3, §4).
        const entry = v['entry'] as JsonValue;
        const p = chooser!(seq, entry);
        if (p) {
          prover.addLeaf(seq);
          picked.push(p);
        }
        prover.appendLeafHash(entryLeafHash(entry));
        seq++;
        if (seq % 4096 === 0 && opts.onProgress) {
          const t = now();
          if (t - lastProgress > 100) {
            lastProgress = t;
            opts.onProgress({ entries: seq, bytes: stats.bytes });
          }
        }
      } else if (typeof v['checkpoint'] === 'string') {
        const cp = parseCheckpoint(v['checkpoint']);
        if (cp.ok && cp.checkpoint.origin === origin && cp.checkpoint.size === seq && seq > 0) {
          prover.snapshot();
          checkpoint = { text: v['checkpoint'], size: seq, root: cp.checkpoint.root };
        }
      } else return fail('DISCLOSE.make', `${where} is neither an entry nor a checkpoint; verify the bundle first`);
    }
    if (origin === null) return fail('INPUT.not_bundle', 'The file is empty.');
    if (!checkpoint) return fail('DISCLOSE.make', 'the bundle has no checkpoint covering its entries, so nothing can be proven: have the gate write one');
    if (!equalBytes(checkpoint.root, prover.root()!))
      return fail('DISCLOSE.make', `the root of the checkpoint of size ${checkpoint.size} is not the root of the entries; verify the bundle first`);
    const out = picked.filter((p) => p.seq < checkpoint!.size).map((p) => ({ p, proof: prover.inclusionProof(p.seq).map((h) => encodeBase64(h)) }));
    return { ok: true, origin, checkpoint: checkpoint.text, size: checkpoint.size, picked: out, read: seq };
  } catch (e) {
    if (e instanceof AbortError || (e as { name?: string })?.name === 'AbortError') return fail('INPUT.aborted', 'Cancelled.');
    return fail('INPUT.read', `The file could not be read: ${e instanceof Error ? e.message : String(e)}`);
  }
}

const countCosignatures = (note: string, origin: string): number => {
  const p = parseCheckpoint(note);
  return p.ok ? p.checkpoint.signatures.filter((s) => s.name !== origin).length : 0;
};

/**
 * docs/format.md §7.4: the entries a packet for these requests must hold — the genesis,
 * every roster and policy entry, each request, its decision, approvals, refusals, execution
 * or closure, and the approvals an execution cites — each with its inclusion proof in the
 * tree of the last checkpoint, and that checkpoint verbatim (with its cosignatures).
 */
export async function makeDisclosure(
  source: ByteSource,
  opts: ScanOptions & { requests: string[] },
): Promise<MakeResult<{ packet: DisclosurePacketOut; perRequest: (id: string) => DisclosurePacketOut; text: string; summary: DisclosureSummary }>> {
  const t0 = now();
  const ids = new Set(opts.requests);
  if (ids.size === 0) return { ok: false, code: 'DISCLOSE.make', message: 'name at least one request id' };
  const foundIds = new Map<string, number>(); // id → seq
  const digests = new Map<string, string>(); // request digest → id
  const approvalDigests = new Set<string>();
  const cited: { seq: number; digest: string }[] = [];
  const result = await scan(
    source,
    () => (seq, entry) => {
      const s = peekStatement(entry);
      if (!s) return seq === 0 ? { seq, type: 'genesis', entry } : null;
      const st = s.statement;
      const keep = (requestId?: string): Picked => ({ seq, type: s.type, entry, ...(requestId !== undefined ? { requestId } : {}) });
      if (seq === 0 || s.type === 'genesis' || s.type === 'roster' || s.type === 'policy') return keep();
      if (s.type === 'request') {
        const id = st['id'];
        if (typeof id !== 'string' || !ids.has(id) || foundIds.has(id)) return null;
        foundIds.set(id, seq);
        digests.set('sha256:' + encodeHex(sha256(s.payload)), id);
        return keep(id);
      }
      const req = st['request'];
      if (typeof req !== 'string') return null;
      const id = digests.get(req);
      if (id === undefined) return null;
      const digest = 'sha256:' + encodeHex(sha256(s.payload));
      if (s.type === 'approval') approvalDigests.add(digest);
      if (s.type === 'execution' && Array.isArray(st['approvals'])) for (const a of st['approvals']) if (typeof a === 'string') cited.push({ seq, digest: a });
      return keep(id);
    },
    opts,
  );
  if (!result.ok) return result;
  const missing = [...ids].filter((id) => !foundIds.has(id));
  if (missing.length)
    return { ok: false, code: 'DISCLOSE.make', message: `no request with id ${missing.map((m) => JSON.stringify(m)).join(', ')} in the bundle` };
  const late = [...foundIds].filter(([, seq]) => seq >= result.size);
  if (late.length)
    return {
      ok: false,
      code: 'DISCLOSE.make',
      message: `request ${late.map(([id]) => JSON.stringify(id)).join(', ')} is after the last checkpoint (size ${result.size}), so it cannot be proven yet: have the gate write a checkpoint`,
    };
  const notes: string[] = [];
  const dropped = result.read - result.size;
  if (dropped > 0)
    notes.push(`${dropped} entries after the last checkpoint (size ${result.size}) are not covered; entries of the request among them are left out`);
  // docs/format.md §7.4 choice: an execution citing an approval of another request (a
  // POLICY.quorum error in the full bundle) is not chased with a second pass; the verifier
  // of the packet reports it as DISCLOSE.cited, which is the truth about this packet.
  for (const c of cited)
    if (!approvalDigests.has(c.digest))
      notes.push(
        `the execution at seq ${c.seq} cites ${c.digest.slice(0, 19)}…, which is not an approval of the disclosed request; the packet will fail with DISCLOSE.cited`,
      );
  const packet: DisclosurePacketOut = {
    countersign: 'disclosure/v1',
    log: result.origin,
    checkpoint: result.checkpoint,
    entries: result.picked.map(({ p, proof }) => ({ entry: p.entry, proof })),
  };
  // One packet per request from the same pass: the governance entries and that request's own.
  const perRequest = (id: string): DisclosurePacketOut => ({
    ...packet,
    entries: result.picked.filter(({ p }) => p.requestId === undefined || p.requestId === id).map(({ p, proof }) => ({ entry: p.entry, proof })),
  });
  return {
    ok: true,
    packet,
    perRequest,
    text: formatDisclosure(packet),
    summary: {
      log: result.origin,
      size: result.size,
      cosignatures: countCosignatures(result.checkpoint, result.origin),
      entries: result.picked.map(({ p }) => ({ seq: p.seq, type: p.type, ...(p.requestId !== undefined ? { request: p.requestId } : {}) })),
      notes,
      read: result.read,
      elapsedMs: Math.round(now() - t0),
    },
  };
}

export interface DisclosurePacketOut {
  countersign: 'disclosure/v1';
  log: string;
  checkpoint: string;
  entries: { entry: JsonValue; proof: string[] }[];
}

/** One entry per line: diffable, and a reader can see what was disclosed at a glance. */
export function formatDisclosure(p: DisclosurePacketOut): string {
  const head = `{"countersign":"disclosure/v1","log":${JSON.stringify(p.log)},"checkpoint":${JSON.stringify(p.checkpoint)},"entries":[`;
  return head + '\n' + p.entries.map((e) => JSON.stringify(e)).join(',\n') + '\n]}\n';
}

/** docs/format.md §7.3: one entry as a C2SP tlog-proof@v1 (extra = base64 C(entry), index = seq). */
export async function makeTlogProof(
  source: ByteSource,
  opts: ScanOptions & { seq: number },
): Promise<MakeResult<{ text: string; size: number; type: string }>> {
  const { seq } = opts;
  if (!Number.isSafeInteger(seq) || seq < 0) return { ok: false, code: 'DISCLOSE.make', message: '--seq must be a non-negative integer' };
  let type = '';
  const result = await scan(
    source,
    () => (n, entry) => {
      if (n !== seq) return null;
      type = peekStatement(entry)?.type ?? 'entry';
      return { seq: n, type, entry };
    },
    opts,
  );
  if (!result.ok) return result;
  const hit = result.picked[0];
  if (!hit)
    return {
      ok: false,
      code: 'DISCLOSE.make',
      message:
        seq >= result.read
          ? `the bundle has ${result.read} entries; there is no seq ${seq}`
          : `seq ${seq} is after the last checkpoint (size ${result.size}), so it cannot be proven yet`,
    };
  const text = formatTlogProof({
    extra: canonicalBytes(hit.p.entry),
    index: seq,
    proof: hit.proof.map((b) => decodeBase64(b)),
    checkpoint: result.checkpoint,
  });
  return { ok: true, text, size: result.size, type };
}
