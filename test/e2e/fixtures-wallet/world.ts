// A small, deterministic Countersign log for the wallet's tests (unit and e2e): governance,
// a gate, an agent, approvers with known keys, a log profile, and request packets in every
// shape a wallet must judge (good, expired, forged decision, confusable text, ...).
// Built with the core writer (LogWriter, signStatement) so it is what a real gate writes.
import { encodeBase64 } from '../../../src/core/encoding/base64.ts';
import { asSecretKey, type SecretKey } from '../../../src/core/encoding/bytes.ts';
import { encodeUtf8 } from '../../../src/core/encoding/utf8.ts';
import { sha256 } from '../../../src/core/crypto/hash.ts';
import { getPublicKey, keyIdOf } from '../../../src/core/crypto/ed25519.ts';
import { LogWriter } from '../../../src/core/log/log-writer.ts';
import { ReferenceGate } from '../../../src/core/gate/reference-gate.ts';
import { signStatement } from '../../../src/core/statements/sign-statement.ts';
import type { Envelope, Entry, Principal } from '../../../src/core/statements/schemas.ts';
import { buildApproval } from '../../../src/core/wallet/statements.ts';

export interface Actor {
  id: string;
  name: string;
  kind: 'human' | 'agent' | 'service';
  roles: string[];
  secret: SecretKey | null;
  pub: string;
  keyId: string;
}

/** A deterministic key for a test actor (never use such keys outside tests). */
export function fixtureSecret(label: string): SecretKey {
  return asSecretKey(sha256(encodeUtf8(`countersign-wallet-fixture:${label}`)).slice());
}

export function makeActor(id: string, name: string, kind: Actor['kind'], roles: string[], secret?: SecretKey): Actor {
  const s = secret ?? fixtureSecret(id);
  const pub = getPublicKey(s);
  return { id, name, kind, roles, secret: s, pub: encodeBase64(pub), keyId: keyIdOf(pub) };
}

/** An actor known only by its public key (e.g. the wallet's own identity, from its enrollment). */
export function publicActor(id: string, name: string, roles: string[], pub: string, keyId: string): Actor {
  return { id, name, kind: 'human', roles, secret: null, pub, keyId };
}

const iso = (ms: number) => new Date(ms).toISOString();

export const IAM = { skill: 'iam.grant_access', version: '3' };
export const PAY = { skill: 'payments.transfer', version: '1' };

export interface WorldOptions {
  origin?: string;
  now?: number;
  /** Extra humans put in the roster by a roster update (e.g. the wallet identity). */
  extra?: Actor[];
}

export interface RequestOptions {
  id: string;
  skill?: { skill: string; version: string };
  args?: unknown;
  reason?: string;
  requester?: Actor;
  /** Decision time, ms since epoch (default now - 60 s). */
  decidedAt?: number;
  /** Request expiry, ms (default decision + 2 h). */
  expiresAt?: number;
  /** Sign the decision with this actor instead of the gate. */
  decisionSigner?: Actor;
  /** Approvals to include, signed by these actors. */
  approvals?: { by: Actor; vote?: 'approve' | 'reject'; comment?: string; signWith?: Actor }[];
  /** Override the packet's log field. */
  packetLog?: string;
}

export class World {
  readonly origin: string;
  readonly now: number;
  readonly gov1: Actor;
  readonly gov2: Actor;
  readonly gate: Actor;
  readonly agent: Actor;
  readonly alice: Actor;
  readonly bob: Actor;
  readonly carol: Actor;
  readonly paula: Actor;
  readonly extra: Actor[];
  readonly writer: LogWriter;
  readonly genesis: Entry;
  readonly updates: Entry[] = [];
  private readonly principals: Principal[];
  readonly from: string;

  constructor(opts: WorldOptions = {}) {
    this.origin = opts.origin ?? 'acme.example/agents-prod';
    this.now = opts.now ?? Date.now();
    this.from = iso(this.now - 30 * 86400_000);
    this.gov1 = makeActor('gov1', 'Grace Governance', 'human', ['governance']);
    this.gov2 = makeActor('gov2', 'Gil Governance', 'human', ['governance']);
    this.gate = makeActor('gate', 'Approval gate', 'service', []);
    this.agent = makeActor('ops-agent', 'Ops agent', 'agent', ['agent.ops']);
    this.alice = makeActor('alice', 'Alice Moreau', 'human', ['security-lead']);
    this.bob = makeActor('bob', 'Bob Okafor', 'human', ['security-lead']);
    this.carol = makeActor('carol', 'Carol Diaz', 'human', ['engineer', 'agent.ops']);
    this.paula = makeActor('paula', 'Paula Finance', 'human', ['payments-officer', 'security-lead']);
    this.extra = opts.extra ?? [];
    const base = [this.gov1, this.gov2, this.gate, this.agent, this.alice, this.bob, this.carol, this.paula];
    this.principals = base.map((a) => this.principal(a));
    this.writer = LogWriter.create(this.origin, this.gate.secret!);
    const genesis = {
      type: 'genesis',
      log: this.origin,
      at: iso(this.now - 10 * 86400_000),
      roster: { version: 1, principals: this.principals },
      policy: {
        version: 1,
        skills: [
          {
            skill: IAM.skill,
            version: IAM.version,
            risk_tier: 'high',
            gate: { approvals_required: 2, approver_roles: ['security-lead'], forbid_requester: true, ttl_s: 3600, reject_vetoes: true },
          },
          {
            skill: PAY.skill,
            version: PAY.version,
            risk_tier: 'critical',
            gate: { approvals_required: 1, approver_roles: ['payments-officer'], forbid_requester: true, ttl_s: 3600, reject_vetoes: false },
          },
          { skill: 'docs.read', version: '1', risk_tier: 'low' },
        ],
        grants: [
          { role: 'agent.ops', skill: IAM.skill, versions: [IAM.version] },
          { role: 'agent.ops', skill: PAY.skill, versions: [PAY.version] },
          { role: 'security-lead', skill: IAM.skill, versions: [IAM.version] },
          { role: 'agent.ops', skill: 'docs.read', versions: ['1'] },
        ],
      },
      governance: { role: 'governance', approvals_required: 2 },
      gate: this.gate.id,
    };
    this.genesis = this.writer.append(genesis, [this.gov1.secret!, this.gov2.secret!]).entry;
    if (this.extra.length) {
      const roster = {
        type: 'roster',
        log: this.origin,
        at: iso(this.now - 86400_000),
        version: 2,
        principals: [...this.principals, ...this.extra.map((a) => this.principal(a))],
      };
      this.updates.push(this.writer.append(roster, [this.gov1.secret!, this.gov2.secret!]).entry);
    }
  }

  principal(a: Actor): Principal {
    return { id: a.id, name: a.name, kind: a.kind, roles: a.roles, keys: [{ pub: a.pub, from: this.from }] };
  }

  /** The log-profile/v1 file (FORMAT.md §5) with a checkpoint over everything written so far. */
  profile(): { countersign: 'log-profile/v1'; genesis: Entry; updates: Entry[]; checkpoint: string } {
    const checkpoint = this.writer.checkpoint();
    return { countersign: 'log-profile/v1', genesis: this.genesis, updates: this.updates, checkpoint };
  }

  profileText(): string {
    return JSON.stringify(this.profile(), null, 2) + '\n';
  }

  /** A request-packet/v1 and the pieces it is made of. */
  packet(o: RequestOptions) {
    const requester = o.requester ?? this.agent;
    const skill = o.skill ?? IAM;
    const decidedAt = o.decidedAt ?? this.now - 60_000;
    const requestAt = decidedAt - 1000;
    const expiresAt = o.expiresAt ?? decidedAt + 2 * 3600_000;
    const request = {
      type: 'request',
      log: this.origin,
      at: iso(requestAt),
      id: o.id,
      requester: requester.id,
      skill: skill.skill,
      skill_version: skill.version,
      args: o.args ?? { principal: 'svc-reporting', role: 'roles/storage.objectViewer', project: 'acme-prod', duration_h: 8 },
      ...(o.reason !== undefined ? { reason: o.reason } : { reason: 'Nightly report job needs read access to the exports bucket' }),
      expires_at: iso(expiresAt),
    };
    const requestEnv = signStatement(request, [requester.secret!]);
    const req = this.writer.appendEnvelope(requestEnv);
    const policySkill =
      skill === PAY ? { ttl: 3600, n: 1, roles: ['payments-officer'], vetoes: false } : { ttl: 3600, n: 2, roles: ['security-lead'], vetoes: true };
    const gateExpires = Math.min(expiresAt, decidedAt + policySkill.ttl * 1000);
    const decision = {
      type: 'decision',
      log: this.origin,
      at: iso(decidedAt),
      request: req.digest,
      outcome: 'parked',
      policy_version: 1,
      reason: 'gated',
      gate: {
        approvals_required: policySkill.n,
        approver_roles: policySkill.roles,
        forbid_requester: true,
        ttl_s: policySkill.ttl,
        reject_vetoes: policySkill.vetoes,
        expires_at: iso(gateExpires),
      },
    };
    const decisionEnv = signStatement(decision, [(o.decisionSigner ?? this.gate).secret!]);
    this.writer.appendEnvelope(decisionEnv);
    const approvals: Envelope[] = (o.approvals ?? []).map((a) =>
      signStatement(
        buildApproval({
          log: this.origin,
          at: iso(decidedAt + 30_000),
          requestDigest: req.digest,
          requestId: o.id,
          skill: skill.skill,
          approver: a.by.id,
          vote: a.vote ?? 'approve',
          comment: a.comment,
        }),
        [(a.signWith ?? a.by).secret!],
      ),
    );
    const packet = {
      countersign: 'request-packet/v1' as const,
      log: o.packetLog ?? this.origin,
      request: requestEnv,
      decision: decisionEnv,
      requester: this.principal(requester),
      approvals,
    };
    return { packet, text: JSON.stringify(packet, null, 2) + '\n', digest: req.digest, request, decision };
  }
}

// ---------------------------------------------------------------------------------------------
// A log kept by the reference gate itself (src/core/gate/reference-gate.ts): the realistic
// path for the end-to-end test, where governance enrolls the wallet's new key with a roster
// update and the gate later accepts the wallet's approval.

export class GateWorld {
  readonly w: World;
  readonly gate: ReferenceGate;
  rosterVersion = 1;
  constructor(origin = 'acme.example/agents-prod', now = Date.now()) {
    this.w = new World({ origin, now });
    const genesisSt = JSON.parse(Buffer.from(this.w.genesis.envelope.payload, 'base64').toString('utf8'));
    this.gate = ReferenceGate.create({
      origin,
      genesis: { roster: genesisSt.roster, policy: genesisSt.policy, governance: genesisSt.governance, gate: genesisSt.gate },
      governanceKeys: [this.w.gov1.secret!, this.w.gov2.secret!],
      gateKey: this.w.gate.secret!,
      at: genesisSt.at,
    });
  }

  /** Governance adds a principal (e.g. from its enrollment) with a roster update. */
  enroll(a: Actor): void {
    const genesisSt = JSON.parse(Buffer.from(this.w.genesis.envelope.payload, 'base64').toString('utf8'));
    this.rosterVersion++;
    const st = {
      type: 'roster',
      log: this.gate.origin,
      at: new Date(this.w.now - 5 * 60_000).toISOString(),
      version: this.rosterVersion,
      principals: [...genesisSt.roster.principals, this.w.principal(a)],
    };
    const r = this.gate.submitUpdate(signStatement(st, [this.w.gov1.secret!, this.w.gov2.secret!]), st.at);
    if (r.outcome !== 'recorded') throw new Error(`roster update: ${r.message}`);
  }

  /** The agent asks; the gate parks it; `approvers` approve first. Returns the packet text. */
  request(id: string, approvers: Actor[] = [], args?: unknown, reason?: string): string {
    const at = new Date(this.w.now - 2 * 60_000).toISOString();
    const st = {
      type: 'request',
      log: this.gate.origin,
      at,
      id,
      requester: this.w.agent.id,
      skill: IAM.skill,
      skill_version: IAM.version,
      args: args ?? { principal: 'svc-reporting', role: 'roles/storage.objectViewer', project: 'acme-prod', duration_h: 8 },
      reason: reason ?? 'Nightly report job needs read access to the exports bucket',
      expires_at: new Date(this.w.now + 3 * 3600_000).toISOString(),
    };
    const sub = this.gate.submitRequest(signStatement(st, [this.w.agent.secret!]), at);
    if (sub.outcome !== 'parked') throw new Error(`request: ${sub.outcome} ${sub.message}`);
    for (const a of approvers) {
      const ap = buildApproval({
        log: this.gate.origin,
        at: new Date(this.w.now - 60_000).toISOString(),
        requestDigest: sub.digest!,
        requestId: id,
        skill: IAM.skill,
        approver: a.id,
        vote: 'approve',
      });
      const r = this.gate.acceptApproval({ countersign: 'approval/v1', envelope: signStatement(ap, [a.secret!]) }, ap.at);
      if (r.outcome !== 'recorded') throw new Error(`approval: ${r.outcome} ${r.message}`);
    }
    return JSON.stringify(this.gate.requestPacket(id)) + '\n';
  }

  profileText(): string {
    return JSON.stringify(this.gate.logProfile()) + '\n';
  }
}
