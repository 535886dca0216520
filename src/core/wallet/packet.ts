// Every check a wallet runs on a request-packet/v1 (docs/format.md "Exchange files") before a person sees the
// review screen. The packet is attacker-controlled: it came by file, paste or camera.
//
//   stop     (trust)   the packet is malformed, its log is not one you trust, the request is
//                      not signed by its requester, or the decision is not signed by the
//                      gate in force or does not match the request and the policy. The
//                      wallet shows a red stop screen and offers no way to continue.
//   refuse   (policy)  expired; you have no identity or your key is not in the roster; you
//                      are the requester where forbid_requester holds; none of your roles is
//                      an approver role; an eligible reject already vetoed the request.
//   resend             you already signed it: re-export the earlier signature instead.
//
// Approvals already collected are opened, verified and judged the way the gate would
// (replay.ts applyApproval), and a key or approver that appears twice is flagged.

import { verifyStrict, fingerprintOf } from '../crypto/ed25519.ts';
import { openEnvelope, type OpenedEnvelope } from '../statements/envelope.ts';
import {
  RequestPacketSchema,
  describeZodError,
  type Approval,
  type Decision,
  type Envelope,
  type Gate,
  type Principal,
  type Skill,
  type Request,
} from '../statements/schemas.ts';
import { instantOf, type Instant } from '../statements/time.ts';
import { keyValidAt, type RosterIndex } from '../governance/roster.ts';
import { approvalMatchesRequest, judgeApproval, judgeParkedGate, judgeSignature } from '../governance/judgements.ts';
import { APPROVAL_REASON_TABLE, DECISION_REASON_TABLE, SIGNATURE_REASON_TABLE, type WalletJudgementCode } from '../governance/reasons.ts';
import { canonicalize } from '../encoding/jcs.ts';
import { digestFingerprint, instantFromMs, msFromInstant } from './format.ts';
import type { TrustedProfile } from './profile.ts';
import { scanJson, scanText, type JsonTextIssues, type TextIssue } from './text-safety.ts';
import { requiredDecision } from '../governance/policy-rules.ts';

export type PacketRefusalCode =
  | 'format'
  | 'untrusted_log'
  | 'wrong_log'
  | 'request_signature'
  | 'decision_signature'
  | 'decision_mismatch'
  | 'expired'
  | 'no_identity'
  | 'not_enrolled'
  | 'requester'
  | 'not_eligible'
  | 'vetoed'
  | 'already_signed';

export type RefusalSeverity = 'stop' | 'refuse' | 'resend';

export const REFUSAL_SEVERITY: Record<PacketRefusalCode, RefusalSeverity> = {
  format: 'stop',
  untrusted_log: 'stop',
  wrong_log: 'stop',
  request_signature: 'stop',
  decision_signature: 'stop',
  decision_mismatch: 'stop',
  expired: 'refuse',
  no_identity: 'refuse',
  not_enrolled: 'refuse',
  requester: 'refuse',
  not_eligible: 'refuse',
  vetoed: 'refuse',
  already_signed: 'resend',
};

export interface PacketRefusal {
  code: PacketRefusalCode;
  severity: RefusalSeverity;
  message: string;
}

export interface PacketIdentity {
  principal: string;
  keyId: string;
}

/** A vote this wallet signed earlier (from its history). */
export interface PriorVote {
  requestDigest: string;
  keyId: string;
  vote: 'approve' | 'reject';
  at: string;
  /** History sequence number, to re-export it. */
  seq: number;
}

export interface PacketContext {
  profiles: readonly TrustedProfile[];
  identity: PacketIdentity | null;
  /** Milliseconds since the epoch. */
  now: number;
  prior: readonly PriorVote[];
}

export interface CollectedApproval {
  index: number;
  digest: string | null;
  approver: string | null;
  name: string | null;
  vote: 'approve' | 'reject' | null;
  at: string | null;
  comment: string | null;
  keyIds: string[];
  fingerprint: string | null;
  /** Signed by a key of the approver it names, in the roster, valid at its `at`. */
  signatureValid: boolean;
  /** Counts toward the quorum as the gate would count it. */
  counted: boolean;
  problems: string[];
  /** A signing key already seen in an earlier approval of this packet. */
  duplicateKey: boolean;
  /** The approver already appears earlier in this packet. */
  duplicateApprover: boolean;
  mine: boolean;
}

export interface FieldIssues {
  field: string;
  text: string;
  issues: TextIssue[];
}

export interface PacketReview {
  origin: string;
  genesisDigest: string;
  requestDigest: string;
  digestFingerprint: string;
  request: Request;
  decision: Decision;
  gate: NonNullable<Decision['gate']>;
  requester: {
    id: string;
    name: string;
    kind: Principal['kind'] | 'unknown';
    roles: readonly string[];
    /** The packet's requester record equals the roster's. */
    matchesRoster: boolean;
  };
  skill: { name: string; version: string; riskTier: string | null };
  policyVersion: number;
  approvals: CollectedApproval[];
  approvedCount: number;
  rejectedCount: number;
  vetoed: boolean;
  /** Canonical (RFC 8785) JSON of args: exactly the bytes the requester signed. */
  argsCanonical: string;
  /** Every field and every string in args with an invisible, bidi or lookalike character. */
  textIssues: FieldIssues[];
  argsIssues: JsonTextIssues[];
  expiresAtMs: number;
  identityRoles: readonly string[];
}

export interface PacketCheckResult {
  canSign: boolean;
  refusals: PacketRefusal[];
  /** Worst severity among the refusals, or null when the packet can be signed. */
  severity: RefusalSeverity | null;
  review: PacketReview | null;
  prior: PriorVote | null;
  requestDigest: string | null;
  origin: string | null;
}

/**
 * Which keys of the expected signer validly signed an envelope, judged as the verifier judges
 * a signature (governance/judgements.ts judgeSignature), with the last reason in words.
 */
function signedBy(opened: OpenedEnvelope, roster: RosterIndex, at: Instant, principal: (p: string) => boolean): { ok: boolean; keyIds: string[]; why: string } {
  const keyIds: string[] = [];
  let why = 'no signature by a key of the expected signer';
  for (const s of opened.signatures) {
    // Only keys of the roster you trust are checked; any other key is unknown here.
    const k = roster.keys.get(s.keyId);
    const check = { keyId: s.keyId, valid: k ? verifyStrict(s.signature, opened.signedMessage, k.publicKey) : null };
    const j = judgeSignature(check, roster, at, principal);
    if (j.reason === null) keyIds.push(s.keyId);
    else
      why = SIGNATURE_REASON_TABLE[j.reason].walletWords({
        what: 'signature',
        keyId: s.keyId,
        principal: j.key?.principal ?? k?.principal ?? null,
        expected: 'the expected signer',
        rosterVersion: roster.version,
      });
  }
  return { ok: keyIds.length > 0, keyIds, why };
}

/** Runs every check. Never throws. */
export function checkRequestPacket(value: unknown, ctx: PacketContext): PacketCheckResult {
  try {
    return check(value, ctx);
  } catch (e) {
    return result([{ code: 'format', severity: 'stop', message: `the packet could not be read: ${(e as Error).message}` }], null, null, null, null);
  }
}

function result(
  refusals: PacketRefusal[],
  review: PacketReview | null,
  prior: PriorVote | null,
  requestDigest: string | null,
  origin: string | null,
): PacketCheckResult {
  const order: RefusalSeverity[] = ['stop', 'refuse', 'resend'];
  const severity = order.find((s) => refusals.some((r) => r.severity === s)) ?? null;
  return { canSign: refusals.length === 0, refusals, severity, review: severity === 'stop' ? null : review, prior, requestDigest, origin };
}

function check(value: unknown, ctx: PacketContext): PacketCheckResult {
  const refusals: PacketRefusal[] = [];
  const refuse = (code: PacketRefusalCode, message: string) => refusals.push({ code, severity: REFUSAL_SEVERITY[code], message });
  const stop = (code: PacketRefusalCode, message: string, digest: string | null = null, origin: string | null = null) => {
    refuse(code, message);
    return result(refusals, null, null, digest, origin);
  };

  // --- shape -----------------------------------------------------------------------------
  const parsed = RequestPacketSchema.safeParse(value);
  if (!parsed.success) return stop('format', `this is not a request-packet/v1: ${describeZodError(parsed.error, 'packet')}`);
  const packet = parsed.data;
  const req = openEnvelope(packet.request, 'packet.request');
  const dec = openEnvelope(packet.decision, 'packet.decision');
  const problems = [...req.problems, ...dec.problems];
  if (problems.length || !req.opened?.statement || !dec.opened?.statement)
    return stop('format', `the packet's envelopes are malformed: ${problems.map((p) => `${p.code} ${p.message}`).join('; ') || 'unreadable'}`);
  if (req.opened.statement.type !== 'request') return stop('format', `packet.request carries a ${req.opened.statement.type}, not a request`);
  if (dec.opened.statement.type !== 'decision') return stop('format', `packet.decision carries a ${dec.opened.statement.type}, not a decision`);
  const request = req.opened.statement as Request;
  const decision = dec.opened.statement as Decision;
  const digest = req.opened.digest;
  if (packet.requester.id !== request.requester)
    return stop('format', `the packet names requester "${packet.requester.id}", the request "${request.requester}"`, digest);

  // --- trust: a profile for this log -----------------------------------------------------------
  const profile = ctx.profiles.find((p) => p.origin === packet.log);
  if (!profile)
    return stop('untrusted_log', `the packet is for the log "${packet.log}", which you do not trust: import its log profile first`, digest, packet.log);
  if (request.log !== packet.log || decision.log !== packet.log)
    return stop(
      'wrong_log',
      `the packet says log "${packet.log}" but the request is bound to "${request.log}" and the decision to "${decision.log}"`,
      digest,
      packet.log,
    );
  const roster = profile.roster;

  // --- signatures: request by its requester, decision by the gate in force ----------------------
  const reqSig = signedBy(req.opened, roster, instantOf(request.at), (p) => p === request.requester);
  if (!reqSig.ok) refuse('request_signature', `the request is not signed by its requester ${request.requester}: ${reqSig.why}`);
  const decSig = signedBy(dec.opened, roster, instantOf(decision.at), (p) => p === profile.gateId);
  if (!decSig.ok)
    refuse('decision_signature', `the decision is not signed by the gate "${profile.gateId}" you trust: ${decSig.why}. Do not sign this request.`);
  if (refusals.length) return result(refusals, null, null, digest, packet.log);

  // --- the decision must be the gate's parked verdict on exactly this request -----------------
  const mismatch: string[] = [];
  if (decision.request !== digest) mismatch.push('the decision is about another request (digest differs)');
  if (decision.outcome !== 'parked' || !decision.gate) mismatch.push(`the decision is "${decision.outcome}", not "parked": there is nothing to approve`);
  // The same rules the gate applied and the verifier replays (governance/policy-rules.ts).
  const policy = profile.policies.get(decision.policy_version);
  const required = policy ? requiredDecision(policy, roster.rolesOf(request.requester), request.skill, request.skill_version) : null;
  const skill = required?.skill ?? null;
  if (!policy) mismatch.push(`the decision names policy version ${decision.policy_version}, which your log profile does not have: update the profile`);
  else if (!skill) mismatch.push(`${request.skill} version ${request.skill_version} is not in policy version ${policy.version}`);
  else if (!skill.gate) mismatch.push(`${request.skill} version ${request.skill_version} needs no sign-off under policy version ${policy.version}`);
  if (required?.reason === 'ungranted')
    mismatch.push(`${request.requester} has no grant for ${request.skill} version ${request.skill_version}: the gate should have denied it`);
  const gate = decision.gate;
  if (gate && skill?.gate)
    for (const r of judgeParkedGate(gate, skill as Skill & { gate: Gate }, request.expires_at, decision.at))
      mismatch.push(DECISION_REASON_TABLE[r].walletWords);
  if (mismatch.length) {
    refuse('decision_mismatch', mismatch.join('; '));
    return result(refusals, null, null, digest, packet.log);
  }
  const g = gate!;

  // --- approvals already collected ---------------------------------------------------------------
  const expires = instantOf(g.expires_at);
  const seenKeys = new Set<string>();
  const seenApprovers = new Set<string>();
  const counters = new Set<string>();
  let vetoed = false;
  const approvals: CollectedApproval[] = packet.approvals.map((env: Envelope, index) => {
    const a: CollectedApproval = {
      index,
      digest: null,
      approver: null,
      name: null,
      vote: null,
      at: null,
      comment: null,
      keyIds: env.signatures.map((s) => s.keyid),
      fingerprint: null,
      signatureValid: false,
      counted: false,
      problems: [],
      duplicateKey: false,
      duplicateApprover: false,
      mine: false,
    };
    for (const k of a.keyIds) if (seenKeys.has(k)) a.duplicateKey = true;
    for (const k of a.keyIds) seenKeys.add(k);
    if (a.duplicateKey) a.problems.push('the same key signed an earlier approval in this packet');
    const o = openEnvelope(env, `packet.approvals[${index}]`);
    if (!o.opened?.statement || o.problems.length) {
      a.problems.push(...o.problems.map((p) => `${p.code}: ${p.message}`));
      if (!o.opened?.statement) return a;
    }
    const st = o.opened!.statement!;
    a.digest = o.opened!.digest;
    if (st.type !== 'approval') {
      a.problems.push(`it is a ${st.type}, not an approval`);
      return a;
    }
    const ap = st as Approval;
    a.approver = ap.approver;
    a.name = roster.principals.get(ap.approver)?.name ?? null;
    a.vote = ap.vote;
    a.at = ap.at;
    a.comment = ap.comment ?? null;
    a.mine = ctx.identity !== null && ap.approver === ctx.identity.principal;
    if (ap.request !== digest) a.problems.push('it approves another request');
    if (!approvalMatchesRequest(ap, request)) a.problems.push('its request_id or skill differs from the request');
    if (ap.log !== packet.log) a.problems.push(`it is bound to another log "${ap.log}"`);
    const sig = signedBy(o.opened!, roster, instantOf(ap.at), (p) => p === ap.approver);
    a.signatureValid = sig.ok;
    if (sig.ok) a.fingerprint = fingerprintOf(sig.keyIds[0]!);
    else a.problems.push(sig.why);
    // Judged as the gate and the verifier judge it (governance/judgements.ts).
    const reasons = judgeApproval({
      phase: 'parked',
      gate: g,
      expires,
      requester: request.requester,
      approver: ap.approver,
      vote: ap.vote,
      times: [instantOf(ap.at)],
      roster,
      voted: seenApprovers.has(ap.approver),
    });
    const words = { approver: ap.approver, at: ap.at, expiresAt: g.expires_at, roles: g.approver_roles, phase: 'parked' };
    for (const r of reasons) a.problems.push(APPROVAL_REASON_TABLE[r].collected(words));
    a.duplicateApprover = reasons.includes('duplicate');
    seenApprovers.add(ap.approver);
    const countable = a.problems.length === 0;
    if (countable) {
      if (ap.vote === 'approve') {
        a.counted = true;
        counters.add(ap.approver);
      } else if (g.reject_vetoes) vetoed = true;
    }
    return a;
  });
  const approvedCount = counters.size;
  const rejectedCount = approvals.filter((a) => a.vote === 'reject' && a.problems.length === 0).length;

  // --- policy refusals for this identity --------------------------------------------------------
  const now = instantFromMs(ctx.now);
  // You, as an approver signing now, judged as the gate will judge you (governance/judgements.ts).
  const mine = judgeApproval({
    phase: 'parked',
    gate: g,
    expires,
    requester: request.requester,
    approver: ctx.identity?.principal ?? '',
    vote: 'approve',
    times: [now],
    roster,
    voted: false,
  });
  const judged = (code: WalletJudgementCode) => mine.some((r) => APPROVAL_REASON_TABLE[r].wallet === code);
  if (judged('expired')) refuse('expired', `the request expired at ${g.expires_at}; the gate would refuse a late approval`);
  let identityRoles: readonly string[] = [];
  let prior: PriorVote | null = null;
  if (!ctx.identity) refuse('no_identity', 'you have no signing identity in this wallet: create or import one');
  else {
    const me = ctx.identity;
    identityRoles = roster.rolesOf(me.principal);
    const k = roster.keys.get(me.keyId);
    if (!k || k.principal !== me.principal)
      refuse(
        'not_enrolled',
        `your key ${fingerprintOf(me.keyId)} is not in the roster of "${packet.log}" as ${me.principal}: send your enrollment file to governance, then import the updated log profile`,
      );
    else if (!keyValidAt(k, now)) refuse('not_enrolled', `your key ${fingerprintOf(me.keyId)} is not valid now in the roster of "${packet.log}"`);
    if (judged('requester')) refuse('requester', `you (${me.principal}) made this request, and this skill forbids approving your own request`);
    if (judged('not_eligible'))
      refuse(
        'not_eligible',
        `this request needs a holder of ${g.approver_roles.map((r) => `"${r}"`).join(' or ')}; your roles are ${identityRoles.length ? identityRoles.map((r) => `"${r}"`).join(', ') : 'none'}`,
      );
    prior = ctx.prior.filter((p) => p.requestDigest === digest && p.keyId === me.keyId).sort((a, b) => b.seq - a.seq)[0] ?? null;
    const inPacket = approvals.find((a) => a.mine && a.signatureValid);
    if (prior) refuse('already_signed', `you already signed this request (${prior.vote}) at ${prior.at}: re-export that signature instead of signing again`);
    else if (inPacket) refuse('already_signed', `the gate already holds your ${inPacket.vote} of ${inPacket.at} for this request`);
  }
  if (vetoed) refuse('vetoed', 'an eligible approver already rejected this request and the gate lets a reject veto it: it is closed');

  // --- what the person will see ---------------------------------------------------------------------
  const rosterRequester = roster.principals.get(request.requester);
  const requesterName = rosterRequester?.name ?? packet.requester.name;
  const fields: [string, string | undefined][] = [
    ['Request id', request.id],
    ['Skill', request.skill],
    ['Skill version', request.skill_version],
    ['Requester', request.requester],
    ['Requester name', requesterName],
    ['Reason', request.reason],
  ];
  if (rosterRequester && packet.requester.name !== rosterRequester.name) fields.push(['Requester name in the packet', packet.requester.name]);
  approvals.forEach((a) => a.comment && fields.push([`Comment of ${a.approver ?? 'an approver'}`, a.comment]));
  const textIssues: FieldIssues[] = [];
  for (const [field, text] of fields) {
    if (text === undefined) continue;
    const issues = scanText(text);
    if (issues.length) textIssues.push({ field, text, issues });
  }
  const review: PacketReview = {
    origin: packet.log,
    genesisDigest: profile.genesisDigest,
    requestDigest: digest,
    digestFingerprint: digestFingerprint(digest),
    request,
    decision,
    gate: g,
    requester: {
      id: request.requester,
      name: requesterName,
      kind: rosterRequester?.kind ?? 'unknown',
      roles: roster.rolesOf(request.requester),
      matchesRoster: !!rosterRequester && canonicalize(rosterRequester) === canonicalize(packet.requester),
    },
    skill: { name: request.skill, version: request.skill_version, riskTier: skill?.risk_tier ?? null },
    policyVersion: decision.policy_version,
    approvals,
    approvedCount,
    rejectedCount,
    vetoed,
    argsCanonical: canonicalize(request.args),
    textIssues,
    argsIssues: scanJson(request.args, 'args'),
    expiresAtMs: msFromInstant(expires),
    identityRoles,
  };
  return result(refusals, review, prior, digest, packet.log);
}
