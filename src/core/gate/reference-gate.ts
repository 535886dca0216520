// The reference gate (FORMAT.md §2.2): it parks an agent's privileged request until
// n-of-m named humans sign, and writes every step to a bundle (FORMAT.md §3, §4).
//
//   request   ungranted/unknown → denied; no gate → allowed (and executed at once);
//             gated → parked, expires_at = min(request.expires_at, decision.at + ttl_s)
//   approval  refused with a refusal entry when it cannot count (requester_forbidden,
//             not_eligible, late, duplicate, unknown_approver); recorded otherwise;
//             executes once the quorum holds; closes on a vetoing reject
//   expiry    closes parked requests whose gate expired
//
// It refuses to write a log the verifier would fail: every entry is first fed to a
// GovernanceReplay (the verifier's own policy replay, replay.ts) with its signatures
// checked, and any error finding stops it. Input that would fail is `rejected-input`
// with nothing appended; the gate's own statements failing is a bug and throws.
import { assertBytes, type SecretKey } from '../encoding/bytes.ts';
import { parseJsonBytes, parseJsonText, type JsonValue } from '../encoding/json.ts';
import { getPublicKey, keyIdOf, verifyStrict } from '../crypto/ed25519.ts';
import { parseCheckpoint } from '../log/checkpoint.ts';
import { LogWriter } from '../log/log-writer.ts';
import { FindingSink, type Finding } from '../statements/findings.ts';
import {
  ApprovalFileSchema,
  describeZodError,
  type Approval,
  type Decision,
  type Entry,
  type Envelope,
  type Genesis,
  type Grant,
  type LogProfile,
  type Principal,
  type Refusal,
  type Request,
  type RequestPacket,
  type Skill,
  type Statement,
} from '../statements/schemas.ts';
import { openEnvelope } from '../statements/envelope.ts';
import { signStatement } from '../statements/sign-statement.ts';
import { compareInstants, formatInstant, instantOf, parseTime, type Instant } from '../statements/time.ts';
import { GovernanceFeed, SYNC_SIGNATURES } from '../governance/feed.ts';
import { judgeApproval, type RequestPhase } from '../governance/judgements.ts';
import { CHECKPOINT_REASON_TABLE, REFUSAL_WORDS, refusalFor, type RefusalCode } from '../governance/reasons.ts';
import { parkedExpiry, requiredDecision, type RequiredDecision } from '../governance/policy-rules.ts';
import { RosterIndex } from '../governance/roster.ts';

export type { RefusalCode } from '../governance/reasons.ts';

/** What the gate did with an approval (FORMAT.md §2.2 "approval", "refusal"). */
export interface ApprovalResult {
  outcome: 'recorded' | 'refused' | 'executed' | 'closed' | 'rejected-input';
  /** The refusal code, or for rejected input the finding code that explains it. */
  code?: string;
  message: string;
  /** Entries appended (checkpoint lines are not counted). */
  appended: number;
}

export interface SubmitResult {
  outcome: 'allowed' | 'parked' | 'denied' | 'rejected-input';
  code?: string;
  message: string;
  appended: number;
  requestId?: string;
  /** The request's digest (FORMAT.md §2), which approvals name. */
  digest?: string;
  /** A parked request's gate expiry. */
  expiresAt?: string;
}

export interface UpdateResult {
  outcome: 'recorded' | 'rejected-input';
  code?: string;
  message: string;
  appended: number;
}

/** What a gated action's run reports; the default runner says `succeeded`. */
export type GateRunner = (request: Request) => { outcome: 'succeeded' | 'failed'; result?: JsonValue };

export interface GateOptions {
  /** Checkpoint after every call that appended entries (default true), so the bundle ends anchored. */
  autoCheckpoint?: boolean;
  run?: GateRunner;
}

export interface GenesisParts {
  roster: { version: number; principals: Principal[] };
  policy: { version: number; skills: Skill[]; grants: Grant[] };
  governance: { role: string; approvals_required: number };
  /** Principal id of the gate service. */
  gate: string;
}

export interface CreateGateArgs extends GateOptions {
  origin: string;
  genesis: GenesisParts;
  /** Secret keys of the governance quorum that signs the genesis. Not kept. */
  governanceKeys: SecretKey[];
  gateKey: SecretKey;
  at: string;
}

export type RequestStatus = 'undecided' | 'allowed' | 'parked' | 'denied' | 'executed' | 'closed';

export interface RequestState {
  id: string;
  digest: string;
  requester: string;
  skill: string;
  skillVersion: string;
  status: RequestStatus;
  expiresAt: string | null;
  approvalsRequired: number | null;
  /** Distinct approvers whose approve vote counts. */
  approvedBy: string[];
}

/** Thrown when an entry would make the verifier fail the log (FORMAT.md §6). */
export class LogRefusedError extends Error {
  readonly findings: Finding[];
  readonly code: string;
  constructor(what: string, findings: Finding[]) {
    const errors = findings.filter((f) => f.severity === 'error');
    super(`${what} would fail verification: ${errors.map((f) => `${f.code}: ${f.message}`).join('; ')}`);
    this.name = 'LogRefusedError';
    this.findings = findings;
    this.code = errors[0]?.code ?? 'unknown';
  }
}

// ---------------------------------------------------------------------------------------------
// The guard: the verifier's replay, fed through the one feed path (governance/feed.ts) with
// signatures checked at once, before each append.

interface Checked {
  statement: Statement | null;
  digest: string | null;
  errors: Finding[];
  findings: Finding[];
}

class AppendGuard {
  readonly #sink = new FindingSink(Number.MAX_SAFE_INTEGER);
  readonly feed: GovernanceFeed;

  constructor(origin: string) {
    // The gate judges each entry before it appends it: nothing is deferred (docs/format.md choice 4).
    this.feed = new GovernanceFeed(this.#sink, origin, SYNC_SIGNATURES, { deferUnknownKeys: false });
  }

  /** Feeds entry `seq` to the replay, as the verifier would, and returns what it found. */
  check(entry: Entry, seq: number, line: number): Checked {
    const before = this.#sink.findings.length;
    const r = this.feed.feedEntry(entry.envelope, line, seq);
    const findings = this.#sink.findings.slice(before);
    return { statement: r?.statement ?? null, digest: r?.digest ?? null, findings, errors: findings.filter((f) => f.severity === 'error') };
  }

  /** Key ids of the gate principal in the roster in force (FORMAT.md §3). */
  gateKeys(): Set<string> {
    return this.feed.replay.gateKeysInForce();
  }
}

// ---------------------------------------------------------------------------------------------

interface GateRequest {
  request: Request;
  envelope: Envelope;
  digest: string;
  decision: Decision | null;
  decisionEnvelope: Envelope | null;
  expiresAt: Instant | null;
  /** Every recorded approval entry, in log order. */
  approvals: { digest: string; envelope: Envelope; approver: string; vote: 'approve' | 'reject' }[];
  /** Approvers whose first vote was recorded (replay.ts counts one vote per approver). */
  voters: Set<string>;
  /** Digests of counted approve votes: what an execution cites. */
  approveDigests: string[];
  status: RequestStatus;
}

function assertTime(at: unknown, name = 'at'): asserts at is string {
  if (typeof at !== 'string') throw new TypeError(`${name} must be an RFC 3339 UTC time string`);
  if (parseTime(at) === null) throw new RangeError(`${name} must be an RFC 3339 UTC time ending in Z (FORMAT.md §1), got ${JSON.stringify(at)}`);
}

function firstProblem(problems: { code: string; message: string }[]): { code: string; message: string } {
  return problems[0] ?? { code: 'FORMAT.schema', message: 'not a valid envelope' };
}

const defaultRunner: GateRunner = () => ({ outcome: 'succeeded' });

export class ReferenceGate {
  readonly #writer: LogWriter;
  #guard: AppendGuard;
  #gateKey: SecretKey;
  readonly #autoCheckpoint: boolean;
  readonly #run: GateRunner;

  #roster: RosterIndex | null = null;
  #policy: { version: number; skills: Skill[]; grants: Grant[] } | null = null;
  #gateId = '';
  readonly #updates: Entry[] = [];
  readonly #byDigest = new Map<string, GateRequest>();
  readonly #byId = new Map<string, GateRequest>();

  private constructor(writer: LogWriter, gateKey: SecretKey, opts: GateOptions) {
    this.#writer = writer;
    this.#guard = new AppendGuard(writer.origin);
    this.#gateKey = gateKey;
    this.#autoCheckpoint = opts.autoCheckpoint ?? true;
    this.#run = opts.run ?? defaultRunner;
  }

  /** A new log: the genesis (signed by `governanceKeys`) and a first checkpoint. */
  static create(args: CreateGateArgs): ReferenceGate {
    if (args === null || typeof args !== 'object') throw new TypeError('ReferenceGate.create needs an arguments object');
    const { origin, genesis, governanceKeys, gateKey, at } = args;
    assertBytes(gateKey, 32, 'gateKey');
    assertTime(at);
    if (genesis === null || typeof genesis !== 'object') throw new TypeError('genesis must be an object');
    const gate = new ReferenceGate(LogWriter.create(origin, gateKey), gateKey, args);
    const statement: Genesis = {
      type: 'genesis',
      log: origin,
      at,
      roster: genesis.roster,
      policy: genesis.policy,
      governance: genesis.governance,
      gate: genesis.gate,
    };
    gate.#append(signStatement(statement, governanceKeys), 'the genesis');
    gate.#assertGateKeyInForce();
    gate.#writer.checkpoint(gate.#gateKey);
    return gate;
  }

  /**
   * Continues the log in `bundleText`. Every entry and checkpoint is re-checked as the
   * verifier would; a bundle that fails (or a gate key not in force) throws
   * LogRefusedError, since appending to it could only produce a failing log.
   */
  static resume(bundleText: string, gateKey: SecretKey, opts: GateOptions = {}): ReferenceGate {
    assertBytes(gateKey, 32, 'gateKey');
    const writer = LogWriter.resume(bundleText, gateKey);
    const gate = new ReferenceGate(writer, gateKey, opts);
    gate.#replayWriter(true);
    gate.#assertGateKeyInForce();
    return gate;
  }

  get origin(): string {
    return this.#writer.origin;
  }

  /** Number of entries in the log. */
  get size(): number {
    return this.#writer.size;
  }

  /** Signs later checkpoints and gate statements with a rotated gate key. */
  useGateKey(gateKey: SecretKey): void {
    assertBytes(gateKey, 32, 'gateKey');
    this.#gateKey = gateKey;
    this.#writer.setGateKey(gateKey);
    this.#assertGateKeyInForce();
  }

  // --- requests --------------------------------------------------------------------------

  /** A requester's signed request (FORMAT.md §2.2 "request") → decision (and execution if allowed). */
  submitRequest(requestEnvelope: unknown, at: string): SubmitResult {
    assertTime(at);
    const reject = (code: string, message: string, appended = 0): SubmitResult => ({ outcome: 'rejected-input', code, message, appended });
    const { opened, problems } = openEnvelope(requestEnvelope, 'request');
    if (!opened || !opened.statement || problems.length) {
      const p = firstProblem(problems);
      return reject(p.code, p.message);
    }
    const st = opened.statement;
    if (st.type !== 'request') return reject('FORMAT.schema', `this is a ${st.type} statement, not a request`);
    if (st.log !== this.origin) return reject('STMT.wrong_log', `the request is for log "${st.log}", not "${this.origin}"`);
    if (this.#byId.has(st.id) || this.#byDigest.has(opened.digest))
      return reject('POLICY.duplicate_request', `request id "${st.id}" is already in the log`);
    if (compareInstants(instantOf(at), instantOf(st.expires_at)) > 0)
      return reject('late', `the request expired at ${st.expires_at}, before the gate received it`);
    let appended = this.#expireDue(at);
    try {
      this.#append(opened.envelope, `request "${st.id}"`);
    } catch (e) {
      if (!(e instanceof LogRefusedError)) throw e;
      return reject(e.code, e.message, this.#finish(appended));
    }
    appended++;
    const req = this.#byDigest.get(opened.digest)!;
    const { outcome, reason, skill } = this.#evaluate(st);
    const decision: Decision = {
      type: 'decision',
      log: this.origin,
      at,
      request: opened.digest,
      outcome,
      policy_version: this.#policy!.version,
      reason,
    };
    if (outcome === 'parked' && skill?.gate) {
      // FORMAT.md §2.2 "decision": the earlier of the request's expires_at and at + ttl_s.
      decision.gate = { ...skill.gate, expires_at: formatInstant(parkedExpiry(st.expires_at, at, skill.gate.ttl_s)) };
    }
    this.#append(signStatement(decision, [this.#gateKey]), `the decision on "${st.id}"`);
    appended++;
    let message = `request "${st.id}" ${outcome} (${reason})`;
    if (outcome === 'allowed') {
      this.#execute(req, at);
      appended++;
      message += ' and executed';
    }
    return {
      outcome,
      message,
      appended: this.#finish(appended),
      requestId: st.id,
      digest: opened.digest,
      ...(decision.gate ? { expiresAt: decision.gate.expires_at } : {}),
    };
  }

  /** The outcome the policy in force requires (FORMAT.md §2.2 "policy": deny by default). */
  #evaluate(r: Request): RequiredDecision {
    return requiredDecision(this.#policy!, this.#roster!.rolesOf(r.requester), r.skill, r.skill_version);
  }

  // --- approvals -------------------------------------------------------------------------

  /**
   * An approval/v1 file (object, JSON text or bytes) or a bare approval envelope. Input that
   * is malformed, badly signed, for another log or for no request in this log is
   * `rejected-input` and nothing is appended.
   */
  acceptApproval(input: unknown, at: string): ApprovalResult {
    assertTime(at);
    const reject = (code: string, message: string, appended = 0): ApprovalResult => ({ outcome: 'rejected-input', code, message, appended });
    const read = readApprovalInput(input);
    if (!read.ok) return reject(read.code, read.message);
    const { opened, problems } = openEnvelope(read.envelope, 'approval');
    if (!opened || !opened.statement || problems.length) {
      const p = firstProblem(problems);
      return reject(p.code, p.message);
    }
    const st = opened.statement;
    if (st.type !== 'approval') return reject('FORMAT.schema', `this is a ${st.type} statement, not an approval`);
    if (st.log !== this.origin) return reject('STMT.wrong_log', `the approval is for log "${st.log}", not "${this.origin}"`);
    const req = this.#byDigest.get(st.request);
    if (!req)
      return reject('POLICY.unknown_request', `the approval names request "${st.request_id}" (${st.request.slice(0, 19)}…), which is not in this log`);
    if (st.request_id !== req.request.id || st.skill !== req.request.skill)
      return reject('STMT.mismatch', `the approval names request "${st.request_id}" for ${st.skill}, but that digest is request "${req.request.id}" for ${req.request.skill}`);

    let appended = this.#expireDue(at);
    const roster = this.#roster!;
    let code: RefusalCode | null;
    if (!opened.signatures.some((s) => roster.keys.has(s.keyId))) code = 'unknown_approver';
    else {
      // Who validly signed it, among the keys in force (FORMAT.md §2.1).
      const signers = new Set<string>();
      for (const s of opened.signatures) {
        const k = roster.keys.get(s.keyId);
        if (k && verifyStrict(s.signature, opened.signedMessage, k.publicKey)) signers.add(k.principal);
      }
      if (!signers.has(st.approver)) {
        const code = signers.size ? 'SIG.wrong_signer' : 'SIG.invalid';
        const by = signers.size ? ` (it is signed by ${[...signers].join(', ')})` : '';
        return reject(code, `the approval is not validly signed by a key of ${st.approver} in the roster in force${by}`, this.#finish(appended));
      }
      code = this.#refusalCode(req, st, at);
    }
    if (code !== null) {
      const refusal: Refusal = { type: 'refusal', log: this.origin, at, request: req.digest, attempt: opened.envelope, code };
      this.#append(signStatement(refusal, [this.#gateKey]), `the refusal of ${st.approver}'s approval`);
      appended++;
      return { outcome: 'refused', code, message: refusalMessage(code, st, req), appended: this.#finish(appended) };
    }
    try {
      this.#append(opened.envelope, `${st.approver}'s approval`);
    } catch (e) {
      if (!(e instanceof LogRefusedError)) throw e;
      return reject(e.code, e.message, this.#finish(appended));
    }
    appended++;
    const gate = req.decision!.gate!;
    if (st.vote === 'reject') {
      if (!gate.reject_vetoes)
        return { outcome: 'recorded', message: `reject by ${st.approver} recorded; it does not veto`, appended: this.#finish(appended) };
      this.#close(req, 'rejected', at);
      appended++;
      return { outcome: 'closed', message: `request "${req.request.id}" closed: ${st.approver} rejected it`, appended: this.#finish(appended) };
    }
    if (req.approveDigests.length >= gate.approvals_required) {
      this.#execute(req, at);
      appended++;
      return {
        outcome: 'executed',
        message: `request "${req.request.id}" executed with ${req.approveDigests.length} of ${gate.approvals_required} approvals`,
        appended: this.#finish(appended),
      };
    }
    return {
      outcome: 'recorded',
      message: `approval by ${st.approver} recorded: ${req.approveDigests.length} of ${gate.approvals_required}`,
      appended: this.#finish(appended),
    };
  }

  /** Why this approval cannot count, or null: the shared judgement (governance/judgements.ts), first reason first. */
  #refusalCode(req: GateRequest, st: Approval, at: string): RefusalCode | null {
    const gate = req.decision?.gate ?? null;
    const phase: RequestPhase =
      req.status === 'executed' || req.status === 'closed'
        ? 'ended'
        : req.status === 'parked' && gate && req.expiresAt
          ? 'parked'
          : req.status === 'denied' || req.status === 'allowed'
            ? req.status
            : 'undecided';
    const reasons = judgeApproval({
      phase,
      gate,
      expires: req.expiresAt,
      requester: req.request.requester,
      approver: st.approver,
      vote: st.vote,
      times: [instantOf(at), instantOf(st.at)],
      roster: this.#roster!,
      voted: req.voters.has(st.approver),
    });
    return refusalFor(reasons);
  }

  // --- expiry, execution, closure --------------------------------------------------------------

  /** Closes every parked request whose gate expired before `at` (FORMAT.md §2.2 "closure"). */
  expire(at: string): { closed: string[]; appended: number } {
    assertTime(at);
    const before = [...this.#byDigest.values()].filter((r) => r.status === 'parked').map((r) => r.request.id);
    const appended = this.#finish(this.#expireDue(at));
    const closed = before.filter((id) => this.#byId.get(id)!.status === 'closed');
    return { closed, appended };
  }

  #expireDue(at: string): number {
    const now = instantOf(at);
    let n = 0;
    for (const req of this.#byDigest.values())
      if (req.status === 'parked' && req.expiresAt && compareInstants(now, req.expiresAt) > 0) {
        this.#close(req, 'expired', at);
        n++;
      }
    return n;
  }

  #close(req: GateRequest, reason: 'expired' | 'rejected' | 'withdrawn', at: string): void {
    const closure = { type: 'closure', log: this.origin, at, request: req.digest, reason };
    this.#append(signStatement(closure, [this.#gateKey]), `the closure of "${req.request.id}"`);
  }

  #execute(req: GateRequest, at: string): void {
    const ran = this.#run(req.request);
    const execution = {
      type: 'execution',
      log: this.origin,
      at,
      request: req.digest,
      approvals: req.status === 'allowed' ? [] : [...req.approveDigests],
      outcome: ran.outcome,
      ...(ran.result !== undefined ? { result: ran.result } : {}),
    };
    this.#append(signStatement(execution, [this.#gateKey]), `the execution of "${req.request.id}"`);
  }

  // --- governance ------------------------------------------------------------------------------

  /** A roster or policy update signed by the governance quorum (FORMAT.md §2.2). */
  submitUpdate(envelope: unknown, at: string): UpdateResult {
    assertTime(at);
    const { opened, problems } = openEnvelope(envelope, 'update');
    if (!opened || !opened.statement || problems.length) {
      const p = firstProblem(problems);
      return { outcome: 'rejected-input', code: p.code, message: p.message, appended: 0 };
    }
    const st = opened.statement;
    if (st.type !== 'roster' && st.type !== 'policy')
      return { outcome: 'rejected-input', code: 'FORMAT.schema', message: `this is a ${st.type} statement, not a roster or policy update`, appended: 0 };
    try {
      this.#append(opened.envelope, `${st.type} version ${st.version}`);
    } catch (e) {
      if (!(e instanceof LogRefusedError)) throw e;
      return { outcome: 'rejected-input', code: e.code, message: e.message, appended: 0 };
    }
    return { outcome: 'recorded', message: `${st.type} version ${st.version} is in force`, appended: this.#finish(1) };
  }

  // --- the log ---------------------------------------------------------------------------------

  /** Appends a checkpoint of every entry, unless the last one already covers them. Returns the note. */
  checkpoint(): string {
    if (this.#writer.anchored) return this.#writer.lastCheckpoint!;
    this.#assertGateKeyInForce();
    return this.#writer.checkpoint(this.#gateKey);
  }

  bundleText(): string {
    return this.#writer.text();
  }

  /** The state of one request, or null. */
  requestState(requestId: string): RequestState | null {
    if (typeof requestId !== 'string') throw new TypeError('requestId must be a string');
    const r = this.#byId.get(requestId);
    return r ? stateOf(r) : null;
  }

  /** Every request in the log, in order. */
  requests(): RequestState[] {
    return [...this.#byId.values()].map(stateOf);
  }

  /** request-packet/v1 (FORMAT.md §5) of a parked request, for its approvers. */
  requestPacket(requestId: string): RequestPacket {
    if (typeof requestId !== 'string') throw new TypeError('requestId must be a string');
    const r = this.#byId.get(requestId);
    if (!r) throw new RangeError(`no request "${requestId}" in this log`);
    if (r.status !== 'parked' || !r.decisionEnvelope) throw new RangeError(`request "${requestId}" is ${r.status}, not waiting for approvals`);
    const requester = this.#roster!.principals.get(r.request.requester);
    if (!requester) throw new RangeError(`the requester "${r.request.requester}" is not in the roster in force`);
    return {
      countersign: 'request-packet/v1',
      log: this.origin,
      request: r.envelope,
      decision: r.decisionEnvelope,
      requester,
      approvals: r.approvals.map((a) => a.envelope),
    };
  }

  /** log-profile/v1 (FORMAT.md §5): what a wallet trusts. Needs a checkpoint (create writes one). */
  logProfile(): LogProfile {
    const checkpoint = this.#writer.lastCheckpoint;
    if (checkpoint === null) throw new RangeError('the log has no checkpoint yet: call checkpoint() first');
    return { countersign: 'log-profile/v1', genesis: this.#writer.entries[0]!, updates: [...this.#updates], checkpoint };
  }

  // --- internals -------------------------------------------------------------------------------

  #finish(appended: number): number {
    if (appended > 0 && this.#autoCheckpoint) this.checkpoint();
    return appended;
  }

  #assertGateKeyInForce(): void {
    const id = keyIdOf(getPublicKey(this.#gateKey));
    if (!this.#guard.gateKeys().has(id))
      throw new LogRefusedError('signing with this gate key', [
        { code: 'CKPT.signature', severity: 'error', line: 0, message: `key ${id.slice(0, 16)}… is not a key of the gate "${this.#gateId}" in the roster in force` },
      ]);
  }

  /**
   * Appends an entry only if the replay raises no error for it; otherwise the guard is
   * rebuilt and LogRefusedError thrown. Callers turn that into `rejected-input` for input;
   * for the gate's own statements it propagates (it would be a bug in this gate).
   */
  #append(envelope: Envelope, what: string): void {
    const entry = this.#writer.nextEntry(envelope);
    const checked = this.#guard.check(entry, entry.seq, this.#writer.lines.length + 2);
    if (checked.errors.length || !checked.statement || !checked.digest) {
      // The replay has taken the entry in; rebuild it from the log as written.
      this.#guard = new AppendGuard(this.origin);
      this.#replayWriter(false);
      throw new LogRefusedError(what, checked.findings);
    }
    this.#writer.appendEnvelope(envelope);
    this.#apply(entry, checked.statement, checked.digest);
  }

  /** Feeds the log as written to a fresh guard; with `build`, also the gate's state. */
  #replayWriter(build: boolean): void {
    let seq = 0;
    let line = 1;
    for (const text of this.#writer.lines) {
      line++;
      const v = JSON.parse(text) as { entry?: Entry; checkpoint?: string };
      if (v.entry) {
        const entry = this.#writer.entries[seq]!;
        const checked = this.#guard.check(entry, seq, line);
        if (checked.errors.length || !checked.statement || !checked.digest)
          throw new LogRefusedError(`the bundle's entry ${seq} (line ${line})`, checked.findings);
        if (build) this.#apply(entry, checked.statement, checked.digest);
        seq++;
      } else if (build && typeof v.checkpoint === 'string') this.#checkCheckpoint(v.checkpoint, line);
    }
  }

  /** A checkpoint already in a bundle must be signed by a gate key in force there (CKPT.signature). */
  #checkCheckpoint(note: string, line: number): void {
    const p = parseCheckpoint(note);
    const feed = this.#guard.feed;
    const j = p.ok && p.checkpoint.origin === this.origin ? feed.judgeCheckpoint(feed.prepareCheckpoint(p.checkpoint)) : null;
    if (!j || j.reason !== null)
      throw new LogRefusedError(`the bundle's checkpoint on line ${line}`, [
        { code: 'CKPT.signature', severity: 'error', line, message: CHECKPOINT_REASON_TABLE[j?.reason ?? 'not_gate_signed'].words({ origin: this.origin, gate: this.#gateId }) },
      ]);
  }

  /** Updates the gate's own view from an entry that is now in the log. */
  #apply(entry: Entry, st: Statement, digest: string): void {
    switch (st.type) {
      case 'genesis':
        this.#roster = new RosterIndex(st.roster.version, st.roster.principals);
        this.#policy = { version: st.policy.version, skills: st.policy.skills, grants: st.policy.grants };
        this.#gateId = st.gate;
        return;
      case 'roster':
        this.#roster = new RosterIndex(st.version, st.principals);
        this.#updates.push(entry);
        return;
      case 'policy':
        this.#policy = { version: st.version, skills: st.skills, grants: st.grants };
        this.#updates.push(entry);
        return;
      case 'request': {
        const r: GateRequest = {
          request: st,
          envelope: entry.envelope,
          digest,
          decision: null,
          decisionEnvelope: null,
          expiresAt: null,
          approvals: [],
          voters: new Set(),
          approveDigests: [],
          status: 'undecided',
        };
        this.#byDigest.set(r.digest, r);
        this.#byId.set(st.id, r);
        return;
      }
      case 'decision': {
        const r = this.#byDigest.get(st.request)!;
        r.decision = st;
        r.decisionEnvelope = entry.envelope;
        r.status = st.outcome === 'parked' ? 'parked' : st.outcome;
        r.expiresAt = st.gate ? instantOf(st.gate.expires_at) : null;
        return;
      }
      case 'approval': {
        const r = this.#byDigest.get(st.request)!;
        r.approvals.push({ digest, envelope: entry.envelope, approver: st.approver, vote: st.vote });
        if (!r.voters.has(st.approver)) {
          r.voters.add(st.approver);
          if (st.vote === 'approve') r.approveDigests.push(digest);
        }
        return;
      }
      case 'execution':
        this.#byDigest.get(st.request)!.status = 'executed';
        return;
      case 'closure':
        this.#byDigest.get(st.request)!.status = 'closed';
        return;
      default:
        return; // refusals change nothing: they count for nothing (FORMAT.md §2.2)
    }
  }
}

function stateOf(r: GateRequest): RequestState {
  return {
    id: r.request.id,
    digest: r.digest,
    requester: r.request.requester,
    skill: r.request.skill,
    skillVersion: r.request.skill_version,
    status: r.status,
    expiresAt: r.decision?.gate?.expires_at ?? null,
    approvalsRequired: r.decision?.gate?.approvals_required ?? null,
    approvedBy: r.approvals.filter((a) => r.approveDigests.includes(a.digest)).map((a) => a.approver),
  };
}

function refusalMessage(code: RefusalCode, st: Approval, req: GateRequest): string {
  return REFUSAL_WORDS[code]({ approver: st.approver, requestId: req.request.id, phase: req.status === 'parked' ? 'expired' : req.status });
}

type ApprovalInput = { ok: true; envelope: unknown } | { ok: false; code: string; message: string };

/** approval/v1 file (FORMAT.md §5) as object, text or bytes, or a bare envelope. */
function readApprovalInput(input: unknown): ApprovalInput {
  let value: unknown = input;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const p = typeof input === 'string' ? parseJsonText(input) : parseJsonBytes(input);
    if (!p.ok) return { ok: false, code: 'FORMAT.json', message: `approval file: ${p.error.message} at ${p.error.path}` };
    value = p.value;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, code: 'FORMAT.schema', message: 'an approval must be an approval/v1 file or an envelope object' };
  if (!('countersign' in value)) return { ok: true, envelope: value };
  const f = ApprovalFileSchema.safeParse(value);
  if (!f.success) return { ok: false, code: 'FORMAT.schema', message: describeZodError(f.error, 'approval file') };
  return { ok: true, envelope: f.data.envelope };
}

/** The approval/v1 file (FORMAT.md §5) for an approval envelope. */
export function buildApprovalFile(envelope: Envelope): { countersign: 'approval/v1'; envelope: Envelope } {
  if (envelope === null || typeof envelope !== 'object') throw new TypeError('envelope must be an object');
  return { countersign: 'approval/v1', envelope };
}
