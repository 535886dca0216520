// The reference gate's own view of its log, rebuilt from entries once they are in it: the
// roster and policy in force, the gate principal, the governance updates (for the log profile)
// and every request with its decision and recorded votes. It judges nothing: the judgements are
// governance/judgements.ts, the guard (append-guard.ts) has already checked each entry.
import type { Decision, Entry, Envelope, Grant, Request, Skill, Statement } from '../statements/schemas.ts';
import { instantOf, type Instant } from '../statements/time.ts';
import { RosterIndex } from '../governance/roster.ts';
import type { RequestState, RequestStatus } from './gate-types.ts';

export interface GateRequest {
  request: Request;
  envelope: Envelope;
  digest: string;
  decision: Decision | null;
  decisionEnvelope: Envelope | null;
  expiresAt: Instant | null;
  /** Every recorded approval entry, in log order. */
  approvals: { digest: string; envelope: Envelope; approver: string; vote: 'approve' | 'reject' }[];
  /** Approvers whose first vote was recorded (replay.ts counts one vote per approver). */
  voters: Set<string>;
  /** Digests of counted approve votes: what an execution cites. */
  approveDigests: string[];
  status: RequestStatus;
}

export class GateState {
  roster: RosterIndex | null = null;
  policy: { version: number; skills: Skill[]; grants: Grant[] } | null = null;
  gateId = '';
  readonly updates: Entry[] = [];
  readonly byDigest = new Map<string, GateRequest>();
  readonly byId = new Map<string, GateRequest>();

  /** Updates the gate's own view from an entry that is now in the log. */
  apply(entry: Entry, st: Statement, digest: string): void {
    switch (st.type) {
      case 'genesis':
        this.roster = new RosterIndex(st.roster.version, st.roster.principals);
        this.policy = { version: st.policy.version, skills: st.policy.skills, grants: st.policy.grants };
        this.gateId = st.gate;
        return;
      case 'roster':
        this.roster = new RosterIndex(st.version, st.principals);
        this.updates.push(entry);
        return;
      case 'policy':
        this.policy = { version: st.version, skills: st.skills, grants: st.grants };
        this.updates.push(entry);
        return;
      case 'request': {
        const r: GateRequest = {
          request: st,
          envelope: entry.envelope,
          digest,
          decision: null,
          decisionEnvelope: null,
          expiresAt: null,
          approvals: [],
          voters: new Set(),
          approveDigests: [],
          status: 'undecided',
        };
        this.byDigest.set(r.digest, r);
        this.byId.set(st.id, r);
        return;
      }
      case 'decision': {
        const r = this.byDigest.get(st.request)!;
        r.decision = st;
        r.decisionEnvelope = entry.envelope;
        r.status = st.outcome === 'parked' ? 'parked' : st.outcome;
        r.expiresAt = st.gate ? instantOf(st.gate.expires_at) : null;
        return;
      }
      case 'approval': {
        const r = this.byDigest.get(st.request)!;
        r.approvals.push({ digest, envelope: entry.envelope, approver: st.approver, vote: st.vote });
        if (!r.voters.has(st.approver)) {
          r.voters.add(st.approver);
          if (st.vote === 'approve') r.approveDigests.push(digest);
        }
        return;
      }
      case 'execution':
        this.byDigest.get(st.request)!.status = 'executed';
        return;
      case 'closure':
        this.byDigest.get(st.request)!.status = 'closed';
        return;
      default:
        return; // refusals change nothing: they count for nothing (docs/format.md "Countersign statements and envelopes")
    }
  }
}

/** What the gate reports about one request. */
export function stateOf(r: GateRequest): RequestState {
  return {
    id: r.request.id,
    digest: r.digest,
    requester: r.request.requester,
    skill: r.request.skill,
    skillVersion: r.request.skill_version,
    status: r.status,
    expiresAt: r.decision?.gate?.expires_at ?? null,
    approvalsRequired: r.decision?.gate?.approvals_required ?? null,
    approvedBy: r.approvals.filter((a) => r.approveDigests.includes(a.digest)).map((a) => a.approver),
  };
}
