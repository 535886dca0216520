// POLICY.*, TIME.order and REQ.pending: a misbehaving gate that signs and chains everything
// correctly, so that only the policy (or the clock, or the bookkeeping) is broken.
import { sha256, toDigestString } from '../../../src/core/crypto/hash.ts';
import { encodeUtf8 } from '../../../src/core/encoding/utf8.ts';
import { addSeconds, formatInstant, instantOf } from '../../../src/core/statements/time.ts';
import { Fixture, TWO_LEADS, at, baseFixture, makeCase, type VectorCase } from './fixture.ts';
import { flipSignature } from './sig.ts';

const nowhere = toDigestString(sha256(encodeUtf8('a request that is not in the log')));

/** An ungranted request allowed; a gated one allowed; a wrong expires_at; a weakened gate; a wrong policy_version. */
export function breakPolicyDecision(): VectorCase[] {
  const ungranted = baseFixture();
  const r1 = ungranted.request('req-2', { skill: 'db.drop_table', skill_version: '1' });
  ungranted.decide(r1, 'allowed');
  ungranted.execute(r1, []);
  ungranted.checkpoint();

  const skipped = baseFixture();
  const r2 = skipped.request('req-2');
  skipped.decide(r2, 'allowed');
  skipped.execute(r2, []);
  skipped.checkpoint();

  const expiry = baseFixture();
  const r3 = expiry.request('req-2');
  const when = expiry.tick();
  // decision.at + ttl_s + 1 h instead of the earlier of that and the request's expires_at.
  expiry.decide(r3, 'parked', { at: when, gate: { ...TWO_LEADS, expires_at: formatInstant(addSeconds(instantOf(when), 7200)) } });
  expiry.execute(r3, [expiry.approve(r3, 'alice'), expiry.approve(r3, 'bob')]);
  expiry.checkpoint();

  const weakened = baseFixture();
  const r4 = weakened.request('req-2');
  const when4 = weakened.tick();
  weakened.decide(r4, 'parked', { at: when4, gate: { ...TWO_LEADS, approvals_required: 1, expires_at: formatInstant(addSeconds(instantOf(when4), 3600)) } });
  weakened.execute(r4, [weakened.approve(r4, 'alice')]);
  weakened.checkpoint();

  const version = baseFixture();
  const r5 = version.request('req-2', { skill: 'logs.read', skill_version: '1' });
  version.decide(r5, 'allowed', { policy_version: 2 });
  version.execute(r5, []);
  version.checkpoint();
  return [
    makeCase('policy-decision-ungranted-allowed', ungranted, ['POLICY.decision'], 'agent-a has no grant for db.drop_table; the gate allowed and ran it'),
    makeCase('policy-decision-gate-skipped', skipped, ['POLICY.decision'], 'iam.grant_access is gated; the gate allowed it without approvals'),
    makeCase(
      'policy-decision-expires-at',
      expiry,
      ['POLICY.decision'],
      "gate.expires_at is decision.at + 2 h, not the earlier of the request's expires_at and decision.at + ttl_s",
    ),
    makeCase(
      'policy-decision-weakened-gate',
      weakened,
      ['POLICY.decision'],
      "the parked decision's gate requires 1 approval where the policy requires 2; executed on 1",
    ),
    makeCase('policy-decision-version', version, ['POLICY.decision'], 'the decision names policy version 2; version 1 is in force'),
  ];
}

/** A decision, an approval, an execution and a closure, each for a request not in the log. */
export function breakPolicyUnknownRequest(): VectorCase[] {
  const make = (name: string, write: (f: Fixture) => void, note: string) => {
    const f = baseFixture();
    write(f);
    f.checkpoint();
    return makeCase(name, f, ['POLICY.unknown_request'], note);
  };
  const ghost = { digest: nowhere, statement: new Fixture().requestStatement('req-9'), envelope: null as never };
  return [
    make('policy-unknown-request-decision', (f) => f.decide(ghost, 'denied'), 'a decision for a digest that no request in the log has'),
    make('policy-unknown-request-approval', (f) => f.approve(ghost, 'alice'), 'an approval for a digest that no request in the log has'),
    make('policy-unknown-request-execution', (f) => f.execute(nowhere, []), 'an execution for a digest that no request in the log has'),
    make('policy-unknown-request-closure', (f) => f.close(nowhere, 'withdrawn'), 'a closure for a digest that no request in the log has'),
  ];
}

/** A second request with an earlier id; the same request envelope logged twice. */
export function breakPolicyDuplicateRequest(): VectorCase[] {
  const id = baseFixture();
  id.request('req-1', { args: { ticket: 'INC-9999', role: 'root' } });
  id.checkpoint();
  const same = new Fixture();
  same.genesis();
  const req = same.approvedRequest('req-1');
  same.w.appendEnvelope(req.envelope);
  same.checkpoint();
  return [
    makeCase('policy-duplicate-request-id', id, ['POLICY.duplicate_request'], 'a second request with id req-1 and other args'),
    makeCase('policy-duplicate-request-replayed', same, ['POLICY.duplicate_request'], 'the envelope of req-1 logged again after it ran'),
  ];
}

/** hank (engineer and security lead) approves his own request, and the gate records it. */
export function breakPolicySelfApproval(): VectorCase[] {
  const f = new Fixture();
  f.genesis();
  const req = f.request('req-1', { requester: 'hank' });
  f.decide(req);
  const h = f.approve(req, 'hank');
  const a = f.approve(req, 'alice');
  const b = f.approve(req, 'bob');
  f.execute(req, [h, a, b]);
  f.checkpoint();
  return [
    makeCase(
      'policy-self-approval',
      f,
      ['POLICY.self_approval'],
      "hank requests and approves req-1 where forbid_requester holds; alice and bob's approvals still make the quorum",
    ),
  ];
}

/** dave (no approver role) approves; and an approval of an allowed request. */
export function breakPolicyNotEligible(): VectorCase[] {
  const role = new Fixture();
  role.genesis();
  const req = role.request('req-1');
  role.decide(req);
  const d = role.approve(req, 'dave');
  role.execute(req, [d, role.approve(req, 'alice'), role.approve(req, 'bob')]);
  role.checkpoint();

  const allowed = baseFixture();
  const r = allowed.request('req-2', { skill: 'logs.read', skill_version: '1' });
  allowed.decide(r, 'allowed');
  allowed.approve(r, 'alice');
  allowed.execute(r, []);
  allowed.checkpoint();
  const denied = baseFixture();
  const r2 = denied.request('req-2', { skill: 'db.drop_table', skill_version: '1' });
  denied.decide(r2, 'denied');
  denied.approve(r2, 'alice');
  denied.checkpoint();
  return [
    makeCase(
      'policy-not-eligible-denied',
      denied,
      ['POLICY.not_eligible'],
      'an approval recorded for a denied request: nobody is eligible to approve a request that is not parked',
    ),
    makeCase('policy-not-eligible-role', role, ['POLICY.not_eligible'], 'dave, who holds no security-lead role, approves; recorded as an approval'),
    makeCase('policy-not-eligible-not-parked', allowed, ['POLICY.not_eligible'], 'an approval recorded for an allowed (ungated) request'),
  ];
}

/** Approvals after expires_at, after execution, after closure. */
export function breakPolicyLateApproval(): VectorCase[] {
  const expired = new Fixture();
  expired.genesis();
  const r1 = expired.request('req-1');
  expired.decide(r1);
  expired.setClock(90); // the gate expired at 09:02 + 1 h
  expired.approve(r1, 'alice');
  expired.close(r1, 'expired');
  expired.checkpoint();

  const executed = baseFixture();
  const done = executed.request('req-2', { skill: 'logs.read', skill_version: '1' });
  executed.decide(done, 'allowed');
  executed.execute(done, []);
  executed.approve(done, 'carol');
  executed.checkpoint();

  const closed = baseFixture();
  const r3 = closed.request('req-2');
  closed.decide(r3);
  closed.close(r3, 'withdrawn');
  closed.approve(r3, 'carol');
  closed.checkpoint();
  return [
    makeCase(
      'policy-late-approval-expired',
      expired,
      ['POLICY.late_approval'],
      "alice's approval at 10:31 is after the gate's expires_at 10:02; recorded, then the request closed as expired",
    ),
    makeCase('policy-late-approval-executed', executed, ['POLICY.late_approval'], 'an approval recorded after the request ran'),
    makeCase('policy-late-approval-closed', closed, ['POLICY.late_approval'], 'an approval recorded after the request was closed'),
  ];
}

/** Too few approvals; citing approvals not in the log; executing after a vetoing reject. */
export function breakPolicyQuorum(): VectorCase[] {
  const few = new Fixture();
  few.genesis();
  const r1 = few.request('req-1');
  few.decide(r1);
  few.execute(r1, [few.approve(r1, 'alice')]);
  few.checkpoint();

  const cited = new Fixture();
  cited.genesis();
  const r2 = cited.request('req-1');
  cited.decide(r2);
  const a = cited.approve(r2, 'alice');
  const b = cited.approve(r2, 'bob');
  cited.execute(r2, [a, b, nowhere]);
  cited.checkpoint();

  const vetoed = new Fixture();
  vetoed.genesis();
  const r3 = vetoed.request('req-1');
  vetoed.decide(r3);
  const va = vetoed.approve(r3, 'alice');
  vetoed.approve(r3, 'carol', { vote: 'reject', comment: 'not during the freeze' });
  const vb = vetoed.approve(r3, 'bob');
  vetoed.execute(r3, [va, vb]);
  vetoed.checkpoint();
  return [
    makeCase('policy-quorum-too-few', few, ['POLICY.quorum'], 'executed on 1 approval where 2 are required'),
    makeCase('policy-quorum-not-in-log', cited, ['POLICY.quorum'], 'the execution also cites an approval digest that is not in the log'),
    makeCase('policy-quorum-after-veto', vetoed, ['POLICY.quorum'], 'carol rejected (reject_vetoes holds) and the gate executed anyway on alice and bob'),
  ];
}

/** Executing a denied, a closed, an already executed and an undecided request. */
export function breakPolicyNotRunnable(): VectorCase[] {
  const denied = baseFixture();
  const r1 = denied.request('req-2', { skill: 'db.drop_table', skill_version: '1' });
  denied.decide(r1, 'denied');
  denied.execute(r1, []);
  denied.checkpoint();

  const closed = new Fixture();
  closed.genesis();
  const r2 = closed.request('req-1');
  closed.decide(r2);
  const a = closed.approve(r2, 'alice');
  closed.close(r2, 'withdrawn');
  closed.execute(r2, [a]);
  closed.checkpoint();

  const twice = new Fixture();
  twice.genesis();
  const r3 = twice.allowedRequest('req-1');
  twice.execute(r3, []);
  twice.checkpoint();

  const undecided = baseFixture();
  const r4 = undecided.request('req-2', { skill: 'logs.read', skill_version: '1' });
  undecided.execute(r4, []);
  undecided.checkpoint();
  return [
    makeCase('policy-not-runnable-denied', denied, ['POLICY.not_runnable'], 'an execution of a denied request'),
    makeCase('policy-not-runnable-closed', closed, ['POLICY.not_runnable'], 'an execution of a request closed as withdrawn'),
    makeCase('policy-not-runnable-twice', twice, ['POLICY.not_runnable'], 'an allowed request executed twice'),
    makeCase('policy-not-runnable-undecided', undecided, ['POLICY.not_runnable'], 'an execution of a request the gate never decided'),
  ];
}

/** Refusal codes the policy does not bear out, and an attempt that is not well signed. */
export function breakPolicyRefusal(): VectorCase[] {
  const make = (name: string, write: (f: Fixture, req: ReturnType<Fixture['request']>) => void, note: string) => {
    const f = new Fixture();
    f.genesis();
    const req = f.request('req-1');
    f.decide(req);
    write(f, req);
    f.execute(req, [f.approve(req, 'alice'), f.approve(req, 'bob')]);
    f.checkpoint();
    return makeCase(name, f, ['POLICY.refusal'], note);
  };
  return [
    make(
      'policy-refusal-requester-forbidden',
      (f, r) => f.refuse(r, f.approval(r, 'carol'), 'requester_forbidden'),
      "carol's approval refused as requester_forbidden; carol is not the requester",
    ),
    make('policy-refusal-not-eligible', (f, r) => f.refuse(r, f.approval(r, 'carol'), 'not_eligible'), 'carol (a security lead) refused as not_eligible'),
    make('policy-refusal-duplicate', (f, r) => f.refuse(r, f.approval(r, 'carol'), 'duplicate'), "carol's first vote refused as duplicate"),
    make('policy-refusal-late', (f, r) => f.refuse(r, f.approval(r, 'carol'), 'late'), "carol's timely approval refused as late"),
    make(
      'policy-refusal-unknown-approver',
      (f, r) => f.refuse(r, f.approval(r, 'carol'), 'unknown_approver'),
      "carol's approval refused as unknown_approver; her key is in the roster",
    ),
    make(
      'policy-refusal-bad-attempt',
      (f, r) => f.refuse(r, flipSignature(f.approval(r, 'agent-a')), 'requester_forbidden'),
      "the refused attempt's signature does not verify",
    ),
    make(
      'policy-refusal-other-request',
      (f, r) => {
        const other = f.request('req-2');
        f.decide(other);
        f.refuse(r, f.approval(other, 'agent-a'), 'requester_forbidden');
        f.close(other, 'withdrawn');
      },
      'a refusal for req-1 whose attempt approves req-2',
    ),
  ];
}

/** One approval dated 12 minutes before the entry before it. */
export function breakTimeOrder(): VectorCase[] {
  const f = new Fixture();
  f.genesis();
  const req = f.request('req-1');
  f.decide(req);
  f.setClock(20);
  const a = f.approve(req, 'alice');
  const b = f.approve(req, 'bob', { at: at(9) });
  f.execute(req, [a, b]);
  f.checkpoint();
  return [makeCase('time-order', f, ['TIME.order'], "bob's approval says 09:09, the entry before it 09:21 (more than 300 s back)")];
}

/** A parked request with one of two approvals at the end of the bundle. */
export function leaveReqPending(): VectorCase[] {
  const f = baseFixture();
  const req = f.request('req-2');
  f.decide(req);
  f.approve(req, 'alice');
  f.checkpoint();
  return [makeCase('req-pending', f, ['REQ.pending'], 'req-2 is parked with 1 of 2 approvals, neither executed nor closed')];
}
