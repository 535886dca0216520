// The checks registry: the closed list of every code a verifier raises (docs/format.md "Bundles" and §7,
// docs/format.md "MakerChecker AAPR v1", the governance lens), each with its severity, a sentence for the
// people who read a report (an auditor or a regulator, not a developer), the section of
// docs/format.md that defines it, and the verifier steps that raise it. The CLI, the page and
// the report read this; docs/checks.md is generated from it (`npm run checks`).
//
// A code in FINDING_CODE_LIST or LENS_CODE_LIST without a row here does not compile.

/** Every finding code: each is either an error (the verdict fails) or a warning (at best `warn`). */
export const FINDING_CODE_LIST = [
  // Countersign evidence format v1, docs/format.md "Bundles"
  'FORMAT.json',
  'FORMAT.line',
  'FORMAT.schema',
  'FORMAT.noncanonical',
  'CHAIN.seq',
  'CHAIN.prev',
  'SIG.invalid',
  'SIG.unknown_key',
  'SIG.key_not_valid',
  'SIG.wrong_signer',
  'SIG.payload_type',
  'STMT.wrong_log',
  'STMT.mismatch',
  'GOV.genesis',
  'GOV.quorum',
  'GOV.version',
  'POLICY.decision',
  'POLICY.unknown_request',
  'POLICY.duplicate_request',
  'POLICY.self_approval',
  'POLICY.not_eligible',
  'POLICY.late_approval',
  'POLICY.quorum',
  'POLICY.not_runnable',
  'POLICY.refusal',
  'TIME.order',
  'CKPT.signature',
  'CKPT.root',
  'CKPT.size',
  'CKPT.unanchored',
  'REQ.pending',
  'TRUST.unpinned',
  'TRUST.mismatch',
  // Countersign v1.1, docs/format.md "Witnesses" (witnesses, consistency, disclosure)
  'CKPT.extension',
  'WITNESS.signature',
  'WITNESS.quorum',
  'WITNESS.fork',
  'WITNESS.truncated',
  'PROOF.consistency',
  'PROOF.inclusion',
  'DISCLOSE.governance',
  'DISCLOSE.unproven',
  'DISCLOSE.cited',
  // MakerChecker AAPR v1, docs/format.md "MakerChecker AAPR v1"
  'AAPR.ill_formed_string',
  'AAPR.signature',
  'AAPR.count',
  'AAPR.digest',
  'AAPR.run',
  'AAPR.hash',
  'AAPR.link',
  'AAPR.head',
] as const;
export type FindingCode = (typeof FINDING_CODE_LIST)[number];

/** Governance-lens observations on MakerChecker bundles: never part of the verdict. */
export const LENS_CODE_LIST = [
  'LENS.self_decision',
  'LENS.decision_after_resolution',
  'LENS.rejection_without_failure',
  'LENS.skill_outside_step',
  'LENS.quorum_not_reached',
  'LENS.not_named_approver',
  'LENS.ungranted_skill',
] as const;
export type LensCode = (typeof LENS_CODE_LIST)[number];

export type CheckCode = FindingCode | LensCode;
export type Severity = 'error' | 'warning';

/** The named steps of the verifiers (verifier/countersign.ts, verifier/makerchecker.ts). */
export type VerifierStep =
  | 'countersign.readLine'
  | 'countersign.readHeader'
  | 'countersign.readEntry'
  | 'countersign.readCheckpoint'
  | 'countersign.replay'
  | 'countersign.judgeCheckpoint'
  | 'countersign.finish'
  | 'countersign.evaluateTrust'
  | 'countersign.witness'
  | 'disclosure.verify'
  | 'makerchecker.scan'
  | 'makerchecker.readManifest'
  | 'makerchecker.readEvent'
  | 'makerchecker.finish'
  | 'makerchecker.evaluateTrust'
  | 'makerchecker.lens';

export interface CheckInfo {
  /** `observation`: a lens code, never part of the verdict. */
  severity: Severity | 'observation';
  /** One plain sentence for the person reading the report. */
  title: string;
  /** Where docs/format.md (or the spec section it explains) defines it. */
  section: string;
  /** The verifier steps that raise it. */
  steps: readonly VerifierStep[];
}

// Where each code is defined, as sections of docs/format.md (which restates FORMAT.md §6-§7 and
// MAKERCHECKER.md "Checks" in our words, with the choices we made).
const CS = 'docs/format.md "Bundles"';
const CS7 = 'docs/format.md "Disclosure packets and single-entry proofs", choices 41-49';
/** docs/format.md "Witnesses" and its choices 33–39. */
const CSW = 'docs/format.md "Witnesses", choices 33-39';
const MC = 'docs/format.md "MakerChecker AAPR v1"';

export const CHECKS: { readonly [C in CheckCode]: CheckInfo } = {
  'FORMAT.json': {
    severity: 'error',
    title: 'A line or a signed payload is not valid strict JSON, so its content cannot be relied on.',
    section: 'docs/format.md "Bytes"',
    steps: ['countersign.readLine', 'countersign.readEntry', 'makerchecker.scan', 'makerchecker.readManifest', 'makerchecker.readEvent'],
  },
  'FORMAT.line': {
    severity: 'error',
    title: 'A line of the bundle is blank, too long, of an unknown kind, or a checkpoint that cannot be read.',
    section: 'docs/format.md "Bundles"',
    steps: ['countersign.readLine', 'countersign.readHeader', 'countersign.readCheckpoint'],
  },
  'FORMAT.schema': {
    severity: 'error',
    title: 'An entry or statement is missing fields or has fields of the wrong kind.',
    section: 'docs/format.md "Countersign statements and envelopes"',
    steps: ['countersign.readEntry', 'countersign.replay', 'makerchecker.readManifest', 'makerchecker.readEvent', 'makerchecker.finish'],
  },
  'FORMAT.noncanonical': {
    severity: 'error',
    title: 'Signed content is not written in its one canonical form, so two readers could see it differently.',
    section: 'docs/format.md "Bytes"',
    steps: ['countersign.readEntry'],
  },
  'CHAIN.seq': {
    severity: 'error',
    title: 'An entry is out of sequence: entries were removed, added or reordered.',
    section: 'docs/format.md "The log and its checkpoints"',
    steps: ['countersign.readEntry'],
  },
  'CHAIN.prev': {
    severity: 'error',
    title: 'An entry does not link to the one before it: the log was altered.',
    section: 'docs/format.md "The log and its checkpoints"',
    steps: ['countersign.readEntry'],
  },
  'SIG.invalid': {
    severity: 'error',
    title: 'A signature does not match what it signs: the content was changed or the signature forged.',
    section: 'docs/format.md "Countersign statements and envelopes"',
    steps: ['countersign.replay'],
  },
  'SIG.unknown_key': {
    severity: 'error',
    title: 'Something is signed with a key that this log never listed for anyone.',
    section: 'docs/format.md choice 4',
    steps: ['countersign.replay', 'countersign.finish'],
  },
  'SIG.key_not_valid': {
    severity: 'error',
    title: 'Something is signed with a key that was not in force for its holder at that point or time.',
    section: 'docs/format.md choice 4',
    steps: ['countersign.replay', 'countersign.finish'],
  },
  'SIG.wrong_signer': {
    severity: 'error',
    title: 'A statement is signed by someone other than the person or service it names.',
    section: 'docs/format.md "Countersign statements and envelopes"',
    steps: ['countersign.replay'],
  },
  'SIG.payload_type': {
    severity: 'error',
    title: 'A signed statement is labelled as one kind of statement but is another.',
    section: 'docs/format.md "Countersign statements and envelopes"',
    steps: ['countersign.readEntry'],
  },
  'STMT.wrong_log': {
    severity: 'error',
    title: 'A statement was made for another log and copied into this one.',
    section: 'docs/format.md "Countersign statements and envelopes"',
    steps: ['countersign.replay'],
  },
  'STMT.mismatch': {
    severity: 'error',
    title: 'An approval names a different request or action than the one it points to.',
    section: 'docs/format.md "Countersign statements and envelopes"',
    steps: ['countersign.replay'],
  },
  'GOV.genesis': {
    severity: 'error',
    title: 'The log does not start with a valid founding entry signed by its governance group, so nothing in it can be judged.',
    section: 'docs/format.md choices 6 and 18',
    steps: ['countersign.replay', 'countersign.finish'],
  },
  'GOV.quorum': {
    severity: 'error',
    title: 'A change to who may do what was made without enough governance sign-offs, and was not applied.',
    section: 'docs/format.md choice 5',
    steps: ['countersign.replay'],
  },
  'GOV.version': {
    severity: 'error',
    title: 'A change to the roster or policy skips or repeats a version number, and was not applied.',
    section: 'docs/format.md choice 5',
    steps: ['countersign.replay'],
  },
  'POLICY.decision': {
    severity: 'error',
    title: 'The gate decided a request differently than the policy in force required.',
    section: 'docs/format.md choice 11',
    steps: ['countersign.replay'],
  },
  'POLICY.unknown_request': {
    severity: 'error',
    title: 'A decision, approval or action refers to a request that is not earlier in the log.',
    section: CS,
    steps: ['countersign.replay'],
  },
  'POLICY.duplicate_request': {
    severity: 'error',
    title: 'The same request appears twice in the log.',
    section: 'docs/format.md choice 21',
    steps: ['countersign.replay'],
  },
  'POLICY.self_approval': {
    severity: 'error',
    title: 'Someone approved their own request where the policy forbids it.',
    section: 'docs/format.md choice 9',
    steps: ['countersign.replay'],
  },
  'POLICY.not_eligible': {
    severity: 'error',
    title: 'An approval came from someone the policy does not allow to approve, or for a request that was not waiting for approval.',
    section: 'docs/format.md choice 9',
    steps: ['countersign.replay'],
  },
  'POLICY.late_approval': {
    severity: 'error',
    title: 'An approval came after the deadline, or after the request had already run or been closed.',
    section: 'docs/format.md choice 12',
    steps: ['countersign.replay'],
  },
  'POLICY.quorum': {
    severity: 'error',
    title: 'An action ran without the approvals its policy required.',
    section: 'docs/format.md choice 11',
    steps: ['countersign.replay'],
  },
  'POLICY.not_runnable': {
    severity: 'error',
    title: 'An action ran although its request was denied, closed, never decided, or had already run.',
    section: 'docs/format.md choice 11',
    steps: ['countersign.replay'],
  },
  'POLICY.refusal': {
    severity: 'error',
    title: 'The gate recorded that it refused an approval, but the record is not borne out by the approval or the policy.',
    section: 'docs/format.md choice 12',
    steps: ['countersign.replay'],
  },
  'TIME.order': {
    severity: 'warning',
    title: 'An entry claims a time well before the entry before it (more than five minutes).',
    section: 'docs/format.md choice 20',
    steps: ['countersign.replay'],
  },
  'CKPT.signature': {
    severity: 'error',
    title: 'A signed summary of the log (checkpoint) is not signed by the gate in force.',
    section: 'docs/format.md choice 15',
    steps: ['countersign.judgeCheckpoint'],
  },
  'CKPT.root': {
    severity: 'error',
    title: 'A checkpoint does not match the entries before it: the log was altered after it was signed.',
    section: 'docs/format.md "The log and its checkpoints"',
    steps: ['countersign.readCheckpoint'],
  },
  'CKPT.size': {
    severity: 'error',
    title: 'A checkpoint counts a different number of entries than there are before it.',
    section: 'docs/format.md "The log and its checkpoints"',
    steps: ['countersign.readCheckpoint'],
  },
  'CKPT.unanchored': {
    severity: 'warning',
    title: 'The last entries are not covered by a signed checkpoint, so they could have been added or changed later.',
    section: 'docs/format.md choice 15',
    steps: ['countersign.finish'],
  },
  'REQ.pending': {
    severity: 'warning',
    title: 'A request was still waiting for approval when the log ends: it neither ran nor was closed.',
    section: CS,
    steps: ['countersign.finish'],
  },
  'TRUST.unpinned': {
    severity: 'warning',
    title: 'No trust anchor was given, so nothing shows whose log this is.',
    section: 'docs/format.md choices 8 and 30',
    steps: ['countersign.evaluateTrust', 'makerchecker.evaluateTrust'],
  },
  'TRUST.mismatch': {
    severity: 'error',
    title: 'The log or its signing key is not the one you pinned as trusted.',
    section: 'docs/format.md choices 8 and 30',
    steps: ['countersign.evaluateTrust', 'makerchecker.evaluateTrust'],
  },
  'CKPT.extension': {
    severity: 'error',
    title: "A checkpoint's statement of the roster and policy versions is malformed or differs from the log.",
    section: CSW,
    steps: ['countersign.judgeCheckpoint'],
  },
  'WITNESS.signature': {
    severity: 'error',
    title: "An independent witness's countersignature on a checkpoint does not verify.",
    section: CSW,
    steps: ['countersign.witness'],
  },
  'WITNESS.quorum': {
    severity: 'error',
    title: 'Fewer independent witnesses than required vouched for the log.',
    section: CSW,
    steps: ['countersign.witness'],
  },
  'WITNESS.fork': {
    severity: 'error',
    title: 'The gate signed two conflicting histories of the same log: it showed different people different logs.',
    section: CSW,
    steps: ['countersign.witness'],
  },
  'WITNESS.truncated': {
    severity: 'error',
    title: 'The log is shorter than a version of it seen before: entries were cut off.',
    section: CSW,
    steps: ['countersign.witness'],
  },
  'PROOF.consistency': {
    severity: 'error',
    title: 'A proof that a later log extends an earlier one does not hold.',
    section: CSW,
    steps: ['countersign.witness'],
  },
  'PROOF.inclusion': {
    severity: 'error',
    title: 'A disclosed entry cannot be shown to be part of the signed log.',
    section: CS7,
    steps: ['disclosure.verify'],
  },
  'DISCLOSE.governance': {
    severity: 'error',
    title: 'A disclosure leaves out, repeats or reorders a change to the roster or policy.',
    section: CS7,
    steps: ['disclosure.verify'],
  },
  'DISCLOSE.unproven': {
    severity: 'warning',
    title: 'A disclosure cannot prove that it includes every change to the roster and policy.',
    section: CS7,
    steps: ['disclosure.verify'],
  },
  'DISCLOSE.cited': {
    severity: 'error',
    title: 'A disclosed action relies on an approval that the disclosure does not include.',
    section: CS7,
    steps: ['disclosure.verify'],
  },
  'AAPR.ill_formed_string': {
    severity: 'error',
    title: 'The export holds a broken character, so it breaks the format and can never be cross-checked (not tampering as such).',
    section: 'docs/format.md choice 26',
    steps: ['makerchecker.scan', 'makerchecker.readManifest', 'makerchecker.readEvent'],
  },
  'AAPR.signature': {
    severity: 'error',
    title: "The export's signature does not verify: its summary was changed or not signed by the key it carries.",
    section: MC,
    steps: ['makerchecker.readManifest', 'makerchecker.finish'],
  },
  'AAPR.count': {
    severity: 'error',
    title: 'The export holds a different number of events than it says it does: events were removed or added.',
    section: MC,
    steps: ['makerchecker.finish'],
  },
  'AAPR.digest': {
    severity: 'error',
    title: "The events do not match the export's signed fingerprint of them: events were changed, added or reordered.",
    section: 'docs/format.md choice 22',
    steps: ['makerchecker.finish'],
  },
  'AAPR.run': {
    severity: 'error',
    title: 'An event in a single-run export belongs to another run.',
    section: MC,
    steps: ['makerchecker.readManifest', 'makerchecker.readEvent', 'makerchecker.finish'],
  },
  'AAPR.hash': {
    severity: 'error',
    title: "An event's content no longer matches its recorded fingerprint: it was altered.",
    section: 'docs/format.md choice 22',
    steps: ['makerchecker.readEvent'],
  },
  'AAPR.link': {
    severity: 'error',
    title: "The chain of events is broken or does not start at the instance's beginning.",
    section: 'docs/format.md choice 24',
    steps: ['makerchecker.readEvent', 'makerchecker.finish'],
  },
  'AAPR.head': {
    severity: 'error',
    title: "The export's summary of its first and last events differs from the events it holds.",
    section: MC,
    steps: ['makerchecker.finish'],
  },
  'LENS.self_decision': {
    severity: 'observation',
    title: 'Someone decided an approval for a run they started themselves.',
    section: 'docs/format.md choice 31',
    steps: ['makerchecker.lens'],
  },
  'LENS.decision_after_resolution': {
    severity: 'observation',
    title: 'A decision was recorded after the approval was already settled or the run had ended.',
    section: 'docs/format.md choice 31',
    steps: ['makerchecker.lens'],
  },
  'LENS.rejection_without_failure': {
    severity: 'observation',
    title: 'A rejection was not followed by the run failing.',
    section: 'docs/format.md choice 31',
    steps: ['makerchecker.lens'],
  },
  'LENS.skill_outside_step': {
    severity: 'observation',
    title: 'An action ran that its step of the workflow did not list.',
    section: 'docs/format.md choice 31',
    steps: ['makerchecker.lens'],
  },
  'LENS.quorum_not_reached': {
    severity: 'observation',
    title: 'A later step started before enough distinct people had approved.',
    section: 'docs/format.md choice 31',
    steps: ['makerchecker.lens'],
  },
  'LENS.not_named_approver': {
    severity: 'observation',
    title: "Someone decided an approval who is not on that gate's list of approvers.",
    section: 'docs/format.md choice 31',
    steps: ['makerchecker.lens'],
  },
  'LENS.ungranted_skill': {
    severity: 'observation',
    title: 'An action ran without a grant in force for it.',
    section: 'docs/format.md choice 31',
    steps: ['makerchecker.lens'],
  },
};

/**
 * Codes registered for docs/format.md "Witnesses" before any verifier step raises them or any owned vector
 * breaks them. The witness and disclosure work empties this list as it lands; the checks
 * test (test/unit/checks-registry.test.ts) allows exactly these to lack a raising site or a vector.
 */
export const PENDING_CHECKS: readonly FindingCode[] = [
  // Judged on consistency/v1 files (log/witness-files.ts), not raised on bundles.
  'PROOF.consistency',
];

export function isFindingCode(code: string): code is FindingCode {
  return (FINDING_CODE_LIST as readonly string[]).includes(code);
}

export function isCheckCode(code: string): code is CheckCode {
  return Object.prototype.hasOwnProperty.call(CHECKS, code);
}

/** The registry row of a code, or null for a code outside the closed list (never thrown). */
export function checkInfo(code: string): CheckInfo | null {
  return isCheckCode(code) ? CHECKS[code] : null;
}

// --- reasons the gate and the wallet give (their own closed lists), in plain words -------------------

/** Refusal codes the gate writes (docs/format.md "Countersign statements and envelopes", "refusal") and decision reasons (governance/policy-rules.ts). */
export const GATE_REASON_WORDS = {
  requester_forbidden: 'The person who asked for the action tried to approve it; the policy forbids that.',
  not_eligible: 'The approver does not hold a role that may approve this action, or the request was not waiting for approval.',
  late: 'The approval came after the deadline, or after the request had already run or been closed.',
  duplicate: 'This approver had already voted on the request; a second vote does not count.',
  unknown_approver: 'The approval is signed with a key that the gate does not know.',
  unknown_skill: 'The action asked for is not in the policy, so the gate denied it.',
  ungranted: 'The requester has no grant for this action, so the gate denied it.',
  no_gate: 'The policy lets this action run without approvals, so the gate allowed it.',
  gated: 'The policy requires approvals for this action, so the gate parked it until enough people sign.',
} as const;

/** Why a wallet will not let its holder sign a request (wallet/packet.ts). */
export const WALLET_REASON_WORDS = {
  format: 'The request file is damaged or not a request at all.',
  untrusted_log: 'The request is for a log this wallet does not trust yet.',
  wrong_log: 'The parts of the request belong to different logs.',
  request_signature: 'The request is not signed by the person or agent who made it.',
  decision_signature: "The gate's decision is not signed by the gate this wallet trusts.",
  decision_mismatch: "The gate's decision does not follow the policy for this request.",
  expired: 'The request has expired; the gate would refuse a late approval.',
  no_identity: 'This wallet has no signing identity yet.',
  not_enrolled: "This wallet's key is not in the log's roster.",
  requester: 'You made this request, and the policy forbids approving your own request.',
  not_eligible: 'You do not hold a role that may approve this request.',
  vetoed: 'An eligible approver already rejected this request, which closes it.',
  already_signed: 'You already signed this request; re-export that signature instead.',
} as const;
export type WalletReasonCode = keyof typeof WALLET_REASON_WORDS;

/** The plain sentence for a code ('' for a code outside the list). */
export function checkTitle(code: string): string {
  return checkInfo(code)?.title ?? '';
}

/** How a code weighs on the verdict: lens observations and unknown codes weigh as warnings at most. */
export function checkSeverity(code: string): Severity {
  const info = checkInfo(code);
  return info && info.severity !== 'observation' ? info.severity : 'warning';
}
