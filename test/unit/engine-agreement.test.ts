// The verifier, the reference gate and the wallet never disagree on whether an approval
// counts: for each case the gate's refusal (or recording), the wallet's refusal for that
// approver, and the verifier's verdict on the log the gate wrote follow from one reason of
// the governance engine's table (src/core/governance/reasons.ts).
import { describe, expect, it } from 'vitest';
import { ReferenceGate, buildApprovalFile } from '../../src/core/gate/reference-gate.ts';
import { checkLogProfile } from '../../src/core/wallet/profile.ts';
import { checkRequestPacket } from '../../src/core/wallet/packet.ts';
import { APPROVAL_REASON_TABLE } from '../../src/core/governance/reasons.ts';
import type { ApprovalReason } from '../../src/core/governance/judgements.ts';
import { digestStatement } from '../../src/core/statements/sign-statement.ts';
import { ORIGIN, T0, Fixture, at, genesisParts, key, keyId, type Req } from '../vectors/breakers/fixture.ts';
import { codesOf, verifyText } from '../vectors/breakers/verify.ts';

interface Case {
  name: string;
  requester: string;
  approver: string;
  /** Minutes after T0 at which the approval is signed and handed to the gate. */
  when: number;
  /** The reason the engine gives, or null when the approval counts. */
  reason: ApprovalReason | null;
}

const cases: Case[] = [
  { name: 'an eligible approver in time', requester: 'agent-a', approver: 'alice', when: 10, reason: null },
  { name: 'an approver without an approver role', requester: 'agent-a', approver: 'dave', when: 10, reason: 'not_eligible' },
  { name: 'the requester approving where forbid_requester holds', requester: 'hank', approver: 'hank', when: 10, reason: 'requester_forbidden' },
  { name: 'an approval after the gate expired', requester: 'agent-a', approver: 'alice', when: 200, reason: 'expired' },
];

describe('verifier, gate and wallet agree (one governance engine)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const gate = ReferenceGate.create({ origin: ORIGIN, genesis: genesisParts(), governanceKeys: [key('gov-1'), key('gov-2')], gateKey: key('gate'), at: T0 });
    const f = new Fixture();
    const statement = f.requestStatement('r1', { requester: c.requester, at: at(1) });
    const submitted = gate.submitRequest(f.sign(statement, [c.requester]), at(1));
    expect(submitted.outcome).toBe('parked');
    const req: Req = { digest: digestStatement(statement), statement, envelope: f.sign(statement, [c.requester]) };

    // The wallet of the approver, at the time they would sign.
    const profile = checkLogProfile(gate.logProfile());
    if (!profile.ok) throw new Error(profile.message);
    const wallet = checkRequestPacket(gate.requestPacket('r1'), {
      profiles: [profile.profile],
      identity: { principal: c.approver, keyId: keyId(c.approver) },
      now: Date.parse(at(c.when)),
      prior: [],
    });

    // The gate, handed that approval.
    const approval = f.approval(req, c.approver, { at: at(c.when) });
    const result = gate.acceptApproval(buildApprovalFile(approval), at(c.when));

    // The verifier, on the log the gate wrote.
    const report = await verifyText(gate.bundleText());
    const { errors } = codesOf(report);
    const summary = (report.governance as { requests: { approvals: { approver: string; counted: boolean }[] }[] }).requests[0]!;

    if (c.reason === null) {
      expect(wallet.canSign).toBe(true);
      expect(result.outcome).toBe('recorded');
      expect(summary.approvals).toEqual([expect.objectContaining({ approver: c.approver, counted: true })]);
    } else {
      const row = APPROVAL_REASON_TABLE[c.reason];
      expect(wallet.refusals.map((r) => r.code)).toContain(row.wallet);
      expect(result).toMatchObject({ outcome: 'refused', code: row.refusal });
      // The refusal is in the log and the verifier bears it out: no error, nothing counted.
      expect(summary.approvals).toEqual([]);
    }
    expect(errors).toEqual([]);
  });
});
