// SIG.*: one signature is wrong in one way; the statement it sits on is one whose signer
// no later policy check depends on (a request, a gate statement, an extra signature), so
// nothing else follows from it.
import { decodeBase64, encodeBase64 } from '../../../src/core/encoding/base64.ts';
import { canonicalBytes } from '../../../src/core/encoding/jcs.ts';
import { payloadTypeFor } from '../../../src/core/crypto/dsse.ts';
import type { Envelope } from '../../../src/core/statements/schemas.ts';
import { signPayload } from '../../../src/core/statements/sign-statement.ts';
import { Fixture, KEYS_FROM, ORIGIN, at, baseFixture, cast, genesisParts, key, makeCase, principal, pub, type VectorCase } from './fixture.ts';

/** Flips one bit of R in the first signature: still 64 bytes of strict base64. */
export function flipSignature(env: Envelope): Envelope {
  const sig = decodeBase64(env.signatures[0]!.sig);
  sig[0]! ^= 0x01;
  return { ...env, signatures: [{ ...env.signatures[0]!, sig: encodeBase64(sig) }, ...env.signatures.slice(1)] };
}

/** The gate's execution signature does not verify. */
export function breakSigInvalid(): VectorCase[] {
  const f = new Fixture();
  f.genesis();
  const req = f.request('req-1');
  f.decide(req);
  const a = f.approve(req, 'alice');
  const b = f.approve(req, 'bob');
  f.w.appendEnvelope(
    flipSignature(f.sign({ type: 'execution', log: ORIGIN, at: f.tick(), request: req.digest, approvals: [a, b], outcome: 'succeeded' }, ['gate'])),
  );
  f.checkpoint();
  return [makeCase('sig-invalid', f, ['SIG.invalid'], "one bit of the gate's signature on an execution flipped")];
}

/** An execution signed by a key no roster ever held. */
export function breakSigUnknownKey(): VectorCase[] {
  const f = new Fixture();
  f.genesis();
  const req = f.request('req-1');
  f.decide(req);
  const a = f.approve(req, 'alice');
  const b = f.approve(req, 'bob');
  f.execute(req, [a, b], { signers: ['stranger'] });
  f.checkpoint();
  return [makeCase('sig-unknown-key', f, ['SIG.unknown_key'], 'an execution signed by a key that was never in any roster')];
}

/** A key used outside [from, until), and a key dropped by a roster update. */
export function breakSigKeyNotValid(): VectorCase[] {
  const expired = new Fixture();
  const people = cast().map((p) => (p.id === 'agent-a' ? { ...p, keys: [{ pub: pub('agent-a'), from: KEYS_FROM, until: at(3) }] } : p));
  expired.genesis(genesisParts(people));
  expired.setClock(5);
  expired.request('req-1');
  expired.checkpoint();

  const dropped = new Fixture();
  dropped.genesis();
  const rotated = cast().map((p) => (p.id === 'agent-a' ? principal('agent-a', p.name, p.kind, p.roles, 'agent-a-2') : p));
  dropped.update({ type: 'roster', version: 2, principals: rotated });
  dropped.request('req-1', {}, ['agent-a']); // the old key, known but no longer in force
  dropped.checkpoint();
  // A key that only a LATER roster adds: FORMAT.md §6 keeps SIG.unknown_key for a key id "no
  // roster of this log ever held", so a key some roster holds is SIG.key_not_valid here.
  const early = new Fixture();
  early.genesis();
  early.request('req-1', {}, ['agent-a-2']);
  const withNewKey = cast().map((p) => (p.id === 'agent-a' ? { ...p, keys: [...p.keys, { pub: pub('agent-a-2'), from: KEYS_FROM }] } : p));
  early.update({ type: 'roster', version: 2, principals: withNewKey });
  early.checkpoint();
  return [
    makeCase('sig-key-not-yet-in-roster', early, ['SIG.key_not_valid'], "a request signed by agent-a's second key before roster version 2 adds it"),
    makeCase('sig-key-expired', expired, ['SIG.key_not_valid'], 'a request signed at 09:06 by a key whose until is 09:03 (FORMAT.md §2.1 [from, until))'),
    makeCase('sig-key-dropped', dropped, ['SIG.key_not_valid'], 'a request signed by the key that roster version 2 replaced'),
  ];
}

/** A request signed by someone other than its requester; a policy update with an extra non-governance signature. */
export function breakSigWrongSigner(): VectorCase[] {
  const f = baseFixture();
  f.request('req-2', {}, ['bob']);
  f.checkpoint();

  const g = new Fixture();
  g.genesis();
  const policy = genesisParts().policy;
  g.update({ type: 'policy', version: 2, skills: policy.skills, grants: policy.grants.slice(0, 3) }, ['gov-1', 'gov-2', 'alice']);
  g.policyVersion = 2;
  g.approvedRequest('req-1');
  g.checkpoint();
  return [
    makeCase('sig-wrong-signer-request', f, ['SIG.wrong_signer'], "agent-a's request signed by bob's key"),
    makeCase(
      'sig-wrong-signer-governance',
      g,
      ['SIG.wrong_signer'],
      'a policy update signed by the governance quorum and by alice, who lacks the governance role (the quorum still holds)',
    ),
  ];
}

/** A request envelope labelled as an approval. */
export function breakSigPayloadType(): VectorCase[] {
  const f = baseFixture();
  const st = f.requestStatement('req-2');
  f.w.appendEnvelope(signPayload(payloadTypeFor('approval'), canonicalBytes(st), [key('agent-a')]));
  f.checkpoint();
  return [makeCase('sig-payload-type', f, ['SIG.payload_type'], 'a request signed under payloadType application/vnd.countersign.approval+json')];
}
