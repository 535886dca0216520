// Valid logs, written by the reference gate (src/core/gate/reference-gate.ts): none of them
// may raise an error, and all but the waiting demo pass. They double as evidence that the
// gate's refusals, vetoes, expiries and governance changes are what the verifier expects.
import { digestStatement } from '../../../src/core/statements/sign-statement.ts';
import type { Request } from '../../../src/core/statements/schemas.ts';
import { ReferenceGate, buildApprovalFile, type GenesisParts } from '../../../src/core/gate/reference-gate.ts';
import { DEMO_APPROVER, DEMO_ORIGIN, DEMO_WAITING_REQUEST, buildDemoGate, deriveDemoKey } from '../../../src/core/gate/demo.ts';
import { encodeHex } from '../../../src/core/encoding/hex.ts';
import { canonicalBytes } from '../../../src/core/encoding/jcs.ts';
import { leafHash } from '../../../src/core/log/merkle.ts';
import { signStatement } from '../../../src/core/statements/sign-statement.ts';
import { Fixture, KEYS_FROM, ORIGIN, T0, at, cast, genesisParts, key, makeCase, principal, pub, statementOf, type Req, type VectorCase } from './fixture.ts';

/** Drives a ReferenceGate with the fixture's cast; every call must have the outcome asked for. */
export class GateDriver {
  readonly gate: ReferenceGate;
  /** Signs statements; its own log is not used. */
  readonly f = new Fixture();

  constructor(parts: GenesisParts = genesisParts()) {
    this.gate = ReferenceGate.create({ origin: ORIGIN, genesis: parts, governanceKeys: [key('gov-1'), key('gov-2')], gateKey: key('gate'), at: T0 });
  }

  static expect<T extends { outcome: string; message: string }>(r: T, outcome: string, code?: string): T {
    const c = (r as { code?: string }).code;
    if (r.outcome !== outcome || (code !== undefined && c !== code))
      throw new Error(`gate: expected ${outcome}${code ? ` (${code})` : ''}, got ${r.outcome}${c ? ` (${c})` : ''}: ${r.message}`);
    return r;
  }

  request(id: string, o: Partial<Request> = {}, outcome = 'parked'): Req {
    const statement = this.f.requestStatement(id, o);
    const envelope = this.f.sign(statement, [statement.requester]);
    GateDriver.expect(this.gate.submitRequest(envelope, statement.at), outcome);
    return { digest: digestStatement(statement), statement, envelope };
  }

  approve(req: Req, approver: string, outcome: string, o: Parameters<Fixture['approval']>[2] & { code?: string } = {}): void {
    const envelope = this.f.approval(req, approver, o);
    const when = statementOf<{ at: string }>(envelope).at;
    GateDriver.expect(this.gate.acceptApproval(buildApprovalFile(envelope), when), outcome, o.code);
  }

  get genesisHex(): string {
    return genesisHexOf(this.gate.bundleText());
  }
}

function genesisHexOf(bundle: string): string {
  const entry = JSON.parse(bundle.split('\n')[1]!).entry;
  return encodeHex(leafHash(canonicalBytes(entry)));
}

function gateCase(name: string, d: GateDriver, note: string): VectorCase {
  return makeCase(name, d.gate.bundleText(), [], note, { trust: `genesis:${d.genesisHex}` });
}

/** The demo as built (REQ.pending only), and after carol's approval (pass). */
export function validDemo(): VectorCase[] {
  const gate = buildDemoGate('vectors');
  const waiting = gate.bundleText();
  const packet = gate.requestPacket(DEMO_WAITING_REQUEST);
  const request = statementOf<Request>(packet.request);
  const approval = signStatement(
    {
      type: 'approval',
      log: DEMO_ORIGIN,
      at: '2026-03-18T10:00:00Z',
      request: digestStatement(request),
      request_id: request.id,
      skill: request.skill,
      approver: DEMO_APPROVER,
      vote: 'approve',
    },
    [deriveDemoKey('vectors', DEMO_APPROVER)],
  );
  GateDriver.expect(gate.acceptApproval(buildApprovalFile(approval), '2026-03-18T10:00:00Z'), 'executed');
  gate.checkpoint();
  const trust = `genesis:${genesisHexOf(waiting)}`;
  return [
    makeCase('valid-demo-waiting', waiting, ['REQ.pending'], 'the demo (seed "vectors"): req-4 waits for a second approval', { trust }),
    makeCase('valid-demo-complete', gate.bundleText(), [], "the demo after carol's approval: req-4 executed, checkpoint last", { trust }),
  ];
}

/** Every refusal code, as the gate writes them. */
export function validRefusals(): VectorCase[] {
  const d = new GateDriver();
  const req = d.request('req-1');
  d.approve(req, 'agent-a', 'refused', { code: 'requester_forbidden', comment: 'approving my own change' });
  d.approve(req, 'dave', 'refused', { code: 'not_eligible' });
  d.approve(req, 'erin', 'refused', { code: 'unknown_approver', signers: ['stranger'] });
  d.approve(req, 'alice', 'recorded');
  d.approve(req, 'alice', 'refused', { code: 'duplicate' });
  d.approve(req, 'bob', 'executed');
  d.approve(req, 'carol', 'refused', { code: 'late' });
  const late = d.request('req-2');
  d.f.setClock(200); // past req-2's gate (1 h)
  d.approve(late, 'carol', 'refused', { code: 'late' });
  return [
    gateCase(
      'valid-gate-refusals',
      d,
      'the gate refuses a self-approval, an ineligible, an unknown, a duplicate and two late approvals, and executes on alice and bob',
    ),
  ];
}

/** Roster version 2 adds erin; policy version 2 grants db.drop_table; erin and alice approve it. */
export function validGovernanceUpdates(): VectorCase[] {
  const d = new GateDriver();
  const roster = d.f.sign(
    { type: 'roster', log: ORIGIN, at: d.f.tick(), version: 2, principals: [...cast(), principal('erin', 'Erin Sato', 'human', ['security-lead'])] },
    ['gov-1', 'gov-2'],
  );
  GateDriver.expect(d.gate.submitUpdate(roster, at(1)), 'recorded');
  const p = genesisParts().policy;
  const policy = d.f.sign(
    {
      type: 'policy',
      log: ORIGIN,
      at: d.f.tick(),
      version: 2,
      skills: p.skills,
      grants: [...p.grants, { role: 'agent.ops', skill: 'db.drop_table', versions: ['1'] }],
    },
    ['gov-1', 'gov-2'],
  );
  GateDriver.expect(d.gate.submitUpdate(policy, at(2)), 'recorded');
  const req = d.request('req-1', { skill: 'db.drop_table', skill_version: '1', args: { table: 'tmp_import' } });
  d.approve(req, 'erin', 'recorded');
  d.approve(req, 'alice', 'executed');
  return [
    gateCase(
      'valid-governance-updates',
      d,
      'roster and policy updates signed by the quorum; a request under policy version 2 approved by the new security lead',
    ),
  ];
}

/** Roster version 2 rotates alice's and the gate's keys; later statements use the new ones. */
export function validKeyRotation(): VectorCase[] {
  const d = new GateDriver();
  d.request('req-0', { skill: 'logs.read', skill_version: '1' }, 'allowed');
  const rotate = (id: string) => ({ pub: pub(id), from: KEYS_FROM, until: at(10) });
  const principals = cast().map((p) => (p.id === 'alice' || p.id === 'gate' ? { ...p, keys: [rotate(p.id), { pub: pub(`${p.id}-2`), from: at(10) }] } : p));
  const roster = d.f.sign({ type: 'roster', log: ORIGIN, at: d.f.tick(), version: 2, principals }, ['gov-1', 'gov-2']);
  GateDriver.expect(d.gate.submitUpdate(roster, at(5)), 'recorded');
  d.gate.useGateKey(key('gate-2'));
  d.f.setClock(10);
  const req = d.request('req-1');
  d.approve(req, 'alice', 'recorded', { signers: ['alice-2'] });
  d.approve(req, 'bob', 'executed');
  return [
    gateCase(
      'valid-key-rotation',
      d,
      "roster version 2 rotates alice's and the gate's keys at 09:10; the new keys sign approvals, gate statements and checkpoints",
    ),
  ];
}

/** An ungated request allowed and executed with approvals []. */
export function validAllowed(): VectorCase[] {
  const d = new GateDriver();
  d.request('req-1', { skill: 'logs.read', skill_version: '1' }, 'allowed');
  d.request('req-2', { skill: 'db.drop_table', skill_version: '1' }, 'denied');
  return [gateCase('valid-allowed', d, 'an ungated request allowed and executed with approvals []; an ungranted one denied')];
}

/** A reject that vetoes (closure rejected), and one that does not. */
export function validVetoed(): VectorCase[] {
  const d = new GateDriver();
  const req = d.request('req-1');
  d.approve(req, 'alice', 'recorded');
  d.approve(req, 'carol', 'closed', { vote: 'reject', comment: 'not during the freeze' });
  d.approve(req, 'bob', 'refused', { code: 'late' });
  const soft = d.request('req-2', { skill: 'config.update', skill_version: '1', args: { key: 'timeout_s', value: 30 } });
  d.approve(soft, 'carol', 'recorded', { vote: 'reject' });
  d.approve(soft, 'alice', 'executed');
  return [
    gateCase(
      'valid-vetoed',
      d,
      "carol's reject closes req-1 (reject_vetoes) and bob's later approval is refused as late; on config.update a reject does not veto",
    ),
  ];
}

/** A parked request closed as expired. */
export function validExpired(): VectorCase[] {
  const d = new GateDriver();
  const req = d.request('req-1');
  d.approve(req, 'alice', 'recorded');
  const r = d.gate.expire(at(120));
  if (r.closed.join() !== 'req-1') throw new Error(`expected req-1 to expire, got ${r.closed.join()}`);
  return [gateCase('valid-expired', d, 'req-1 gets one approval of two and is closed as expired when its gate runs out')];
}

/** FORMAT.md §2.2 "execution": once the quorum is in, expiry does not stop the execution. */
export function validExecutionAfterExpiry(): VectorCase[] {
  const f = new Fixture();
  f.genesis();
  const req = f.request('req-1');
  f.decide(req);
  const a = f.approve(req, 'alice');
  const b = f.approve(req, 'bob');
  f.setClock(180); // the gate expired at 10:02
  f.execute(req, [a, b]);
  f.checkpoint();
  return [makeCase('valid-execution-after-expiry', f, [], 'two approvals in time; the execution itself comes after the gate expired')];
}
