// The demo directory (src/core/gate/demo.ts): deterministic for a seed; with trust.txt the
// bundle verifies `warn` with REQ.pending as its only finding; once the demo approver signs
// the waiting request (with a real clock, as the wallet does) and the gate resumed from
// gate.key accepts it, the bundle verifies `pass` and ends with a checkpoint.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDemo, DEMO_APPROVER, DEMO_ORIGIN, DEMO_WAITING_REQUEST } from '../../src/core/gate/demo.ts';
import { ReferenceGate, buildApprovalFile } from '../../src/core/gate/reference-gate.ts';
import { decryptKeyFile } from '../../src/core/crypto/key-file.ts';
import { encodeHex } from '../../src/core/encoding/hex.ts';
import { canonicalBytes } from '../../src/core/encoding/jcs.ts';
import { leafHash } from '../../src/core/log/merkle.ts';
import { LogProfileSchema, RequestPacketSchema, type Approval, type Decision, type Request } from '../../src/core/statements/schemas.ts';
import { digestEnvelope, signStatement } from '../../src/core/statements/sign-statement.ts';
import { formatInstant } from '../../src/core/statements/time.ts';
import type { GovernanceReport } from '../../src/core/report/request-summaries.ts';
import { anchorsFrom, codesOf, verifyText } from '../vectors/breakers/verify.ts';
import { statementOf } from '../vectors/breakers/fixture.ts';

const FAST = 2 ** 14; // the key/v1 floor: the default 2^17 costs about 2 s per file
const passphraseOf = (files: Record<string, string>, who: string) => files[`${who}.passphrase`]!.replace(/\n$/, '');

let files: Record<string, string>;
beforeAll(async () => {
  files = await buildDemo({ seed: 'demo', scryptN: FAST });
});

describe('buildDemo', () => {
  it('writes the demo files', () => {
    expect(Object.keys(files).sort()).toEqual(
      [
        'approver.key',
        'approver.passphrase',
        'bundle.jsonl',
        'gate.key',
        'gate.passphrase',
        'log-profile.json',
        'request.json',
        'trust.txt',
        'forked.jsonl',
        'witness.key',
        'witness.passphrase',
        'witness.txt',
      ].sort(),
    );
    expect(files['trust.txt']).toMatch(/^genesis:[0-9a-f]{64}\n$/);
    const genesis = JSON.parse(files['bundle.jsonl']!.split('\n')[1]!).entry;
    expect(files['trust.txt']).toBe(`genesis:${encodeHex(leafHash(canonicalBytes(genesis)))}\n`);
  });

  it('is deterministic for a seed (the key files draw a random salt and nonce)', async () => {
    const again = await buildDemo({ seed: 'demo', scryptN: FAST });
    for (const name of ['bundle.jsonl', 'trust.txt', 'request.json', 'log-profile.json', 'approver.passphrase', 'gate.passphrase'])
      expect(again[name], name).toBe(files[name]);
    expect(again['approver.key']).not.toBe(files['approver.key']);
    const other = await buildDemo({ seed: 'other', passphrase: 'correct horse battery', scryptN: FAST });
    expect(other['bundle.jsonl']).not.toBe(files['bundle.jsonl']);
    expect(other['trust.txt']).not.toBe(files['trust.txt']);
    expect(other['approver.passphrase']).toBe('correct horse battery\n');
  });

  it('verifies warn with REQ.pending as its only finding, given trust.txt', async () => {
    const report = await verifyText(files['bundle.jsonl']!, anchorsFrom(files['trust.txt']!.trim()));
    expect(report.verdict).toBe('warn');
    expect(codesOf(report).all).toEqual(['REQ.pending']);
    expect(report.findings).toHaveLength(1);
    expect(report.trust.status).toBe('pinned');
    // The story: a self-approval refused, one request executed on two approvals, one denied,
    // one allowed, one waiting.
    const governance = report.governance as GovernanceReport;
    const statuses = Object.fromEntries(governance.requests.map((r) => [r.id, r.status]));
    expect(statuses).toEqual({ 'req-1': 'executed', 'req-2': 'denied', 'req-3': 'executed', 'req-4': 'pending' });
    const req1 = governance.requests.find((r) => r.id === 'req-1')!;
    expect(req1.refusals).toMatchObject([{ approver: 'agent-a', code: 'requester_forbidden' }]);
    expect(req1.approvals.map((a) => a.approver)).toEqual(['alice', 'bob']);
  });

  it('hands out a request packet and a log profile that validate', () => {
    const packet = RequestPacketSchema.parse(JSON.parse(files['request.json']!));
    expect(packet.log).toBe(DEMO_ORIGIN);
    expect(statementOf<Request>(packet.request)).toMatchObject({ id: DEMO_WAITING_REQUEST, requester: 'agent-a' });
    // The waiting request must outlive a real clock: its gate runs to the end of 2099.
    const decision = statementOf<Decision>(packet.decision);
    expect(decision.gate!.expires_at).toBe('2099-12-31T23:59:59Z');
    expect(packet.approvals.map((e) => statementOf<Approval>(e).approver)).toEqual(['alice']);
    const profile = LogProfileSchema.parse(JSON.parse(files['log-profile.json']!));
    expect(profile.genesis.seq).toBe(0);
    const lines = files['bundle.jsonl']!.trim().split('\n');
    expect(profile.checkpoint).toBe(JSON.parse(lines.at(-1)!).checkpoint);
  });

  it('after the demo approver signs and the gate accepts, the bundle verifies pass', async () => {
    const approver = await decryptKeyFile(files['approver.key']!, passphraseOf(files, 'approver'));
    expect(approver.ok).toBe(true);
    if (!approver.ok) return;
    expect(approver.principal).toBe(DEMO_APPROVER);
    const packet = RequestPacketSchema.parse(JSON.parse(files['request.json']!));
    const request = statementOf<Request>(packet.request);
    // Signed with the real clock, as the wallet does: the waiting request has not expired.
    const now = formatInstant({ sec: Math.floor(Date.now() / 1000), nanos: 0 });
    const approval: Approval = {
      type: 'approval',
      log: packet.log,
      at: now,
      request: digestEnvelope(packet.request),
      request_id: request.id,
      skill: request.skill,
      approver: approver.principal,
      vote: 'approve',
    };
    const file = JSON.stringify(buildApprovalFile(signStatement(approval, [approver.secretKey])));

    const gateKey = await decryptKeyFile(files['gate.key']!, passphraseOf(files, 'gate'));
    expect(gateKey.ok).toBe(true);
    if (!gateKey.ok) return;
    const gate = ReferenceGate.resume(files['bundle.jsonl']!, gateKey.secretKey);
    expect(gate.acceptApproval(file, now)).toMatchObject({ outcome: 'executed', appended: 2 });
    const bundle = gate.bundleText();
    expect(bundle.startsWith(files['bundle.jsonl']!)).toBe(true);
    const last = JSON.parse(bundle.trim().split('\n').at(-1)!);
    expect(Object.keys(last)).toEqual(['checkpoint']);
    const report = await verifyText(bundle, anchorsFrom(files['trust.txt']!.trim()));
    expect(report.findings).toEqual([]);
    expect(report.verdict).toBe('pass');
    // A second, late copy of the same approval is refused, and the log still passes.
    expect(gate.acceptApproval(file, now)).toMatchObject({ outcome: 'refused', code: 'late' });
    expect((await verifyText(gate.bundleText(), anchorsFrom(files['trust.txt']!.trim()))).verdict).toBe('pass');
  });

  it('checks its options', async () => {
    await expect(buildDemo({ seed: '' })).rejects.toThrow(RangeError);
    await expect(buildDemo({ seed: 5 as never })).rejects.toThrow(TypeError);
    await expect(buildDemo({ seed: 'x', passphrase: '' })).rejects.toThrow(RangeError);
    await expect(buildDemo(null as never)).rejects.toThrow(TypeError);
  });
});

describe('the demo witness and the forked bundle (docs/format.md §7.2)', () => {
  it('forked.jsonl alone verifies like the real one (warn), but a witness that remembered bundle.jsonl catches it with WITNESS.fork', async () => {
    const { rememberedAfter } = await import('../vectors/breakers/verify.ts');
    const trust = anchorsFrom(files['trust.txt']!.trim());
    const alone = await verifyText(files['forked.jsonl']!, trust);
    expect(alone.verdict).toBe('warn');
    const after = await verifyText(files['forked.jsonl']!, trust, await rememberedAfter(files['bundle.jsonl']!));
    expect(after.verdict).toBe('fail');
    expect(codesOf(after).errors).toEqual(['WITNESS.fork']);
    expect(after.witness!.forks[0]!.conflicting).not.toBeNull();
    // The forked history leaves out req-2 (the denied db.drop_table).
    const ids = (after.governance as { requests: { id: string }[] }).requests.map((r) => r.id);
    expect(ids).not.toContain('req-2');
  });

  it('witness.txt is the C2SP verifier key of witness.key', async () => {
    const { decryptKeyFile } = await import('../../src/core/crypto/key-file.ts');
    const { formatWitnessKey } = await import('../../src/core/log/witness-key.ts');
    const k = await decryptKeyFile(files['witness.key']!, passphraseOf(files, 'witness'));
    expect(k.ok).toBe(true);
    if (k.ok) expect(files['witness.txt']).toBe(`witness:${formatWitnessKey(k.name, k.publicKey)}\n`);
  });
});
