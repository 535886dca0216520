// Which trust anchors apply to which format (docs/format.md choices 8 and 30), decided here
// once: verifyBundle passes the anchors a person gave, unfiltered, and each verifier's trust
// step asks this rule. The CLI and the page both go through verifyBundle, so the same file with
// the same anchors gets the same report in both.
//
//   Countersign   genesis:HEX  the genesis digest
//                 key:HEX      a governance key id
//                 pem          counts as its key id (choice 8)
//   MakerChecker  key:HEX      the instance key's id, or the SHA-256 of its SPKI (MakerChecker's fingerprint)
//                 pem          the instance key
//                 genesis:HEX  does not apply: given alone it is TRUST.mismatch saying so (choice 30)

import type { BundleFormat, TrustAnchor } from './report-v1.ts';

export interface AnchorSplit {
  /** The anchors this format's trust step compares. */
  apply: TrustAnchor[];
  /** Anchors that cannot pin this format: a mismatch when nothing else was given. */
  notApplicable: TrustAnchor[];
}

export function anchorsFor(format: BundleFormat, anchors: readonly TrustAnchor[]): AnchorSplit {
  const apply: TrustAnchor[] = [];
  const notApplicable: TrustAnchor[] = [];
  for (const a of anchors) (anchorApplies(format, a) ? apply : notApplicable).push(a);
  return { apply, notApplicable };
}

export function anchorApplies(format: BundleFormat, a: TrustAnchor): boolean {
  if (format === 'countersign-bundle/v1') return a.kind === 'genesis' || a.kind === 'key' || a.kind === 'pem';
  return a.kind === 'key' || a.kind === 'pem';
}
