// Step evaluateTrust of the Countersign verifier (docs/format.md choice 8; docs/format.md "Bundles"):
// whether the given anchors pin this log. Which anchors apply is verifier/anchors.ts's rule.

import { decodeBase64 } from '../encoding/base64.ts';
import { keyIdOf } from '../crypto/ed25519.ts';
import type { FindingSink } from '../statements/findings.ts';
import type { Genesis } from '../statements/schemas.ts';
import type { SignatureCheck } from '../governance/judgements.ts';
import { anchorText, type TrustAnchor, type TrustSummary } from './report-v1.ts';
import { publicKeyFromPem } from './pem.ts';
import { anchorsFor } from './anchors.ts';

/** What trust needs from the replay: the genesis and its checked signatures. */
export interface GenesisEvidence {
  genesisStatement: Genesis | null;
  genesisSignatures: SignatureCheck[];
}

/**
 * TRUST.* (docs/format.md "Bundles"). Anchors are alternatives: the bundle is pinned when
 * any genesis anchor equals leafhash(0), or when the pinned keys together give
 * the genesis at least governance.approvals_required valid signatures from
 * distinct governance principals (the TUF root-key rule).
 */
export function evaluateTrust(anchors: TrustAnchor[], sink: FindingSink, genesisHex: string | null, rp: GenesisEvidence): TrustSummary {
  const proves = [
    'Every entry is chained to the one before it, and every checkpoint root matches the entries.',
    'Every signature was checked against the roster in force at its position.',
    'Every executed action was checked against the policy, approvals and roster in force.',
  ];
  const doesNotProve = ['That the gate recorded every request it received: only what is in the log is checked.'];
  const texts = anchors.map(anchorText);
  if (anchors.length === 0) {
    sink.add('TRUST.unpinned', 0, 'no trust anchor was given: this proves the log is self-consistent, not whose log it is');
    return {
      status: 'unpinned',
      anchors: [],
      proves,
      doesNotProve: [...doesNotProve, 'Whose log this is: no trust anchor was given; compare the genesis digest and governance key fingerprints out of band.'],
    };
  }
  const mismatch = (why: string): TrustSummary => {
    sink.add('TRUST.mismatch', 0, why, 0);
    return { status: 'mismatch', anchors: texts, proves, doesNotProve: [...doesNotProve, 'That this is the pinned log: ' + why] };
  };
  for (const a of anchors)
    if (a.kind === 'genesis' && genesisHex !== null && a.hex.toLowerCase() === genesisHex)
      return { status: 'pinned', anchors: texts, matched: anchorText(a), proves: [...proves, 'The genesis is the pinned one.'], doesNotProve };
  const pinned = new Set<string>();
  // Every anchor kind applies to a Countersign log; a PEM counts as its key id (anchors.ts, choice 8).
  for (const a of anchorsFor('countersign-bundle/v1', anchors).apply) {
    if (a.kind === 'key') pinned.add(a.hex.toLowerCase());
    else if (a.kind === 'pem') {
      const pub = publicKeyFromPem(a.pem);
      if (pub) pinned.add(keyIdOf(pub));
    }
  }
  if (pinned.size === 0) return mismatch(`the genesis digest ${genesisHex ?? '(none)'} is not the pinned one`);
  const g = rp.genesisStatement;
  if (!g) return mismatch('the bundle has no valid genesis to check the pinned keys against');
  const roster = new Map<string, string>(); // keyId → governance principal
  for (const p of g.roster.principals) if (p.roles.includes(g.governance.role)) for (const k of p.keys) roster.set(keyIdOf(decodeBase64(k.pub)), p.id);
  const principals = new Set<string>();
  const counted: string[] = [];
  for (const s of rp.genesisSignatures) {
    const who = roster.get(s.keyId);
    if (s.valid === true && pinned.has(s.keyId) && who && !principals.has(who)) {
      principals.add(who);
      counted.push(s.keyId);
    }
  }
  const need = g.governance.approvals_required;
  if (principals.size < need)
    return mismatch(
      `the genesis carries valid signatures from ${principals.size} pinned governance key(s); ${need} are required (pin the whole governance set)`,
    );
  return {
    status: 'pinned',
    anchors: texts,
    matched: counted.map((k) => 'key:' + k).join(', '),
    proves: [...proves, `The genesis is signed by ${principals.size} pinned governance keys.`],
    doesNotProve,
  };
}
