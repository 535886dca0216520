// Trust anchors as a reviewer types them: `genesis:<hex>` (a Countersign log's
// genesis digest), `key:<hex>` (a key id or, for MakerChecker, the SPKI
// fingerprint), or a MakerChecker instance key as PEM. Several may be given at
// once (a governance key set is pinned whole), separated by spaces, commas or lines.

import type { Report, TrustAnchor } from '../../core/report/report.ts';
import { anchorText } from '../../core/report/report.ts';
import { spkiFromPem } from '../../core/verifier/pem.ts';
import { parseWitnessKey } from '../../core/log/witness-key.ts';

export type ParsedAnchors = { ok: true; anchors: TrustAnchor[] } | { ok: false; message: string };

const PEM_RE = /-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g;

export function parseAnchors(text: string, label?: string): ParsedAnchors {
  const anchors: TrustAnchor[] = [];
  const pems = text.match(PEM_RE) ?? [];
  for (const pem of pems) {
    if (!spkiFromPem(pem)) return { ok: false, message: 'That PEM is not an Ed25519 public key (SPKI).' };
    anchors.push({ kind: 'pem', pem: pem.trim() + '\n', ...(label ? { label } : {}) });
  }
  const rest = text.replace(PEM_RE, ' ').trim();
  if (/-----BEGIN/.test(rest)) return { ok: false, message: 'The PEM block is incomplete: it needs its BEGIN and END PUBLIC KEY lines.' };
  for (const token of rest.split(/[\s,;]+/).filter(Boolean)) {
    if (token.startsWith('witness:')) {
      // docs/format.md §7.2: a witness's C2SP verifier key.
      const k = parseWitnessKey(token.slice('witness:'.length));
      if (!k.ok) return { ok: false, message: `That witness key is not usable: ${k.message}.` };
      anchors.push({ kind: 'witness', key: token.slice('witness:'.length), ...(label ? { label } : {}) });
      continue;
    }
    const m = /^(genesis|key):(?:sha256:)?([0-9a-fA-F]{64})$/.exec(token);
    if (!m) {
      const hint = /^[0-9a-fA-F]{64}$/.test(token)
        ? 'Say what it is: genesis:<hex> for a log’s genesis digest, or key:<hex> for a key.'
        : 'Use genesis:<64 hex digits>, key:<64 hex digits>, witness:<name>+<hash>+<key>, or paste a PEM public key.';
      return { ok: false, message: `“${token.length > 24 ? token.slice(0, 24) + '…' : token}” is not a trust anchor. ${hint}` };
    }
    anchors.push({ kind: m[1] as 'genesis' | 'key', hex: m[2]!.toLowerCase(), ...(label ? { label } : {}) });
  }
  if (!anchors.length) return { ok: false, message: 'Enter a trust anchor first.' };
  return { ok: true, anchors };
}

export interface PinnedAnchor {
  id: string;
  name: string;
  anchors: TrustAnchor[];
  addedAt: string;
}

/** Short text for a list: the kind and the first digits. */
export function describeAnchor(a: TrustAnchor): string {
  if (a.kind === 'pem') {
    const der = spkiFromPem(a.pem);
    return der ? 'PEM public key' : 'PEM (unreadable)';
  }
  if (a.kind === 'witness') return `witness:${a.key.split('+')[0]}`;
  return `${a.kind}:${a.hex.slice(0, 16)}…`;
}

/**
 * Which pinned anchors the report says matched. Core names the matching anchor
 * (`genesis:…`, `pem:<label>`) or, for governance keys, the pinned key ids; a
 * pinned key set counts when each of its keys signed this bundle.
 */
export function matchedPinned(report: Report, pinned: PinnedAnchor[]): PinnedAnchor[] {
  if (report.trust.status !== 'pinned' || !report.trust.matched) return [];
  const matched = new Set(report.trust.matched.split(/,\s*/));
  const signerKeys = new Set<string>();
  for (const s of report.signers) {
    signerKeys.add(s.keyId);
    if (s.spkiSha256) signerKeys.add(s.spkiSha256);
  }
  return pinned.filter(
    (p) =>
      p.anchors.some((a) => a.kind !== 'witness') &&
      p.anchors.every((a) => {
        if (a.kind === 'key') return matched.has(anchorText(a)) && signerKeys.has(a.hex);
        if (a.kind === 'pem') return matched.has(anchorText({ ...a, label: p.name }));
        if (a.kind === 'witness') return true; // judged by the witness panel, not by whose log it is
        return matched.has(anchorText(a));
      }),
  );
}
