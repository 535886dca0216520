// The shared fixture of our own conformance vectors: a cast with deterministic keys
// (SHA-256("vectors:" + name)), a policy, and a "misbehaving gate" that writes whatever
// statement it is told to, signed and chained correctly (LogWriter), so that each breaker
// can break exactly one thing and leave everything else valid.
import { decodeBase64, encodeBase64 } from '../../../src/core/encoding/base64.ts';
import { asSecretKey, type SecretKey } from '../../../src/core/encoding/bytes.ts';
import { encodeHex } from '../../../src/core/encoding/hex.ts';
import { canonicalBytes } from '../../../src/core/encoding/jcs.ts';
import { decodeUtf8, encodeUtf8 } from '../../../src/core/encoding/utf8.ts';
import { sha256 } from '../../../src/core/crypto/hash.ts';
import { getPublicKey, keyIdOf } from '../../../src/core/crypto/ed25519.ts';
import { FINDING_CODES, type FindingCode } from '../../../src/core/report/findings.ts';
import { LogWriter, type AppendedEntry } from '../../../src/core/log/log-writer.ts';
import { leafHash } from '../../../src/core/log/merkle.ts';
import type { Envelope, Gate, Principal, Refusal, Request } from '../../../src/core/statements/schemas.ts';
import { signStatement } from '../../../src/core/statements/sign-statement.ts';
import { addSeconds, formatInstant, instantOf, minInstant } from '../../../src/core/statements/time.ts';
import type { GenesisParts } from '../../../src/core/gate/reference-gate.ts';

export const ORIGIN = 'vectors.countersign.example/agents';
export const T0 = '2026-03-18T09:00:00Z';
export const KEYS_FROM = '2026-01-01T00:00:00Z';

const keyCache = new Map<string, SecretKey>();
/** The deterministic secret key of a fixture name (principals, strangers, rotated keys). */
export function key(name: string): SecretKey {
  let k = keyCache.get(name);
  if (!k) keyCache.set(name, (k = asSecretKey(sha256(encodeUtf8(`vectors:${name}`)))));
  return k;
}
export const pub = (name: string): string => encodeBase64(getPublicKey(key(name)));
export const keyId = (name: string): string => keyIdOf(getPublicKey(key(name)));

/** T0 + `minutes`. */
export function at(minutes: number): string {
  return formatInstant(addSeconds(instantOf(T0), minutes * 60));
}

export const TWO_LEADS: Gate = { approvals_required: 2, approver_roles: ['security-lead'], forbid_requester: true, ttl_s: 3600, reject_vetoes: true };
/** A gate where one approval suffices, the requester may approve and rejects do not veto. */
export const ONE_LEAD: Gate = { approvals_required: 1, approver_roles: ['security-lead'], forbid_requester: false, ttl_s: 1800, reject_vetoes: false };

export function principal(id: string, name: string, kind: Principal['kind'], roles: string[], keyName = id): Principal {
  return { id, name, kind, roles, keys: [{ pub: pub(keyName), from: KEYS_FROM }] };
}

export function cast(): Principal[] {
  return [
    principal('gov-1', 'Grace Okafor', 'human', ['governance']),
    principal('gov-2', 'Henrik Lund', 'human', ['governance']),
    principal('gate', 'Vector Gate', 'service', []),
    principal('agent-a', 'Ops agent A', 'agent', ['agent.ops']),
    principal('hank', 'Hank Mills', 'human', ['engineer', 'security-lead']),
    principal('alice', 'Alice Moreau', 'human', ['security-lead']),
    principal('bob', 'Bob Achterberg', 'human', ['security-lead']),
    principal('carol', 'Carol Nguyen', 'human', ['security-lead']),
    principal('dave', 'Dave Iyer', 'human', ['engineer']),
  ];
}

export function genesisParts(principals: Principal[] = cast()): GenesisParts {
  return {
    roster: { version: 1, principals },
    policy: {
      version: 1,
      skills: [
        { skill: 'iam.grant_access', version: '3', risk_tier: 'high', gate: TWO_LEADS },
        { skill: 'logs.read', version: '1', risk_tier: 'low' },
        { skill: 'db.drop_table', version: '1', risk_tier: 'critical', gate: TWO_LEADS },
        { skill: 'config.update', version: '1', risk_tier: 'medium', gate: ONE_LEAD },
      ],
      grants: [
        { role: 'agent.ops', skill: 'iam.grant_access', versions: ['3'] },
        { role: 'agent.ops', skill: 'logs.read', versions: ['1'] },
        { role: 'agent.ops', skill: 'config.update', versions: ['1'] },
        { role: 'engineer', skill: 'iam.grant_access', versions: ['3'] },
      ],
    },
    governance: { role: 'governance', approvals_required: 2 },
    gate: 'gate',
  };
}

/** The statement an envelope carries (trusted test data: plain JSON.parse). */
export function statementOf<T = Record<string, unknown>>(envelope: Envelope): T {
  return JSON.parse(decodeUtf8(decodeBase64(envelope.payload))) as T;
}

export interface Req {
  digest: string;
  statement: Request;
  envelope: Envelope;
}

/** The gate of the given skill version in the fixture policy. */
function gateOf(skill: string, version: string): Gate | undefined {
  return genesisParts().policy.skills.find((s) => s.skill === skill && s.version === version)?.gate;
}

/**
 * A log writer with the fixture's cast. Every statement is signed by the keys named and
 * chained; `at` defaults to a clock that moves one minute per statement.
 */
export class Fixture {
  readonly w = LogWriter.create(ORIGIN, key('gate'));
  /** The policy version decisions name by default; a breaker that applies a policy update sets it. */
  policyVersion = 1;
  #minute = 0;

  /** The next statement time: one minute after the last. */
  tick(): string {
    return at(++this.#minute);
  }
  /** Moves the clock so the next tick is `minutes` + 1. */
  setClock(minutes: number): void {
    this.#minute = minutes;
  }

  sign(statement: object, signers: string[]): Envelope {
    return signStatement(statement, signers.map(key));
  }

  add(statement: object, signers: string[]): AppendedEntry {
    return this.w.appendEnvelope(this.sign(statement, signers));
  }

  genesis(parts: GenesisParts = genesisParts(), signers = ['gov-1', 'gov-2']): AppendedEntry {
    return this.add({ type: 'genesis', log: ORIGIN, at: T0, ...parts }, signers);
  }

  requestStatement(id: string, o: Partial<Request> = {}): Request {
    const when = o.at ?? this.tick();
    return {
      type: 'request',
      log: ORIGIN,
      at: when,
      id,
      requester: 'agent-a',
      skill: 'iam.grant_access',
      skill_version: '3',
      args: { ticket: `INC-${id}`, role: 'db-admin' },
      expires_at: formatInstant(addSeconds(instantOf(when), 7200)),
      ...o,
    };
  }

  request(id: string, o: Partial<Request> = {}, signers?: string[]): Req {
    const statement = this.requestStatement(id, o);
    const envelope = this.sign(statement, signers ?? [statement.requester]);
    const e = this.w.appendEnvelope(envelope);
    return { digest: e.digest, statement, envelope };
  }

  /** The decision a correct gate writes, unless told otherwise. */
  decide(
    req: Req,
    outcome: 'parked' | 'allowed' | 'denied' = 'parked',
    o: { at?: string; gate?: object; policy_version?: number; reason?: string } = {},
  ): AppendedEntry {
    const when = o.at ?? this.tick();
    const g = gateOf(req.statement.skill, req.statement.skill_version);
    const gate =
      outcome !== 'parked'
        ? undefined
        : (o.gate ?? {
            ...g!,
            expires_at: formatInstant(minInstant(instantOf(req.statement.expires_at), addSeconds(instantOf(when), g!.ttl_s))),
          });
    return this.add(
      {
        type: 'decision',
        log: ORIGIN,
        at: when,
        request: req.digest,
        outcome,
        policy_version: o.policy_version ?? this.policyVersion,
        reason: o.reason ?? (outcome === 'parked' ? 'gated' : outcome === 'allowed' ? 'no_gate' : 'ungranted'),
        ...(gate ? { gate } : {}),
      },
      ['gate'],
    );
  }

  /** A signed approval envelope, not appended (an attempt for a refusal, or for `approve`). */
  approval(
    req: Req,
    approver: string,
    o: { vote?: 'approve' | 'reject'; at?: string; request_id?: string; skill?: string; signers?: string[]; comment?: string } = {},
  ): Envelope {
    return this.sign(
      {
        type: 'approval',
        log: ORIGIN,
        at: o.at ?? this.tick(),
        request: req.digest,
        request_id: o.request_id ?? req.statement.id,
        skill: o.skill ?? req.statement.skill,
        approver,
        vote: o.vote ?? 'approve',
        ...(o.comment !== undefined ? { comment: o.comment } : {}),
      },
      o.signers ?? [approver],
    );
  }

  approve(req: Req, approver: string, o: Parameters<Fixture['approval']>[2] = {}): string {
    return this.w.appendEnvelope(this.approval(req, approver, o)).digest;
  }

  refuse(req: Req, attempt: Envelope, code: Refusal['code'], when?: string): AppendedEntry {
    return this.add({ type: 'refusal', log: ORIGIN, at: when ?? this.tick(), request: req.digest, attempt, code }, ['gate']);
  }

  execute(req: Req | string, approvals: string[], o: { at?: string; signers?: string[] } = {}): AppendedEntry {
    const digest = typeof req === 'string' ? req : req.digest;
    return this.add({ type: 'execution', log: ORIGIN, at: o.at ?? this.tick(), request: digest, approvals, outcome: 'succeeded' }, o.signers ?? ['gate']);
  }

  close(req: Req | string, reason: 'expired' | 'rejected' | 'withdrawn', when?: string): AppendedEntry {
    const digest = typeof req === 'string' ? req : req.digest;
    return this.add({ type: 'closure', log: ORIGIN, at: when ?? this.tick(), request: digest, reason }, ['gate']);
  }

  /** A governance change signed by `signers` (default: the quorum). */
  update(statement: Record<string, unknown>, signers = ['gov-1', 'gov-2']): AppendedEntry {
    return this.add({ log: ORIGIN, at: this.tick(), ...statement }, signers);
  }

  checkpoint(): string {
    return this.w.checkpoint();
  }

  /** The usual life of a gated request: parked, two security leads approve, executed. */
  approvedRequest(id: string, o: Partial<Request> = {}): Req {
    const req = this.request(id, o);
    this.decide(req);
    const a = this.approve(req, 'alice');
    const b = this.approve(req, 'bob');
    this.execute(req, [a, b]);
    return req;
  }

  /** An ungated request, allowed and run at once. */
  allowedRequest(id: string): Req {
    const req = this.request(id, { skill: 'logs.read', skill_version: '1', args: { service: 'payments', lines: 500 } });
    this.decide(req, 'allowed');
    this.execute(req, []);
    return req;
  }

  get genesisHex(): string {
    return encodeHex(leafHash(canonicalBytes(this.w.entries[0]!)));
  }

  text(): string {
    return this.w.text();
  }
}

/** A fixture with a valid genesis and one executed request: the usual starting point. */
export function baseFixture(): Fixture {
  const f = new Fixture();
  f.genesis();
  f.approvedRequest('req-1');
  return f;
}

export interface VectorCase {
  name: string;
  file: string;
  expect: 'pass' | 'warn' | 'fail';
  /** Codes that must appear; no other error code may. */
  codes: FindingCode[];
  /** `genesis:HEX` or `key:HEX` anchors, space-separated; null for none. */
  trust: string | null;
  note: string;
  bytes: Uint8Array;
  /**
   * Set when the verifier in this repository disagrees with FORMAT.md on this case: what it
   * does instead. The test expects that case to fail (it.fails) until the verifier is fixed.
   */
  divergence?: string;
  /**
   * docs/format.md §7.2: the file of another case that was verified first and whose last
   * checkpoint is remembered (a witness's state) when this case is verified.
   */
  remember?: string;
}

/** The verdict a set of codes implies (FORMAT.md §6). */
export function verdictOf(codes: readonly FindingCode[]): VectorCase['expect'] {
  if (codes.some((c) => FINDING_CODES[c] === 'error')) return 'fail';
  return codes.length ? 'warn' : 'pass';
}

export function makeCase(
  name: string,
  source: Fixture | string,
  codes: FindingCode[],
  note: string,
  o: { trust?: string | null; divergence?: string; remember?: string } = {},
): VectorCase {
  const text = typeof source === 'string' ? source : source.text();
  const trust = o.trust !== undefined ? o.trust : typeof source === 'string' ? null : `genesis:${source.genesisHex}`;
  return {
    name,
    file: `${name}.jsonl`,
    expect: verdictOf(codes),
    codes,
    trust,
    note,
    bytes: encodeUtf8(text),
    ...(o.divergence !== undefined ? { divergence: o.divergence } : {}),
    ...(o.remember !== undefined ? { remember: o.remember } : {}),
  };
}
