// The request summaries the page and the CLI show (one row per request: who asked, what the
// gate decided, every vote and refusal, how it ended, which findings concern it). They are a
// view for people, kept apart from the rules: the governance replay tells this observer what
// happened (governance/replay.ts ReplayObserver) and never reads it back.
//
// Rows are detached from the payload texts they came from (encoding/detach.ts): V8 keeps a
// sliced string's whole parent alive, and a million-entry log must not pin its payloads.

import { detach } from '../encoding/detach.ts';
import { fingerprintOf } from '../crypto/ed25519.ts';
import type { FindingCode } from '../statements/findings.ts';
import type { Approval, Closure, Decision, Execution, Gate, Principal, Refusal, Request } from '../statements/schemas.ts';
import type { ApprovalView, ReplayEntry, ReplayObserver, ReplayReport, RequestStatus } from '../governance/replay.ts';

export interface ApprovalSummary {
  approver: string;
  name?: string;
  keyId?: string;
  fingerprint?: string;
  vote: 'approve' | 'reject';
  at: string;
  seq: number;
  comment?: string;
  /** Counts toward the quorum: eligible, in time, not the requester where forbidden, first vote of this approver. */
  counted: boolean;
  problem?: string;
}

export interface RequestSummary {
  id: string;
  digest: string;
  seq: number;
  line: number;
  skill: string;
  skillVersion: string;
  riskTier: string | null;
  requester: { id: string; name?: string; kind?: string };
  reason?: string;
  requestedAt: string;
  expiresAt: string;
  status: RequestStatus;
  decision?: { outcome: string; at: string; seq: number; policyVersion: number; reason: string; gate?: Gate & { expires_at: string } };
  approvals: ApprovalSummary[];
  refusals: { approver: string; code: string; at: string; seq: number }[];
  execution?: { at: string; seq: number; outcome: string; approvals: number };
  closure?: { at: string; seq: number; reason: string };
  /** Codes of the findings raised about this request. */
  findings: FindingCode[];
}

/** report/v1 `governance` for a Countersign bundle: the replay's state and the request rows. */
export interface GovernanceReport extends ReplayReport {
  requests: RequestSummary[];
  /** Requests beyond the cap, not listed. */
  requestsDropped: number;
}

const MAX_REQUEST_SUMMARIES = 10_000;

export class RequestSummaries implements ReplayObserver {
  readonly #rows: RequestSummary[] = [];
  /** The listed rows by request digest, so a refusal after a request closed still reaches it. */
  readonly #byDigest = new Map<string, RequestSummary>();
  #dropped = 0;

  request(e: ReplayEntry, st: Request, riskTier: string | null, requester: Principal | undefined): RequestSummary | null {
    if (this.#rows.length >= MAX_REQUEST_SUMMARIES) {
      this.#dropped++;
      return null;
    }
    const row = detach<RequestSummary>({
      id: st.id,
      digest: e.digest,
      seq: e.seq,
      line: e.line,
      skill: st.skill,
      skillVersion: st.skill_version,
      riskTier,
      requester: { id: st.requester, ...(requester ? { name: requester.name, kind: requester.kind } : {}) },
      ...(st.reason !== undefined ? { reason: st.reason } : {}),
      requestedAt: st.at,
      expiresAt: st.expires_at,
      status: 'undecided',
      approvals: [],
      refusals: [],
      findings: [],
    });
    this.#rows.push(row);
    this.#byDigest.set(e.digest, row);
    return row;
  }

  status(h: unknown, status: RequestStatus): void {
    (h as RequestSummary).status = status;
  }

  finding(h: unknown, code: FindingCode): void {
    const row = h as RequestSummary;
    if (!row.findings.includes(code)) row.findings.push(code);
  }

  decision(h: unknown, e: ReplayEntry, st: Decision): void {
    (h as RequestSummary).decision = detach({
      outcome: st.outcome,
      at: st.at,
      seq: e.seq,
      policyVersion: st.policy_version,
      reason: st.reason,
      ...(st.gate ? { gate: st.gate } : {}),
    });
  }

  approval(h: unknown, e: ReplayEntry, st: Approval, view: ApprovalView): void {
    (h as RequestSummary).approvals.push(
      detach({
        approver: st.approver,
        ...(view.name !== undefined ? { name: view.name } : {}),
        ...(view.keyId !== undefined ? { keyId: view.keyId, fingerprint: fingerprintOf(view.keyId) } : {}),
        vote: st.vote,
        at: st.at,
        seq: e.seq,
        ...(st.comment !== undefined ? { comment: st.comment } : {}),
        counted: view.counted,
        ...(view.problem !== undefined ? { problem: view.problem } : {}),
      }),
    );
  }

  refusal(requestDigest: string, e: ReplayEntry, st: Refusal, approver: string): void {
    this.#byDigest.get(requestDigest)?.refusals.push(detach({ approver, code: st.code, at: st.at, seq: e.seq }));
  }

  execution(h: unknown, e: ReplayEntry, st: Execution): void {
    (h as RequestSummary).execution = detach({ at: st.at, seq: e.seq, outcome: st.outcome, approvals: st.approvals.length });
  }

  closure(h: unknown, e: ReplayEntry, st: Closure): void {
    (h as RequestSummary).closure = detach({ at: st.at, seq: e.seq, reason: st.reason });
  }

  /** The report's `governance`: the replay's part with the rows in their place. */
  report(replay: ReplayReport): GovernanceReport {
    const { totals, ...state } = replay;
    return { ...state, requests: this.#rows, requestsDropped: this.#dropped, totals };
  }
}
