// A trusted log moves forward only by proof (docs/format.md §7.3): the wallet's log profile
// holds the checkpoint it remembers; a consistency/v1 file from the gate must start at exactly
// that checkpoint, be signed by the gate key that signed it, and carry an RFC 6962 proof to
// the new one. Then the profile's checkpoint is replaced and the profile is re-verified whole.
// A bad proof or a fork is returned as such; there is no "update anyway".
import { parseJsonText } from '../encoding/json.ts';
import { rememberedFrom, type RememberedCheckpoint } from '../log/remembered.ts';
import { checkConsistencyFile, type ConsistencyVerdict } from '../log/witness-files.ts';
import { checkLogProfile, type TrustedProfile } from './profile.ts';

export type ProfileUpdate =
  | { ok: true; profileText: string; profile: TrustedProfile; from: RememberedCheckpoint; next: RememberedCheckpoint }
  | (Extract<ConsistencyVerdict, { ok: false }> & { remembered: string })
  | { ok: false; code: 'PROFILE.checkpoint'; message: string; remembered: string };

/** `profileText`: the stored log-profile/v1 text; `profile`: its verified form. Never throws on input. */
export function updateProfileByConsistency(profileText: string, profile: TrustedProfile, consistencyText: string): ProfileUpdate {
  const j = parseJsonText(profileText.replace(/^\uFEFF/, ''));
  const value = j.ok ? (j.value as { checkpoint?: unknown }) : null;
  const note = value && typeof value.checkpoint === 'string' ? value.checkpoint : '';
  const gateKey = profile.roster.keys.get(profile.checkpoint.signedBy)?.publicKey;
  if (!note || !gateKey) return { ok: false, code: 'PROFILE.checkpoint', message: 'the stored profile has no readable checkpoint', remembered: note };
  const remembered = rememberedFrom(note, gateKey);
  const v = checkConsistencyFile(consistencyText, [remembered]);
  if (!v.ok) return { ...v, remembered: note };
  const nextValue = { ...(value as object), checkpoint: v.next.note };
  const check = checkLogProfile(nextValue);
  if (!check.ok)
    return { ok: false, code: 'PROFILE.checkpoint', message: `the profile with the new checkpoint does not verify: ${check.message}`, remembered: note };
  return { ok: true, profileText: JSON.stringify(nextValue) + '\n', profile: check.profile, from: v.from, next: v.next };
}
