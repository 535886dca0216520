// What a wallet trusts: a log-profile/v1 file (docs/format.md "Exchange files") = the genesis entry, the later
// roster and policy entries, and a checkpoint. The wallet replays them with the same
// governance replay the verifier uses (replay.ts): the genesis must carry its own governance
// quorum, every update the quorum of the roster before it, and the checkpoint must be signed
// by a key of the gate principal in force at the end. Only then does the wallet know the
// gate's keys, the roster and the policy versions to judge request packets with.
//
// The profile is re-checked from its raw bytes every time it is loaded: nothing derived is
// cached as trusted. The genesis digest (hex leaf hash of entry 0) is what a person compares
// with the one governance published; a later profile for the same origin must keep it.

import { encodeHex } from '../encoding/hex.ts';
import { parseJsonText } from '../encoding/json.ts';
import { ZERO_PREV } from '../encoding/constants.ts';
import { parseCheckpoint } from '../log/checkpoint.ts';
import { entryLeafHash } from '../log/merkle.ts';
import { FindingSink } from '../statements/findings.ts';
import { openEnvelope } from '../statements/envelope.ts';
import { LogProfileSchema, describeZodError, type Genesis, type Grant, type LogProfile, type Skill } from '../statements/schemas.ts';
import { GovernanceFeed, SYNC_SIGNATURES } from '../governance/feed.ts';
import { CHECKPOINT_REASON_TABLE } from '../governance/reasons.ts';
import type { RosterIndex } from '../governance/roster.ts';

export interface PolicyVersion {
  version: number;
  skills: Skill[];
  grants: Grant[];
}

export interface TrustedProfile {
  origin: string;
  /** Hex leaf hash of entry 0: the value people pin and compare. */
  genesisDigest: string;
  genesis: Genesis;
  gateId: string;
  /** Key ids of the gate principal in the roster in force. */
  gateKeyIds: string[];
  roster: RosterIndex;
  governance: { role: string; approvalsRequired: number };
  /** Every policy version the profile carries, by version (a parked decision names one). */
  policies: Map<number, PolicyVersion>;
  policyVersion: number;
  checkpoint: { size: number; root: string; signedBy: string };
  /** Highest seq among the profile's entries. */
  lastSeq: number;
  updates: number;
}

export type ProfileCheck =
  | { ok: true; profile: TrustedProfile }
  | { ok: false; code: 'PROFILE.format' | 'PROFILE.governance' | 'PROFILE.checkpoint' | 'PROFILE.chain'; message: string; details: string[] };

/** Reads profile text with the strict I-JSON reader (duplicate keys are an error) and checks it. */
export function checkLogProfileText(text: string): ProfileCheck {
  const parsed = parseJsonText(text);
  if (!parsed.ok) return { ok: false, code: 'PROFILE.format', message: `not valid JSON: ${parsed.error.message} at ${parsed.error.path}`, details: [] };
  return checkLogProfile(parsed.value);
}

/** Checks a log profile. Never throws. */
export function checkLogProfile(value: unknown): ProfileCheck {
  try {
    return check(value);
  } catch (e) {
    return { ok: false, code: 'PROFILE.format', message: `the profile could not be read: ${(e as Error).message}`, details: [] };
  }
}

function check(value: unknown): ProfileCheck {
  const fail = (code: Exclude<ProfileCheck, { ok: true }>['code'], message: string, details: string[] = []): ProfileCheck => ({
    ok: false,
    code,
    message,
    details,
  });
  const schema = LogProfileSchema.safeParse(value);
  if (!schema.success) return fail('PROFILE.format', `not a log-profile/v1 file: ${describeZodError(schema.error, 'profile')}`);
  const profile: LogProfile = schema.data;
  const entries = [profile.genesis, ...profile.updates];

  // Chain shape: entry 0 first, seq strictly increasing, prev linked where entries are adjacent.
  if (profile.genesis.seq !== 0) return fail('PROFILE.chain', 'the genesis entry must have seq 0');
  if (profile.genesis.prev !== ZERO_PREV) return fail('PROFILE.chain', 'the genesis entry must have prev = 64 zeros');
  const leafHashes = entries.map((e) => encodeHex(entryLeafHash(e)));
  for (let i = 1; i < entries.length; i++) {
    const a = entries[i - 1]!;
    const b = entries[i]!;
    if (b.seq <= a.seq) return fail('PROFILE.chain', `update ${i} has seq ${b.seq}, not after ${a.seq}`);
    if (b.seq === a.seq + 1 && b.prev !== leafHashes[i - 1]) return fail('PROFILE.chain', `entry ${b.seq}: prev is not the leaf hash of entry ${a.seq}`);
  }

  // Open every envelope; only genesis, roster and policy statements belong in a profile.
  const sink = new FindingSink(20);
  const opened = entries.map((e, i) => {
    const o = openEnvelope(e.envelope, i === 0 ? 'genesis.envelope' : `updates[${i - 1}].envelope`);
    for (const p of o.problems) sink.add(p.code, i + 1, p.message, e.seq);
    return o.opened;
  });
  if (sink.verdict() === 'fail')
    return fail(
      'PROFILE.format',
      'an entry of the profile is malformed',
      sink.findings.map((f) => `${f.code}: ${f.message}`),
    );
  const genesisSt = opened[0]?.statement;
  if (!genesisSt || genesisSt.type !== 'genesis') return fail('PROFILE.governance', 'entry 0 is not a genesis statement');
  for (let i = 1; i < opened.length; i++) {
    const st = opened[i]?.statement;
    if (!st || (st.type !== 'roster' && st.type !== 'policy'))
      return fail('PROFILE.format', `updates[${i - 1}] is a ${st?.type ?? 'malformed'} entry; a profile carries only roster and policy updates`);
  }
  const origin = genesisSt.log;

  // Replay governance through the one feed path (governance/feed.ts), every signature checked
  // at once (strict Ed25519) against keys some roster held.
  const feed = new GovernanceFeed(sink, origin, SYNC_SIGNATURES);
  const replay = feed.replay;
  const policies = new Map<number, PolicyVersion>();
  policies.set(genesisSt.policy.version, { version: genesisSt.policy.version, skills: genesisSt.policy.skills, grants: genesisSt.policy.grants });
  opened.forEach((o, i) => {
    const st = o!.statement!;
    if (st.type === 'policy') policies.set(st.version, { version: st.version, skills: st.skills, grants: st.grants });
    feed.apply(feed.prepareOpened(o!, st, i + 1, entries[i]!.seq));
  });
  const problems = sink.findings.filter((f) => f.severity === 'error');
  if (!replay.genesisOk || problems.length)
    return fail(
      'PROFILE.governance',
      replay.genesisOk ? 'a roster or policy update is not validly signed by the governance quorum' : 'the genesis is not signed by its own governance quorum',
      problems.map((f) => `${f.code}: ${f.message}`),
    );
  const roster = replay.currentRoster!;

  // The checkpoint: this log's origin, covering the entries, signed by the gate in force.
  const cp = parseCheckpoint(profile.checkpoint);
  if (!cp.ok) return fail('PROFILE.checkpoint', `checkpoint: ${cp.message}`);
  const c = cp.checkpoint;
  if (c.origin !== origin) return fail('PROFILE.checkpoint', `checkpoint is for "${c.origin}", the genesis for "${origin}"`);
  const lastSeq = entries[entries.length - 1]!.seq;
  if (c.size <= lastSeq) return fail('PROFILE.checkpoint', `checkpoint covers ${c.size} entries, but the profile has entry ${lastSeq}`);
  const gateKeyIds = [...replay.gateKeysInForce()];
  const judged = feed.judgeCheckpoint(feed.prepareCheckpoint(c));
  if (judged.reason !== null) return fail('PROFILE.checkpoint', CHECKPOINT_REASON_TABLE[judged.reason].walletWords({ origin, gate: genesisSt.gate }));
  const signedBy = judged.keyId;

  const policyVersion = Math.max(...policies.keys());
  return {
    ok: true,
    profile: {
      origin,
      genesisDigest: leafHashes[0]!,
      genesis: genesisSt,
      gateId: genesisSt.gate,
      gateKeyIds,
      roster,
      governance: { role: genesisSt.governance.role, approvalsRequired: genesisSt.governance.approvals_required },
      policies,
      policyVersion,
      checkpoint: { size: c.size, root: encodeHex(c.root), signedBy },
      lastSeq,
      updates: profile.updates.length,
    },
  };
}

/**
 * Whether `next` may replace `current` for the same origin: same genesis (a different one for a
 * known origin is either a mistake or an attack), and not older.
 */
export function profileReplaces(current: TrustedProfile, next: TrustedProfile): { ok: true } | { ok: false; message: string } {
  if (current.origin !== next.origin) return { ok: false, message: 'different log' };
  if (current.genesisDigest !== next.genesisDigest)
    return {
      ok: false,
      message: `this profile has a different genesis (${next.genesisDigest.slice(0, 16)}…) for "${next.origin}" than the one you trust (${current.genesisDigest.slice(0, 16)}…)`,
    };
  if (next.lastSeq < current.lastSeq || next.checkpoint.size < current.checkpoint.size)
    return { ok: false, message: 'this profile is older than the one you already trust' };
  return { ok: true };
}
