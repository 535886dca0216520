// The governance engine's judgements and its one reason table (src/core/governance/):
// what the verifier, the gate and the wallet each say follows from the same reason.
import { describe, expect, it } from 'vitest';
import {
  APPROVAL_REASONS,
  approvalCounts,
  judgeApproval,
  judgeCheckpointSignature,
  judgeRequester,
  judgeSignature,
  type ApprovalCase,
} from '../../src/core/governance/judgements.ts';
import { APPROVAL_REASON_TABLE, refusalBorneOut, refusalFor } from '../../src/core/governance/reasons.ts';
import { RosterIndex } from '../../src/core/governance/roster.ts';
import { instantOf } from '../../src/core/statements/time.ts';
import { encodeBase64 } from '../../src/core/encoding/base64.ts';
import { keyIdOf } from '../../src/core/crypto/ed25519.ts';

const pub = new Uint8Array(32).fill(7);
const roster = new RosterIndex(1, [
  { id: 'agent', kind: 'agent', name: 'Agent', roles: ['requester', 'security-lead'], keys: [{ pub: encodeBase64(pub), from: '2026-01-01T00:00:00Z' }] },
  { id: 'alice', kind: 'human', name: 'Alice', roles: ['security-lead'], keys: [] },
  { id: 'bob', kind: 'human', name: 'Bob', roles: ['viewer'], keys: [] },
] as never);
const gate = { approvals_required: 2, approver_roles: ['security-lead'], forbid_requester: true, ttl_s: 3600, reject_vetoes: true };
const base: ApprovalCase = {
  phase: 'parked',
  gate,
  expires: instantOf('2026-06-01T01:00:00Z'),
  requester: 'agent',
  approver: 'alice',
  vote: 'approve',
  times: [instantOf('2026-06-01T00:30:00Z')],
  roster,
  voted: false,
};

describe('governance judgements', () => {
  it('forbid_requester: the requester approving is a self-approval, rejecting is only not counted', () => {
    expect(judgeRequester(gate, 'agent', 'agent', 'approve')).toBe('requester_forbidden');
    expect(judgeRequester(gate, 'agent', 'agent', 'reject')).toBe('requester_vote');
    expect(judgeRequester({ ...gate, forbid_requester: false }, 'agent', 'agent', 'approve')).toBeNull();
    expect(judgeRequester(gate, 'agent', 'alice', 'approve')).toBeNull();
  });

  it('an eligible, timely, first approval by someone else counts; each fault is named in priority order', () => {
    expect(judgeApproval(base)).toEqual([]);
    expect(approvalCounts([], true)).toBe(true);
    expect(approvalCounts([], false)).toBe(false);
    const late = [instantOf('2026-06-01T01:00:01Z')];
    expect(judgeApproval({ ...base, approver: 'agent', times: late })).toEqual(['expired', 'requester_forbidden']);
    expect(judgeApproval({ ...base, approver: 'bob', voted: true })).toEqual(['not_eligible', 'duplicate']);
    // lateness is judged on every time given (the approval's at, and when it arrived)
    expect(judgeApproval({ ...base, times: [base.times[0]!, late[0]!] })).toEqual(['expired']);
    expect(judgeApproval({ ...base, phase: 'ended' })).toEqual(['ended']);
    expect(judgeApproval({ ...base, phase: 'denied' })).toEqual(['denied']);
    expect(judgeApproval({ ...base, phase: 'allowed' })).toEqual(['not_parked']);
    expect(judgeApproval({ ...base, gate: null })).toEqual(['not_parked']);
  });

  it('the gate refuses with the first reason; a refusal is borne out by any reason that maps to its code', () => {
    expect(refusalFor(['expired', 'requester_forbidden'])).toBe('late');
    expect(refusalFor(['requester_vote'])).toBe('requester_forbidden');
    expect(refusalFor([])).toBeNull();
    expect(refusalBorneOut('requester_forbidden', ['expired', 'requester_forbidden'])).toBe(true);
    expect(refusalBorneOut('duplicate', ['not_eligible'])).toBe(false);
    // docs/format.md choice 12: a closed request bears out `late`
    expect(refusalBorneOut('late', ['ended'])).toBe(true);
  });

  it('every reason has a row naming what the verifier, the gate and the wallet say', () => {
    for (const r of APPROVAL_REASONS) {
      const row = APPROVAL_REASON_TABLE[r];
      expect(row.bearsOut).toContain(row.refusal);
      const w = { approver: 'bob', at: 'T', expiresAt: 'E', roles: ['x'], phase: 'closed' };
      expect(row.verifierWords(w).length).toBeGreaterThan(0);
      expect(row.collected(w).length).toBeGreaterThan(0);
    }
    expect(APPROVAL_REASON_TABLE.requester_forbidden.finding).toBe('POLICY.self_approval');
    expect(APPROVAL_REASON_TABLE.requester_vote.finding).toBeNull();
    expect(APPROVAL_REASON_TABLE.requester_forbidden.wallet).toBe('requester');
  });

  it('a signature counts only when valid, in the roster, in its window and by the expected signer', () => {
    const id = keyIdOf(pub);
    const at = instantOf('2026-06-01T00:00:00Z');
    expect(judgeSignature({ keyId: id, valid: null }, roster, at, () => true).reason).toBe('unknown_key');
    expect(judgeSignature({ keyId: id, valid: false }, roster, at, () => true).reason).toBe('invalid');
    expect(judgeSignature({ keyId: 'ff'.repeat(32), valid: true }, roster, at, () => true).reason).toBe('not_in_roster');
    expect(judgeSignature({ keyId: id, valid: true }, roster, instantOf('2025-01-01T00:00:00Z'), () => true).reason).toBe('not_valid_at');
    expect(judgeSignature({ keyId: id, valid: true }, roster, at, (p) => p === 'alice').reason).toBe('wrong_signer');
    expect(judgeSignature({ keyId: id, valid: true }, roster, at, (p) => p === 'agent')).toMatchObject({ reason: null, key: { principal: 'agent' } });
  });

  it('a checkpoint is signed by the gate in force only through a valid signature by a gate key', () => {
    const gateKeys = new Set(['g1']);
    expect(judgeCheckpointSignature(false, [], gateKeys)).toEqual({ reason: 'no_log_signature' });
    expect(
      judgeCheckpointSignature(
        true,
        [
          { keyId: 'g1', valid: false },
          { keyId: 'x', valid: true },
        ],
        gateKeys,
      ),
    ).toEqual({ reason: 'not_gate_signed' });
    expect(judgeCheckpointSignature(true, [{ keyId: 'g1', valid: true }], gateKeys)).toEqual({ reason: null, keyId: 'g1' });
  });
});
