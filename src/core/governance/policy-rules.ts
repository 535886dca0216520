// The policy rules of docs/format.md "Countersign statements and envelopes" in one place, for the gate that applies them,
// the verifier that replays them and the wallet that checks a packet against them:
// three copies would drift, and a drift between gate and verifier is a failed audit.

import type { Gate, Grant, Skill } from '../statements/schemas.ts';
import { addSeconds, instantOf, minInstant, type Instant } from '../statements/time.ts';

export interface PolicyRules {
  readonly skills: readonly Skill[];
  readonly grants: readonly Grant[];
}

export type RequiredDecision =
  | { outcome: 'denied'; reason: 'unknown_skill' | 'ungranted'; skill: Skill | null }
  | { outcome: 'allowed'; reason: 'no_gate'; skill: Skill }
  | { outcome: 'parked'; reason: 'gated'; skill: Skill & { gate: Gate } };

export function findSkill(policy: PolicyRules, skill: string, version: string): Skill | null {
  return policy.skills.find((s) => s.skill === skill && s.version === version) ?? null;
}

/** Deny by default: some role of the requester has a grant naming this skill and version. */
export function isGranted(policy: PolicyRules, roles: readonly string[], skill: string, version: string): boolean {
  return policy.grants.some((g) => g.skill === skill && roles.includes(g.role) && g.versions.includes(version));
}

/** The decision the policy requires for a request: unknown or ungranted → denied, no gate → allowed, else parked. */
export function requiredDecision(policy: PolicyRules, roles: readonly string[], skill: string, version: string): RequiredDecision {
  const s = findSkill(policy, skill, version);
  if (!s) return { outcome: 'denied', reason: 'unknown_skill', skill: null };
  if (!isGranted(policy, roles, skill, version)) return { outcome: 'denied', reason: 'ungranted', skill: s };
  return s.gate ? { outcome: 'parked', reason: 'gated', skill: s as Skill & { gate: Gate } } : { outcome: 'allowed', reason: 'no_gate', skill: s };
}

/** A parked gate's expires_at: the earlier of the request's expires_at and the decision's at + ttl_s. */
export function parkedExpiry(requestExpiresAt: string, decisionAt: string, ttlSeconds: number): Instant {
  return minInstant(instantOf(requestExpiresAt), addSeconds(instantOf(decisionAt), ttlSeconds));
}

/** Whether a decision's gate carries exactly the policy's gate (expires_at aside). */
export function sameGate(a: Gate, b: Gate): boolean {
  return (
    a.approvals_required === b.approvals_required &&
    a.forbid_requester === b.forbid_requester &&
    a.ttl_s === b.ttl_s &&
    a.reject_vetoes === b.reject_vetoes &&
    a.approver_roles.length === b.approver_roles.length &&
    a.approver_roles.every((r, i) => r === b.approver_roles[i])
  );
}
