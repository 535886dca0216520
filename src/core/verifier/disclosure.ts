// The disclosure packet verifier (docs/format.md §7.4), as fixed, named steps:
//
//   readPacket       I-JSON, the disclosure/v1 schema, the log's origin
//   readCheckpoint   a well-formed note of this origin; the §7.1 line (CKPT.extension,
//                    DISCLOSE.unproven); witness cosignatures (witness-step.ts)
//   readEntries      entry schema, increasing seq, prev between disclosed neighbours,
//                    each inclusion proof to the checkpoint's root (PROOF.inclusion)
//   checkGovernance  genesis and every roster and policy version up to the §7.1 line,
//                    once each, in order (DISCLOSE.governance)
//   replay           the proven entries, in seq order, through the one governance engine
//                    (src/core/governance): signatures, statements, roster and policy in
//                    force, lifecycle rules as far as the disclosed entries reach
//   checkCited       every approval an execution cites is disclosed (DISCLOSE.cited)
//   checkSignature   the checkpoint's log signature by a gate key in force at its size
//   finish           REQ.pending, TRUST.*, witness quorum; what the packet does and does
//                    not prove
//
// The packet is small (a request's entries and the governance history), so it is read
// whole; MAX_PACKET_BYTES keeps a hostile file from exhausting memory.
import { decodeBase64 } from '../encoding/base64.ts';
import { equalBytes } from '../encoding/bytes.ts';
import { encodeHex } from '../encoding/hex.ts';
import { canonicalBytes } from '../encoding/jcs.ts';
import { parseJsonBytes, type JsonValue } from '../encoding/json.ts';
import { fingerprintOf, keyIdOf, type SigJob, type SignatureBackend } from '../crypto/ed25519.ts';
import { checkpointSignedMessage, noteKeyHash, parseCheckpoint, type Checkpoint } from '../log/checkpoint.ts';
import { entryLeafHash, leafHash } from '../log/merkle.ts';
import { verifyInclusionProof } from '../log/proofs.ts';
import { parseWitnessKey } from '../log/witness-key.ts';
import { FindingSink } from '../statements/findings.ts';
import { buildReport, type Report, type SignerInfo, type TrustSummary, type VerifierOptions } from './report-v1.ts';
import { DisclosureSchema, EntrySchema, describeZodError } from '../statements/schemas.ts';
import { openValidEnvelope, type OpenedEnvelope } from '../statements/envelope.ts';
import { GovernanceReplay, type ReplayObserver, type ReplayReport } from '../governance/replay.ts';
import { BatchedSignatures, GovernanceFeed } from '../governance/feed.ts';
import { CHECKPOINT_REASON_TABLE } from '../governance/reasons.ts';
import type { SourceStats } from './byte-source.ts';
import { evaluateTrust } from './countersign-trust.ts';
import { WitnessStep } from './witness-step.ts';
import { publicKeyFromPem } from './pem.ts';
import { parseTlogProof } from '../log/tlog-proof.ts';

/** A packet for a handful of requests is tens of KB; 16 MiB is far beyond any honest one. */
export const MAX_PACKET_BYTES = 16 << 20;

export interface VerifyDisclosureOptions extends VerifierOptions {
  backend: SignatureBackend;
  /** Hears each request event of the disclosed entries (report/verify-report.ts: the request cards). */
  observer?: ReplayObserver;
}

/** What the report's governance section adds for a packet (the page's request card reads it). */
export interface DisclosureView {
  /** Size of the checkpoint the proofs lead to. */
  size: number;
  root: string;
  /** §7.1 versions, when the checkpoint states them. */
  stated: { roster: number; policy: number } | null;
  entries: { seq: number; type: string; proven: boolean; request?: string }[];
  cosignatures: number;
}

export type DisclosureGovernance = ReplayReport & { disclosure: DisclosureView };

const now = () => (typeof performance !== 'undefined' && performance ? performance.now() : Date.now());
const ZERO_PREV = '0'.repeat(64);

/** What a disclosure proves and what it does not (docs/format.md §7.4, last paragraph). */
export const DISCLOSURE_PROVES = [
  'Every disclosed entry is in the log the checkpoint commits to, at the position shown (RFC 6962 inclusion proofs).',
  'Every disclosed entry is signed as shown, by a key in the roster in force at its position.',
  "The disclosed approvals met the policy in force for the request's execution.",
];
export const DISCLOSURE_DOES_NOT_PROVE = [
  'That the log holds no other entry about the request (a veto, a later closure): only disclosed entries are checked. A full bundle, or a witness-cosigned checkpoint plus a later full audit, closes this.',
  'Anything about the rest of the log: other requests are not disclosed.',
];

export async function verifyDisclosure(bytes: Uint8Array, stats: SourceStats, opts: VerifyDisclosureOptions): Promise<Report> {
  const t0 = now();
  const sink = new FindingSink(opts.capPerCode ?? 100);
  const trust = opts.trust ?? [];
  const backend = opts.backend;
  let signatures = 0;
  const witnessKeys = trust.flatMap((a) => {
    if (a.kind !== 'witness') return [];
    const k = parseWitnessKey(a.key);
    return k.ok ? [k.key] : [];
  });
  const witness = new WitnessStep(sink, {
    witnesses: witnessKeys,
    ...(opts.witnessQuorum !== undefined ? { quorum: opts.witnessQuorum } : {}),
    remembered: [],
  });

  const finishEarly = (log: string | null): Report => {
    const trustSummary = evaluateTrust(
      trust.filter((a) => a.kind !== 'witness'),
      sink,
      null,
      new GovernanceReplay(sink, log),
    );
    return assemble({
      lines: countLines(bytes),
      sink,
      stats,
      log,
      entries: 0,
      genesis: null,
      signers: [],
      trust: withDisclosureLists(trustSummary),
      t0,
      backend,
      signatures: 0,
    });
  };

  // --- step: readPacket --------------------------------------------------------------
  // Attacker-controlled: the whole file.
  const parsed = parseJsonBytes(bytes);
  if (!parsed.ok) {
    const e = parsed.error;
    sink.add('FORMAT.json', e.line, `packet, line ${e.line}, column ${e.column}: ${e.message} at ${e.path}`);
    return finishEarly(null);
  }
  const pk = DisclosureSchema.safeParse(parsed.value);
  if (!pk.success) {
    const v = parsed.value as { log?: unknown };
    sink.add('FORMAT.schema', 0, describeZodError(pk.error, 'packet'));
    return finishEarly(v && typeof v === 'object' && typeof v.log === 'string' ? v.log : null);
  }
  const packet = pk.data;
  const origin = packet.log;
  witness.setOrigin(origin);

  // --- step: readCheckpoint ------------------------------------------------------------
  const cpr = parseCheckpoint(packet.checkpoint);
  let cp: Checkpoint | null = null;
  if (!cpr.ok) sink.add('FORMAT.line', 0, `packet.checkpoint is not a well-formed signed note: ${cpr.message}`);
  else if (cpr.checkpoint.origin !== origin)
    sink.add('FORMAT.line', 0, `packet.checkpoint origin "${cpr.checkpoint.origin}" is not the packet's log "${origin}"`);
  else cp = cpr.checkpoint;
  if (cp?.extensionProblem) sink.add('CKPT.extension', 0, cp.extensionProblem);
  const stated = cp?.governance ?? null;
  if (cp && !stated && !cp.extensionProblem)
    sink.add(
      'DISCLOSE.unproven',
      0,
      'the checkpoint has no "countersign/governance" line, so the packet cannot prove it holds every roster and policy change up to it',
    );
  if (cp) witness.readCosignatures(cp, 0);

  // --- step: readEntries ---------------------------------------------------------------
  interface Disclosed {
    index: number;
    seq: number;
    leaf: Uint8Array;
    proven: boolean;
    opened: OpenedEnvelope | null;
    entryValue: JsonValue;
  }
  const disclosed: Disclosed[] = [];
  let lastSeq = -1;
  for (const [i, item] of packet.entries.entries()) {
    const where = `entries[${i}]`;
    const ev = item.entry as JsonValue;
    const es = EntrySchema.safeParse(ev);
    const seq = es.success ? es.data.seq : null;
    if (!es.success) {
      sink.add('FORMAT.schema', 0, describeZodError(es.error, `${where}.entry`));
      continue;
    }
    if (seq! <= lastSeq) {
      sink.add('CHAIN.seq', 0, `${where}: seq ${seq} is not after the previous disclosed seq ${lastSeq}`, seq!);
      continue;
    }
    lastSeq = seq!;
    // The leaf is C(entry), whatever the packet's spacing (docs/format.md §3).
    const leaf = entryLeafHash(ev);
    let proven = false;
    if (cp) {
      if (seq! >= cp.size) sink.add('PROOF.inclusion', 0, `${where}: seq ${seq} is not below the checkpoint's size ${cp.size}`, seq!);
      else {
        const proof = item.proof.map((b) => decodeBase64(b));
        proven = verifyInclusionProof({ leafHash: leaf, index: seq!, size: cp.size, proof, root: cp.root });
        if (!proven)
          sink.add('PROOF.inclusion', 0, `${where}: the inclusion proof of seq ${seq} does not lead to the root of the checkpoint of size ${cp.size}`, seq!);
      }
    }
    const prev = disclosed[disclosed.length - 1];
    if (seq === 0 && es.data.prev !== ZERO_PREV) sink.add('CHAIN.prev', 0, `${where}: entry 0's prev must be 64 zeros`, 0);
    if (prev && prev.seq === seq! - 1 && es.data.prev !== encodeHex(prev.leaf))
      sink.add('CHAIN.prev', 0, `${where}: prev is not the leaf hash of the disclosed entry ${prev.seq}`, seq!);
    const { opened, problems } = openValidEnvelope(es.data.envelope, `${where}.entry.envelope`);
    for (const p of problems) sink.add(p.code, 0, p.message, seq!);
    disclosed.push({ index: i, seq: seq!, leaf, proven, opened: opened?.statement ? opened : null, entryValue: ev });
  }

  // --- step: checkGovernance -------------------------------------------------------------
  // docs/format.md §7.4: the genesis and every roster and policy version up to the stated
  // ones, each once, in order. Only proven entries count: an entry that is not shown to be
  // in the log proves nothing about its governance.
  const proven = disclosed.filter((d) => d.proven && d.opened);
  const genesisEntry = proven.find((d) => d.seq === 0);
  /** Seqs where a version is missing or repeated: the engine's GOV.version there says the same. */
  const govFlagged = new Set<number>();
  if (!genesisEntry) sink.add('DISCLOSE.governance', 0, 'the genesis (seq 0) is not disclosed with a valid proof');
  for (const kind of ['roster', 'policy'] as const) {
    const versions = proven.flatMap((d) => {
      const st = d.opened!.statement!;
      return st.type === kind ? [{ v: st.version, seq: d.seq }] : [];
    });
    let expect = 2;
    for (const { v, seq } of versions) {
      if (v !== expect) {
        govFlagged.add(seq);
        sink.add(
          'DISCLOSE.governance',
          0,
          v < expect
            ? `${kind} version ${v} at seq ${seq} is disclosed twice or out of order`
            : `${kind} version${expect === v - 1 ? '' : 's'} ${expect}${expect === v - 1 ? '' : `–${v - 1}`} missing before version ${v} at seq ${seq}`,
          seq,
        );
        if (v > expect) expect = v + 1;
        continue;
      }
      expect++;
    }
    const want = stated ? stated[kind] : null;
    if (want !== null && expect - 1 < want)
      sink.add('DISCLOSE.governance', 0, `the checkpoint states ${kind} version ${want}; the packet discloses ${kind} versions only up to ${expect - 1}`);
  }

  // --- step: replay ------------------------------------------------------------------------
  // The one feed path of the governance engine (governance/feed.ts): register keys, queue
  // signatures, replay in seq order. Only proven entries are fed. Its findings go to a sink
  // of their own so checkCited can set aside what the packet cannot judge.
  const replaySink = new FindingSink(opts.capPerCode ?? 100);
  const queue = new BatchedSignatures();
  const feed = new GovernanceFeed(replaySink, origin, queue, { observer: opts.observer ?? null });
  const rp = feed.replay;
  const prepared = proven.map((d) => feed.prepareOpened(d.opened!, d.opened!.statement!, 0, d.seq));
  // The checkpoint's log signature, under every key the disclosed rosters hold (judged below).
  const cpPrepared = cp ? feed.prepareCheckpoint(cp) : null;
  const batch = queue.take();
  const verdicts = batch.jobs.length ? await backend.verifyBatch(batch.jobs) : [];
  signatures += batch.jobs.length;
  BatchedSignatures.settle(batch.checks, verdicts);
  for (const r of prepared) feed.apply(r);
  rp.finish((id) => feed.keys.known.has(id));

  // --- step: checkCited ----------------------------------------------------------------------
  const provenApprovals = new Set<string>(proven.filter((d) => d.opened!.statement!.type === 'approval').map((d) => d.opened!.digest));
  const disclosedApprovals = new Set<string>(disclosed.filter((d) => d.opened?.statement?.type === 'approval').map((d) => d.opened!.digest));
  /** Executions whose quorum the packet cannot judge: a cited approval is withheld or unproven. */
  const citedMissing = new Set<number>();
  for (const d of proven) {
    const st = d.opened!.statement!;
    if (st.type !== 'execution') continue;
    if (st.approvals.some((a) => !provenApprovals.has(a))) citedMissing.add(d.seq);
    const missing = st.approvals.filter((a) => !disclosedApprovals.has(a));
    if (missing.length)
      sink.add(
        'DISCLOSE.cited',
        0,
        `the execution at seq ${d.seq} cites ${missing.length} approval(s) not in the packet (${missing.map((m) => m.slice(0, 19) + '…').join(', ')})`,
        d.seq,
      );
  }
  // The engine's findings, but not its quorum verdict on an execution whose cited approvals
  // the packet withholds (that is DISCLOSE.cited, not a proven breach of the policy), nor its
  // GOV.version where DISCLOSE.governance already says a version is not disclosed.
  for (const f of replaySink.findings)
    if (
      !(f.code === 'POLICY.quorum' && typeof f.seq === 'number' && citedMissing.has(f.seq)) &&
      !(f.code === 'GOV.version' && typeof f.seq === 'number' && govFlagged.has(f.seq))
    )
      sink.add(f.code, f.line, f.message, f.seq);

  // --- step: checkSignature --------------------------------------------------------------------
  if (cp && cpPrepared && rp.genesisOk) {
    const j = feed.judgeCheckpoint(cpPrepared);
    if (j.reason !== null)
      sink.add('CKPT.signature', 0, `checkpoint of size ${cp.size}: ${CHECKPOINT_REASON_TABLE[j.reason].words({ origin, gate: rp.gatePrincipal ?? '' })}`);
    else witness.anchored(cp, packet.checkpoint, feed.keys.known.get(j.keyId)!);
    // docs/format.md §7.1: the stated versions must be the ones in force after the disclosed governance.
    const g = rp.report();
    if (stated && (g.rosterVersion !== stated.roster || g.policyVersion !== stated.policy) && !sink.has('DISCLOSE.governance'))
      sink.add(
        'CKPT.extension',
        0,
        `the checkpoint states roster ${stated.roster} policy ${stated.policy}; the disclosed governance gives roster ${g.rosterVersion} policy ${g.policyVersion}`,
      );
  }

  // --- step: finish ---------------------------------------------------------------------------
  const witnessReport = witness.finish(cp?.size ?? 0, 0);
  const genesisHex = genesisEntry ? encodeHex(genesisEntry.leaf) : null;
  const trustSummary = withDisclosureLists(
    evaluateTrust(
      trust.filter((a) => a.kind !== 'witness'),
      sink,
      genesisHex,
      rp,
    ),
  );
  const signers: SignerInfo[] = [...rp.signers.values()];
  const g = rp.report();
  // Request ids by digest, from the disclosed request entries themselves.
  const requestIds = new Map<string, string>();
  for (const d of disclosed) {
    const st = d.opened?.statement;
    if (st?.type === 'request') requestIds.set(d.opened!.digest, st.id);
  }
  const governance: DisclosureGovernance = {
    ...g,
    disclosure: {
      size: cp?.size ?? 0,
      root: cp ? encodeHex(cp.root) : '',
      stated,
      entries: disclosed.map((d) => {
        const st = d.opened?.statement;
        const req = st && 'request' in st && typeof st.request === 'string' ? requestIds.get(st.request) : st?.type === 'request' ? st.id : undefined;
        return { seq: d.seq, type: st?.type ?? 'malformed', proven: d.proven, ...(req ? { request: req } : {}) };
      }),
      cosignatures: cp ? cp.signatures.filter((s) => s.name !== origin).length : 0,
    },
  };
  sink.findings.sort((x, y) => Number(x.seq ?? -1) - Number(y.seq ?? -1) || 0);
  return {
    ...assemble({
      lines: countLines(bytes),
      sink,
      stats,
      log: origin,
      entries: disclosed.length,
      genesis: genesisHex,
      signers,
      trust: trustSummary,
      t0,
      backend,
      signatures,
    }),
    checkpoint: cp && sink.has('CKPT.signature') === false ? { size: cp.size, root: encodeHex(cp.root) } : null,
    governance,
    ...(witness.active || witnessReport.lastCheckpoint ? { witness: witnessReport } : {}),
  };
}

function withDisclosureLists(t: TrustSummary): TrustSummary {
  const extra = t.proves.filter((p) => p.startsWith('The genesis'));
  const notPinned = t.doesNotProve.filter((p) => p.startsWith('Whose log') || p.startsWith('That this is the pinned log'));
  return { ...t, proves: [...DISCLOSURE_PROVES, ...extra], doesNotProve: [...DISCLOSURE_DOES_NOT_PROVE, ...notPinned] };
}

function countLines(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) if (b === 0x0a) n++;
  return bytes.length && bytes[bytes.length - 1] !== 0x0a ? n + 1 : n;
}

function assemble(a: {
  lines: number;
  sink: FindingSink;
  stats: SourceStats;
  log: string | null;
  entries: number;
  genesis: string | null;
  signers: SignerInfo[];
  trust: TrustSummary;
  t0: number;
  backend: SignatureBackend;
  signatures: number;
}): Report {
  return buildReport({
    format: 'countersign-disclosure/v1',
    sink: a.sink,
    stats: a.stats,
    lines: a.lines,
    log: a.log,
    entries: a.entries,
    checkpoints: 1,
    genesis: a.genesis,
    signers: a.signers.map((s) => ({ ...s, fingerprint: s.fingerprint ?? fingerprintOf(s.keyId) })),
    trust: a.trust,
    totalMs: now() - a.t0,
    signatureBackend: a.backend.name,
    signatures: a.signatures,
  });
}

/**
 * `countersign verify FILE.tlog-proof` (docs/format.md §7.3): one entry's inclusion in the
 * checkpointed tree, and its signatures and the checkpoint's as far as keys are at hand. A
 * single-entry proof carries no roster, so the keys are the ones the user gives (`pem:`
 * anchors: the gate's, a signer's) plus, for the genesis, its own roster. What could not be
 * checked is said in the report's "does not prove" list, never passed over in silence.
 */
export async function verifyTlogProof(bytes: Uint8Array, stats: SourceStats, opts: VerifyDisclosureOptions): Promise<Report> {
  const t0 = now();
  const sink = new FindingSink(opts.capPerCode ?? 100);
  const trust = opts.trust ?? [];
  const backend = opts.backend;
  const proves: string[] = [];
  const doesNotProve: string[] = ['Anything about other entries of the log: a tlog-proof holds one entry.'];
  const witnessKeys = trust.flatMap((a) => {
    if (a.kind !== 'witness') return [];
    const k = parseWitnessKey(a.key);
    return k.ok ? [k.key] : [];
  });
  const witness = new WitnessStep(sink, {
    witnesses: witnessKeys,
    ...(opts.witnessQuorum !== undefined ? { quorum: opts.witnessQuorum } : {}),
    remembered: [],
  });
  const given = new Map<string, Uint8Array>(); // keyId → public key, from pem: anchors
  for (const a of trust)
    if (a.kind === 'pem') {
      const pub = publicKeyFromPem(a.pem);
      if (pub) given.set(keyIdOf(pub), pub);
    }
  let log: string | null = null;
  let genesisHex: string | null = null;
  let entry: { seq: number; type: string; signers: string[] } | null = null;
  let pinned: string | null = null;
  let signatures = 0;

  const run = async () => {
    const text = decodeUtf8Lenient(bytes);
    if (text === null) return sink.add('FORMAT.json', 1, 'the tlog-proof is not valid UTF-8');
    const p = parseTlogProof(text);
    if (!p.ok) return sink.add('FORMAT.line', 0, `not a well-formed tlog-proof: ${p.message}`);
    const tp = p.proof;
    const cpr = parseCheckpoint(tp.checkpoint);
    if (!cpr.ok) return sink.add('FORMAT.line', 0, `the checkpoint is not a well-formed signed note: ${cpr.message}`);
    const cp = cpr.checkpoint;
    log = cp.origin;
    witness.setOrigin(cp.origin);
    if (cp.extensionProblem) sink.add('CKPT.extension', 0, cp.extensionProblem);
    witness.readCosignatures(cp, 0);
    if (tp.extra === null) return sink.add('FORMAT.line', 0, 'no "extra" line: docs/format.md §7.3 carries the entry there, so there is nothing to check');
    // --- the entry: I-JSON, canonical, schema, seq = index -------------------------------
    const parsed = parseJsonBytes(tp.extra);
    if (!parsed.ok) return sink.add('FORMAT.json', 0, `extra: ${parsed.error.message} at ${parsed.error.path}`, tp.index);
    if (!equalBytes(canonicalBytes(parsed.value), tp.extra))
      sink.add('FORMAT.noncanonical', 0, 'extra is not C(entry): the leaf must be the canonical bytes', tp.index);
    const es = EntrySchema.safeParse(parsed.value);
    if (!es.success) return sink.add('FORMAT.schema', 0, describeZodError(es.error, 'extra.entry'), tp.index);
    if (es.data.seq !== tp.index) sink.add('CHAIN.seq', 0, `the entry's seq is ${es.data.seq}, the proof's index ${tp.index}`, tp.index);
    // --- inclusion ------------------------------------------------------------------------
    const leaf = leafHash(tp.extra);
    if (tp.index === 0) genesisHex = encodeHex(leaf);
    if (!verifyInclusionProof({ leafHash: leaf, index: tp.index, size: cp.size, proof: tp.proof, root: cp.root }))
      sink.add('PROOF.inclusion', 0, `the inclusion proof of index ${tp.index} does not lead to the root of the checkpoint of size ${cp.size}`, tp.index);
    else proves.push(`The entry at seq ${tp.index} is in the log the checkpoint of size ${cp.size} commits to (RFC 6962 inclusion proof).`);
    // --- signatures -------------------------------------------------------------------------
    const { opened, problems } = openValidEnvelope(es.data.envelope, 'extra.entry.envelope');
    for (const pr of problems) sink.add(pr.code, 0, pr.message, tp.index);
    const st = opened?.statement ?? null;
    if (st && st.log !== cp.origin) sink.add('STMT.wrong_log', 0, `statement.log "${st.log}" is not the checkpoint's origin "${cp.origin}"`, tp.index);
    const keys = new Map(given);
    if (st?.type === 'genesis') for (const pr of st.roster.principals) for (const k of pr.keys) keys.set(keyIdOf(decodeBase64(k.pub)), decodeBase64(k.pub));
    const jobs: SigJob[] = [];
    const envJobs: { keyId: string; job: number }[] = [];
    for (const s of opened?.signatures ?? []) {
      const pub = keys.get(s.keyId);
      if (pub) {
        envJobs.push({ keyId: s.keyId, job: jobs.length });
        jobs.push({ publicKey: pub, signature: s.signature, message: opened!.signedMessage });
      }
    }
    const cpJobs: { keyId: string; job: number }[] = [];
    for (const s of cp.signatures) {
      if (s.name !== cp.origin || s.signature.length !== 64) continue;
      for (const [id, pub] of keys)
        if (equalBytes(noteKeyHash(cp.origin, pub), s.keyHash)) {
          cpJobs.push({ keyId: id, job: jobs.length });
          jobs.push({ publicKey: pub, signature: s.signature, message: checkpointSignedMessage(cp) });
        }
    }
    const verdicts = jobs.length ? await backend.verifyBatch(jobs) : [];
    signatures = jobs.length;
    const good: string[] = [];
    for (const j of envJobs)
      if (verdicts[j.job]) good.push(j.keyId);
      else sink.add('SIG.invalid', 0, `entry signature by key ${fingerprintOf(j.keyId)} does not verify`, tp.index);
    const unchecked = (opened?.signatures.length ?? 0) - envJobs.length;
    if (good.length) proves.push(`The entry is signed by ${good.map((k) => fingerprintOf(k)).join(', ')}.`);
    if (unchecked > 0)
      doesNotProve.push(`${unchecked} of the entry's signatures: their keys were not given (--trust pem:FILE) and a single-entry proof carries no roster.`);
    doesNotProve.push(
      'That the signers were in the roster in force, or that the entry obeyed the policy: use a disclosure packet (countersign disclose) for that.',
    );
    const cpGood = cpJobs.find((j) => verdicts[j.job]);
    if (cpGood) {
      witness.anchored(cp, tp.checkpoint, keys.get(cpGood.keyId)!);
      proves.push(`The checkpoint is signed by key ${fingerprintOf(cpGood.keyId)}.`);
      if (given.has(cpGood.keyId)) pinned = `pem key ${fingerprintOf(cpGood.keyId)}`;
    } else if (cp.signatures.some((s) => s.name === cp.origin) && keys.size > 0 && given.size > 0)
      sink.add('CKPT.signature', 0, `checkpoint of size ${cp.size}: no signature line named "${cp.origin}" verifies under a given key`);
    else doesNotProve.push("Who signed the checkpoint: give the gate's public key (--trust pem:FILE).");
    entry = { seq: tp.index, type: st?.type ?? 'malformed', signers: good };
  };
  await run();
  witness.finish(0, 0);
  // Trust (docs/format.md §6 as far as one entry reaches): the genesis digest for entry 0, or a given key that signed the checkpoint.
  const anchors = trust.filter((a) => a.kind !== 'witness');
  let status: TrustSummary['status'] = 'unpinned';
  const gAnchor = anchors.find((a) => a.kind === 'genesis' && genesisHex !== null && a.hex.toLowerCase() === genesisHex);
  if (gAnchor) pinned = `genesis:${genesisHex}`;
  if (anchors.length === 0) {
    sink.add('TRUST.unpinned', 0, 'no trust anchor was given: this proves inclusion in a tree, not whose log it is');
    doesNotProve.push('Whose log this is: no trust anchor was given.');
  } else if (pinned) {
    status = 'pinned';
    proves.push(`The log is the pinned one (${pinned}).`);
  } else if (
    (genesisHex !== null && anchors.some((a) => a.kind === 'genesis')) ||
    (anchors.some((a) => a.kind === 'pem') && given.size > 0 && sink.has('CKPT.signature'))
  ) {
    // An anchor that could be checked here, and did not match: another log, or a substitute.
    status = 'mismatch';
    sink.add(
      'TRUST.mismatch',
      0,
      genesisHex !== null ? `entry 0's leaf hash ${genesisHex} is not the pinned genesis` : 'no given pem: key signed the checkpoint',
    );
  } else {
    // docs/format.md choice 48: a genesis anchor can be checked only on entry 0's proof.
    sink.add(
      'TRUST.unpinned',
      0,
      "the anchors given cannot be checked on this one entry: a genesis: anchor pins only the proof of entry 0; give the gate's public key (pem:) to pin the checkpoint",
    );
    doesNotProve.push('Whose log this is: the anchors given cannot be checked on this entry alone.');
  }
  return {
    ...buildReport({
      format: 'tlog-proof/v1',
      sink,
      stats,
      lines: countLines(bytes),
      log,
      entries: entry ? 1 : 0,
      checkpoints: 1,
      genesis: genesisHex,
      signers: [],
      trust: {
        status,
        anchors: anchors.map((a) => (a.kind === 'pem' ? 'pem:' + (a.label ?? 'key') : `${a.kind}:${'hex' in a ? a.hex : ''}`)),
        ...(pinned ? { matched: pinned } : {}),
        proves,
        doesNotProve,
      },
      totalMs: now() - t0,
      signatureBackend: backend.name,
      signatures,
    }),
    governance: { kind: 'tlog-proof', entry },
  };
}

function decodeUtf8Lenient(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
