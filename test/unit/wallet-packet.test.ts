import { describe, expect, it } from 'vitest';
import { checkLogProfile, checkLogProfileText, profileReplaces, type TrustedProfile } from '../../src/core/wallet/profile.ts';
import { checkRequestPacket, type PacketContext } from '../../src/core/wallet/packet.ts';
import { signStatement } from '../../src/core/statements/sign-statement.ts';
import { World, makeActor, PAY } from '../e2e/fixtures-wallet/world.ts';

function trusted(w: World): TrustedProfile {
  const r = checkLogProfile(w.profile());
  if (!r.ok) throw new Error(`${r.code}: ${r.message} ${r.details.join('; ')}`);
  return r.profile;
}

function ctx(w: World, who = w.alice, extra: Partial<PacketContext> = {}): PacketContext {
  return { profiles: [trusted(w)], identity: { principal: who.id, keyId: who.keyId }, now: w.now, prior: [], ...extra };
}

const codes = (r: ReturnType<typeof checkRequestPacket>) => r.refusals.map((x) => x.code).sort();

describe('log profile', () => {
  it('accepts a genesis + roster update + gate checkpoint and knows gate, roster and policy', () => {
    const erin = makeActor('erin', 'Erin Example', 'human', ['security-lead']);
    const w = new World({ extra: [erin] });
    const p = trusted(w);
    expect(p.origin).toBe('acme.example/agents-prod');
    expect(p.gateId).toBe('gate');
    expect(p.gateKeyIds).toEqual([w.gate.keyId]);
    expect(p.roster.version).toBe(2);
    expect(p.roster.hasRole('erin', 'security-lead')).toBe(true);
    expect(p.policies.get(1)?.skills.length).toBe(3);
    expect(p.genesisDigest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects a genesis without its governance quorum', () => {
    const w = new World();
    const prof = w.profile();
    prof.genesis.envelope = { ...prof.genesis.envelope, signatures: prof.genesis.envelope.signatures.slice(0, 1) };
    const r = checkLogProfile(prof);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe('PROFILE.governance');
  });

  it('rejects a roster update signed by one governance member only', () => {
    const erin = makeActor('erin', 'Erin Example', 'human', ['security-lead']);
    const w = new World({ extra: [erin] });
    const prof = w.profile();
    const st = JSON.parse(Buffer.from(prof.updates[0]!.envelope.payload, 'base64').toString());
    prof.updates[0] = { ...prof.updates[0]!, envelope: signStatement(st, [w.gov1.secret!]) };
    const r = checkLogProfile(prof);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe('PROFILE.governance');
  });

  it('rejects a checkpoint not signed by the gate', () => {
    const w = new World();
    const prof = w.profile();
    const forged = w.writer.checkpoint(w.alice.secret!);
    const r = checkLogProfile({ ...prof, checkpoint: forged });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe('PROFILE.checkpoint');
  });

  it('rejects duplicate JSON keys and foreign files', () => {
    expect(checkLogProfileText('{"countersign":"log-profile/v1","countersign":"x"}').ok).toBe(false);
    expect(checkLogProfile({ countersign: 'approval/v1' }).ok).toBe(false);
  });

  it('refuses to replace a trusted profile with another genesis for the same origin', () => {
    const a = trusted(new World());
    const b = trusted(new World({ now: Date.now() - 5000 }));
    expect(profileReplaces(a, b).ok).toBe(false);
    expect(profileReplaces(a, a).ok).toBe(true);
  });
});

describe('request packet checks', () => {
  it('a good packet can be signed and shows everything the review needs', () => {
    const w = new World();
    const { packet, digest } = w.packet({ id: 'req-1', approvals: [{ by: w.bob }] });
    const r = checkRequestPacket(packet, ctx(w));
    expect(r.refusals).toEqual([]);
    expect(r.canSign).toBe(true);
    const v = r.review!;
    expect(v.requestDigest).toBe(digest);
    expect(v.digestFingerprint).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4}){3}$/);
    expect(v.skill).toEqual({ name: 'iam.grant_access', version: '3', riskTier: 'high' });
    expect(v.requester).toMatchObject({ id: 'ops-agent', name: 'Ops agent', kind: 'agent', matchesRoster: true });
    expect(v.gate.approvals_required).toBe(2);
    expect(v.approvedCount).toBe(1);
    expect(v.approvals[0]).toMatchObject({ approver: 'bob', signatureValid: true, counted: true, duplicateKey: false });
    expect(v.argsCanonical).toBe('{"duration_h":8,"principal":"svc-reporting","project":"acme-prod","role":"roles/storage.objectViewer"}');
    expect(v.textIssues).toEqual([]);
  });

  it('format: not a packet, or envelopes swapped', () => {
    const w = new World();
    expect(codes(checkRequestPacket({ countersign: 'request-packet/v1' }, ctx(w)))).toEqual(['format']);
    const { packet } = w.packet({ id: 'req-2' });
    const swapped = { ...packet, request: packet.decision, decision: packet.request };
    const r = checkRequestPacket(swapped, ctx(w));
    expect(codes(r)).toEqual(['format']);
    expect(r.severity).toBe('stop');
    expect(r.review).toBeNull();
  });

  it('untrusted_log: no profile for the packet log', () => {
    const w = new World();
    const { packet } = w.packet({ id: 'req-3' });
    const r = checkRequestPacket(packet, { ...ctx(w), profiles: [] });
    expect(codes(r)).toEqual(['untrusted_log']);
  });

  it('wrong_log: packet says one log, statements another', () => {
    const w = new World();
    const other = new World({ origin: 'other.example/log' });
    const { packet } = w.packet({ id: 'req-4', packetLog: 'other.example/log' });
    const r = checkRequestPacket(packet, { ...ctx(w), profiles: [trusted(other)] });
    expect(codes(r)).toEqual(['wrong_log']);
  });

  it('request_signature: the request is not signed by its requester', () => {
    const w = new World();
    const { packet } = w.packet({ id: 'req-5' });
    const forged = signStatement(JSON.parse(Buffer.from(packet.request.payload, 'base64').toString()), [w.carol.secret!]);
    const r = checkRequestPacket({ ...packet, request: forged }, ctx(w));
    expect(codes(r)).toContain('request_signature');
    expect(r.severity).toBe('stop');
  });

  it('decision_signature: the decision is not signed by the trusted gate (stop, never continue)', () => {
    const w = new World();
    const { packet } = w.packet({ id: 'req-6', decisionSigner: w.bob });
    const r = checkRequestPacket(packet, ctx(w));
    expect(codes(r)).toEqual(['decision_signature']);
    expect(r.severity).toBe('stop');
    expect(r.canSign).toBe(false);
    expect(r.review).toBeNull();
  });

  it('decision_mismatch: a gate that claims a weaker gate than the policy', () => {
    const w = new World();
    const { packet, decision } = w.packet({ id: 'req-7' });
    const weaker = { ...decision, gate: { ...decision.gate, approvals_required: 1 } };
    const r = checkRequestPacket({ ...packet, decision: signStatement(weaker, [w.gate.secret!]) }, ctx(w));
    expect(codes(r)).toEqual(['decision_mismatch']);
  });

  it('expired', () => {
    const w = new World();
    const { packet } = w.packet({ id: 'req-8', decidedAt: w.now - 3 * 3600_000 });
    expect(codes(checkRequestPacket(packet, ctx(w)))).toEqual(['expired']);
  });

  it('requester: you made this request (forbid_requester)', () => {
    const w = new World();
    const { packet } = w.packet({ id: 'req-9', requester: w.alice });
    const r = checkRequestPacket(packet, ctx(w, w.alice));
    expect(codes(r)).toEqual(['requester']);
    expect(r.severity).toBe('refuse');
  });

  it('not_eligible: none of your roles is an approver role', () => {
    const w = new World();
    const { packet } = w.packet({ id: 'req-10' });
    expect(codes(checkRequestPacket(packet, ctx(w, w.carol)))).toEqual(['not_eligible']);
    const pay = w.packet({ id: 'req-10b', skill: PAY }).packet;
    expect(codes(checkRequestPacket(pay, ctx(w, w.alice)))).toEqual(['not_eligible']);
    expect(codes(checkRequestPacket(pay, ctx(w, w.paula)))).toEqual([]);
  });

  it('not_enrolled and no_identity', () => {
    const w = new World();
    const { packet } = w.packet({ id: 'req-11' });
    const stranger = makeActor('alice', 'Alice on a new laptop', 'human', []);
    const other = { principal: 'alice', keyId: makeActor('x', 'x', 'human', [], undefined).keyId };
    expect(codes(checkRequestPacket(packet, { ...ctx(w), identity: other }))).toEqual(['not_enrolled']);
    expect(stranger.keyId).toBe(w.alice.keyId); // same deterministic fixture key: same id
    expect(codes(checkRequestPacket(packet, { ...ctx(w), identity: null }))).toEqual(['no_identity']);
  });

  it('already_signed: from history (offers re-export) or already in the packet', () => {
    const w = new World();
    const { packet, digest } = w.packet({ id: 'req-12' });
    const prior = [{ requestDigest: digest, keyId: w.alice.keyId, vote: 'approve' as const, at: new Date(w.now).toISOString(), seq: 4 }];
    const r = checkRequestPacket(packet, { ...ctx(w), prior });
    expect(codes(r)).toEqual(['already_signed']);
    expect(r.prior?.seq).toBe(4);
    expect(r.severity).toBe('resend');
    const p2 = w.packet({ id: 'req-12b', approvals: [{ by: w.alice }] }).packet;
    const r2 = checkRequestPacket(p2, ctx(w));
    expect(codes(r2)).toEqual(['already_signed']);
    expect(r2.prior).toBeNull();
  });

  it('vetoed: an eligible reject closes a reject_vetoes gate', () => {
    const w = new World();
    const { packet } = w.packet({ id: 'req-13', approvals: [{ by: w.bob, vote: 'reject', comment: 'no' }] });
    const r = checkRequestPacket(packet, ctx(w));
    expect(codes(r)).toEqual(['vetoed']);
  });

  it('collected approvals: verified, with the same key twice flagged and bad ones not counted', () => {
    const w = new World();
    const { packet } = w.packet({
      id: 'req-14',
      approvals: [
        { by: w.bob },
        { by: w.paula, signWith: w.bob }, // bob's key signing as paula: wrong signer and same key again
        { by: w.carol }, // not eligible
        { by: w.bob, comment: 'again' }, // repeat vote
      ],
    });
    const r = checkRequestPacket(packet, ctx(w));
    expect(r.canSign).toBe(true);
    const a = r.review!.approvals;
    expect(a[0]).toMatchObject({ counted: true, duplicateKey: false });
    expect(a[1]).toMatchObject({ counted: false, duplicateKey: true, signatureValid: false });
    expect(a[2]).toMatchObject({ counted: false, signatureValid: true });
    expect(a[2]!.problems.join()).toMatch(/none of the approver roles/);
    expect(a[3]).toMatchObject({ counted: false, duplicateKey: true, duplicateApprover: true });
    expect(r.review!.approvedCount).toBe(1);
  });

  it('reports every policy refusal at once', () => {
    const w = new World();
    const { packet } = w.packet({ id: 'req-15', requester: w.carol, decidedAt: w.now - 3 * 3600_000 });
    // carol requests (agent.ops grant) and reviews her own expired request without the role
    expect(codes(checkRequestPacket(packet, ctx(w, w.carol)))).toEqual(['expired', 'not_eligible', 'requester']);
  });

  it('flags bidi overrides, zero-width and mixed-script text in the fields and args', () => {
    const w = new World();
    const { packet } = w.packet({
      id: 'req-16',
      reason: 'Grant read access \u202Eroot\u202C to bucket',
      args: { principal: 'svc-rep\u200Borting', project: 'аcme-prod', ['ro\u2066le']: 'viewer' },
    });
    const r = checkRequestPacket(packet, ctx(w));
    expect(r.canSign).toBe(true);
    const reason = r.review!.textIssues.find((f) => f.field === 'Reason');
    expect(reason?.issues.map((i) => i.kind)).toEqual(['bidi', 'bidi']);
    const paths = r.review!.argsIssues.map((x) => `${x.path}:${x.issues.map((i) => i.kind).join('+')}`);
    expect(paths).toEqual(['args.principal:invisible', 'args.project:confusable', 'args["ro\u2066le"]:bidi']);
  });
});
