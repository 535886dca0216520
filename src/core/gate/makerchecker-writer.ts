// Writes MakerChecker AAPR v1 bundles (docs/format.md "MakerChecker AAPR v1"): hashed, chained, signed, and
// pretty-printed with a 2-space indent like MakerChecker's export. For tests and
// benchmarks; plus a deterministic generator of realistic MakerChecker event streams.
//
// The events given are the instance's chain in order: the writer chains them from the
// instance's genesis root (prev_hash / hash) and, for a run bundle, exports only the
// events of that run, as MakerChecker does (their prev_hash point into the full chain).
// `streamMakerCheckerBundle` yields the text in pieces and never holds the events: with
// the manifest first (as MakerChecker writes it) it walks the events twice, since the
// manifest signs their count and digest.

import { getPublicKey, sign } from '../crypto/ed25519.ts';
import { createSha256 } from '../crypto/hash.ts';
import { encodeBase64 } from '../encoding/base64.ts';
import { encodeHex } from '../encoding/hex.ts';
import type { JsonValue } from '../encoding/json.ts';
import { encodeUtf8 } from '../encoding/utf8.ts';
import { genesisPrevHash, makerCheckerEventHash, manifestSigningBytes } from '../verifier/makerchecker.ts';
import { pemFromPublicKey } from '../verifier/pem.ts';

export interface MakerCheckerEventInput {
  seq: string;
  id: string;
  occurred_at: string;
  actor: JsonValue;
  event_type: string;
  entity_type: string | null;
  entity_id: string | null;
  run_id: string | null;
  payload: JsonValue;
}

export interface MakerCheckerEvent extends MakerCheckerEventInput {
  prev_hash: string;
  hash: string;
}

export interface MakerCheckerManifest {
  bundleKind: 'full' | 'run';
  schemaVersion: 1;
  instanceId: string;
  exportedAt: string;
  runId: string | null;
  count: number;
  firstSeq: string | null;
  lastSeq: string | null;
  headHash: string | null;
  eventHashesDigest: string;
  publicKeyPem: string;
  signature: string;
}

export interface MakerCheckerBundleOptions {
  /** Raw 32-byte Ed25519 secret key (seed) of the instance. */
  secretKey: Uint8Array;
  instanceId: string;
  exportedAt: string;
  bundleKind: 'full' | 'run';
  /** Required for a run bundle. */
  runId?: string;
}

export type UnsignedManifest = Omit<MakerCheckerManifest, 'publicKeyPem' | 'signature'>;

/** Signs the 10 manifest fields with `secretKey` and adds publicKeyPem and signature. */
export function signMakerCheckerManifest(fields: UnsignedManifest, secretKey: Uint8Array): MakerCheckerManifest {
  const signature = encodeBase64(sign(manifestSigningBytes(fields), secretKey));
  return { ...fields, publicKeyPem: pemFromPublicKey(getPublicKey(secretKey)), signature };
}

/** Chains the instance's events from its genesis root: adds prev_hash and hash. */
export function* chainMakerCheckerEvents(instanceId: string, events: Iterable<MakerCheckerEventInput>): Generator<MakerCheckerEvent> {
  let prev = genesisPrevHash(instanceId);
  for (const e of events) {
    const row = { ...e, prev_hash: prev } as MakerCheckerEvent;
    row.hash = makerCheckerEventHash(row);
    prev = row.hash;
    yield row;
  }
}

/** The events a bundle of this kind holds, chained. */
function* exported(opts: MakerCheckerBundleOptions, events: Iterable<MakerCheckerEventInput>): Generator<MakerCheckerEvent> {
  if (opts.bundleKind === 'run' && opts.runId === undefined) throw new TypeError('a run bundle needs runId');
  for (const e of chainMakerCheckerEvents(opts.instanceId, events)) if (opts.bundleKind === 'full' || e.run_id === opts.runId) yield e;
}

/** Count, seq bounds, head and eventHashesDigest of a bundle's events, and its signed manifest. */
function manifestFor(opts: MakerCheckerBundleOptions, events: Iterable<MakerCheckerEvent>): MakerCheckerManifest {
  const digest = createSha256();
  const nl = encodeUtf8('\n');
  let count = 0;
  let firstSeq: string | null = null;
  let lastSeq: string | null = null;
  let head: string | null = null;
  for (const e of events) {
    if (count++ > 0) digest.update(nl);
    digest.update(encodeUtf8(e.hash));
    if (firstSeq === null) firstSeq = e.seq;
    lastSeq = e.seq;
    head = e.hash;
  }
  return signMakerCheckerManifest(
    {
      bundleKind: opts.bundleKind,
      schemaVersion: 1,
      instanceId: opts.instanceId,
      exportedAt: opts.exportedAt,
      runId: opts.bundleKind === 'run' ? opts.runId! : null,
      count,
      firstSeq,
      lastSeq,
      headHash: head,
      eventHashesDigest: encodeHex(digest.digest()),
    },
    opts.secretKey,
  );
}

/** The bundle as an object, for tests that alter it before writing it out. */
export function buildMakerCheckerBundle(opts: MakerCheckerBundleOptions & { events: Iterable<MakerCheckerEventInput> }): {
  manifest: MakerCheckerManifest;
  events: MakerCheckerEvent[];
} {
  const events = [...exported(opts, opts.events)];
  return { manifest: manifestFor(opts, events), events };
}

/** A whole bundle as text, pretty-printed like MakerChecker's export. */
export function writeMakerCheckerBundle(opts: MakerCheckerBundleOptions & { events: Iterable<MakerCheckerEventInput> }): string {
  return JSON.stringify(buildMakerCheckerBundle(opts), null, 2) + '\n';
}

const indent = (json: string, pad: string) => json.replace(/\n/g, '\n' + pad);

/**
 * The bundle text in pieces of about `chunkChars`, without holding the events: `events`
 * is called once per pass. Output is byte-identical to `writeMakerCheckerBundle` when
 * the manifest is first; `manifestPosition: 'last'` writes {"events":…,"manifest":…} in
 * one pass (a layout the verifier also reads).
 */
export function* streamMakerCheckerBundle(
  opts: MakerCheckerBundleOptions & {
    events: () => Iterable<MakerCheckerEventInput>;
    manifestPosition?: 'first' | 'last';
    chunkChars?: number;
  },
): Generator<string> {
  const target = opts.chunkChars ?? 1 << 16;
  const last = opts.manifestPosition === 'last';
  let buf = '{\n';
  const manifestText = (m: MakerCheckerManifest) => '  "manifest": ' + indent(JSON.stringify(m, null, 2), '  ');
  if (!last) buf += manifestText(manifestFor(opts, exported(opts, opts.events()))) + ',\n';
  buf += '  "events": [';
  let n = 0;
  const digest = createSha256();
  const nl = encodeUtf8('\n');
  let firstSeq: string | null = null;
  let lastSeq: string | null = null;
  let head: string | null = null;
  for (const e of exported(opts, opts.events())) {
    buf += (n++ ? ',\n    ' : '\n    ') + indent(JSON.stringify(e, null, 2), '    ');
    if (last) {
      if (n > 1) digest.update(nl);
      digest.update(encodeUtf8(e.hash));
      firstSeq ??= e.seq;
      lastSeq = e.seq;
      head = e.hash;
    }
    if (buf.length >= target) {
      yield buf;
      buf = '';
    }
  }
  buf += n ? '\n  ]' : ']';
  if (last) {
    const m = signMakerCheckerManifest(
      {
        bundleKind: opts.bundleKind,
        schemaVersion: 1,
        instanceId: opts.instanceId,
        exportedAt: opts.exportedAt,
        runId: opts.bundleKind === 'run' ? opts.runId! : null,
        count: n,
        firstSeq,
        lastSeq,
        headHash: head,
        eventHashesDigest: encodeHex(digest.digest()),
      },
      opts.secretKey,
    );
    buf += ',\n' + manifestText(m);
  }
  yield buf + '\n}\n';
}

// --- generator -------------------------------------------------------------------------

export interface GenerateOptions {
  /** Flow runs to generate (after the instance setup events). */
  runs: number;
  seed: number | string;
  /** Approximate bytes of free text in each skill.invoked / llm.call payload (default 256). */
  payloadBytes?: number;
  instanceId?: string;
  /** occurred_at of the genesis event (default 2026-06-12T09:30:00.000Z). */
  start?: string;
  /** Runs in flight at once; their events interleave in the chain (default 3). */
  concurrency?: number;
}

/** mulberry32: small, fast, deterministic. */
function prng(seed: number | string): () => number {
  let a = typeof seed === 'number' ? seed >>> 0 : 0;
  if (typeof seed === 'string') for (let i = 0; i < seed.length; i++) a = Math.imul(a ^ seed.charCodeAt(i), 2654435761) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'patient reported adverse event onset dose hepatic enzyme elevated seriousness criteria hospitalisation ' +
  'narrative follow-up causality assessment probable possible unlikely dechallenge rechallenge positive ' +
  'concomitant medication labelled unlabelled expedited periodic report reviewer naïve café Zürich 東京 ' +
  'MedDRA preferred term lowest level term batch lot expiry regulator submission gateway acknowledgement'
).split(' ');

export const GENERATOR_USERS = {
  requester: { email: 'ops.lead@example.org' },
  approvers: ['alice.md@example.org', 'bob.qppv@example.org', 'carol.safety@example.org'],
};

/**
 * A deterministic, realistic MakerChecker event stream: instance setup (genesis, users,
 * role, skills, grants, agent, a flow with a 2-of-3 named-approver gate), then `runs`
 * runs interleaved a few at a time: run.created, an intake step invoking its skills and
 * an LLM, approval.requested, decisions (about one run in eight rejected, then
 * run.failed; sometimes a refused requester attempt), approval.resolved, a submit step,
 * run.completed. seq has occasional gaps, as identity columns do.
 */
export function* generateMakerCheckerEvents(opts: GenerateOptions): Generator<MakerCheckerEventInput> {
  const rnd = prng(opts.seed);
  const payloadBytes = opts.payloadBytes ?? 256;
  const instanceId = opts.instanceId ?? '11111111-1111-4111-8111-111111111111';
  let t = Date.parse(opts.start ?? '2026-06-12T09:30:00.000Z');
  let seq = 0;
  const uuid = () => {
    let h = '';
    for (let i = 0; i < 4; i++) h += ((rnd() * 0x100000000) >>> 0).toString(16).padStart(8, '0');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[(rnd() * 4) | 0]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  const text = (bytes: number) => {
    let s = '';
    while (s.length < bytes) s += WORDS[(rnd() * WORDS.length) | 0] + ' ';
    return s.slice(0, bytes);
  };
  const ev = (
    event_type: string,
    actor: JsonValue,
    entity_type: string | null,
    entity_id: string | null,
    run_id: string | null,
    payload: JsonValue,
  ): MakerCheckerEventInput => {
    seq += rnd() < 0.01 ? 2 : 1; // identity columns leave gaps
    t += 1 + ((rnd() * 3000) | 0);
    return { seq: String(seq), id: uuid(), occurred_at: new Date(t).toISOString(), actor, event_type, entity_type, entity_id, run_id, payload };
  };

  const SYSTEM = { type: 'system', id: 'engine' };
  yield ev('audit.genesis', { type: 'system', id: 'instance' }, null, null, null, { instanceId });
  const admin = { type: 'user', id: uuid(), name: 'admin@example.org' };
  yield ev('user.created', { type: 'system', id: 'bootstrap' }, 'user', admin.id, null, { email: admin.name, isAdmin: true });
  const requester = { type: 'user', id: uuid(), name: GENERATOR_USERS.requester.email };
  const approvers = GENERATOR_USERS.approvers.map((email) => ({ type: 'user', id: uuid(), name: email }));
  for (const u of [requester, ...approvers]) yield ev('user.created', admin, 'user', u.id, null, { email: u.name, isAdmin: false });
  const roleId = uuid();
  yield ev('role.created', admin, 'role', roleId, null, { name: 'case-processor', description: 'ICSR intake and submission' });
  const skills = [
    { name: 'case-intake', version: 1, riskTier: 'low' },
    { name: 'meddra-lookup', version: 3, riskTier: 'low' },
    { name: 'e2b-submit', version: 2, riskTier: 'high' },
  ];
  for (const s of skills) {
    const skillId = uuid();
    yield ev('skill.published', admin, 'skill', skillId, null, { name: s.name, version: s.version, riskTier: s.riskTier });
    yield ev('grant.created', admin, 'grant', uuid(), null, { roleId, skillId, skill: `${s.name}@${s.version}` });
  }
  const agent = { type: 'agent', id: uuid(), name: 'pv-case-agent' };
  yield ev('agent.created', admin, 'agent', agent.id, null, { name: agent.name, roleId });
  const flowVersionId = uuid();
  const intakeSkills = ['case-intake@1', 'meddra-lookup@3'];
  const submitSkills = ['e2b-submit@2'];
  const gate = { key: 'medical-review', title: 'Medical review before E2B submission', min: 2 };
  yield ev('flow.published', admin, 'flow_version', flowVersionId, null, {
    flowName: 'pv-icsr-processing',
    version: 1,
    definition: {
      name: 'pv-icsr-processing',
      steps: [
        { key: 'intake', agent: agent.name, skills: intakeSkills },
        {
          key: gate.key,
          type: 'approval',
          title: gate.title,
          approvals: { min_approvals: gate.min, approver_emails: GENERATOR_USERS.approvers, forbid_requester: true },
        },
        { key: 'submit', agent: agent.name, skills: submitSkills },
      ],
    },
  });

  // One run as a script of events, so runs can interleave.
  function* run(n: number): Generator<MakerCheckerEventInput> {
    const runId = uuid();
    const caseId = `P-${4000 + n}`;
    yield ev('run.created', requester, 'flow_run', runId, runId, { flowVersionId, input: { caseId, source: 'e-mail', received: new Date(t).toISOString() } });
    const step = (key: string, index: number, stepSkills: string[]) => ({ key, index, stepSkills, id: uuid() });
    const intake = step('intake', 0, intakeSkills);
    yield ev('run.step.started', agent, 'step_run', intake.id, runId, { stepKey: 'intake', stepIndex: 0, attempt: 1, skills: intakeSkills });
    for (const skillRef of intakeSkills)
      yield ev('skill.invoked', agent, 'step_run', intake.id, runId, {
        stepKey: 'intake',
        skillRef,
        input: { caseId, text: text(payloadBytes) },
        output: { ok: true, summary: text(payloadBytes >> 1) },
      });
    yield ev('llm.call', agent, 'step_run', intake.id, runId, {
      stepKey: 'intake',
      model: 'claude-sonnet',
      inputTokens: 800 + ((rnd() * 4000) | 0),
      outputTokens: 100 + ((rnd() * 900) | 0),
      prompt: text(payloadBytes),
    });
    yield ev('run.step.completed', agent, 'step_run', intake.id, runId, {
      stepKey: 'intake',
      attempt: 1,
      output: { seriousness: rnd() < 0.5 ? 'serious' : 'non-serious' },
    });
    const approvalId = uuid();
    yield ev('approval.requested', SYSTEM, 'approval', approvalId, runId, { stepKey: gate.key, stepIndex: 1, title: gate.title, requiredApprovals: gate.min });
    if (rnd() < 0.1)
      yield ev('approval.decision_denied', requester, 'approval', approvalId, runId, {
        stepKey: gate.key,
        attemptedDecision: 'approved',
        code: 'requester_forbidden',
        reason: `the user who triggered this run cannot decide gate "${gate.key}" (forbid_requester)`,
      });
    const first = (rnd() * 3) | 0;
    const order = [approvers[first]!, approvers[(first + 1 + ((rnd() * 2) | 0)) % 3]!];
    const reject = rnd() < 0.125;
    let approved = 0;
    for (const [k, who] of order.entries()) {
      const decision = reject && k === 0 ? 'rejected' : 'approved';
      if (decision === 'approved') approved++;
      yield ev('approval.decided', who, 'approval', approvalId, runId, {
        stepKey: gate.key,
        decision,
        reason: decision === 'approved' ? `Seriousness confirmed for ${caseId}` : `Causality not established for ${caseId}`,
        approvedCount: approved,
        rejectedCount: decision === 'rejected' ? 1 : 0,
        requiredApprovals: gate.min,
      });
      if (decision === 'rejected') {
        yield ev('approval.resolved', who, 'approval', approvalId, runId, {
          stepKey: gate.key,
          outcome: 'rejected',
          approvedCount: 0,
          rejectedCount: 1,
          requiredApprovals: gate.min,
        });
        yield ev('run.failed', SYSTEM, 'flow_run', runId, runId, { reason: `approval "${gate.key}" rejected` });
        return;
      }
    }
    yield ev('approval.resolved', order[1]!, 'approval', approvalId, runId, {
      stepKey: gate.key,
      outcome: 'approved',
      approvedCount: 2,
      rejectedCount: 0,
      requiredApprovals: gate.min,
    });
    const submit = step('submit', 2, submitSkills);
    yield ev('run.step.started', agent, 'step_run', submit.id, runId, { stepKey: 'submit', stepIndex: 2, attempt: 1, skills: submitSkills });
    yield ev('skill.invoked', agent, 'step_run', submit.id, runId, {
      stepKey: 'submit',
      skillRef: 'e2b-submit@2',
      input: { caseId, e2b: text(payloadBytes) },
      output: { ack: `ACK-${caseId}`, gateway: 'EV-GATEWAY' },
    });
    yield ev('run.step.completed', agent, 'step_run', submit.id, runId, { stepKey: 'submit', attempt: 1, output: { ack: `ACK-${caseId}` } });
    yield ev('run.completed', SYSTEM, 'flow_run', runId, runId, {});
  }

  const width = Math.max(1, opts.concurrency ?? 3);
  const active: Generator<MakerCheckerEventInput>[] = [];
  let started = 0;
  while (started < opts.runs || active.length) {
    while (active.length < width && started < opts.runs) active.push(run(started++));
    const k = (rnd() * active.length) | 0;
    const r = active[k]!.next();
    if (r.done) active.splice(k, 1);
    else yield r.value;
  }
}
