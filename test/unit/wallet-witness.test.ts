// The wallet moves a trusted log forward only on a verifying consistency proof (docs/format.md §7.3).
import { describe, expect, it } from 'vitest';
import { checkLogProfileText } from '../../src/core/wallet/profile.ts';
import { updateProfileByConsistency } from '../../src/core/wallet/witness-update.ts';
import { makeGateConsistency } from '../../src/core/gate/witness-exchange.ts';
import { buildDemoGate, deriveDemoKey, DEMO_ORIGIN } from '../../src/core/gate/demo.ts';
import { encodeBase64 } from '../../src/core/encoding/base64.ts';
import { canonicalBytes } from '../../src/core/encoding/jcs.ts';
import { signCheckpoint } from '../../src/core/log/checkpoint.ts';
import { leafHash, MerkleAccumulator } from '../../src/core/log/merkle.ts';
import { signStatement } from '../../src/core/statements/sign-statement.ts';

const gateKey = deriveDemoKey('demo', 'gate');

function trusted() {
  const gate = buildDemoGate('demo');
  const profileText = JSON.stringify(gate.logProfile());
  const check = checkLogProfileText(profileText);
  if (!check.ok) throw new Error(check.message);
  return { gate, profileText, profile: check.profile };
}

/** The honest gate, grown by one allowed request and a new checkpoint (15 → 18 entries). */
function grown() {
  const t = trusted();
  const st = {
    type: 'request',
    log: DEMO_ORIGIN,
    at: '2026-03-18T09:50:00Z',
    id: 'req-9',
    requester: 'agent-a',
    skill: 'logs.read',
    skill_version: '1',
    args: { service: 'payments', lines: 10 },
    expires_at: '2026-03-18T10:50:00Z',
  };
  const r = t.gate.submitRequest(signStatement(st, [deriveDemoKey('demo', 'agent-a')]), '2026-03-18T09:50:00Z');
  expect(r.outcome).toBe('allowed');
  t.gate.checkpoint();
  return t;
}

/** A checkpoint the same gate key signs over another history of 15 entries (forked.jsonl's first 15). */
function otherHistoryAt15(): string {
  const forked = buildDemoGate('demo', { forked: true }).bundleText();
  const m = new MerkleAccumulator();
  for (const line of forked.trim().split('\n').slice(1)) {
    const v = JSON.parse(line);
    if (v.entry && m.size < 15) m.appendLeafHash(leafHash(canonicalBytes(v.entry)));
  }
  return signCheckpoint({ origin: DEMO_ORIGIN, size: 15, root: m.root(), secretKey: gateKey, governance: { roster: 1, policy: 1 } });
}

describe('updateProfileByConsistency', () => {
  it('moves forward on a good proof, and the profile then holds the new checkpoint', () => {
    const { profileText, profile } = trusted();
    const { gate } = grown();
    const r = updateProfileByConsistency(profileText, profile, makeGateConsistency(gate.bundleText(), 15));
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    expect(r.from.size).toBe(15);
    expect(r.profile.checkpoint.size).toBe(18);
    expect(JSON.parse(r.profileText).checkpoint).toBe(gate.logProfile().checkpoint);
  });

  it('any changed proof hash stops with PROOF.consistency', () => {
    const { profileText, profile } = trusted();
    const { gate } = grown();
    const good = JSON.parse(makeGateConsistency(gate.bundleText(), 15));
    for (let i = 0; i < good.proof.length; i++) {
      const bad = structuredClone(good);
      const h = Buffer.from(bad.proof[i], 'base64');
      h[31]! ^= 0x80;
      bad.proof[i] = h.toString('base64');
      expect(updateProfileByConsistency(profileText, profile, JSON.stringify(bad))).toMatchObject({ ok: false, code: 'PROOF.consistency' });
    }
  });

  it('an old of the remembered size and another root, signed by the gate, is WITNESS.fork', () => {
    const { profileText, profile } = trusted();
    const { gate } = grown();
    const good = JSON.parse(makeGateConsistency(gate.bundleText(), 15));
    const r = updateProfileByConsistency(profileText, profile, JSON.stringify({ ...good, old: otherHistoryAt15() }));
    expect(r).toMatchObject({ ok: false, code: 'WITNESS.fork' });
  });

  it('a proof from another size, a foreign log, or junk never updates', () => {
    const { profileText, profile } = trusted();
    const { gate } = grown();
    expect(updateProfileByConsistency(profileText, profile, makeGateConsistency(gate.bundleText(), 1)).ok).toBe(false);
    const good = JSON.parse(makeGateConsistency(gate.bundleText(), 15));
    expect(updateProfileByConsistency(profileText, profile, JSON.stringify({ ...good, log: 'x.example/log' })).ok).toBe(false);
    expect(updateProfileByConsistency(profileText, profile, '{').ok).toBe(false);
    expect(updateProfileByConsistency(profileText, profile, JSON.stringify({ ...good, proof: [encodeBase64(new Uint8Array(31))] })).ok).toBe(false);
  });
});
