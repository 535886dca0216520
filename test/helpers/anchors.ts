import type { TrustAnchor } from '../../src/core/report/report.ts';

/** `genesis:HEX` / `key:HEX` as the vectors and the CLI write them, space-separated when several. */
export function anchorFrom(text: string | null): TrustAnchor[] {
  if (!text) return [];
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map((a) => {
      const [kind, hex] = a.split(':') as [string, string];
      if (kind !== 'genesis' && kind !== 'key') throw new Error(`bad anchor ${a}`);
      return { kind, hex };
    });
}
