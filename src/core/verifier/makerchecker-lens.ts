// Governance lens over MakerChecker events (docs/format.md "MakerChecker AAPR v1").
//
// It reads what the server recorded around approval gates and shows, per gate, who
// requested, who decided and when, and the observations below. They are warnings
// about governance, never part of the integrity verdict: MakerChecker approvals are
// recorded by the server, not signed by the approvers, so the lens can only show
// what the server wrote.
//
//   LENS.self_decision              a decider is the run's requester (run.created actor)
//   LENS.quorum_not_reached         distinct approvals < requiredApprovals when a later step
//                                   started (or the run completed)
//   LENS.decision_after_resolution  approval.decided after the gate resolved, or after the run ended
//   LENS.rejection_without_failure  a rejection not followed by run.failed
//   LENS.skill_outside_step         skill.invoked whose skillRef is not in its step's skills[]
//   LENS.not_named_approver         (flow known) a decider not on the gate's approver_emails
//   LENS.ungranted_skill            (full chain) a skill invoked with no live grant for the agent's role
//
// State is bounded by open runs and open gates: a run's heavy state is dropped when it
// ends; closed runs and gates are remembered in bounded maps (oldest evicted), and
// gate summaries are kept up to MAX_GATES. Every field read here is attacker-controlled
// and read defensively: a missing or mistyped field only makes an observation unavailable.

import { own } from '../encoding/detach.ts';
import { sha256 } from '../crypto/hash.ts';
import { encodeHex } from '../encoding/hex.ts';
import type { JsonValue } from '../encoding/json.ts';
import { encodeUtf8 } from '../encoding/utf8.ts';
import type { LensCode } from '../statements/findings.ts';

/** The event types observe() reads beyond the first event's type (keep in step with its switch). */
export const LENS_EVENT_TYPES: ReadonlySet<string> = new Set([
  'agent.created',
  'agent.updated',
  'grant.created',
  'grant.revoked',
  'flow.published',
  'run.created',
  'run.step.started',
  'approval.requested',
  'approval.decided',
  'approval.decision_denied',
  'approval.resolved',
  'skill.invoked',
  'run.completed',
  'run.failed',
  'run.cancelled',
  'run.timed_out',
]);

export const LENS_NOTE = 'MakerChecker approvals are recorded by the server, not signed by the approvers';
export const MAX_GATES = 10_000;
const MAX_DECISIONS_PER_GATE = 20;
const MAX_OPEN_RUNS = 100_000;
const MAX_CLOSED = 100_000;
const MAX_CONFIG = 100_000; // agents, grants, flow versions

export interface LensFinding {
  code: LensCode;
  line: number;
  seq: string;
  message: string;
}

export interface LensDecision {
  actor: string;
  decision: string;
  at: string;
  line: number;
  seq: string;
}

export interface LensGate {
  approvalId: string;
  runId: string | null;
  stepKey: string | null;
  stepIndex: number | null;
  title: string | null;
  requiredApprovals: number;
  requestedAt: string | null;
  line: number;
  seq: string;
  /** The run's requester (run.created actor), when the bundle holds it. */
  requester: string | null;
  decisions: LensDecision[];
  decisionsDropped: number;
  /** approval.decision_denied attempts the server refused (its own enforcement working). */
  denied: { actor: string; code: string; at: string }[];
  distinctApprovals: number;
  outcome: 'pending' | 'approved' | 'rejected';
  resolvedAt: string | null;
  /** Whether distinct approvals reached requiredApprovals before a later step; null if none started. */
  quorumBeforeNextStep: boolean | null;
  findings: LensCode[];
}

export interface MakerCheckerGovernance {
  kind: 'makerchecker-lens';
  note: string;
  /** The first event is audit.genesis: flow, grant and agent history is in the bundle. */
  fullChain: boolean;
  gates: LensGate[];
  gatesDropped: number;
  runs: { seen: number; completed: number; failed: number; open: number };
  findings: LensFinding[];
  counts: Partial<Record<LensCode, number>>;
  dropped: Partial<Record<LensCode, number>>;
}

type Obj = { [k: string]: JsonValue };

function obj(v: JsonValue | undefined): Obj | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : null;
}
/**
 * A copy of a string that is kept beyond the event: the parser's strings are slices of
 * the whole event text, and keeping a slice would keep that text alive (V8 SlicedString).
 */
function ownOrNull(s: string | null): string | null {
  return s === null ? null : own(s);
}
/** Attacker-sized text shortened for a message or a summary. */
export function clip(s: string, n = 200): string {
  return s.length > n ? s.slice(0, n) + '…' : s;
}
/** An identifier as a map key: itself, or the SHA-256 of it when long, so keys stay small. */
export function keyOf(s: string): string;
export function keyOf(s: string | null): string | null;
export function keyOf(s: string | null): string | null {
  if (s === null || s.length <= 128) return s;
  return 'sha256:' + encodeHex(sha256(encodeUtf8(s)));
}
function str(v: JsonValue | undefined): string | null {
  return typeof v === 'string' ? v : null;
}
function clipOrNull(s: string | null): string | null {
  return s === null ? null : clip(s);
}
function num(v: JsonValue | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Identity of an actor (`{type, id, name}`; the vectors use `kind` and `email`). */
function actorKey(a: Obj | null): string | null {
  if (!a) return null;
  const type = str(a.type) ?? str(a.kind) ?? '?';
  const id = str(a.id) ?? str(a.email) ?? str(a.name);
  return id === null ? null : keyOf(`${type}:${id}`);
}
function actorEmail(a: Obj | null): string | null {
  if (!a) return null;
  return keyOf(str(a.email) ?? str(a.name));
}
function actorLabel(a: Obj | null): string {
  if (!a) return '(unknown actor)';
  const type = clip(str(a.type) ?? str(a.kind) ?? 'actor', 40);
  const who = clip(str(a.email) ?? str(a.name) ?? str(a.id) ?? '?', 120);
  const id = str(a.id);
  return id && clip(id, 120) !== who ? `${type} ${who} (${clip(id, 120)})` : `${type} ${who}`;
}
/** What is kept of a run's requester: its identity and label, as owned strings. */
interface ActorRef {
  key: string | null;
  email: string | null;
  type: string | null;
  label: string;
}
function refOf(a: Obj | null): ActorRef {
  return {
    key: ownOrNull(actorKey(a)),
    email: ownOrNull(actorEmail(a)),
    type: ownOrNull(keyOf(str(a?.type) ?? str(a?.kind))),
    label: own(actorLabel(a)),
  };
}
function sameActor(ref: ActorRef, b: Obj | null): boolean {
  if (ref.key !== null && ref.key === actorKey(b)) return true;
  return ref.email !== null && ref.email === actorEmail(b) && ref.type === keyOf(str(b?.type) ?? str(b?.kind));
}

function remember<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  if (map.has(key)) map.delete(key);
  else if (map.size >= max) map.delete(map.keys().next().value as K);
  map.set(key, value);
}

interface GateState {
  summary: LensGate;
  /** The summary is in the report's gate list (the first MAX_GATES gates). */
  listed: boolean;
  runId: string | null;
  stepIndex: number | null;
  stepKey: string | null;
  required: number;
  approvers: Set<string>;
  resolved: boolean;
  rejected: boolean;
  rejection: { line: number; seq: string } | null;
  quorumChecked: boolean;
  rejectionFlagged: boolean;
}

interface RunState {
  id: string;
  requester: ActorRef | null;
  flowVersionId: string | null;
  /** stepKey → skills[] of its latest run.step.started (null: not an array). */
  steps: Map<string, string[] | null>;
  gates: GateState[];
}

/** What is remembered of a closed gate: light, unless its summary is in the report anyway. */
interface ClosedGate {
  runId: string | null;
  outcome: LensGate['outcome'];
  summary: LensGate | null;
}

export class MakerCheckerLens {
  private fullChain = false;
  private first = true;
  private readonly runs = new Map<string, RunState>();
  private readonly endedRuns = new Map<string, string>(); // runId → how it ended
  private readonly openGates = new Map<string, GateState>();
  private readonly closedGates = new Map<string, ClosedGate>();
  private readonly agents = new Map<string, string | null>(); // agentId → roleId
  private readonly grants = new Map<string, { roleId: string; skill: string }>();
  private readonly liveGrants = new Map<string, number>(); // roleId \n skillRef → live count
  private readonly flows = new Map<string, Map<number, string[] | null>>(); // flowVersionId → stepIndex → approver_emails
  private readonly gates: LensGate[] = [];
  private gatesDropped = 0;
  private readonly findings: LensFinding[] = [];
  private readonly counts: Partial<Record<LensCode, number>> = {};
  private readonly dropped: Partial<Record<LensCode, number>> = {};
  private runsSeen = 0;
  private runsCompleted = 0;
  private runsFailed = 0;

  constructor(private readonly capPerCode = 100) {}

  /** One parsed event row (attacker-controlled), in bundle order. */
  observe(row: JsonValue, line: number, seq: string): void {
    const ev = obj(row);
    if (!ev) return;
    const type = str(ev.event_type);
    if (this.first) {
      this.first = false;
      this.fullChain = type === 'audit.genesis';
    }
    if (type === null) return;
    const payload = obj(ev.payload) ?? {};
    const actor = obj(ev.actor);
    const runId = keyOf(str(ev.run_id));
    const entityId = keyOf(str(ev.entity_id));
    const at = clip(str(ev.occurred_at) ?? '', 40);
    const ctx: Ctx = { line, seq, at, actor, payload, runId, entityId };
    switch (type) {
      case 'agent.created':
        if (entityId) remember(this.agents, own(entityId), ownOrNull(keyOf(str(payload.roleId))), MAX_CONFIG);
        return;
      case 'agent.updated': {
        const roleId = keyOf(str(obj(payload.changes)?.roleId));
        if (entityId && roleId) remember(this.agents, own(entityId), own(roleId), MAX_CONFIG);
        return;
      }
      case 'grant.created':
        return this.grantCreated(ctx);
      case 'grant.revoked':
        return this.grantRevoked(ctx);
      case 'flow.published':
        return this.flowPublished(ctx);
      case 'run.created':
        return this.runCreated(ctx);
      case 'run.step.started':
        return this.stepStarted(ctx);
      case 'approval.requested':
        return this.approvalRequested(ctx);
      case 'approval.decided':
        return this.approvalDecided(ctx);
      case 'approval.decision_denied':
        return this.decisionDenied(ctx);
      case 'approval.resolved':
        return this.approvalResolved(ctx);
      case 'skill.invoked':
        return this.skillInvoked(ctx);
      case 'run.completed':
        return this.runEnded(ctx, 'completed');
      case 'run.failed':
        return this.runEnded(ctx, 'failed');
      case 'run.cancelled':
        return this.runEnded(ctx, 'cancelled');
      case 'run.timed_out':
        return this.runEnded(ctx, 'timed_out');
    }
  }

  /** Closes the observation: rejections never followed by run.failed. */
  finish(): MakerCheckerGovernance {
    for (const run of this.runs.values())
      for (const g of run.gates)
        if (g.rejected && !g.rejectionFlagged && g.rejection) {
          g.rejectionFlagged = true;
          this.flag(
            g,
            'LENS.rejection_without_failure',
            g.rejection.line,
            g.rejection.seq,
            `gate ${gateName(g)} was rejected, but no run.failed follows for run ${run.id} in the bundle`,
          );
        }
    return {
      kind: 'makerchecker-lens',
      note: LENS_NOTE,
      fullChain: this.fullChain,
      gates: this.gates,
      gatesDropped: this.gatesDropped,
      runs: { seen: this.runsSeen, completed: this.runsCompleted, failed: this.runsFailed, open: this.runs.size },
      findings: this.findings,
      counts: this.counts,
      dropped: this.dropped,
    };
  }

  // --- config history (full bundles) ---------------------------------------------

  private grantCreated(c: Ctx): void {
    const roleId = keyOf(str(c.payload.roleId));
    const skill = keyOf(str(c.payload.skill));
    if (!c.entityId || !roleId || !skill || this.grants.size >= MAX_CONFIG) return;
    this.grants.set(own(c.entityId), { roleId: own(roleId), skill: own(skill) });
    const k = own(roleId + '\n' + skill);
    this.liveGrants.set(k, (this.liveGrants.get(k) ?? 0) + 1);
  }

  private grantRevoked(c: Ctx): void {
    const g = c.entityId ? this.grants.get(c.entityId) : undefined;
    if (!g) return;
    this.grants.delete(c.entityId!);
    const k = g.roleId + '\n' + g.skill;
    const n = (this.liveGrants.get(k) ?? 1) - 1;
    if (n > 0) this.liveGrants.set(k, n);
    else this.liveGrants.delete(k);
  }

  private flowPublished(c: Ctx): void {
    const steps = obj(c.payload.definition)?.steps;
    if (!c.entityId || !Array.isArray(steps)) return;
    const gates = new Map<number, string[] | null>();
    steps.forEach((s, i) => {
      const approvals = obj(obj(s)?.approvals);
      if (!approvals) return;
      const emails = approvals.approver_emails;
      gates.set(
        i,
        Array.isArray(emails)
          ? emails
              .slice(0, 1000)
              .filter((e): e is string => typeof e === 'string')
              .map((e) => own(keyOf(e)))
          : null,
      );
    });
    remember(this.flows, own(c.entityId), gates, MAX_CONFIG);
  }

  // --- runs and gates -------------------------------------------------------------

  private run(runId: string | null): RunState | null {
    if (runId === null || this.endedRuns.has(runId)) return null;
    let r = this.runs.get(runId);
    if (!r) {
      if (this.runs.size >= MAX_OPEN_RUNS) this.dropRun(this.runs.keys().next().value as string, 'dropped');
      const id = own(runId);
      r = { id, requester: null, flowVersionId: null, steps: new Map(), gates: [] };
      this.runs.set(id, r);
      this.runsSeen++;
    }
    return r;
  }

  private runCreated(c: Ctx): void {
    const r = this.run(c.runId ?? c.entityId);
    if (!r) return;
    r.requester = c.actor ? refOf(c.actor) : null;
    r.flowVersionId = ownOrNull(keyOf(str(c.payload.flowVersionId)));
    for (const g of r.gates) if (g.summary.requester === null && r.requester) g.summary.requester = r.requester.label;
  }

  private stepStarted(c: Ctx): void {
    const r = this.run(c.runId);
    if (!r) return;
    const stepKey = keyOf(str(c.payload.stepKey));
    const stepIndex = num(c.payload.stepIndex);
    const skills = c.payload.skills;
    if (stepKey !== null && (r.steps.has(stepKey) || r.steps.size < 1000))
      r.steps.set(
        own(stepKey),
        Array.isArray(skills)
          ? skills
              .slice(0, 1000)
              .filter((s): s is string => typeof s === 'string')
              .map((s) => own(keyOf(s)))
          : null,
      );
    for (const g of r.gates) {
      const later = g.stepIndex !== null && stepIndex !== null ? stepIndex > g.stepIndex : g.stepKey !== stepKey;
      if (!later) continue;
      const step = stepKey ?? `#${stepIndex ?? '?'}`;
      if (g.rejected && !g.rejectionFlagged) {
        g.rejectionFlagged = true;
        this.flag(g, 'LENS.rejection_without_failure', c.line, c.seq, `gate ${gateName(g)} was rejected, yet step ${step} started afterwards`);
      }
      this.checkQuorum(g, c, `before step ${step} started`);
    }
  }

  private checkQuorum(g: GateState, c: Ctx, when: string): void {
    if (g.quorumChecked || g.rejected) return;
    g.quorumChecked = true;
    const ok = g.approvers.size >= g.required;
    g.summary.quorumBeforeNextStep = ok;
    if (!ok)
      this.flag(
        g,
        'LENS.quorum_not_reached',
        c.line,
        c.seq,
        `gate ${gateName(g)} had ${g.approvers.size} distinct approval(s) of ${g.required} required ${when}`,
      );
  }

  private approvalRequested(c: Ctx): void {
    if (!c.entityId) return;
    const r = this.run(c.runId);
    const required = num(c.payload.requiredApprovals);
    const approvalId = own(c.entityId);
    const summary: LensGate = {
      approvalId,
      runId: r ? r.id : ownOrNull(c.runId),
      stepKey: ownOrNull(keyOf(str(c.payload.stepKey))),
      stepIndex: num(c.payload.stepIndex),
      title: ownOrNull(clipOrNull(str(c.payload.title))),
      requiredApprovals: required !== null && required >= 1 ? required : 1,
      requestedAt: c.at ? own(c.at) : null,
      line: c.line,
      seq: own(c.seq),
      requester: r?.requester ? r.requester.label : null,
      decisions: [],
      decisionsDropped: 0,
      denied: [],
      distinctApprovals: 0,
      outcome: 'pending',
      resolvedAt: null,
      quorumBeforeNextStep: null,
      findings: [],
    };
    const listed = this.gates.length < MAX_GATES;
    if (listed) this.gates.push(summary);
    else this.gatesDropped++;
    const g: GateState = {
      summary,
      listed,
      runId: summary.runId,
      stepIndex: summary.stepIndex,
      stepKey: summary.stepKey,
      required: summary.requiredApprovals,
      approvers: new Set(),
      resolved: false,
      rejected: false,
      rejection: null,
      quorumChecked: false,
      rejectionFlagged: false,
    };
    if (r && r.gates.length < 1000) r.gates.push(g);
    if (this.openGates.size < MAX_OPEN_RUNS) this.openGates.set(approvalId, g);
    else this.closeGate(approvalId, g);
  }

  private approvalDecided(c: Ctx): void {
    if (!c.entityId) return;
    const decision = clip(str(c.payload.decision) ?? '?', 40);
    const who = actorLabel(c.actor);
    const open = this.openGates.get(c.entityId);
    const closed = open ? undefined : this.closedGates.get(c.entityId);
    const summary = open?.summary ?? closed?.summary ?? undefined;
    if (summary) {
      if (summary.decisions.length < MAX_DECISIONS_PER_GATE)
        summary.decisions.push({ actor: own(who), decision: own(decision), at: own(c.at), line: c.line, seq: own(c.seq) });
      else summary.decisionsDropped++;
    }
    const ended = c.runId !== null ? this.endedRuns.get(c.runId) : undefined;
    const name = summary ? gateName({ stepKey: summary.stepKey, summary }) : c.entityId;
    if (ended !== undefined && ended !== 'dropped')
      this.flagSummary(
        summary,
        'LENS.decision_after_resolution',
        c.line,
        c.seq,
        `${who} decided "${decision}" on gate ${name} after run ${c.runId} had ${ended}`,
      );
    else if (open?.resolved || closed)
      this.flagSummary(
        summary,
        'LENS.decision_after_resolution',
        c.line,
        c.seq,
        (summary?.outcome ?? closed?.outcome) === 'pending'
          ? `${who} decided "${decision}" on gate ${name} after its run ended`
          : `${who} decided "${decision}" on gate ${name} after it was resolved (${summary?.outcome ?? closed?.outcome ?? 'closed'})`,
      );
    if (!open) return;
    const r = open.runId !== null ? this.runs.get(open.runId) : undefined;
    if (r?.requester && sameActor(r.requester, c.actor))
      this.flag(open, 'LENS.self_decision', c.line, c.seq, `${who} decided "${decision}" on gate ${gateName(open)} of a run they requested`);
    const emails = r?.flowVersionId && open.stepIndex !== null ? this.flows.get(r.flowVersionId)?.get(open.stepIndex) : undefined;
    if (emails) {
      const email = actorEmail(c.actor);
      if (email === null || !emails.includes(email))
        this.flag(
          open,
          'LENS.not_named_approver',
          c.line,
          c.seq,
          `${who} decided on gate ${gateName(open)}, but is not among its approver_emails in the published flow`,
        );
    }
    if (decision === 'rejected') {
      if (!open.rejected) open.rejection = { line: c.line, seq: own(c.seq) };
      open.rejected = true;
      this.resolve(open, 'rejected', c.at);
    } else if (decision === 'approved') {
      const key = actorKey(c.actor) ?? `anonymous@${c.line}`;
      if (open.approvers.size < 1000) open.approvers.add(own(key));
      open.summary.distinctApprovals = open.approvers.size;
      if (open.approvers.size >= open.required && !open.resolved) this.resolve(open, 'approved', c.at);
    }
  }

  private decisionDenied(c: Ctx): void {
    const g = c.entityId ? this.openGates.get(c.entityId) : undefined;
    if (g && g.summary.denied.length < MAX_DECISIONS_PER_GATE)
      g.summary.denied.push({ actor: own(actorLabel(c.actor)), code: own(clip(str(c.payload.code) ?? '?', 60)), at: own(c.at) });
  }

  private approvalResolved(c: Ctx): void {
    const g = c.entityId ? this.openGates.get(c.entityId) : undefined;
    if (!g) return;
    const outcome = str(c.payload.outcome);
    if (outcome === 'rejected' && !g.rejected) {
      g.rejected = true;
      g.rejection = { line: c.line, seq: own(c.seq) };
    }
    this.resolve(g, outcome === 'rejected' ? 'rejected' : outcome === 'approved' ? 'approved' : g.summary.outcome, c.at);
  }

  private resolve(g: GateState, outcome: LensGate['outcome'], at: string): void {
    if (!g.resolved) g.summary.resolvedAt = at ? own(at) : null;
    g.resolved = true;
    if (outcome !== 'pending') g.summary.outcome = outcome;
  }

  private skillInvoked(c: Ctx): void {
    const stepKey = keyOf(str(c.payload.stepKey));
    const skillRef = keyOf(str(c.payload.skillRef));
    if (skillRef === null) return;
    const r = this.run(c.runId);
    if (r && stepKey !== null) {
      const skills = r.steps.get(stepKey);
      if (skills === undefined)
        this.flag(null, 'LENS.skill_outside_step', c.line, c.seq, `skill ${skillRef} was invoked in step ${stepKey}, which never started in run ${r.id}`);
      else if (skills === null || !skills.includes(skillRef))
        this.flag(
          null,
          'LENS.skill_outside_step',
          c.line,
          c.seq,
          `skill ${skillRef} was invoked in step ${stepKey}, whose skills are [${clip((skills ?? []).join(', '), 300)}]`,
        );
    }
    if (this.fullChain) {
      const agentId = keyOf(str(c.actor?.id));
      const roleId = agentId !== null ? this.agents.get(agentId) : undefined;
      if (!roleId || !this.liveGrants.has(roleId + '\n' + skillRef))
        this.flag(
          null,
          'LENS.ungranted_skill',
          c.line,
          c.seq,
          roleId
            ? `${actorLabel(c.actor)} invoked ${skillRef} with no live grant of it to role ${roleId}`
            : `${actorLabel(c.actor)} invoked ${skillRef}, but the bundle records no role for this agent, so no live grant`,
        );
    }
  }

  private runEnded(c: Ctx, how: string): void {
    const r = this.run(c.runId ?? c.entityId);
    if (!r) return;
    for (const g of r.gates) {
      if (how === 'completed') {
        if (g.rejected && !g.rejectionFlagged) {
          g.rejectionFlagged = true;
          this.flag(g, 'LENS.rejection_without_failure', c.line, c.seq, `gate ${gateName(g)} was rejected, yet run ${r.id} completed`);
        }
        this.checkQuorum(g, c, 'when the run completed');
      } else if (how === 'failed') g.rejectionFlagged = true;
    }
    if (how === 'completed') this.runsCompleted++;
    else if (how === 'failed') this.runsFailed++;
    this.dropRun(r.id, how);
  }

  /** Forgets a run's heavy state; keeps that it ended and which gates closed. */
  private dropRun(runId: string, how: string): void {
    const r = this.runs.get(runId);
    this.runs.delete(runId);
    remember(this.endedRuns, runId, how, MAX_CLOSED);
    if (!r) return;
    for (const g of r.gates) {
      this.openGates.delete(g.summary.approvalId);
      this.closeGate(g.summary.approvalId, g);
    }
  }

  private closeGate(approvalId: string, g: GateState): void {
    remember(this.closedGates, approvalId, { runId: g.runId, outcome: g.summary.outcome, summary: g.listed ? g.summary : null }, MAX_CLOSED);
  }

  // --- findings -------------------------------------------------------------------

  private flag(g: GateState | null, code: LensCode, line: number, seq: string, message: string): void {
    this.flagSummary(g?.summary, code, line, seq, message);
  }

  private flagSummary(summary: LensGate | undefined, code: LensCode, line: number, seq: string, message: string): void {
    if (summary && !summary.findings.includes(code)) summary.findings.push(code);
    const n = (this.counts[code] ?? 0) + 1;
    this.counts[code] = n;
    if (n > this.capPerCode) this.dropped[code] = (this.dropped[code] ?? 0) + 1;
    else this.findings.push({ code, line, seq: own(seq), message: own(clip(message, 1000)) });
  }
}

interface Ctx {
  line: number;
  seq: string;
  at: string;
  actor: Obj | null;
  payload: Obj;
  runId: string | null;
  entityId: string | null;
}

function gateName(g: { stepKey: string | null; summary: LensGate }): string {
  return g.stepKey !== null ? `"${g.stepKey}" (${g.summary.approvalId})` : g.summary.approvalId;
}
