// The demo: a small, realistic log written by the reference gate, plus the files a person
// needs to play the waiting approver (docs/format.md "Exchange files" exchange files, docs/keyfile.md).
//
// Deterministic for a seed: every secret key is SHA-256(seed + ':' + name) and every time
// is fixed, so bundle.jsonl, trust.txt, request.json and log-profile.json are the same
// bytes for the same seed. The key files are not: key/v1 draws a random salt and nonce
// for every file (docs/keyfile.md), which is what a real key file must do.
//
// Story (2026-03-18, UTC):
//   09:00 genesis: governance quorum 2 (Grace, Henrik), gate service, agent, security leads
//   09:05 req-1  agent-a asks for iam.grant_access (high risk, 2 security leads) → parked
//   09:07        agent-a approves its own request → refusal requester_forbidden
//   09:20/24     alice and bob approve → executed
//   09:30 req-2  agent-a asks for db.drop_table, which it has no grant for → denied
//   09:35 req-3  agent-a reads logs (low risk, no gate) → allowed, executed with approvals []
//   09:40 req-4  agent-a asks for release.deploy → parked; 09:45 alice approves (1 of 2)
//   final checkpoint; req-4 waits for carol, whose key file is approver.key
import { encodeBase64 } from '../encoding/base64.ts';
import { asSecretKey, type SecretKey } from '../encoding/bytes.ts';
import { encodeHex } from '../encoding/hex.ts';
import type { JsonValue } from '../encoding/json.ts';
import { encodeUtf8 } from '../encoding/utf8.ts';
import { sha256 } from '../crypto/hash.ts';
import { getPublicKey } from '../crypto/ed25519.ts';
import { DEFAULT_SCRYPT_N, encryptKeyFile } from '../crypto/key-file.ts';
import { entryLeafHash } from '../log/merkle.ts';
import { formatWitnessKey } from '../log/witness-key.ts';
import type { Approval, Principal, Request } from '../statements/schemas.ts';
import { signStatement } from '../statements/sign-statement.ts';
import { ReferenceGate, buildApprovalFile, type GateRunner, type GenesisParts } from './reference-gate.ts';

export const DEMO_ORIGIN = 'demo.countersign.example/agents-prod';
/** The request left waiting for the demo approver. */
export const DEMO_WAITING_REQUEST = 'req-4';
/** The security lead whose key file the demo hands out. */
export const DEMO_APPROVER = 'carol';
/** The demo witness's name (a C2SP key name; its cosignature lines carry it). */
export const DEMO_WITNESS = 'auditor.demo.countersign.example/witness';

const KEYS_FROM = '2026-01-01T00:00:00Z';
const DAY = '2026-03-18';
const t = (hhmm: string) => `${DAY}T${hhmm}:00Z`;

/**
 * The waiting request must still be open when someone signs it with a real clock, months
 * or years after the demo's fixed date. So it uses a skill whose gate TTL is 100 years and
 * asks for an expiry at the end of 2099; the gate's expires_at is the earlier of the two,
 * 2099-12-31T23:59:59Z. A real gate would use minutes or hours (iam.grant_access: 1 hour).
 */
const WAITING_EXPIRES_AT = '2099-12-31T23:59:59Z';
const CENTURY_S = 100 * 365.25 * 24 * 3600;

/** SHA-256(seed + ':' + name): the demo's deterministic secret keys. */
export function deriveDemoKey(seed: string, name: string): SecretKey {
  if (typeof seed !== 'string') throw new TypeError('seed must be a string');
  if (typeof name !== 'string') throw new TypeError('name must be a string');
  return asSecretKey(sha256(encodeUtf8(`${seed}:${name}`)));
}

const PEOPLE: { id: string; name: string; kind: Principal['kind']; roles: string[] }[] = [
  { id: 'gov-1', name: 'Grace Okafor', kind: 'human', roles: ['governance'] },
  { id: 'gov-2', name: 'Henrik Lund', kind: 'human', roles: ['governance'] },
  { id: 'gate', name: 'Countersign Gate (demo)', kind: 'service', roles: [] },
  { id: 'agent-a', name: 'Ops agent A', kind: 'agent', roles: ['agent.ops'] },
  { id: 'alice', name: 'Alice Moreau', kind: 'human', roles: ['security-lead'] },
  { id: 'bob', name: 'Bob Achterberg', kind: 'human', roles: ['security-lead'] },
  { id: 'carol', name: 'Carol Nguyen', kind: 'human', roles: ['security-lead'] },
];

const twoLeads = { approvals_required: 2, approver_roles: ['security-lead'], forbid_requester: true, reject_vetoes: true };

function demoGenesis(seed: string): GenesisParts {
  return {
    roster: {
      version: 1,
      principals: PEOPLE.map((p) => ({
        ...p,
        keys: [{ pub: encodeBase64(getPublicKey(deriveDemoKey(seed, p.id))), from: KEYS_FROM }],
      })),
    },
    policy: {
      version: 1,
      skills: [
        { skill: 'iam.grant_access', version: '3', risk_tier: 'high', gate: { ...twoLeads, ttl_s: 3600 } },
        { skill: 'logs.read', version: '1', risk_tier: 'low' },
        { skill: 'db.drop_table', version: '1', risk_tier: 'critical', gate: { ...twoLeads, ttl_s: 900 } },
        { skill: 'release.deploy', version: '2', risk_tier: 'medium', gate: { ...twoLeads, ttl_s: CENTURY_S } },
      ],
      grants: [
        { role: 'agent.ops', skill: 'iam.grant_access', versions: ['3'] },
        { role: 'agent.ops', skill: 'logs.read', versions: ['1'] },
        { role: 'agent.ops', skill: 'release.deploy', versions: ['2'] },
      ],
    },
    governance: { role: 'governance', approvals_required: 2 },
    gate: 'gate',
  };
}

/** What the demo's actions "return" when the gate runs them (the result field of an execution). */
export const demoRunner: GateRunner = (r) => {
  const results: Record<string, JsonValue> = {
    'iam.grant_access': { change: 'CHG-20931', granted: true },
    'logs.read': { lines: 500 },
    'release.deploy': { deployed: true, change: 'CHG-20977' },
  };
  const result = results[r.skill];
  return result === undefined ? { outcome: 'succeeded' } : { outcome: 'succeeded', result };
};

function demoPassphrase(seed: string, who: string): string {
  return `demo-${encodeHex(sha256(encodeUtf8(`${seed}:passphrase:${who}`))).slice(0, 16)}`;
}

/**
 * The demo's gate at the end of the story above (deterministic for a seed): last line a
 * checkpoint, carol's approval of the waiting request still to come. It checkpoints only
 * when asked to (autoCheckpoint off), so a caller that accepts more calls checkpoint().
 */
export function buildDemoGate(seed: string, options: { forked?: boolean } = {}): ReferenceGate {
  if (typeof seed !== 'string') throw new TypeError('seed must be a string');
  // forked: the same gate, key and genesis signing another history (docs/format.md §7.2):
  // req-2 (the denied db.drop_table) quietly left out, and a later log read added, so the
  // forked log is longer than the real one and a witness sees two roots at the real size.
  const forked = options.forked === true;
  if (seed.length === 0) throw new RangeError('seed must not be empty');
  const key = (name: string) => deriveDemoKey(seed, name);
  const gate = ReferenceGate.create({
    origin: DEMO_ORIGIN,
    genesis: demoGenesis(seed),
    governanceKeys: [key('gov-1'), key('gov-2')],
    gateKey: key('gate'),
    at: t('09:00'),
    autoCheckpoint: false,
    run: demoRunner,
  });
  const must = <T extends { outcome: string; message: string }>(r: T, ...want: string[]): T => {
    if (!want.includes(r.outcome)) throw new Error(`demo: expected ${want.join('/')}, got ${r.outcome}: ${r.message}`);
    return r;
  };
  const request = (id: string, at: string, skill: string, version: string, args: JsonValue, expiresAt: string, reason?: string) => {
    const st: Request = {
      type: 'request',
      log: DEMO_ORIGIN,
      at,
      id,
      requester: 'agent-a',
      skill,
      skill_version: version,
      args,
      ...(reason !== undefined ? { reason } : {}),
      expires_at: expiresAt,
    };
    return signStatement(st, [key('agent-a')]);
  };
  const approve = (approver: string, at: string, digest: string, id: string, skill: string, comment?: string) => {
    const st: Approval = {
      type: 'approval',
      log: DEMO_ORIGIN,
      at,
      request: digest,
      request_id: id,
      skill,
      approver,
      vote: 'approve',
      ...(comment !== undefined ? { comment } : {}),
    };
    return buildApprovalFile(signStatement(st, [key(approver)]));
  };

  const r1 = must(
    gate.submitRequest(
      request(
        'req-1',
        t('09:05'),
        'iam.grant_access',
        '3',
        { principal: 'user:jdoe', role: 'db-admin', duration_h: 8, ticket: 'INC-4821' },
        t('10:05'),
        'Restore write access for the on-call DBA during INC-4821',
      ),
      t('09:05'),
    ),
    'parked',
  );
  must(gate.acceptApproval(approve('agent-a', t('09:07'), r1.digest!, 'req-1', 'iam.grant_access', 'approving my own change'), t('09:07')), 'refused');
  must(gate.acceptApproval(approve('alice', t('09:20'), r1.digest!, 'req-1', 'iam.grant_access', 'verified with the on-call lead'), t('09:20')), 'recorded');
  must(gate.acceptApproval(approve('bob', t('09:24'), r1.digest!, 'req-1', 'iam.grant_access'), t('09:24')), 'executed');
  if (!forked)
    must(
      gate.submitRequest(request('req-2', t('09:30'), 'db.drop_table', '1', { table: 'audit_events' }, t('10:30'), 'Free disk space'), t('09:30')),
      'denied',
    );
  must(
    gate.submitRequest(request('req-3', t('09:35'), 'logs.read', '1', { service: 'payments', since: t('09:00'), lines: 500 }, t('10:35')), t('09:35')),
    'allowed',
  );
  const r4 = must(
    gate.submitRequest(
      request(
        DEMO_WAITING_REQUEST,
        t('09:40'),
        'release.deploy',
        '2',
        { service: 'payments-api', version: '2026.03.18-1', environment: 'production' },
        WAITING_EXPIRES_AT,
        'Ship the fix for INC-4821',
      ),
      t('09:40'),
    ),
    'parked',
  );
  must(gate.acceptApproval(approve('alice', t('09:45'), r4.digest!, DEMO_WAITING_REQUEST, 'release.deploy', 'diff reviewed'), t('09:45')), 'recorded');
  if (forked)
    must(
      gate.submitRequest(request('req-5', t('09:50'), 'logs.read', '1', { service: 'payments', since: t('09:30'), lines: 100 }, t('10:50')), t('09:50')),
      'allowed',
    );
  gate.checkpoint();

  return gate;
}

export interface BuildDemoOptions {
  seed: string;
  /** Passphrase of both key files; by default one derived from the seed per file. */
  passphrase?: string;
  /** scrypt cost of the key files (default 2^17, docs/keyfile.md); tests lower it. */
  scryptN?: number;
}

/**
 * The demo directory as file name → contents: bundle.jsonl, trust.txt, request.json
 * (request-packet/v1 of the waiting request), log-profile.json, approver.key and
 * approver.passphrase (carol, who may sign the waiting request), gate.key and
 * gate.passphrase (for the gate to resume the bundle and accept carol's approval).
 * With trust.txt the bundle verifies `warn`, REQ.pending being its only finding.
 */
export async function buildDemo(options: BuildDemoOptions): Promise<Record<string, string>> {
  if (options === null || typeof options !== 'object') throw new TypeError('buildDemo needs an options object');
  const { seed, passphrase, scryptN = DEFAULT_SCRYPT_N } = options;
  if (typeof seed !== 'string') throw new TypeError('seed must be a string');
  if (seed.length === 0) throw new RangeError('seed must not be empty');
  if (passphrase !== undefined && typeof passphrase !== 'string') throw new TypeError('passphrase must be a string');
  if (passphrase !== undefined && passphrase.length === 0) throw new RangeError('passphrase must not be empty');

  const gate = buildDemoGate(seed);
  const key = (name: string) => deriveDemoKey(seed, name);
  const bundle = gate.bundleText();
  const genesisHex = encodeHex(entryLeafHash(gate.logProfile().genesis));
  const approverPass = passphrase ?? demoPassphrase(seed, DEMO_APPROVER);
  const gatePass = passphrase ?? demoPassphrase(seed, 'gate');
  const nameOf = (id: string) => PEOPLE.find((p) => p.id === id)!.name;
  const approverKey = await encryptKeyFile({
    secretKey: key(DEMO_APPROVER),
    principal: DEMO_APPROVER,
    name: nameOf(DEMO_APPROVER),
    passphrase: approverPass,
    createdAt: KEYS_FROM,
    n: scryptN,
  });
  const gateKey = await encryptKeyFile({
    secretKey: key('gate'),
    principal: 'gate',
    name: nameOf('gate'),
    passphrase: gatePass,
    createdAt: KEYS_FROM,
    n: scryptN,
  });
  // A witness (an auditor) with its own key/v1 file: `countersign witness cosign` (docs/format.md §7.2).
  const witnessPass = passphrase ?? demoPassphrase(seed, 'witness');
  const witnessKey = await encryptKeyFile({
    secretKey: key('witness'),
    principal: 'witness',
    name: DEMO_WITNESS,
    passphrase: witnessPass,
    createdAt: KEYS_FROM,
    n: scryptN,
  });
  return {
    'bundle.jsonl': bundle,
    'trust.txt': `genesis:${genesisHex}\n`,
    'request.json': JSON.stringify(gate.requestPacket(DEMO_WAITING_REQUEST)) + '\n',
    'log-profile.json': JSON.stringify(gate.logProfile()) + '\n',
    'approver.key': JSON.stringify(approverKey, null, 2) + '\n',
    'approver.passphrase': approverPass + '\n',
    'gate.key': JSON.stringify(gateKey, null, 2) + '\n',
    'gate.passphrase': gatePass + '\n',
    'forked.jsonl': buildDemoGate(seed, { forked: true }).bundleText(),
    'witness.key': JSON.stringify(witnessKey, null, 2) + '\n',
    'witness.passphrase': witnessPass + '\n',
    'witness.txt': `witness:${formatWitnessKey(DEMO_WITNESS, getPublicKey(key('witness')))}\n`,
  };
}
