// GOV.*: a genesis, roster or policy change that governance did not validly make. The gate
// and everyone else behave; only governance is broken.
import { ORIGIN, Fixture, baseFixture, cast, genesisParts, makeCase, principal, type VectorCase } from './fixture.ts';

/**
 * Entry 0 signed by one governance key of two; a gate that is not a service; entry 0 not a
 * genesis; a second genesis later. Without a valid genesis there is no gate in force, so the
 * verifier judges no checkpoint (docs/format.md choice 6): GOV.genesis is the only finding.
 */
export function breakGovGenesis(): VectorCase[] {
  const oneSig = new Fixture();
  oneSig.genesis(undefined, ['gov-1']);
  oneSig.approvedRequest('req-1');

  const human = new Fixture();
  human.genesis(genesisParts(cast().map((p) => (p.id === 'gate' ? { ...p, kind: 'human' as const } : p))));
  human.approvedRequest('req-1');

  const notGenesis = new Fixture();
  notGenesis.request('req-1');

  const second = baseFixture();
  second.add({ type: 'genesis', log: ORIGIN, at: second.tick(), ...genesisParts() }, ['gov-1', 'gov-2']);
  second.allowedRequest('req-2');
  second.checkpoint();
  return [
    makeCase('gov-genesis-one-signature', oneSig, ['GOV.genesis'], 'the genesis is signed by gov-1 only; governance.approvals_required is 2'),
    makeCase('gov-genesis-gate-not-service', human, ['GOV.genesis'], 'the genesis names as gate a principal of kind human'),
    makeCase('gov-genesis-not-genesis', notGenesis, ['GOV.genesis'], 'entry 0 is a request'),
    makeCase('gov-genesis-second', second, ['GOV.genesis'], 'a second genesis, signed by the quorum, at entry 6'),
  ];
}

/** A policy change signed by one governance principal; a roster change that drops the gate. */
export function breakGovQuorum(): VectorCase[] {
  const policy = baseFixture();
  const p = genesisParts().policy;
  policy.update({ type: 'policy', version: 2, skills: p.skills, grants: [...p.grants, { role: 'engineer', skill: 'db.drop_table', versions: ['1'] }] }, [
    'gov-1',
  ]);
  policy.approvedRequest('req-2');
  policy.checkpoint();

  const roster = baseFixture();
  roster.update({ type: 'roster', version: 2, principals: cast().filter((x) => x.id !== 'gate') });
  roster.approvedRequest('req-2');
  roster.checkpoint();

  const rosterOne = baseFixture();
  rosterOne.update({ type: 'roster', version: 2, principals: [...cast(), principal('erin', 'Erin Sato', 'human', ['security-lead'])] }, ['gov-2']);
  rosterOne.approvedRequest('req-2');
  rosterOne.checkpoint();
  return [
    makeCase('gov-quorum-policy', policy, ['GOV.quorum'], 'policy version 2 (grants db.drop_table to engineers) signed by gov-1 alone; not applied'),
    makeCase(
      'gov-quorum-roster-drops-gate',
      roster,
      ['GOV.quorum'],
      'roster version 2, signed by the quorum, drops the gate service (the gate never changes in v1)',
    ),
    makeCase('gov-quorum-roster', rosterOne, ['GOV.quorum'], 'roster version 2 (adds erin) signed by gov-2 alone; not applied'),
  ];
}

/** A policy version that skips one; a roster version that repeats. */
export function breakGovVersion(): VectorCase[] {
  const policy = baseFixture();
  const p = genesisParts().policy;
  policy.update({ type: 'policy', version: 3, skills: p.skills, grants: p.grants });
  policy.approvedRequest('req-2');
  policy.checkpoint();

  const roster = baseFixture();
  roster.update({ type: 'roster', version: 1, principals: cast() });
  roster.approvedRequest('req-2');
  roster.checkpoint();
  return [
    makeCase('gov-version-policy-skip', policy, ['GOV.version'], 'policy version 3 follows version 1'),
    makeCase('gov-version-roster-repeat', roster, ['GOV.version'], 'roster version 1 follows version 1'),
  ];
}
