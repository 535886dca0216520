// The one table from the judgements' reasons (judgements.ts) to what each caller says:
// the verifier's finding code and message, the reference gate's refusal code and words,
// and the wallet's refusal code and words. A reason added to a closed list without a row
// here is a type error.

import { fingerprintOf } from '../crypto/ed25519.ts';
import type { FindingCode } from '../statements/findings.ts';
import type { Refusal } from '../statements/schemas.ts';
import type { ApprovalReason, CheckpointReason, DecisionReason, SignatureReason } from './judgements.ts';
import type { RequiredDecision } from './policy-rules.ts';

export type RefusalCode = Refusal['code'];
/** The wallet's refusal codes that come from a shared judgement (wallet/packet.ts has the rest). */
export type WalletJudgementCode = 'expired' | 'requester' | 'not_eligible';

/** What the words of an approval reason may name. */
export interface ApprovalWords {
  approver: string;
  /** The approval's `at`. */
  at: string;
  /** The gate's expires_at, when parked. */
  expiresAt: string;
  /** The gate's approver roles, when parked. */
  roles: readonly string[];
  /** How the request stands, in words: `executed`, `closed`, `allowed`, `not decided`. */
  phase: string;
}

export interface ApprovalReasonRow {
  /** Verifier: the finding a logged approval with this reason raises (null: not counted, no finding). */
  finding: FindingCode | null;
  verifierWords: (w: ApprovalWords) => string;
  /** Verifier: the short problem shown with the approval in the report's request summary. */
  problem: string;
  /** Gate: the refusal code it writes when this is the approval's first reason. */
  refusal: RefusalCode;
  /** Verifier: the refusal codes a logged refusal is borne out by with this reason (docs/format.md choice 12). */
  bearsOut: readonly RefusalCode[];
  /** Wallet: the refusal when the reason is about the person holding the wallet (null: never is). */
  wallet: WalletJudgementCode | null;
  /** Wallet: the note on an approval already collected in a request packet. */
  collected: (w: ApprovalWords) => string;
}

export const APPROVAL_REASON_TABLE: Readonly<Record<ApprovalReason, ApprovalReasonRow>> = {
  ended: {
    finding: 'POLICY.late_approval',
    verifierWords: (w) => `approval by ${w.approver} after the request was ${w.phase}`,
    problem: 'late',
    refusal: 'late',
    bearsOut: ['late', 'not_eligible'],
    wallet: null,
    collected: () => 'the request is no longer open to approvals',
  },
  denied: {
    // docs/format.md choice 9: nobody is eligible to approve a request that is not parked.
    finding: 'POLICY.not_eligible',
    verifierWords: (w) => `approval by ${w.approver} of a request the gate denied`,
    problem: 'not parked',
    refusal: 'not_eligible',
    bearsOut: ['late', 'not_eligible'],
    wallet: null,
    collected: () => 'the gate denied the request',
  },
  not_parked: {
    finding: 'POLICY.not_eligible',
    verifierWords: (w) => `approval by ${w.approver}: the request is ${w.phase}, not parked`,
    problem: 'not parked',
    refusal: 'not_eligible',
    bearsOut: ['not_eligible'],
    wallet: null,
    collected: () => 'the request is not waiting for approvals',
  },
  expired: {
    finding: 'POLICY.late_approval',
    verifierWords: (w) => `approval by ${w.approver} at ${w.at} is after the gate expired at ${w.expiresAt}`,
    problem: 'late',
    refusal: 'late',
    bearsOut: ['late'],
    wallet: 'expired',
    collected: () => 'signed after the gate expired',
  },
  requester_forbidden: {
    finding: 'POLICY.self_approval',
    verifierWords: (w) => `${w.approver} approved their own request where forbid_requester holds`,
    problem: 'self-approval',
    refusal: 'requester_forbidden',
    bearsOut: ['requester_forbidden'],
    wallet: 'requester',
    collected: () => 'the requester may not approve their own request',
  },
  requester_vote: {
    // docs/format.md "Bundles" names the requester *approving*; a reject by the requester is not
    // counted (it carries no veto) but is no self-approval either (docs/format.md choice 9).
    finding: null,
    verifierWords: (w) => `${w.approver} voted on their own request where forbid_requester holds`,
    problem: 'requester may not vote',
    refusal: 'requester_forbidden',
    bearsOut: ['requester_forbidden'],
    wallet: 'requester',
    collected: () => 'the requester may not approve their own request',
  },
  not_eligible: {
    finding: 'POLICY.not_eligible',
    verifierWords: (w) => `${w.approver} holds none of the approver roles ${w.roles.join(', ')}`,
    problem: 'not eligible',
    refusal: 'not_eligible',
    bearsOut: ['not_eligible'],
    wallet: 'not_eligible',
    collected: (w) => `${w.approver} holds none of the approver roles`,
  },
  duplicate: {
    // docs/format.md choice 10: a repeated vote counts once and raises no finding.
    finding: null,
    verifierWords: (w) => `${w.approver} already voted on this request; counted once`,
    problem: 'repeat vote, counted once',
    refusal: 'duplicate',
    bearsOut: ['duplicate'],
    wallet: null,
    collected: (w) => `${w.approver} already voted earlier in this packet; counted once`,
  },
};

/** Whether a logged refusal's code is borne out by the reasons the approval does not count (docs/format.md choice 12). */
export function refusalBorneOut(code: RefusalCode, reasons: readonly ApprovalReason[]): boolean {
  return reasons.some((r) => APPROVAL_REASON_TABLE[r].bearsOut.includes(code));
}

/** The refusal the gate writes for an approval: the code of its first reason. */
export function refusalFor(reasons: readonly ApprovalReason[]): RefusalCode | null {
  return reasons.length ? APPROVAL_REASON_TABLE[reasons[0]!].refusal : null;
}

/** The gate's words for a refusal it writes (docs/format.md "Countersign statements and envelopes" "refusal"). */
export const REFUSAL_WORDS: Readonly<Record<RefusalCode, (w: { approver: string; requestId: string; phase: string }) => string>> = {
  requester_forbidden: (w) => `refused: ${w.approver} requested "${w.requestId}" and may not approve it`,
  not_eligible: (w) => `refused: ${w.approver} is not eligible to approve "${w.requestId}"`,
  late: (w) => `refused: "${w.requestId}" is no longer open to approvals (${w.phase})`,
  duplicate: (w) => `refused: ${w.approver} already voted on "${w.requestId}"`,
  unknown_approver: () => 'refused: the approval is signed by a key in no roster in force',
};

// --- signatures -------------------------------------------------------------------------------------

export interface SignatureWords {
  /** What was signed: `approval`, `roster update`, `refusal`. */
  what: string;
  keyId: string;
  /** The key's holder, when the roster knows the key. */
  principal: string | null;
  /** Who was expected, in words. */
  expected: string;
  rosterVersion: number;
}

export const SIGNATURE_REASON_TABLE: Readonly<
  Record<SignatureReason, { finding: FindingCode; verifierWords: (w: SignatureWords) => string; walletWords: (w: SignatureWords) => string }>
> = {
  unknown_key: {
    finding: 'SIG.unknown_key',
    verifierWords: (w) => `${w.what}: key ${fingerprintOf(w.keyId)} is not in any roster of this log so far`,
    walletWords: (w) => `signed by key ${fingerprintOf(w.keyId)}, which is not in the roster you trust`,
  },
  invalid: {
    finding: 'SIG.invalid',
    verifierWords: (w) => `${w.what}: signature by key ${fingerprintOf(w.keyId)} does not verify`,
    walletWords: (w) => `the signature by ${w.principal ?? 'an unknown holder'} (key ${fingerprintOf(w.keyId)}) does not verify`,
  },
  not_in_roster: {
    finding: 'SIG.key_not_valid',
    verifierWords: (w) => `${w.what}: key ${fingerprintOf(w.keyId)} is not in the roster in force (version ${w.rosterVersion})`,
    walletWords: (w) => `signed by key ${fingerprintOf(w.keyId)}, which is not in the roster you trust`,
  },
  not_valid_at: {
    finding: 'SIG.key_not_valid',
    verifierWords: (w) => `${w.what}: key ${fingerprintOf(w.keyId)} of ${w.principal} is not valid at the statement's time`,
    walletWords: (w) => `the key ${fingerprintOf(w.keyId)} of ${w.principal} is not valid at the statement's time`,
  },
  wrong_signer: {
    finding: 'SIG.wrong_signer',
    verifierWords: (w) => `${w.what}: signed by ${w.principal}, expected ${w.expected}`,
    walletWords: (w) => `signed by ${w.principal}, not by the expected signer`,
  },
};

// --- decisions --------------------------------------------------------------------------------------

export interface DecisionWords {
  decision: { outcome: string; policy_version: number };
  /** The version of the policy in force. */
  policyVersion: number;
  required: RequiredDecision;
  request: { requester: string; skill: string; skill_version: string };
}

export const DECISION_REASON_TABLE: Readonly<
  Record<DecisionReason, { finding: FindingCode; verifierWords: (w: DecisionWords) => string; wallet: 'decision_mismatch'; walletWords: string }>
> = {
  policy_version: {
    finding: 'POLICY.decision',
    verifierWords: (w) => `policy_version is ${w.decision.policy_version}, the policy in force is version ${w.policyVersion}`,
    wallet: 'decision_mismatch',
    walletWords: 'the decision names a policy version other than the one in force',
  },
  outcome: {
    finding: 'POLICY.decision',
    verifierWords: (w) =>
      `outcome is ${w.decision.outcome}, policy version ${w.policyVersion} requires ${w.required.outcome}` +
      (w.required.reason === 'unknown_skill'
        ? ` (${w.request.skill} version ${w.request.skill_version} is not in the policy)`
        : w.required.reason === 'ungranted'
          ? ` (${w.request.requester} has no grant for it)`
          : ''),
    wallet: 'decision_mismatch',
    walletWords: 'the decision is not the one the policy requires',
  },
  gate_differs: {
    finding: 'POLICY.decision',
    verifierWords: () => "gate differs from the skill's gate in the policy",
    wallet: 'decision_mismatch',
    walletWords: "the decision's gate differs from the skill's gate in the policy",
  },
  gate_expiry: {
    finding: 'POLICY.decision',
    verifierWords: () => "gate.expires_at is not the earlier of the request's expires_at and the decision's at + ttl_s",
    wallet: 'decision_mismatch',
    walletWords: "the gate's expiry is not the earlier of the request's expiry and the decision time + ttl",
  },
};

// --- checkpoints ------------------------------------------------------------------------------------

export const CHECKPOINT_REASON_TABLE: Readonly<
  Record<
    CheckpointReason,
    { finding: FindingCode; words: (w: { origin: string; gate: string }) => string; walletWords: (w: { origin: string; gate: string }) => string }
  >
> = {
  no_log_signature: {
    finding: 'CKPT.signature',
    words: (w) => `no signature line named "${w.origin}"`,
    walletWords: (w) => `the checkpoint is not signed by a key of the gate "${w.gate}" in force`,
  },
  not_gate_signed: {
    finding: 'CKPT.signature',
    words: () => 'no signature line verifies under a key of the gate in force',
    walletWords: (w) => `the checkpoint is not signed by a key of the gate "${w.gate}" in force`,
  },
};
