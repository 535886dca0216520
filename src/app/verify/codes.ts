import { FINDING_CODES, isFindingCode } from '../../core/report/findings.ts';

// Plain words for each finding code (FORMAT.md §6, MAKERCHECKER.md "Checks").
export const CODE_WORDS: Record<string, string> = {
  'FORMAT.json': 'A line or a signed payload is not valid strict JSON.',
  'FORMAT.line': 'A line is of an unknown kind, blank, too long, or a malformed checkpoint.',
  'FORMAT.schema': 'An entry or statement is missing fields or has the wrong shape.',
  'FORMAT.noncanonical': 'Signed bytes are not in canonical form (JCS).',
  'CHAIN.seq': 'An entry is out of sequence: entries were removed, added or reordered.',
  'CHAIN.prev': 'An entry does not chain to the one before it: the log was altered.',
  'SIG.invalid': 'A signature does not verify: the signed content was changed or forged.',
  'SIG.unknown_key': 'Signed with a key that no roster of this log ever held.',
  'SIG.key_not_valid': 'Signed with a key that was not in force at that point or time.',
  'SIG.wrong_signer': 'Signed by someone other than the person or service the statement names.',
  'SIG.payload_type': 'The envelope’s declared type differs from the statement inside.',
  'STMT.wrong_log': 'A statement belongs to another log.',
  'STMT.mismatch': 'An approval names a different request or skill than the one it points to.',
  'GOV.genesis': 'The first entry is not a valid genesis.',
  'GOV.quorum': 'A roster or policy change lacks the governance sign-offs it needs.',
  'GOV.version': 'A roster or policy version skips or repeats.',
  'POLICY.decision': 'The gate decided differently than the policy in force requires.',
  'POLICY.unknown_request': 'A decision, approval or execution names no earlier request.',
  'POLICY.duplicate_request': 'The same request appears twice.',
  'POLICY.self_approval': 'A requester approved their own request where that is forbidden.',
  'POLICY.not_eligible': 'An approver did not hold a role the gate requires.',
  'POLICY.late_approval': 'An approval came after the deadline, the execution, or the closure.',
  'POLICY.quorum': 'An action ran without the approvals it needed.',
  'POLICY.not_runnable': 'A denied, closed or already executed request was executed.',
  'POLICY.refusal': 'A refusal record is not borne out by the attempt or the policy.',
  'TIME.order': 'An entry claims a time well before the previous entry.',
  'CKPT.signature': 'A checkpoint’s log signature is missing or invalid.',
  'CKPT.root': 'A checkpoint’s root does not match the entries: the log was altered.',
  'CKPT.size': 'A checkpoint’s size differs from the number of entries before it.',
  'CKPT.unanchored': 'Entries after the last valid checkpoint are not covered by a signed tree head.',
  'REQ.pending': 'A parked request was neither executed nor closed by the end of the bundle.',
  'TRUST.unpinned': 'No trust anchor was given: whose log this is was not checked.',
  'TRUST.mismatch': 'The log or key is not the one you pinned.',
  'AAPR.ill_formed_string': 'A string holds an unpaired surrogate: the export breaks the spec (not tampering as such).',
  'AAPR.signature': 'The manifest signature does not verify.',
  'AAPR.count': 'The number of events differs from the manifest: events were removed or added.',
  'AAPR.digest': 'The event hashes do not match the signed digest: events were changed or reordered.',
  'AAPR.run': 'An event does not belong to the run this bundle is for.',
  'AAPR.hash': 'An event’s stored hash does not recompute: its content was altered.',
  'AAPR.link': 'The hash chain is broken or does not start at the instance’s genesis.',
  'AAPR.head': 'The manifest’s head hash or sequence range differs from the events.',
  'LENS.self_decision': 'A decider was also the run’s requester.',
  'LENS.decision_after_resolution': 'A decision was recorded after the approval was resolved or the run ended.',
  'LENS.rejection_without_failure': 'A rejection was not followed by the run failing.',
  'LENS.skill_outside_step': 'A skill ran that its step did not list.',
  'LENS.quorum_not_reached': 'A later step started before enough distinct approvals.',
  'LENS.not_named_approver': 'A decider was not on the gate’s list of approvers.',
  'LENS.ungranted_skill': 'A skill ran with no live grant.',
};

export function codeWords(code: string): string {
  return CODE_WORDS[code] ?? '';
}

export function severityOf(code: string): 'error' | 'warning' {
  return isFindingCode(code) ? FINDING_CODES[code] : 'warning';
}
