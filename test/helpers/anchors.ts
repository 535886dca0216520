import type { TrustAnchor } from '../../src/core/report/report.ts';

/** `genesis:HEX` / `key:HEX` / `witness:VKEY` as the vectors and the CLI write them, space- or comma-separated when several. */
export function anchorFrom(text: string | null): TrustAnchor[] {
  if (!text) return [];
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((a) => {
      const i = a.indexOf(':');
      const [kind, rest] = [a.slice(0, i), a.slice(i + 1)];
      if (kind === 'witness') return { kind, key: rest };
      if (kind !== 'genesis' && kind !== 'key') throw new Error(`bad anchor ${a}`);
      return { kind, hex: rest };
    });
}
