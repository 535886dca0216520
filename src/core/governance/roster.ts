// The roster in force at a log position (docs/format.md "Countersign statements and envelopes"): who holds which key,
// from when until when, and with which roles.

import { decodeBase64 } from '../encoding/base64.ts';
import { keyIdOf } from '../crypto/ed25519.ts';
import type { Principal } from '../statements/schemas.ts';
import { compareInstants, instantOf, type Instant } from '../statements/time.ts';

export interface KeyRecord {
  keyId: string;
  publicKey: Uint8Array;
  principal: string;
  from: Instant;
  /** Exclusive; null when the key has no end. */
  until: Instant | null;
}

export class RosterIndex {
  readonly principals = new Map<string, Principal>();
  readonly keys = new Map<string, KeyRecord>();
  private readonly roleSets = new Map<string, Set<string>>();

  constructor(
    readonly version: number,
    principals: readonly Principal[],
  ) {
    for (const p of principals) {
      this.principals.set(p.id, p);
      this.roleSets.set(p.id, new Set(p.roles));
      for (const k of p.keys) {
        const publicKey = decodeBase64(k.pub);
        const keyId = keyIdOf(publicKey);
        // A key id held by two principals is ambiguous; the first holder wins and
        // the second can sign nothing with it (it resolves to the wrong signer).
        if (!this.keys.has(keyId))
          this.keys.set(keyId, {
            keyId,
            publicKey,
            principal: p.id,
            from: instantOf(k.from),
            until: k.until ? instantOf(k.until) : null,
          });
      }
    }
  }

  hasRole(principal: string, role: string): boolean {
    return this.roleSets.get(principal)?.has(role) ?? false;
  }

  hasAnyRole(principal: string, roles: readonly string[]): boolean {
    const set = this.roleSets.get(principal);
    return !!set && roles.some((r) => set.has(r));
  }

  rolesOf(principal: string): readonly string[] {
    return this.principals.get(principal)?.roles ?? [];
  }
}

/** docs/format.md "Countersign statements and envelopes": a key signs only statements whose `at` lies in [from, until). */
export function keyValidAt(k: KeyRecord, at: Instant): boolean {
  return compareInstants(at, k.from) >= 0 && (k.until === null || compareInstants(at, k.until) < 0);
}
