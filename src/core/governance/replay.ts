// Governance replay (docs/format.md "Countersign statements and envelopes" and §6, families SIG, STMT, GOV, POLICY, REQ,
// TIME). It walks the log in order holding only the roster and policy in force
// and the open requests; a closed request leaves a tombstone (its digest and how
// it ended) so late approvals and re-executions are still recognised.
//
// Signature verdicts arrive precomputed (the verifier batches the Ed25519 work);
// this module decides what a signature is worth at its position in the log.

import { fingerprintOf } from '../crypto/ed25519.ts';
import { sha256 } from '../crypto/hash.ts';
import { decodeHex } from '../encoding/hex.ts';
import { encodeUtf8 } from '../encoding/utf8.ts';
import type { FindingCode, FindingSink } from '../statements/findings.ts';
import type { Approval, Closure, Decision, Execution, Genesis, Policy, Principal, Refusal, Request, Roster, Statement } from '../statements/schemas.ts';
import { instantOf, type Instant } from '../statements/time.ts';
import { RosterIndex } from './roster.ts';
import { DigestSet, type DigestTags } from './digest-set.ts';
import { SpilledDigestSet } from './spilled-digest-set.ts';
import type { ColdStore } from './record-log.ts';
import { OpenRequests, type OpenRequest } from './open-requests.ts';
import { findSkill, type PolicyRules } from './policy-rules.ts';
import {
  approvalCounts,
  approvalMatchesRequest,
  judgeApproval,
  judgeDecision,
  judgeSignature,
  type ApprovalReason,
  type RequestPhase,
  type SignatureCheck,
} from './judgements.ts';
import { APPROVAL_REASON_TABLE, DECISION_REASON_TABLE, SIGNATURE_REASON_TABLE, refusalBorneOut } from './reasons.ts';

export type { SignatureCheck } from './judgements.ts';

/** A key that signed validly, for the report (both formats fill it). */
export interface SignerInfo {
  keyId: string;
  fingerprint: string;
  /** Countersign principal id, or `makerchecker-instance`. */
  principal?: string;
  name?: string;
  /** What the key signed for: governance, gate, approver, requester, instance. */
  roles?: string[];
  /** MakerChecker: SHA-256 of the SPKI DER, the fingerprint MakerChecker prints. */
  spkiSha256?: string;
  /** How many signatures by this key were checked. */
  signatures?: number;
}

export interface ReplayEntry {
  line: number;
  seq: number;
  statement: Statement;
  digest: string;
  signatures: SignatureCheck[];
  /** For a refusal: what was learned about the refused approval's envelope. */
  attempt?: { statement: Approval | null; digest: string; signatures: SignatureCheck[]; problems: string[] };
}

interface PolicyInForce extends PolicyRules {
  version: number;
}

/** Where a request stands, as the report counts it. */
export type RequestStatus = 'undecided' | 'allowed' | 'denied' | 'pending' | 'executed' | 'failed' | 'closed';

/** What an approval looked like to the replay, for a record of it. */
export interface ApprovalView {
  name?: string;
  keyId?: string;
  counted: boolean;
  problem?: string;
}

/**
 * Whoever keeps a record of the requests (the report layer's request summaries,
 * report/request-summaries.ts) hears each event here. `request` returns the observer's own
 * handle for the request, or null when it keeps no record of it (a cap); the replay passes
 * that handle back and calls nothing for a null one. The rules never read what is recorded.
 */
export interface ReplayObserver {
  request(e: ReplayEntry, st: Request, riskTier: string | null, requester: Principal | undefined): unknown;
  status(handle: unknown, status: RequestStatus): void;
  finding(handle: unknown, code: FindingCode): void;
  decision(handle: unknown, e: ReplayEntry, st: Decision): void;
  approval(handle: unknown, e: ReplayEntry, st: Approval, view: ApprovalView): void;
  /** A refusal may come after its request closed: it names the request by digest. */
  refusal(requestDigest: string, e: ReplayEntry, st: Refusal, approver: string): void;
  execution(handle: unknown, e: ReplayEntry, st: Execution): void;
  closure(handle: unknown, e: ReplayEntry, st: Closure): void;
}

/** The replay's own part of the report's `governance`: the state at the end, and the totals. */
export interface ReplayReport {
  kind: 'countersign-replay';
  governance: { role: string; approvalsRequired: number } | null;
  gate: string | null;
  rosterVersion: number;
  policyVersion: number;
  totals: Record<RequestStatus, number>;
}

type Tombstone = 'executed' | 'closed' | 'denied';

// `open` is keyed by the digest the verifier computed (e.digest),
// never by a string sliced out of a payload: V8 keeps a sliced string's whole parent alive.
const TOMBSTONES: Tombstone[] = ['executed', 'closed', 'denied'];

/** Unknown-key uses held until the end of the log; beyond this they are reported at once. */
const MAX_DEFERRED = 10_000;

export class GovernanceReplay {
  private roster: RosterIndex | null = null;
  private policyIndex: PolicyInForce | null = null;
  private governance: Genesis['governance'] | null = null;
  private gateId: string | null = null;
  private lastAt: Instant | null = null;
  // Encoded records, not objects (open-requests.ts): memory must not follow a hostile log's open requests (issue 8).
  private readonly open: OpenRequests;
  /** Every closed request, by digest: 17 bytes each (digest-set.ts), not a Map entry. */
  private done: DigestTags;
  /** Every request id ever seen, by SHA-256 of the id. */
  private requestIds: DigestTags;
  private readonly unknownKeys: { keyId: string; line: number; seq: number; what: string }[] = [];
  readonly totals: ReplayReport['totals'] = { undecided: 0, allowed: 0, denied: 0, pending: 0, executed: 0, failed: 0, closed: 0 };
  /** Keys that signed validly, for the report. */
  readonly signers = new Map<string, SignerInfo>();
  /** Set once entry 0 is a valid genesis; without it policy replay is meaningless. */
  genesisOk = false;
  genesisSignatures: SignatureCheck[] = [];
  genesisStatement: Genesis | null = null;

  constructor(
    private readonly sink: FindingSink,
    private readonly origin: string | null,
    /** false: integrity only (who signed, under which roster); no request/policy state. For benchmarks. */
    private readonly policy = true,
    /**
     * true (a verifier reading a whole log): a key unknown so far is judged in finish(),
     * when every roster has been seen. false (a gate guarding its next append): reported at once.
     */
    private readonly deferUnknownKeys = true,
    /** Hears each request event, for the report's request summaries (report layer). */
    private readonly observer: ReplayObserver | null = null,
    /**
     * Makes a cold store for each table that may outgrow memory (the CLI: temp files past a
     * window; docs/format.md choice 54). None: everything stays in memory.
     */
    spill: (() => ColdStore) | null = null,
  ) {
    this.open = new OpenRequests({ cold: spill?.() ?? null });
    this.done = spill ? new SpilledDigestSet(spill()) : new DigestSet();
    this.requestIds = spill ? new SpilledDigestSet(spill()) : new DigestSet();
  }

  private add(code: FindingCode, e: { line: number; seq: number }, message: string, req?: OpenRequest | null): void {
    this.sink.add(code, e.line, message, e.seq);
    if (req && req.handle != null) this.observer!.finding(req.handle, code);
  }

  /** The roster in force now (for checkpoint signatures). */
  gateKeysInForce(): Set<string> {
    const out = new Set<string>();
    if (!this.roster || !this.gateId) return out;
    for (const k of this.roster.keys.values()) if (k.principal === this.gateId) out.add(k.keyId);
    return out;
  }

  /**
   * SIG.* for one envelope: returns the principals that signed it validly with a
   * key in force at this position and a time inside the key's window, and that
   * `expected` accepts.
   */
  private checkSigners(
    e: { line: number; seq: number },
    sigs: SignatureCheck[],
    at: Instant,
    roster: RosterIndex,
    expected: (principal: string) => boolean,
    expectedLabel: string,
    what: string,
    role: string,
  ): Set<string> {
    const good = new Set<string>();
    for (const s of sigs) {
      const j = judgeSignature(s, roster, at, expected);
      if (j.reason === 'unknown_key' && this.deferUnknownKeys && this.unknownKeys.length < MAX_DEFERRED) {
        // Unknown *so far*: a later roster may still add it (then it is SIG.key_not_valid).
        // Decided in finish(), once every roster of the log has been seen (docs/format.md choice 4).
        this.unknownKeys.push({ keyId: s.keyId, line: e.line, seq: e.seq, what });
        continue;
      }
      if (j.reason !== null) {
        const row = SIGNATURE_REASON_TABLE[j.reason];
        const words = { what, keyId: s.keyId, principal: j.key?.principal ?? null, expected: expectedLabel, rosterVersion: roster.version };
        this.add(row.finding, e, row.verifierWords(words));
        continue;
      }
      const k = j.key;
      good.add(k.principal);
      const info = this.signers.get(s.keyId);
      if (info) info.signatures = (info.signatures ?? 0) + 1;
      else {
        const p = roster.principals.get(k.principal);
        this.signers.set(s.keyId, {
          keyId: s.keyId,
          fingerprint: fingerprintOf(s.keyId),
          principal: k.principal,
          ...(p ? { name: p.name } : {}),
          roles: [role],
          signatures: 1,
        });
      }
      const si = this.signers.get(s.keyId)!;
      if (si.roles && !si.roles.includes(role)) si.roles.push(role);
    }
    return good;
  }

  apply(e: ReplayEntry): void {
    const st = e.statement;
    const at = instantOf(st.at);
    if (this.origin !== null && st.log !== this.origin) this.add('STMT.wrong_log', e, `statement.log "${st.log}" is not this log's origin "${this.origin}"`);
    // TIME.order (docs/format.md "Bundles"): more than 300 s before the previous entry.
    if (this.lastAt && (at.sec < this.lastAt.sec - 300 || (at.sec === this.lastAt.sec - 300 && at.nanos < this.lastAt.nanos)))
      this.add('TIME.order', e, `statement.at ${st.at} is more than 300 s before the previous entry's`);
    this.lastAt = at;

    if (e.seq === 0 || st.type === 'genesis') {
      this.applyGenesis(e, at);
      return;
    }
    if (!this.genesisOk || !this.roster || !this.policyIndex) return; // GOV.genesis already said why
    if (!this.policy && st.type !== 'roster' && st.type !== 'policy') return this.checkSignerOnly(e, st, at);
    switch (st.type) {
      case 'roster':
      case 'policy':
        return this.applyGovernanceChange(e, st, at);
      case 'request':
        return this.applyRequest(e, st, at);
      case 'decision':
        return this.applyDecision(e, st, at);
      case 'approval':
        return this.applyApproval(e, st, at);
      case 'refusal':
        return this.applyRefusal(e, st, at);
      case 'execution':
        return this.applyExecution(e, st, at);
      case 'closure':
        return this.applyClosure(e, st, at);
      case 'enrollment':
        this.add('FORMAT.schema', e, 'statement.type: an enrollment is handed to governance and never appears in a log');
        return;
    }
  }

  /** Integrity-only mode: SIG.* for the principal the statement names, nothing else. */
  private checkSignerOnly(e: ReplayEntry, st: Statement, at: Instant): void {
    const who = st.type === 'request' ? st.requester : st.type === 'approval' ? st.approver : st.type === 'enrollment' ? st.principal : this.gateId!;
    const role = st.type === 'request' ? 'requester' : st.type === 'approval' ? 'approver' : 'gate';
    this.checkSigners(e, e.signatures, at, this.roster!, (p) => p === who, who, st.type, role);
  }

  private applyGenesis(e: ReplayEntry, at: Instant): void {
    const st = e.statement;
    if (e.seq !== 0) {
      this.add('GOV.genesis', e, 'a genesis statement may only be entry 0');
      return;
    }
    if (st.type !== 'genesis') {
      this.add('GOV.genesis', e, `entry 0 is a ${st.type}, not a genesis`);
      return;
    }
    const problems: string[] = [];
    if (st.roster.version !== 1) problems.push('roster.version must be 1');
    if (st.policy.version !== 1) problems.push('policy.version must be 1');
    const roster = new RosterIndex(st.roster.version, st.roster.principals);
    const gate = roster.principals.get(st.gate);
    if (!gate) problems.push(`gate principal "${st.gate}" is not in the roster`);
    else if (gate.kind !== 'service') problems.push(`gate principal "${st.gate}" is a ${gate.kind}, not a service`);
    const role = st.governance.role;
    const signers = this.checkSigners(e, e.signatures, at, roster, (p) => roster.hasRole(p, role), `holders of role "${role}"`, 'genesis', 'governance');
    if (signers.size < st.governance.approvals_required)
      problems.push(`signed by ${signers.size} of the ${st.governance.approvals_required} governance principals required`);
    this.genesisSignatures = e.signatures;
    this.genesisStatement = st;
    if (problems.length) {
      this.add('GOV.genesis', e, `entry 0 is not a valid genesis: ${problems.join('; ')}`);
      return;
    }
    this.roster = roster;
    this.policyIndex = { version: st.policy.version, skills: st.policy.skills, grants: st.policy.grants };
    this.governance = st.governance;
    this.gateId = st.gate;
    this.genesisOk = true;
  }

  private applyGovernanceChange(e: ReplayEntry, st: Roster | Policy, at: Instant): void {
    const roster = this.roster!;
    const gov = this.governance!;
    const signers = this.checkSigners(
      e,
      e.signatures,
      at,
      roster,
      (p) => roster.hasRole(p, gov.role),
      `holders of role "${gov.role}"`,
      `${st.type} update`,
      'governance',
    );
    let ok = true;
    if (signers.size < gov.approvals_required) {
      this.add(
        'GOV.quorum',
        e,
        `${st.type} version ${st.version} is signed by ${signers.size} of ${gov.approvals_required} required governance principals; not applied`,
      );
      ok = false;
    }
    const current = st.type === 'roster' ? roster.version : this.policyIndex!.version;
    if (st.version !== current + 1) {
      this.add('GOV.version', e, `${st.type}.version is ${st.version}, expected ${current + 1}`);
      ok = false;
    }
    // Safe choice (docs/format.md): a change without quorum or with a wrong version is not applied.
    if (!ok) return;
    if (st.type === 'roster') {
      const next = new RosterIndex(st.version, st.principals);
      const gate = next.principals.get(this.gateId!);
      if (!gate || gate.kind !== 'service') {
        this.add('GOV.quorum', e, `roster version ${st.version} drops the gate service "${this.gateId}"; not applied`);
        return;
      }
      this.roster = next;
    } else this.policyIndex = { version: st.version, skills: st.skills, grants: st.grants };
  }

  private applyRequest(e: ReplayEntry, st: Request, at: Instant): void {
    const roster = this.roster!;
    this.checkSigners(e, e.signatures, at, roster, (p) => p === st.requester, `the requester ${st.requester}`, 'request', 'requester');
    const key = e.digest;
    const id = sha256(encodeUtf8(st.id));
    if (this.requestIds.has(id) || this.open.has(key) || this.done.has(decodeHex(e.digest.slice(7)))) {
      this.add('POLICY.duplicate_request', e, `request id "${st.id}" or its digest appears earlier in the log`);
      return;
    }
    this.requestIds.set(id, 1);
    const p = roster.principals.get(st.requester);
    const skill = findSkill(this.policyIndex!, st.skill, st.skill_version);
    const handle = this.observer ? this.observer.request(e, st, skill?.risk_tier ?? null, p) : null;
    this.totals.undecided++;
    this.open.set(key, {
      request: st,
      digest: e.digest,
      seq: e.seq,
      line: e.line,
      expiresAt: instantOf(st.expires_at),
      decided: false,
      outcome: null,
      gate: null,
      gateExpires: null,
      approvals: null,
      approvers: null,
      vetoed: false,
      status: 'undecided',
      handle,
    });
  }

  private setStatus(req: OpenRequest, status: RequestStatus): void {
    this.totals[req.status]--;
    this.totals[status]++;
    req.status = status;
    if (req.handle != null) this.observer!.status(req.handle, status);
  }

  /** Looks up the request a statement names; reports unknown ones. */
  private lookup(e: ReplayEntry, digest: string, what: string): OpenRequest | Tombstone | null {
    const req = this.open.get(digest);
    if (req) return req;
    const t = this.done.get(decodeHex(digest.slice(7)));
    if (t) return TOMBSTONES[t - 1]!;
    this.add('POLICY.unknown_request', e, `${what} names request ${digest.slice(0, 19)}…, which is not earlier in the log`);
    return null;
  }

  private close(req: OpenRequest, how: Tombstone): void {
    this.open.delete(req.digest);
    this.done.set(decodeHex(req.digest.slice(7)), TOMBSTONES.indexOf(how) + 1);
  }

  private gateSigned(e: ReplayEntry, at: Instant, what: string): void {
    const gateId = this.gateId!;
    this.checkSigners(e, e.signatures, at, this.roster!, (p) => p === gateId, `the gate ${gateId}`, what, 'gate');
  }

  private applyDecision(e: ReplayEntry, st: Decision, at: Instant): void {
    this.gateSigned(e, at, 'decision');
    const found = this.lookup(e, st.request, 'decision');
    if (found === null) return;
    if (typeof found === 'string' || found.decided) {
      this.add('POLICY.decision', e, 'the request was already decided', typeof found === 'string' ? null : found);
      return;
    }
    const req = found;
    const policy = this.policyIndex!;
    const r = req.request;
    // The outcome the policy in force requires (docs/format.md "Countersign statements and envelopes" "policy", deny by default).
    const { required, reasons } = judgeDecision({ policy, requesterRoles: this.roster!.rolesOf(r.requester), request: r, decision: st });
    if (reasons.length) {
      const words = { decision: st, policyVersion: policy.version, required, request: r };
      this.add('POLICY.decision', e, `decision: ${reasons.map((x) => DECISION_REASON_TABLE[x].verifierWords(words)).join('; ')}`, req);
    }
    req.decided = true;
    req.outcome = st.outcome;
    this.setStatus(req, st.outcome === 'parked' ? 'pending' : st.outcome === 'allowed' ? 'allowed' : 'denied');
    if (req.handle != null) this.observer!.decision(req.handle, e, st);
    if (st.outcome === 'parked' && st.gate) {
      req.gate = st.gate;
      req.gateExpires = instantOf(st.gate.expires_at);
    }
    if (st.outcome === 'denied') this.close(req, 'denied');
  }

  /** The approval judgement's view of a request (judgements.ts). */
  private phaseOf(found: OpenRequest | Tombstone): RequestPhase {
    if (typeof found === 'string') return found === 'denied' ? 'denied' : 'ended';
    if (!found.decided) return 'undecided';
    return found.outcome === 'parked' ? 'parked' : found.outcome === 'allowed' ? 'allowed' : 'denied';
  }

  private judge(found: OpenRequest | Tombstone, approver: string, vote: 'approve' | 'reject', times: Instant[]): ApprovalReason[] {
    const req = typeof found === 'string' ? null : found;
    return judgeApproval({
      phase: this.phaseOf(found),
      gate: req?.gate ?? null,
      expires: req?.gateExpires ?? null,
      requester: req?.request.requester ?? '',
      approver,
      vote,
      times,
      roster: this.roster!,
      voted: !!req?.approvers?.has(approver),
    });
  }

  private applyApproval(e: ReplayEntry, st: Approval, at: Instant): void {
    const roster = this.roster!;
    const signers = this.checkSigners(e, e.signatures, at, roster, (p) => p === st.approver, `the approver ${st.approver}`, 'approval', 'approver');
    const found = this.lookup(e, st.request, 'approval');
    if (found === null) return;
    const req = typeof found === 'string' ? null : found;
    const mismatch = !!req && !approvalMatchesRequest(st, req.request);
    if (mismatch)
      this.add(
        'STMT.mismatch',
        e,
        `approval names request_id "${st.request_id}" and skill "${st.skill}", but the request is "${req!.request.id}" for ${req!.request.skill}`,
        req,
      );
    const reasons = this.judge(found, st.approver, st.vote, [at]);
    const words = {
      approver: st.approver,
      at: st.at,
      expiresAt: req?.gate?.expires_at ?? '',
      roles: req?.gate?.approver_roles ?? [],
      phase: typeof found === 'string' ? found : req!.decided ? String(req!.outcome) : 'not decided',
    };
    for (const r of reasons) {
      const row = APPROVAL_REASON_TABLE[r];
      if (row.finding) this.add(row.finding, e, row.verifierWords(words), req);
    }
    if (!req) return;
    const counted = !mismatch && approvalCounts(reasons, signers.has(st.approver));
    if (counted) (req.approvers ??= new Set()).add(st.approver);
    if (counted && st.vote === 'reject' && req.gate?.reject_vetoes) req.vetoed = true;
    (req.approvals ??= new Map()).set(e.digest, { approver: st.approver, vote: st.vote, counted: counted && st.vote === 'approve' });
    if (req.handle != null) {
      // A repeated vote is named only when nothing else is wrong with it (docs/format.md choice 10).
      const named = reasons.length > 1 ? reasons.filter((r) => r !== 'duplicate') : reasons;
      const problems = [...(mismatch ? ['mismatch'] : []), ...named.map((r) => APPROVAL_REASON_TABLE[r].problem)];
      const p = roster.principals.get(st.approver);
      const key = e.signatures.find((s) => roster.keys.get(s.keyId)?.principal === st.approver);
      this.observer!.approval(req.handle, e, st, {
        ...(p ? { name: p.name } : {}),
        ...(key ? { keyId: key.keyId } : {}),
        counted,
        ...(problems.length ? { problem: problems.join(', ') } : {}),
      });
    }
  }

  private applyRefusal(e: ReplayEntry, st: Refusal, at: Instant): void {
    const roster = this.roster!;
    this.gateSigned(e, at, 'refusal');
    const found = this.lookup(e, st.request, 'refusal');
    if (found === null) return;
    const req = typeof found === 'string' ? null : found;
    const a = e.attempt;
    const bad = (why: string) => this.add('POLICY.refusal', e, `refusal (${st.code}): ${why}`, req);
    if (!a || !a.statement) return bad(`the attempt is not a well-formed approval${a?.problems.length ? ': ' + a.problems.join('; ') : ''}`);
    const ap = a.statement;
    if (ap.request !== st.request) return bad('the attempt approves another request');
    if (this.origin !== null && ap.log !== this.origin) return bad(`the attempt's log "${ap.log}" is not this log`);
    this.observer?.refusal(st.request, e, st, ap.approver);
    if (st.code === 'unknown_approver') {
      if (a.signatures.some((s) => roster.keys.has(s.keyId))) bad('the attempt is signed by a key in the roster in force');
      return;
    }
    // Every other code: the attempt must verify under a key the named approver holds now.
    const k = a.signatures.find((s) => s.valid === true && roster.keys.get(s.keyId)?.principal === ap.approver);
    if (!k) return bad(`the attempt is not validly signed by a key of ${ap.approver} in the roster in force`);
    if (a.problems.length) return bad(a.problems.join('; '));
    // docs/format.md choice 12: judged as the gate judged it, at the attempt's time and the refusal's.
    const reasons = this.judge(found, ap.approver, ap.vote, [instantOf(ap.at), at]);
    if (!refusalBorneOut(st.code, reasons)) bad(`the policy does not bear out "${st.code}" for ${ap.approver}`);
  }

  private applyExecution(e: ReplayEntry, st: Execution, at: Instant): void {
    this.gateSigned(e, at, 'execution');
    const found = this.lookup(e, st.request, 'execution');
    if (found === null) return;
    if (typeof found === 'string') {
      this.add('POLICY.not_runnable', e, `execution of a request that was already ${found}`);
      return;
    }
    const req = found;
    if (!req.decided) {
      this.add('POLICY.not_runnable', e, 'execution of a request the gate never decided', req);
    } else if (req.outcome === 'allowed') {
      if (st.approvals.length) this.add('POLICY.quorum', e, 'an allowed request executes with approvals: []', req);
    } else if (req.outcome === 'parked' && req.gate) {
      const need = req.gate.approvals_required;
      const distinct = new Set<string>();
      const missing: string[] = [];
      for (const d of st.approvals) {
        const a = req.approvals?.get(d);
        if (!a) missing.push(d);
        else if (a.counted) distinct.add(a.approver);
      }
      if (missing.length)
        this.add('POLICY.quorum', e, `execution cites ${missing.length} approval(s) that are not approvals of this request earlier in the log`, req);
      if (req.vetoed) this.add('POLICY.quorum', e, 'execution after a vetoing reject', req);
      if (distinct.size < need)
        this.add('POLICY.quorum', e, `execution relies on ${distinct.size} distinct eligible approval(s); the gate requires ${need}`, req);
    }
    if (req.handle != null) this.observer!.execution(req.handle, e, st);
    this.setStatus(req, st.outcome === 'succeeded' ? 'executed' : 'failed');
    this.close(req, 'executed');
  }

  private applyClosure(e: ReplayEntry, st: Closure, at: Instant): void {
    this.gateSigned(e, at, 'closure');
    const found = this.lookup(e, st.request, 'closure');
    if (found === null || typeof found === 'string') return;
    if (found.handle != null) this.observer!.closure(found.handle, e, st);
    this.setStatus(found, 'closed');
    this.close(found, 'closed');
  }

  /**
   * End of bundle: SIG.unknown_key for keys no roster of the log ever held (and
   * SIG.key_not_valid for keys a later roster added), REQ.pending for every parked
   * request still open (docs/format.md "Bundles"), on the line of the request (its seq is that entry's).
   */
  finish(everKnown: (keyId: string) => boolean): void {
    for (const u of this.unknownKeys) {
      const fp = fingerprintOf(u.keyId);
      if (everKnown(u.keyId)) this.sink.add('SIG.key_not_valid', u.line, `${u.what}: key ${fp} was not yet in the roster here; a later roster adds it`, u.seq);
      else this.sink.add('SIG.unknown_key', u.line, `${u.what}: key ${fp} is not in any roster of this log`, u.seq);
    }
    // Nothing is looked up after the last entry: the id and closed-request tables, and the open
    // requests' index (drain), go before the sort of the open requests needs memory (issue 8).
    this.requestIds = this.done = new DigestSet(8);
    for (const req of this.open.drain()) {
      if (req.outcome !== 'parked') continue;
      const got = req.approvals ? [...req.approvals.values()].filter((a) => a.counted).length : 0;
      this.sink.add(
        'REQ.pending',
        req.line,
        `request "${req.request.id}" (${req.request.skill}) is parked with ${got} of ${req.gate?.approvals_required ?? '?'} approvals, neither executed nor closed`,
        req.seq,
      );
      if (req.handle != null) this.observer!.finding(req.handle, 'REQ.pending');
    }
  }

  report(): ReplayReport {
    return {
      kind: 'countersign-replay',
      governance: this.governance ? { role: this.governance.role, approvalsRequired: this.governance.approvals_required } : null,
      gate: this.gateId,
      rosterVersion: this.roster?.version ?? 0,
      policyVersion: this.policyIndex?.version ?? 0,
      totals: this.totals,
    };
  }

  /** The gate principal named by the genesis. */
  get gatePrincipal(): string | null {
    return this.gateId;
  }

  /** The roster in force (for trust checks and names). */
  get currentRoster(): RosterIndex | null {
    return this.roster;
  }
}
