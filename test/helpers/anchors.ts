import type { TrustAnchor } from '../../src/core/report/report.ts';

/** `genesis:HEX` / `key:HEX` as the vectors and the CLI write them. */
export function anchorFrom(text: string | null): TrustAnchor[] {
  if (!text) return [];
  const [kind, hex] = text.split(':') as [string, string];
  if (kind !== 'genesis' && kind !== 'key') throw new Error(`bad anchor ${text}`);
  return [{ kind, hex }];
}
