// The governance judgements of docs/format.md "Countersign statements and envelopes" and
// choices 9-12, as pure functions: the verifier's replay, the reference gate and the
// wallet call these and nothing else, so they cannot disagree on whether an approval
// counts. Each returns reasons from a closed list; reasons.ts maps every reason onto the
// verifier's finding code, the gate's refusal code and the wallet's words.

import type { Gate, Skill } from '../statements/schemas.ts';
import { compareInstants, instantOf, type Instant } from '../statements/time.ts';
import { keyValidAt, type KeyRecord } from './roster.ts';
import { parkedExpiry, requiredDecision, sameGate, type PolicyRules, type RequiredDecision } from './policy-rules.ts';

/** What the caller learned about one signature: `valid` null when no known key has that id. */
export interface SignatureCheck {
  keyId: string;
  /** null: no roster of this log has held the key id so far, so nothing was checked. */
  valid: boolean | null;
}

/** The parts of a roster the judgements read (RosterIndex has them). */
export interface RosterView {
  readonly keys: ReadonlyMap<string, KeyRecord>;
  hasAnyRole(principal: string, roles: readonly string[]): boolean;
}

// --- signatures (docs/format.md "Countersign statements and envelopes", choice 4) --------------

export const SIGNATURE_REASONS = ['unknown_key', 'invalid', 'not_in_roster', 'not_valid_at', 'wrong_signer'] as const;
export type SignatureReason = (typeof SIGNATURE_REASONS)[number];

export type SignatureJudgement = { reason: null; key: KeyRecord } | { reason: SignatureReason; key: KeyRecord | null };

/**
 * What one checked signature is worth at a position: it counts only when it verifies,
 * under a key of the roster in force, valid at the statement's time, held by a principal
 * `expected` accepts.
 */
export function judgeSignature(check: SignatureCheck, roster: RosterView, at: Instant, expected: (principal: string) => boolean): SignatureJudgement {
  if (check.valid === null) return { reason: 'unknown_key', key: null };
  if (!check.valid) return { reason: 'invalid', key: roster.keys.get(check.keyId) ?? null };
  const key = roster.keys.get(check.keyId);
  if (!key) return { reason: 'not_in_roster', key: null };
  if (!keyValidAt(key, at)) return { reason: 'not_valid_at', key };
  if (!expected(key.principal)) return { reason: 'wrong_signer', key };
  return { reason: null, key };
}

// --- approvals (docs/format.md choices 9, 10, 12) ----------------------------------------------

/**
 * Why an approval does not count, in the order the gate gives priority to (the first is the
 * refusal code it writes): the request ended or was never parked, then lateness, then the
 * requester rule, then eligibility, then a repeated vote.
 */
export const APPROVAL_REASONS = ['ended', 'denied', 'not_parked', 'expired', 'requester_forbidden', 'requester_vote', 'not_eligible', 'duplicate'] as const;
export type ApprovalReason = (typeof APPROVAL_REASONS)[number];

/** Where the request an approval names stands. `ended`: executed or closed. */
export type RequestPhase = 'undecided' | 'allowed' | 'parked' | 'denied' | 'ended';

export interface ApprovalCase {
  phase: RequestPhase;
  /** The parked decision's gate (null unless phase is `parked`). */
  gate: Gate | null;
  /** The gate's expires_at. */
  expires: Instant | null;
  requester: string;
  approver: string;
  vote: 'approve' | 'reject';
  /** Times judged against the gate's expiry: the approval's `at`, and where known when it arrived. */
  times: readonly Instant[];
  roster: RosterView;
  /** This approver already has a vote on this request (as the caller counts votes). */
  voted: boolean;
}

/**
 * An approval names its request twice, by digest and by request_id and skill (docs/format.md
 * "Countersign statements and envelopes", approval): both must agree, else STMT.mismatch. The
 * verifier's replay, the gate and the wallet all ask this one function.
 */
export function approvalMatchesRequest(approval: { request_id: string; skill: string }, request: { id: string; skill: string }): boolean {
  return approval.request_id === request.id && approval.skill === request.skill;
}

/**
 * forbid_requester (docs/format.md choice 9): the one place the rule is enforced. The
 * requester approving is a self-approval; the requester rejecting is not counted and
 * carries no veto, but is no self-approval either.
 */
export function judgeRequester(gate: Gate, requester: string, approver: string, vote: 'approve' | 'reject'): ApprovalReason | null {
  if (!gate.forbid_requester || approver !== requester) return null;
  return vote === 'approve' ? 'requester_forbidden' : 'requester_vote';
}

/** Eligibility: the approver holds one of the gate's approver roles in the roster in force. */
export function judgeEligibility(roster: RosterView, approver: string, gate: Gate): ApprovalReason | null {
  return roster.hasAnyRole(approver, gate.approver_roles) ? null : 'not_eligible';
}

/** Lateness: any of the times is after the gate's expires_at. */
export function judgeLateness(times: readonly Instant[], expires: Instant | null): ApprovalReason | null {
  if (!expires) return null;
  for (const t of times) if (compareInstants(t, expires) > 0) return 'expired';
  return null;
}

/** Every reason an approval does not count, in APPROVAL_REASONS order. Empty: it counts (if validly signed). */
export function judgeApproval(c: ApprovalCase): ApprovalReason[] {
  if (c.phase === 'ended') return ['ended'];
  if (c.phase === 'denied') return ['denied'];
  if (c.phase !== 'parked' || !c.gate) return ['not_parked'];
  const out: ApprovalReason[] = [];
  const late = judgeLateness(c.times, c.expires);
  if (late) out.push(late);
  const self = judgeRequester(c.gate, c.requester, c.approver, c.vote);
  if (self) out.push(self);
  const eligible = judgeEligibility(c.roster, c.approver, c.gate);
  if (eligible) out.push(eligible);
  if (c.voted) out.push('duplicate');
  return out;
}

/** An approval counts toward the quorum: no reason against it, and signed by the approver. */
export function approvalCounts(reasons: readonly ApprovalReason[], signedByApprover: boolean): boolean {
  return reasons.length === 0 && signedByApprover;
}

// --- decisions (docs/format.md "Countersign statements and envelopes" "decision", docs/format.md choice 11) ------------------------------

export const DECISION_REASONS = ['policy_version', 'outcome', 'gate_differs', 'gate_expiry'] as const;
export type DecisionReason = (typeof DECISION_REASONS)[number];

export interface DecisionCase {
  policy: PolicyRules & { version: number };
  requesterRoles: readonly string[];
  request: { skill: string; skill_version: string; expires_at: string };
  decision: { outcome: string; policy_version: number; at: string; gate?: (Gate & { expires_at: string }) | undefined };
}

/** Whether a decision is the one the policy requires; the required decision comes back for messages. */
export function judgeDecision(c: DecisionCase): { required: RequiredDecision; reasons: DecisionReason[] } {
  const { policy, request: r, decision: d } = c;
  const required = requiredDecision(policy, c.requesterRoles, r.skill, r.skill_version);
  const reasons: DecisionReason[] = [];
  if (d.policy_version !== policy.version) reasons.push('policy_version');
  if (d.outcome !== required.outcome) reasons.push('outcome');
  if (d.outcome === 'parked' && required.outcome === 'parked' && d.gate) reasons.push(...judgeParkedGate(d.gate, required.skill, r.expires_at, d.at));
  return { required, reasons };
}

/** A parked decision's gate carries exactly the skill's gate, and expires at min(request expiry, at + ttl_s). */
export function judgeParkedGate(
  gate: Gate & { expires_at: string },
  skill: Skill & { gate: Gate },
  requestExpiresAt: string,
  decisionAt: string,
): DecisionReason[] {
  const out: DecisionReason[] = [];
  if (!sameGate(gate, skill.gate)) out.push('gate_differs');
  if (compareInstants(instantOf(gate.expires_at), parkedExpiry(requestExpiresAt, decisionAt, skill.gate.ttl_s)) !== 0) out.push('gate_expiry');
  return out;
}

// --- checkpoints (docs/format.md "The log and its checkpoints", docs/format.md choice 15) -----------------------------------------

export const CHECKPOINT_REASONS = ['no_log_signature', 'not_gate_signed'] as const;
export type CheckpointReason = (typeof CHECKPOINT_REASONS)[number];

/**
 * Whether a checkpoint is signed by the gate in force: some signature line named for the
 * log verifies under a key of the gate principal in the roster in force at its position.
 * `candidates` are the checked (key, signature line) pairs whose key hash matched.
 */
export function judgeCheckpointSignature(
  hasLogSignature: boolean,
  candidates: readonly SignatureCheck[],
  gateKeys: ReadonlySet<string>,
): { reason: null; keyId: string } | { reason: CheckpointReason } {
  for (const c of candidates) if (c.valid === true && gateKeys.has(c.keyId)) return { reason: null, keyId: c.keyId };
  return { reason: hasLogSignature ? 'not_gate_signed' : 'no_log_signature' };
}
