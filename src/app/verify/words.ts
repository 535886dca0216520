// Plain words for the statuses and reasons the verifier's screens show. Finding codes and the
// gate's reason codes have their sentences in ONE place, the core's checks registry
// (core/statements/checks.ts); this file only adds the screen's own words (request statuses,
// closure reasons) and looks codes up there. test/unit/plain-words.test.ts fails when a code
// that can reach the screen has no sentence.
import type { RequestSummary } from '../../core/report/request-summaries.ts';
import { GATE_REASON_WORDS } from '../../core/statements/checks.ts';
import type { Closure } from '../../core/statements/schemas.ts';

/** Where a request ended up, in words (the Outcome column of the governance view). */
export const STATUS_WORDS: Record<RequestSummary['status'], string> = {
  undecided: 'no decision recorded',
  allowed: 'allowed without approvals',
  denied: 'denied by the policy',
  pending: 'waiting for approvals',
  executed: 'executed: the action ran',
  failed: 'executed, but the action failed',
  closed: 'closed without running',
};

/** Why a parked request was closed (closure statements, docs/format.md §3). */
export const CLOSURE_WORDS: Record<Closure['reason'], string> = {
  expired: 'its approvals did not arrive before the deadline',
  rejected: 'an approver rejected it',
  withdrawn: 'the requester withdrew it',
};

/**
 * A gate reason or refusal code (no_gate, requester_forbidden, …) as a sentence, from the
 * registry; '' for a code the registry does not know (the raw code is shown beside it anyway).
 * Attacker-controlled: `code` comes from the bundle; only own keys are looked up.
 */
export function gateReasonWords(code: string): string {
  return Object.hasOwn(GATE_REASON_WORDS, code) ? GATE_REASON_WORDS[code as keyof typeof GATE_REASON_WORDS] : '';
}

export function closureWords(reason: string): string {
  return Object.hasOwn(CLOSURE_WORDS, reason) ? CLOSURE_WORDS[reason as Closure['reason']] : '';
}

/** The signature backend in words ("webcrypto" is the browser's own Ed25519). */
export function backendWords(backend: string, workers: number): string {
  const how = backend === 'webcrypto' ? "by the browser's Ed25519" : backend === 'noble' ? 'by a JavaScript Ed25519' : backend;
  return `${how}, ${workers} thread${workers === 1 ? '' : 's'}`;
}
