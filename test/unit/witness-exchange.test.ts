// consistency/v1, cosignature/v1 and fork-evidence/v1 (docs/format.md §7.3, §7 choices):
// the gate makes them, the witness checks them, and every hostile variant is refused with its code.
import { describe, expect, it } from 'vitest';
import { getPublicKey } from '../../src/core/crypto/ed25519.ts';
import { decodeBase64, encodeBase64 } from '../../src/core/encoding/base64.ts';
import { checkConsistencyFile, makeCosignatureFile } from '../../src/core/log/witness-files.ts';
import { rememberedFrom } from '../../src/core/log/remembered.ts';
import { applyCosignature, makeGateConsistency } from '../../src/core/gate/witness-exchange.ts';
import { checkForkEvidence } from '../../src/core/log/fork-evidence.ts';
import { makeForkEvidence } from '../../src/core/verifier/fork-proof.ts';
import { baseFixture, Fixture, key, ORIGIN } from '../vectors/breakers/fixture.ts';
import { rememberedAfter, verifyText } from '../vectors/breakers/verify.ts';
import { witnessAnchor } from '../vectors/breakers/witness.ts';
import { generateCases } from '../vectors/generate.ts';

const gatePub = getPublicKey(key('gate'));

function twoCheckpoints() {
  const f = baseFixture();
  const first = f.checkpoint();
  f.allowedRequest('req-2');
  f.allowedRequest('req-3');
  const last = f.checkpoint();
  return { f, first, last, text: f.text() };
}

describe('consistency/v1: gate makes, witness checks', () => {
  const { first, last, text } = twoCheckpoints();
  const remembered = [rememberedFrom(first, gatePub)];
  const file = makeGateConsistency(text, 6);

  it('a proof from the remembered checkpoint to the latest is accepted and moves the witness forward', () => {
    const r = checkConsistencyFile(file, remembered);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (r.ok) {
      expect(r.next.note).toBe(last);
      expect(r.next.size).toBe(12);
    }
  });

  it('one changed proof hash is PROOF.consistency', () => {
    const v = JSON.parse(file);
    expect(v.proof.length).toBeGreaterThan(0);
    for (let i = 0; i < v.proof.length; i++) {
      const bad = structuredClone(v);
      const h = decodeBase64(bad.proof[i]);
      h[0]! ^= 1;
      bad.proof[i] = encodeBase64(h);
      const r = checkConsistencyFile(JSON.stringify(bad), remembered);
      expect(r.ok === false && r.code).toBe('PROOF.consistency');
    }
    const short = { ...v, proof: v.proof.slice(1) };
    expect(checkConsistencyFile(JSON.stringify(short), remembered)).toMatchObject({ ok: false, code: 'PROOF.consistency' });
  });

  it('an old of the remembered size with another root is WITNESS.fork, with both signed notes', () => {
    const g = new Fixture();
    g.genesis();
    g.approvedRequest('req-1-other');
    const otherOld = g.checkpoint();
    const v = JSON.parse(file);
    const r = checkConsistencyFile(JSON.stringify({ ...v, old: otherOld }), remembered);
    expect(r).toMatchObject({ ok: false, code: 'WITNESS.fork' });
    if (!r.ok) {
      expect(r.fork?.remembered.note).toBe(first);
      expect(r.fork?.conflicting).toBe(otherOld);
    }
  });

  it('a stale old, an unknown log, a foreign key, a smaller new and hostile JSON are refused', () => {
    const ahead = [rememberedFrom(last, gatePub)];
    expect(checkConsistencyFile(file, ahead)).toMatchObject({ ok: false, code: 'INPUT.stale' });
    expect(checkConsistencyFile(file, [])).toMatchObject({ ok: false, code: 'INPUT.unknown_log' });
    expect(checkConsistencyFile(file, [rememberedFrom(first, getPublicKey(key('alice')))])).toMatchObject({ ok: false, code: 'CKPT.signature' });
    const v = JSON.parse(file);
    expect(checkConsistencyFile(JSON.stringify({ ...v, new: v.old, old: v.new }), ahead)).toMatchObject({ ok: false, code: 'WITNESS.truncated' });
    for (const bad of [
      '',
      'null',
      '{"countersign":"consistency/v1"}',
      file.replace('"proof"', '"proof":[],"proof"'),
      JSON.stringify({ ...v, extra: 1 }),
      JSON.stringify({ ...v, old: 'x' }),
    ])
      expect(checkConsistencyFile(bad, remembered)).toMatchObject({ ok: false, code: 'FORMAT.schema' });
  });

  it('the gate refuses a size it has no checkpoint of', () => {
    expect(() => makeGateConsistency(text, 5)).toThrow(/no checkpoint of size 5 \(sizes: 6, 12\)/);
  });
});

describe('cosignature/v1: witness cosigns, gate adds the line', () => {
  it('adds the line to the matching checkpoint only; entries stay byte for byte; the verifier counts it', async () => {
    const { first, text } = twoCheckpoints();
    const cosig = makeCosignatureFile({ note: first, name: 'witness.example/w1', secretKey: key('witness'), timestamp: 1_773_835_200 });
    const r = applyCosignature(text, cosig);
    expect(r.ok, r.ok ? '' : r.message).toBe(true);
    if (!r.ok) return;
    const before = text.split('\n');
    const after = r.text.split('\n');
    expect(after.length).toBe(before.length);
    const changed = before.flatMap((l, i) => (l === after[i] ? [] : [i]));
    expect(changed).toHaveLength(1);
    expect(JSON.parse(after[changed[0]!]!).checkpoint.startsWith(first)).toBe(true);
    // Cosigning the last checkpoint satisfies a witness quorum.
    const { last } = twoCheckpoints();
    const r2 = applyCosignature(text, makeCosignatureFile({ note: last, name: 'witness.example/w1', secretKey: key('witness'), timestamp: 1_773_835_200 }));
    expect(r2.ok).toBe(true);
    if (!r2.ok) return;
    const f = baseFixture();
    const report = await verifyText(r2.text, [
      { kind: 'genesis', hex: f.genesisHex },
      { kind: 'witness', key: witnessAnchor().slice('witness:'.length) },
    ]);
    expect(report.verdict).toBe('pass');
    expect(report.witness?.cosignatures.map((c) => c.status)).toEqual(['valid']);
  });

  it('refuses another log, an unknown body, a dropped log signature and junk', () => {
    const { first, text } = twoCheckpoints();
    const good = JSON.parse(makeCosignatureFile({ note: first, name: 'w.example/x', secretKey: key('witness'), timestamp: 1 }));
    expect(applyCosignature(text, JSON.stringify({ ...good, log: 'other.example/log' })).ok).toBe(false);
    const g = new Fixture();
    g.genesis();
    g.approvedRequest('req-zz');
    const foreign = makeCosignatureFile({ note: g.checkpoint(), name: 'w.example/x', secretKey: key('witness'), timestamp: 1 });
    expect(applyCosignature(text, foreign)).toMatchObject({ ok: false });
    const noLogSig = good.checkpoint.replace(`\u2014 ${ORIGIN} `, '\u2014 someone.else ');
    expect(applyCosignature(text, JSON.stringify({ ...good, checkpoint: noLogSig }))).toMatchObject({ ok: false });
    expect(applyCosignature(text, '{"countersign":"cosignature/v1"')).toMatchObject({ ok: false });
  });
});

describe('fork-evidence/v1', () => {
  const cases = generateCases();
  const byName = (n: string) => cases.find((c) => c.name === n)!;

  it('a verified fork becomes a file anyone can check; any change to it is caught', async () => {
    const fork = byName('witness-fork');
    const report = await verifyText(fork.bytes, [], await rememberedAfter(byName('valid-witnessed').bytes));
    expect(Object.keys(report.counts)).toContain('WITNESS.fork');
    const fr = report.witness!.forks[0]!;
    expect(fr.conflicting).not.toBeNull();
    const ev = await makeForkEvidence([fork.bytes], fr);
    expect(ev.ok, ev.ok ? '' : ev.message).toBe(true);
    if (!ev.ok) return;
    const ok = checkForkEvidence(ev.text);
    expect(ok, JSON.stringify(ok)).toMatchObject({ ok: true, sizeA: 9, sizeB: 12 });
    const v = JSON.parse(ev.text);
    const bad = [
      { ...v, b_root_at_a: JSON.parse(ev.text).a.split('\n')[2] }, // claims no fork
      { ...v, proof: v.proof.slice(1) },
      { ...v, a_key: encodeBase64(getPublicKey(key('alice'))) },
      { ...v, a: v.b }, // no fork between a note and itself
      { ...v, more: 1 },
    ];
    for (const b of bad) expect(checkForkEvidence(JSON.stringify(b)).ok).toBe(false);
    expect(checkForkEvidence('not json').ok).toBe(false);
  });
});
