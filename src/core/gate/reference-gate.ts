// The reference gate (docs/format.md "Countersign statements and envelopes"): it parks an
// agent's privileged request until n-of-m named humans sign, and writes every step to a bundle
// (docs/format.md "The log and its checkpoints", "Bundles").
//
//   request   ungranted/unknown → denied; no gate → allowed (and executed at once);
//             gated → parked, expires_at = min(request.expires_at, decision.at + ttl_s)
//   approval  refused with a refusal entry when it cannot count (requester_forbidden,
//             not_eligible, late, duplicate, unknown_approver); recorded otherwise;
//             executes once the quorum holds; closes on a vetoing reject
//   expiry    closes parked requests whose gate expired
//
// It refuses to write a log the verifier would fail: every entry is first fed through the
// governance feed to the verifier's own replay with its signatures checked (append-guard.ts),
// and any error finding stops it. Input that would fail is `rejected-input` with nothing
// appended; the gate's own statements failing is a bug and throws. Whether an approval counts
// is the shared judgement (governance/judgements.ts); the gate's view of its log is
// gate-state.ts; its argument and result types are gate-types.ts; approval files are read by
// approval-input.ts.
import { parseJsonText } from '../encoding/json.ts';
import { assertBytes, type SecretKey } from '../encoding/bytes.ts';
import { getPublicKey, keyIdOf, verifyStrict } from '../crypto/ed25519.ts';
import { LogWriter } from '../log/log-writer.ts';
import type { Approval, Decision, Entry, Envelope, Genesis, LogProfile, Refusal, Request, RequestPacket } from '../statements/schemas.ts';
import { openEnvelope } from '../statements/envelope.ts';
import { signStatement } from '../statements/sign-statement.ts';
import { formatInstant, instantOf, compareInstants, parseTime } from '../statements/time.ts';
import { approvalMatchesRequest, judgeApproval, judgeSignature, type RequestPhase } from '../governance/judgements.ts';
import { REFUSAL_WORDS, SIGNATURE_REASON_TABLE, refusalFor, type RefusalCode } from '../governance/reasons.ts';
import { parkedExpiry, requiredDecision, type RequiredDecision } from '../governance/policy-rules.ts';
import {
  LogRefusedError,
  type ApprovalResult,
  type CreateGateArgs,
  type GateOptions,
  type GateRunner,
  type RequestState,
  type SubmitResult,
  type UpdateResult,
} from './gate-types.ts';
import { AppendGuard } from './append-guard.ts';
import { GateState, stateOf, type GateRequest } from './gate-state.ts';
import { readApprovalInput } from './approval-input.ts';

export * from './gate-types.ts';
export { buildApprovalFile } from './approval-input.ts';

export type { RefusalCode } from '../governance/reasons.ts';

function assertTime(at: unknown, name = 'at'): asserts at is string {
  if (typeof at !== 'string') throw new TypeError(`${name} must be an RFC 3339 UTC time string`);
  if (parseTime(at) === null) throw new RangeError(`${name} must be an RFC 3339 UTC time ending in Z (docs/format.md "Bytes"), got ${JSON.stringify(at)}`);
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

  /** The gate's view of its log (gate-state.ts), updated once an entry is in it. */
  readonly #state = new GateState();

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
    gate.#writer.checkpoint(gate.#gateKey, gate.#versions());
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

  /** A requester's signed request (docs/format.md "Countersign statements and envelopes" "request") → decision (and execution if allowed). */
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
    if (this.#state.byId.has(st.id) || this.#state.byDigest.has(opened.digest))
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
    const req = this.#state.byDigest.get(opened.digest)!;
    const { outcome, reason, skill } = this.#evaluate(st);
    const decision: Decision = {
      type: 'decision',
      log: this.origin,
      at,
      request: opened.digest,
      outcome,
      policy_version: this.#state.policy!.version,
      reason,
    };
    if (outcome === 'parked' && skill?.gate) {
      // docs/format.md "Countersign statements and envelopes" "decision": the earlier of the request's expires_at and at + ttl_s.
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

  /** The outcome the policy in force requires (docs/format.md "Countersign statements and envelopes" "policy": deny by default). */
  #evaluate(r: Request): RequiredDecision {
    return requiredDecision(this.#state.policy!, this.#state.roster!.rolesOf(r.requester), r.skill, r.skill_version);
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
    const req = this.#state.byDigest.get(st.request);
    if (!req) return reject('POLICY.unknown_request', `the approval names request "${st.request_id}" (${st.request.slice(0, 19)}…), which is not in this log`);
    if (!approvalMatchesRequest(st, req.request))
      return reject(
        'STMT.mismatch',
        `the approval names request "${st.request_id}" for ${st.skill}, but that digest is request "${req.request.id}" for ${req.request.skill}`,
      );

    let appended = this.#expireDue(at);
    const roster = this.#state.roster!;
    let code: RefusalCode | null;
    if (!opened.signatures.some((s) => roster.keys.has(s.keyId))) code = 'unknown_approver';
    else {
      // Who validly signed it, judged as the verifier's replay judges signatures (judgeSignature:
      // a key of the roster in force, valid at the approval's `at`, held by the approver).
      const signedAt = instantOf(st.at);
      const judged = opened.signatures.map((s) => {
        const k = roster.keys.get(s.keyId);
        const check = { keyId: s.keyId, valid: k ? verifyStrict(s.signature, opened.signedMessage, k.publicKey) : null };
        return judgeSignature(check, roster, signedAt, (principal) => principal === st.approver);
      });
      if (!judged.some((j) => j.reason === null)) {
        const others = [...new Set(judged.filter((j) => j.reason === 'wrong_signer').map((j) => j.key!.principal))];
        const reason = others.length ? 'wrong_signer' : judged.some((j) => j.reason === 'not_valid_at') ? 'not_valid_at' : 'invalid';
        const by = others.length ? ` (it is signed by ${others.join(', ')})` : reason === 'not_valid_at' ? ' (the key is not valid at its time)' : '';
        return reject(
          SIGNATURE_REASON_TABLE[reason].finding,
          `the approval is not validly signed by a key of ${st.approver} in the roster in force${by}`,
          this.#finish(appended),
        );
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
      if (!gate.reject_vetoes) return { outcome: 'recorded', message: `reject by ${st.approver} recorded; it does not veto`, appended: this.#finish(appended) };
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
      roster: this.#state.roster!,
      voted: req.voters.has(st.approver),
    });
    return refusalFor(reasons);
  }

  // --- expiry, execution, closure --------------------------------------------------------------

  /** Closes every parked request whose gate expired before `at` (docs/format.md "Countersign statements and envelopes" "closure"). */
  expire(at: string): { closed: string[]; appended: number } {
    assertTime(at);
    const before = [...this.#state.byDigest.values()].filter((r) => r.status === 'parked').map((r) => r.request.id);
    const appended = this.#finish(this.#expireDue(at));
    const closed = before.filter((id) => this.#state.byId.get(id)!.status === 'closed');
    return { closed, appended };
  }

  #expireDue(at: string): number {
    const now = instantOf(at);
    let n = 0;
    for (const req of this.#state.byDigest.values())
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

  /** A roster or policy update signed by the governance quorum (docs/format.md "Countersign statements and envelopes"). */
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
    return this.#writer.checkpoint(this.#gateKey, this.#versions());
  }

  /** The roster and policy versions in force: every checkpoint states them (docs/format.md "Witnesses"). */
  #versions(): { roster: number; policy: number } | undefined {
    const { roster, policy } = this.#state;
    return roster && policy ? { roster: roster.version, policy: policy.version } : undefined;
  }

  bundleText(): string {
    return this.#writer.text();
  }

  /** The state of one request, or null. */
  requestState(requestId: string): RequestState | null {
    if (typeof requestId !== 'string') throw new TypeError('requestId must be a string');
    const r = this.#state.byId.get(requestId);
    return r ? stateOf(r) : null;
  }

  /** Every request in the log, in order. */
  requests(): RequestState[] {
    return [...this.#state.byId.values()].map(stateOf);
  }

  /** request-packet/v1 (docs/format.md "Exchange files") of a parked request, for its approvers. */
  requestPacket(requestId: string): RequestPacket {
    if (typeof requestId !== 'string') throw new TypeError('requestId must be a string');
    const r = this.#state.byId.get(requestId);
    if (!r) throw new RangeError(`no request "${requestId}" in this log`);
    if (r.status !== 'parked' || !r.decisionEnvelope) throw new RangeError(`request "${requestId}" is ${r.status}, not waiting for approvals`);
    const requester = this.#state.roster!.principals.get(r.request.requester);
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

  /** log-profile/v1 (docs/format.md "Exchange files"): what a wallet trusts. Needs a checkpoint (create writes one). */
  logProfile(): LogProfile {
    const checkpoint = this.#writer.lastCheckpoint;
    if (checkpoint === null) throw new RangeError('the log has no checkpoint yet: call checkpoint() first');
    return { countersign: 'log-profile/v1', genesis: this.#writer.entries[0]!, updates: [...this.#state.updates], checkpoint };
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
        {
          code: 'CKPT.signature',
          severity: 'error',
          line: 0,
          message: `key ${id.slice(0, 16)}… is not a key of the gate "${this.#state.gateId}" in the roster in force`,
        },
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
    this.#state.apply(entry, checked.statement, checked.digest);
  }

  /** Feeds the log as written to a fresh guard; with `build`, also the gate's state. */
  #replayWriter(build: boolean): void {
    let seq = 0;
    let line = 1;
    for (const text of this.#writer.lines) {
      line++;
      // The strict reader here too (issue 8, item 7), though these lines were read strictly on resume.
      const parsed = parseJsonText(text);
      if (!parsed.ok) throw new LogRefusedError(`the bundle's line ${line}`, []);
      const v = parsed.value as { entry?: Entry; checkpoint?: string };
      if (v.entry) {
        const entry = this.#writer.entries[seq]!;
        const checked = this.#guard.check(entry, seq, line);
        if (checked.errors.length || !checked.statement || !checked.digest)
          throw new LogRefusedError(`the bundle's entry ${seq} (line ${line})`, checked.findings);
        if (build) this.#state.apply(entry, checked.statement, checked.digest);
        seq++;
      } else if (build && typeof v.checkpoint === 'string') this.#guard.checkCheckpoint(v.checkpoint, line, this.origin, this.#state.gateId);
    }
  }
}

function refusalMessage(code: RefusalCode, st: Approval, req: GateRequest): string {
  return REFUSAL_WORDS[code]({ approver: st.approver, requestId: req.request.id, phase: req.status === 'parked' ? 'expired' : req.status });
}
