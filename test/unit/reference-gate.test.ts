// The reference gate (src/core/gate/reference-gate.ts): decisions, each refusal code,
// execution on quorum, veto and expiry closures, rejected input, exchange files, resume,
// and its refusal to write a log the verifier would fail. Every bundle it writes here is
// run through the real verifier.
import { describe, expect, it } from 'vitest';
import { ReferenceGate, LogRefusedError, buildApprovalFile } from '../../src/core/gate/reference-gate.ts';
import { LogProfileSchema, RequestPacketSchema, type Request } from '../../src/core/statements/schemas.ts';
import { digestStatement, signStatement } from '../../src/core/statements/sign-statement.ts';
import { Fixture, ORIGIN, T0, at, genesisParts, key, statementOf, type Req } from '../vectors/breakers/fixture.ts';
import { anchorsFrom, codesOf, verifyText } from '../vectors/breakers/verify.ts';
import { canonicalBytes } from '../../src/core/encoding/jcs.ts';
import { encodeHex } from '../../src/core/encoding/hex.ts';
import { leafHash } from '../../src/core/log/merkle.ts';
import { breakCkptSignature } from '../vectors/breakers/ckpt.ts';
import { breakPolicySelfApproval } from '../vectors/breakers/policy.ts';
import { validRefusals, validVetoed } from '../vectors/breakers/valid.ts';

function newGate(): ReferenceGate {
  return ReferenceGate.create({ origin: ORIGIN, genesis: genesisParts(), governanceKeys: [key('gov-1'), key('gov-2')], gateKey: key('gate'), at: T0 });
}

/** A gate, a statement signer, and helpers to submit requests and approvals. */
function setup() {
  const gate = newGate();
  const f = new Fixture();
  const submit = (id: string, o: Partial<Request> = {}, signers?: string[]) => {
    const statement = f.requestStatement(id, o);
    const envelope = f.sign(statement, signers ?? [statement.requester]);
    const result = gate.submitRequest(envelope, statement.at);
    const req: Req = { digest: digestStatement(statement), statement, envelope };
    return { result, req };
  };
  const approve = (req: Req, approver: string, o: Parameters<Fixture['approval']>[2] & { when?: string } = {}) => {
    const envelope = f.approval(req, approver, o);
    return gate.acceptApproval(buildApprovalFile(envelope), o.when ?? statementOf<{ at: string }>(envelope).at);
  };
  return { gate, f, submit, approve };
}

/**
 * The real verifier finds nothing but REQ.pending for requests still parked: the verdict is
 * pass when none is, warn otherwise (FORMAT.md §6).
 */
async function expectPass(gate: ReferenceGate): Promise<void> {
  const text = gate.bundleText();
  const genesis = JSON.parse(text.split('\n')[1]!).entry;
  const report = await verifyText(text, anchorsFrom(`genesis:${encodeHex(leafHash(canonicalBytes(genesis)))}`));
  const parked = gate.requests().filter((r) => r.status === 'parked');
  expect(report.findings.filter((f) => f.code !== 'REQ.pending')).toEqual([]);
  expect(report.counts['REQ.pending'] ?? 0).toBe(parked.length);
  expect(report.verdict).toBe(parked.length ? 'warn' : 'pass');
}

/** The statements of the entries in a bundle, in order. */
function statements(gate: ReferenceGate): Record<string, unknown>[] {
  return gate
    .bundleText()
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => JSON.parse(l))
    .filter((v) => v.entry)
    .map((v) => statementOf(v.entry.envelope));
}

const lastLine = (gate: ReferenceGate) => JSON.parse(gate.bundleText().trim().split('\n').at(-1)!);

describe('ReferenceGate.create', () => {
  it('writes the genesis and a first checkpoint; the log verifies pass', async () => {
    const gate = newGate();
    expect(gate.size).toBe(1);
    expect(gate.origin).toBe(ORIGIN);
    expect(lastLine(gate).checkpoint).toMatch(/^vectors\.countersign\.example\/agents\n1\n/);
    await expectPass(gate);
  });

  it('refuses a genesis the verifier would fail (one governance signature of two)', () => {
    expect(() => ReferenceGate.create({ origin: ORIGIN, genesis: genesisParts(), governanceKeys: [key('gov-1')], gateKey: key('gate'), at: T0 })).toThrow(
      LogRefusedError,
    );
    try {
      ReferenceGate.create({ origin: ORIGIN, genesis: genesisParts(), governanceKeys: [key('gov-1')], gateKey: key('gate'), at: T0 });
    } catch (e) {
      expect((e as LogRefusedError).code).toBe('GOV.genesis');
    }
  });

  it('refuses a gate key that is not a key of the gate principal', () => {
    expect(() =>
      ReferenceGate.create({ origin: ORIGIN, genesis: genesisParts(), governanceKeys: [key('gov-1'), key('gov-2')], gateKey: key('alice'), at: T0 }),
    ).toThrow(/CKPT\.signature/);
  });

  it('checks its arguments', () => {
    const args = { origin: ORIGIN, genesis: genesisParts(), governanceKeys: [key('gov-1'), key('gov-2')], gateKey: key('gate'), at: T0 };
    expect(() => ReferenceGate.create({ ...args, at: '2026-03-18 09:00' })).toThrow(RangeError);
    expect(() => ReferenceGate.create({ ...args, at: 5 as never })).toThrow(TypeError);
    expect(() => ReferenceGate.create({ ...args, gateKey: new Uint8Array(31) as never })).toThrow(RangeError);
    expect(() => ReferenceGate.create({ ...args, origin: 'has space' })).toThrow(RangeError);
    expect(() => ReferenceGate.create({ ...args, governanceKeys: [] })).toThrow(RangeError);
  });
});

describe('ReferenceGate.submitRequest', () => {
  it('parks a gated request with expires_at = min(request.expires_at, at + ttl_s)', async () => {
    const { gate, submit } = setup();
    const long = submit('req-1'); // expires 2 h after; ttl 1 h wins
    expect(long.result).toMatchObject({ outcome: 'parked', appended: 2, requestId: 'req-1', expiresAt: at(61) });
    const short = submit('req-2', { expires_at: at(30) }); // the request's own expiry wins
    expect(short.result).toMatchObject({ outcome: 'parked', expiresAt: at(30) });
    expect(gate.requestState('req-2')).toMatchObject({ status: 'parked', approvalsRequired: 2, approvedBy: [] });
    expect(lastLine(gate).checkpoint).toMatch(/\n5\n/);
    await expectPass(gate);
  });

  it('denies an ungranted or unknown skill, and runs an ungated one at once', async () => {
    const { gate, submit } = setup();
    expect(submit('req-1', { skill: 'db.drop_table', skill_version: '1' }).result).toMatchObject({ outcome: 'denied', appended: 2 });
    expect(submit('req-2', { skill: 'iam.grant_access', skill_version: '9' }).result).toMatchObject({ outcome: 'denied' });
    expect(submit('req-3', { skill: 'logs.read', skill_version: '1' }).result).toMatchObject({ outcome: 'allowed', appended: 3 });
    const st = statements(gate);
    expect(st.filter((s) => s.type === 'decision').map((s) => s.reason)).toEqual(['ungranted', 'unknown_skill', 'no_gate']);
    expect(st.at(-1)).toMatchObject({ type: 'execution', approvals: [], outcome: 'succeeded' });
    expect(gate.requestState('req-3')!.status).toBe('executed');
    await expectPass(gate);
  });

  it('rejects input the log could not take, appending nothing', async () => {
    const { gate, f, submit } = setup();
    submit('req-1');
    const before = gate.bundleText();
    expect(submit('req-1', { args: { other: true } }).result).toMatchObject({ outcome: 'rejected-input', code: 'POLICY.duplicate_request', appended: 0 });
    expect(submit('req-2', {}, ['bob']).result).toMatchObject({ outcome: 'rejected-input', code: 'SIG.wrong_signer', appended: 0 });
    expect(submit('req-3', {}, ['stranger']).result).toMatchObject({ outcome: 'rejected-input', code: 'SIG.unknown_key' });
    expect(submit('req-4', { log: 'other.example/log' }).result).toMatchObject({ outcome: 'rejected-input', code: 'STMT.wrong_log' });
    expect(submit('req-5', { expires_at: T0 }).result).toMatchObject({ outcome: 'rejected-input', code: 'late' });
    expect(gate.submitRequest({ payloadType: 'x' }, at(10))).toMatchObject({ outcome: 'rejected-input', code: 'FORMAT.schema' });
    const approval = f.sign(
      { type: 'approval', log: ORIGIN, at: at(9), request: 'sha256:' + '0'.repeat(64), request_id: 'r', skill: 's', approver: 'alice', vote: 'approve' },
      ['alice'],
    );
    expect(gate.submitRequest(approval, at(10))).toMatchObject({ outcome: 'rejected-input', code: 'FORMAT.schema' });
    expect(gate.bundleText()).toBe(before);
    // The gate still works after a refused entry (its replay was rebuilt).
    expect(submit('req-6').result.outcome).toBe('parked');
    await expectPass(gate);
  });
});

describe('ReferenceGate.acceptApproval', () => {
  it('refuses the requester approving its own request (requester_forbidden)', async () => {
    const { gate, submit, approve } = setup();
    const { req } = submit('req-1');
    const r = approve(req, 'agent-a', { comment: 'approving my own change' });
    expect(r).toMatchObject({ outcome: 'refused', code: 'requester_forbidden', appended: 1 });
    expect(statements(gate).at(-1)).toMatchObject({ type: 'refusal', code: 'requester_forbidden', request: req.digest });
    expect(gate.requestState('req-1')!.approvedBy).toEqual([]);
    await expectPass(gate);
  });

  it('refuses not_eligible, unknown_approver, duplicate and late approvals', async () => {
    const { gate, submit, approve } = setup();
    const { req } = submit('req-1');
    expect(approve(req, 'dave')).toMatchObject({ outcome: 'refused', code: 'not_eligible' });
    expect(approve(req, 'erin', { signers: ['stranger'] })).toMatchObject({ outcome: 'refused', code: 'unknown_approver' });
    expect(approve(req, 'alice')).toMatchObject({ outcome: 'recorded', appended: 1 });
    expect(approve(req, 'alice')).toMatchObject({ outcome: 'refused', code: 'duplicate' });
    expect(approve(req, 'bob')).toMatchObject({ outcome: 'executed', appended: 2 });
    expect(approve(req, 'carol')).toMatchObject({ outcome: 'refused', code: 'late' });
    // An approval signed after the gate's expiry, received before the gate noticed it.
    const { req: r2 } = submit('req-2');
    expect(approve(r2, 'carol', { at: at(200), when: at(30) })).toMatchObject({ outcome: 'refused', code: 'late', appended: 1 });
    expect(
      statements(gate)
        .filter((s) => s.type === 'refusal')
        .map((s) => s.code),
    ).toEqual(['not_eligible', 'unknown_approver', 'duplicate', 'late', 'late']);
    await expectPass(gate);
  });

  it('executes once the quorum holds, citing the counted approvals', async () => {
    const { gate, submit, approve } = setup();
    const { req } = submit('req-1');
    approve(req, 'agent-a');
    const a = approve(req, 'alice');
    expect(a).toMatchObject({ outcome: 'recorded', message: expect.stringContaining('1 of 2') });
    expect(approve(req, 'bob')).toMatchObject({ outcome: 'executed' });
    const st = statements(gate);
    const approvals = st.filter((s) => s.type === 'approval');
    expect(approvals.map((s) => s.approver)).toEqual(['alice', 'bob']);
    const execution = st.at(-1)!;
    expect(execution).toMatchObject({ type: 'execution', request: req.digest, outcome: 'succeeded' });
    expect((execution.approvals as string[]).length).toBe(2);
    expect(gate.requestState('req-1')).toMatchObject({ status: 'executed', approvedBy: ['alice', 'bob'] });
    expect(lastLine(gate).checkpoint).toBeDefined();
    await expectPass(gate);
  });

  it('closes on a vetoing reject; a non-vetoing reject is only recorded', async () => {
    const { gate, submit, approve } = setup();
    const { req } = submit('req-1');
    approve(req, 'alice');
    expect(approve(req, 'carol', { vote: 'reject' })).toMatchObject({ outcome: 'closed', appended: 2 });
    expect(statements(gate).at(-1)).toMatchObject({ type: 'closure', reason: 'rejected' });
    expect(approve(req, 'bob')).toMatchObject({ outcome: 'refused', code: 'late' });
    const { req: soft } = submit('req-2', { skill: 'config.update', skill_version: '1' });
    expect(approve(soft, 'carol', { vote: 'reject' })).toMatchObject({ outcome: 'recorded' });
    expect(approve(soft, 'alice')).toMatchObject({ outcome: 'executed' });
    await expectPass(gate);
  });

  it('rejects an unknown request, another log, a bad signature or a mismatch, appending nothing', async () => {
    const { gate, f, submit, approve } = setup();
    const { req } = submit('req-1');
    const before = gate.bundleText();
    const ghost: Req = { ...req, digest: 'sha256:' + 'ab'.repeat(32) };
    const unknown = approve(ghost, 'alice');
    expect(unknown).toMatchObject({ outcome: 'rejected-input', code: 'POLICY.unknown_request', appended: 0 });
    expect(unknown.message).toMatch(/not in this log/);
    const foreign = f.sign(
      {
        type: 'approval',
        log: 'other.example/log',
        at: at(5),
        request: req.digest,
        request_id: 'req-1',
        skill: 'iam.grant_access',
        approver: 'alice',
        vote: 'approve',
      },
      ['alice'],
    );
    expect(gate.acceptApproval(foreign, at(5))).toMatchObject({ outcome: 'rejected-input', code: 'STMT.wrong_log' });
    expect(approve(req, 'alice', { signers: ['bob'] })).toMatchObject({ outcome: 'rejected-input', code: 'SIG.wrong_signer' });
    expect(approve(req, 'alice', { request_id: 'req-9' })).toMatchObject({ outcome: 'rejected-input', code: 'STMT.mismatch' });
    const env = f.approval(req, 'alice');
    const tampered = { ...env, signatures: [{ ...env.signatures[0]!, sig: env.signatures[0]!.sig.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }] };
    expect(gate.acceptApproval(tampered, at(5))).toMatchObject({ outcome: 'rejected-input', code: 'SIG.invalid' });
    expect(gate.acceptApproval('{"countersign":"approval/v1","envelope":{},"envelope":{}}', at(5))).toMatchObject({
      outcome: 'rejected-input',
      code: 'FORMAT.json',
    });
    expect(gate.acceptApproval({ countersign: 'approval/v2', envelope: env }, at(5))).toMatchObject({ outcome: 'rejected-input', code: 'FORMAT.schema' });
    expect(gate.acceptApproval([], at(5))).toMatchObject({ outcome: 'rejected-input' });
    expect(gate.acceptApproval(req.envelope, at(5))).toMatchObject({ outcome: 'rejected-input', message: expect.stringContaining('not an approval') });
    expect(gate.bundleText()).toBe(before);
    // Text and bytes of an approval/v1 file are accepted too.
    const file = JSON.stringify(buildApprovalFile(f.approval(req, 'alice')));
    expect(gate.acceptApproval(new TextEncoder().encode(file), at(9))).toMatchObject({ outcome: 'recorded' });
    await expectPass(gate);
  });

  it('checks its arguments', () => {
    const { gate } = setup();
    expect(() => gate.acceptApproval({}, 'yesterday')).toThrow(RangeError);
    expect(() => gate.acceptApproval({}, undefined as never)).toThrow(TypeError);
    expect(() => gate.expire('2026-02-30T00:00:00Z')).toThrow(RangeError);
  });
});

describe('ReferenceGate.expire', () => {
  it('closes parked requests whose gate expired, and only those', async () => {
    const { gate, submit, approve } = setup();
    const { req } = submit('req-1');
    approve(req, 'alice');
    submit('req-2', { skill: 'logs.read', skill_version: '1' });
    expect(gate.expire(at(30))).toEqual({ closed: [], appended: 0 });
    expect(gate.expire(at(120))).toEqual({ closed: ['req-1'], appended: 1 });
    expect(statements(gate).at(-1)).toMatchObject({ type: 'closure', reason: 'expired', request: req.digest });
    expect(gate.requestState('req-1')!.status).toBe('closed');
    expect(approve(req, 'bob', { when: at(121) })).toMatchObject({ outcome: 'refused', code: 'late', appended: 1 });
    await expectPass(gate);
  });

  it('an approval arriving after expiry first closes the request, then is refused as late', async () => {
    const { gate, submit, approve } = setup();
    const { req } = submit('req-1');
    expect(approve(req, 'alice', { when: at(300) })).toMatchObject({ outcome: 'refused', code: 'late', appended: 2 });
    expect(
      statements(gate)
        .slice(-2)
        .map((s) => s.type),
    ).toEqual(['closure', 'refusal']);
    await expectPass(gate);
  });
});

describe('exchange files', () => {
  it('request-packet/v1 of a parked request validates and carries the approvals so far', () => {
    const { gate, submit, approve } = setup();
    const { req } = submit('req-1');
    approve(req, 'alice');
    const packet = gate.requestPacket('req-1');
    expect(RequestPacketSchema.safeParse(packet).success).toBe(true);
    expect(packet).toMatchObject({ countersign: 'request-packet/v1', log: ORIGIN, requester: { id: 'agent-a', kind: 'agent' } });
    expect(packet.request).toEqual(req.envelope);
    expect(statementOf(packet.decision)).toMatchObject({ type: 'decision', outcome: 'parked', request: req.digest });
    expect(packet.approvals.map((e) => statementOf(e).approver)).toEqual(['alice']);
    expect(() => gate.requestPacket('req-9')).toThrow(RangeError);
    approve(req, 'bob');
    expect(() => gate.requestPacket('req-1')).toThrow(/executed/);
  });

  it('log-profile/v1 validates: genesis entry, later roster and policy entries, the last checkpoint', () => {
    const { gate, f } = setup();
    const first = gate.logProfile();
    expect(LogProfileSchema.safeParse(first).success).toBe(true);
    expect(first.genesis.seq).toBe(0);
    expect(first.updates).toEqual([]);
    const p = genesisParts().policy;
    const policy = f.sign({ type: 'policy', log: ORIGIN, at: at(1), version: 2, skills: p.skills, grants: p.grants.slice(1) }, ['gov-1', 'gov-2']);
    expect(gate.submitUpdate(policy, at(1))).toMatchObject({ outcome: 'recorded', appended: 1 });
    const profile = gate.logProfile();
    expect(LogProfileSchema.safeParse(profile).success).toBe(true);
    expect(profile.updates).toHaveLength(1);
    expect(profile.updates[0]!.envelope).toEqual(policy);
    expect(profile.checkpoint).toMatch(/\n2\n/);
    const weak = f.sign({ type: 'policy', log: ORIGIN, at: at(2), version: 3, skills: p.skills, grants: p.grants }, ['gov-1']);
    expect(gate.submitUpdate(weak, at(2))).toMatchObject({ outcome: 'rejected-input', code: 'GOV.quorum' });
  });
});

describe('ReferenceGate.resume', () => {
  it('continues a bundle: same state, and it appends to the same text', async () => {
    const { gate, submit, approve } = setup();
    const { req } = submit('req-1');
    approve(req, 'agent-a');
    approve(req, 'alice');
    const text = gate.bundleText();
    const again = ReferenceGate.resume(text, key('gate'));
    expect(again.bundleText()).toBe(text);
    expect(again.requests()).toEqual(gate.requests());
    expect(again.requestPacket('req-1')).toEqual(gate.requestPacket('req-1'));
    const bob = setup().f.approval(req, 'bob', { at: at(20) });
    expect(again.acceptApproval(buildApprovalFile(bob), at(20))).toMatchObject({ outcome: 'executed' });
    expect(again.bundleText().startsWith(text)).toBe(true);
    await expectPass(again);
  });

  it('refuses a bundle the verifier fails, a tampered bundle, and a key that is not the gate', () => {
    const selfApproval = breakPolicySelfApproval()[0]!;
    expect(() => ReferenceGate.resume(new TextDecoder().decode(selfApproval.bytes), key('gate'))).toThrow(LogRefusedError);
    const notGate = breakCkptSignature().find((c) => c.name === 'ckpt-signature-not-gate')!;
    expect(() => ReferenceGate.resume(new TextDecoder().decode(notGate.bytes), key('gate'))).toThrow(/CKPT\.signature/);
    const text = newGate().bundleText();
    expect(() => ReferenceGate.resume(text.replace('"seq":0', '"seq":1'), key('gate'))).toThrow(RangeError);
    expect(() => ReferenceGate.resume(text, key('alice'))).toThrow(LogRefusedError);
    expect(() => ReferenceGate.resume('', key('gate'))).toThrow(RangeError);
  });
});

describe('the guard', () => {
  it('refuses input the verifier would fail even when it looks plausible', async () => {
    // A request signed by the right principal but at a time its key is not valid is refused.
    const { gate, submit } = setup();
    const early = submit('req-1', { at: '2025-12-31T23:00:00Z', expires_at: at(60) });
    expect(early.result).toMatchObject({ outcome: 'rejected-input', code: 'SIG.key_not_valid', appended: 0 });
    const st = {
      type: 'request',
      log: ORIGIN,
      at: at(1),
      id: 'req-2',
      requester: 'agent-a',
      skill: 'logs.read',
      skill_version: '1',
      args: { ratio: 0.5 },
      expires_at: at(60),
    };
    expect(gate.submitRequest(signStatement(st, [key('agent-a')]), at(1))).toMatchObject({ outcome: 'rejected-input', code: 'FORMAT.schema' });
    expect(gate.size).toBe(1);
    await expectPass(gate);
  });

  it('writes refusals, vetoes and closures that the verifier accepts', async () => {
    for (const c of [...validRefusals(), ...validVetoed()]) {
      const r = await verifyText(c.bytes, anchorsFrom(c.trust));
      expect(codesOf(r).all, c.name).toEqual([]);
    }
  });
});

describe('building blocks: signStatement, buildEntry, LogWriter', () => {
  it('signStatement signs C(statement) under PAE, one signature per key, and openEnvelope reads it back', async () => {
    const { openEnvelope } = await import('../../src/core/statements/envelope.ts');
    const { keyIdOf, getPublicKey, verifyStrict } = await import('../../src/core/crypto/ed25519.ts');
    const { pae } = await import('../../src/core/crypto/dsse.ts');
    const { decodeBase64 } = await import('../../src/core/encoding/base64.ts');
    const st = new Fixture().requestStatement('req-1');
    const env = signStatement(st, [key('agent-a'), key('bob')]);
    expect(env.payloadType).toBe('application/vnd.countersign.request+json');
    expect(decodeBase64(env.payload)).toEqual(canonicalBytes(st));
    expect(env.signatures.map((s) => s.keyid)).toEqual([keyIdOf(getPublicKey(key('agent-a'))), keyIdOf(getPublicKey(key('bob')))]);
    const msg = pae(env.payloadType, decodeBase64(env.payload));
    expect(verifyStrict(decodeBase64(env.signatures[0]!.sig), msg, getPublicKey(key('agent-a')))).toBe(true);
    const { opened, problems } = openEnvelope(env);
    expect(problems).toEqual([]);
    expect(opened!.digest).toBe(digestStatement(st));
    expect(() => signStatement(st, [])).toThrow(RangeError);
    expect(() => signStatement(st, [key('bob'), key('bob')])).toThrow(RangeError);
    expect(() => signStatement(st, [new Uint8Array(16) as never])).toThrow(RangeError);
    expect(() => signStatement([] as never, [key('bob')])).toThrow(TypeError);
    expect(() => signStatement({ type: 1 } as never, [key('bob')])).toThrow(TypeError);
  });

  it('buildEntry checks seq and prev', async () => {
    const { buildEntry, ZERO_PREV } = await import('../../src/core/statements/sign-statement.ts');
    const env = signStatement(new Fixture().requestStatement('req-1'), [key('agent-a')]);
    expect(buildEntry(0, ZERO_PREV, env)).toEqual({ seq: 0, prev: ZERO_PREV, envelope: env });
    expect(() => buildEntry(-1, ZERO_PREV, env)).toThrow(RangeError);
    expect(() => buildEntry(1.5, ZERO_PREV, env)).toThrow(RangeError);
    expect(() => buildEntry('1' as never, ZERO_PREV, env)).toThrow(TypeError);
    expect(() => buildEntry(1, 'AB'.repeat(32), env)).toThrow(RangeError);
    expect(() => buildEntry(0, 'ab'.repeat(32), env)).toThrow(RangeError);
    expect(() => buildEntry(1, ZERO_PREV, null as never)).toThrow(TypeError);
  });

  it('LogWriter chains entries, checkpoints, and resumes byte for byte', async () => {
    const { LogWriter } = await import('../../src/core/log/log-writer.ts');
    const { parseCheckpoint } = await import('../../src/core/log/checkpoint.ts');
    const f = new Fixture();
    f.genesis();
    f.approvedRequest('req-1');
    const note = f.checkpoint();
    const w = f.w;
    expect(w.size).toBe(6);
    expect(w.entries.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    for (let i = 1; i < w.size; i++) expect(w.entries[i]!.prev).toBe(encodeHex(leafHash(canonicalBytes(w.entries[i - 1]!))));
    const cp = parseCheckpoint(note);
    expect(cp.ok && cp.checkpoint.size).toBe(6);
    expect(cp.ok && encodeHex(cp.checkpoint.root)).toBe(encodeHex(w.root()));
    expect(w.anchored).toBe(true);
    const text = w.text();
    expect(text.split('\n')[0]).toBe(JSON.stringify({ countersign: 'bundle/v1', log: ORIGIN }));
    const again = LogWriter.resume(text, key('gate'));
    expect(again.text()).toBe(text);
    expect(again.prev).toBe(w.prev);
    expect(again.nextSeq).toBe(6);
    expect(encodeHex(again.root())).toBe(encodeHex(w.root()));
    expect(LogWriter.resume(text.replaceAll('\n', '\r\n')).size).toBe(6); // \r\n accepted (FORMAT.md §4)
    expect(() => LogWriter.resume(text.replace('\n{', '\n\n{'))).toThrow(/blank line/);
    expect(() => LogWriter.resume(text.replace('"bundle/v1"', '"bundle/v2"'))).toThrow(/line 1/);
    const lines = text.trim().split('\n');
    expect(() => LogWriter.resume([lines[0], lines[2], lines[1]].join('\n'))).toThrow(/seq/);
    expect(() => LogWriter.resume([...lines.slice(0, 3), lines.at(-1)].join('\n'))).toThrow(/checkpoint size/);
    expect(() => LogWriter.create('')).toThrow(RangeError);
    expect(() => LogWriter.create('a+b')).toThrow(RangeError);
    expect(() => LogWriter.create(ORIGIN).checkpoint()).toThrow(/gate key/);
  });
});
