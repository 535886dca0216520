// Writes a large, valid Countersign bundle for benchmarks: a repeating day of a
// gate's work (a parked request approved by two security leads and executed, and
// an ungated low-risk request run at once), checkpointed every 10,000 entries.
// Signing uses node:crypto (native Ed25519) so a million entries take about a minute.
import { createPrivateKey, sign as nodeSign, type KeyObject } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { canonicalBytes } from '../../src/core/encoding/jcs.ts';
import { encodeBase64 } from '../../src/core/encoding/base64.ts';
import { encodeHex } from '../../src/core/encoding/hex.ts';
import { sha256, toDigestString } from '../../src/core/crypto/hash.ts';
import { pae, payloadTypeFor } from '../../src/core/crypto/dsse.ts';
import { getPublicKey, keyIdOf } from '../../src/core/crypto/ed25519.ts';
import { leafHash, MerkleAccumulator } from '../../src/core/log/merkle.ts';
import { signCheckpoint } from '../../src/core/log/checkpoint.ts';
import { formatInstant } from '../../src/core/statements/time.ts';
import { asSecretKey } from '../../src/core/encoding/bytes.ts';

const ORIGIN = 'bench.example/agents';
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

interface Signer {
  id: string;
  seed: Uint8Array;
  pub: string;
  keyId: string;
  key: KeyObject;
}

function signer(id: string): Signer {
  const seed = sha256(new TextEncoder().encode('bench:' + id));
  const pub = getPublicKey(seed);
  return {
    id,
    seed,
    pub: encodeBase64(pub),
    keyId: keyIdOf(pub),
    key: createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' }),
  };
}

function envelope(statement: { type: string }, signers: Signer[]) {
  const payload = canonicalBytes(statement);
  const payloadType = payloadTypeFor(statement.type);
  const msg = pae(payloadType, payload);
  return {
    digest: toDigestString(sha256(payload)),
    env: {
      payloadType,
      payload: encodeBase64(payload),
      signatures: signers.map((s) => ({ keyid: s.keyId, sig: encodeBase64(nodeSign(null, msg, s.key)) })),
    },
  };
}

export async function generateCountersignBundle(path: string, entries: number): Promise<{ genesis: string; bytes: number; entries: number }> {
  const gov1 = signer('gov-1');
  const gov2 = signer('gov-2');
  const gate = signer('gate');
  const agent = signer('agent-a');
  const alice = signer('alice');
  const bob = signer('bob');
  const principal = (s: Signer, name: string, kind: string, roles: string[]) => ({
    id: s.id,
    name,
    kind,
    roles,
    keys: [{ pub: s.pub, from: '2026-01-01T00:00:00Z' }],
  });
  const out = createWriteStream(path);
  let bytes = 0;
  let buffered: string[] = [];
  const write = async (line: string) => {
    buffered.push(line);
    bytes += Buffer.byteLength(line) + 1;
    if (buffered.length >= 2000) {
      const ok = out.write(buffered.join('\n') + '\n');
      buffered = [];
      if (!ok) await new Promise<void>((r) => out.once('drain', () => r()));
    }
  };
  await write(JSON.stringify({ countersign: 'bundle/v1', log: ORIGIN }));
  const merkle = new MerkleAccumulator();
  let prev = '0'.repeat(64);
  let seq = 0;
  let genesis = '';
  let t = Date.UTC(2026, 2, 18, 9, 0, 0) / 1000;
  const at = () => formatInstant({ sec: t++, nanos: 0 });
  const append = async (statement: { type: string }, signers: Signer[]) => {
    const { digest, env } = envelope(statement, signers);
    const entry = { seq, prev, envelope: env };
    const lh = leafHash(canonicalBytes(entry));
    merkle.appendLeafHash(lh);
    prev = encodeHex(lh);
    if (seq === 0) genesis = prev;
    seq++;
    await write(JSON.stringify({ entry }));
    if (seq % 10_000 === 0) await checkpoint();
    return digest;
  };
  const checkpoint = async () => {
    // docs/format.md §7.1: the versions in force (no roster or policy updates in this log).
    const note = signCheckpoint({
      origin: ORIGIN,
      size: merkle.size,
      root: merkle.root(),
      secretKey: asSecretKey(gate.seed),
      governance: { roster: 1, policy: 1 },
    });
    await write(JSON.stringify({ checkpoint: note }));
  };
  const gateDef = { approvals_required: 2, approver_roles: ['security-lead'], forbid_requester: true, ttl_s: 3600, reject_vetoes: true };
  await append(
    {
      type: 'genesis',
      log: ORIGIN,
      at: at(),
      roster: {
        version: 1,
        principals: [
          principal(gov1, 'Grace Okafor', 'human', ['governance']),
          principal(gov2, 'Henrik Lund', 'human', ['governance']),
          principal(gate, 'Bench Gate', 'service', []),
          principal(agent, 'Ops agent A', 'agent', ['agent.ops']),
          principal(alice, 'Alice Moreau', 'human', ['security-lead']),
          principal(bob, 'Bob Achterberg', 'human', ['security-lead']),
        ],
      },
      policy: {
        version: 1,
        skills: [
          { skill: 'iam.grant_access', version: '3', risk_tier: 'high', gate: gateDef },
          { skill: 'logs.read', version: '1', risk_tier: 'low' },
        ],
        grants: [
          { role: 'agent.ops', skill: 'iam.grant_access', versions: ['3'] },
          { role: 'agent.ops', skill: 'logs.read', versions: ['1'] },
        ],
      },
      governance: { role: 'governance', approvals_required: 2 },
      gate: 'gate',
    } as { type: string },
    [gov1, gov2],
  );
  let n = 0;
  while (seq < entries) {
    n++;
    const reqAt = at();
    const expires = formatInstant({ sec: t + 3600, nanos: 0 });
    if (n % 2 === 1) {
      const request = {
        type: 'request',
        log: ORIGIN,
        at: reqAt,
        id: `req-${n}`,
        requester: 'agent-a',
        skill: 'iam.grant_access',
        skill_version: '3',
        args: { principal: `user:u${n}`, role: 'db-admin', duration_h: 8, ticket: `INC-${n}` },
        reason: 'on-call access',
        expires_at: expires,
      };
      const d = await append(request, [agent]);
      const decAt = at();
      await append(
        {
          type: 'decision',
          log: ORIGIN,
          at: decAt,
          request: d,
          outcome: 'parked',
          policy_version: 1,
          reason: 'gated',
          gate: { ...gateDef, expires_at: expires },
        } as { type: string },
        [gate],
      );
      const approvals: string[] = [];
      for (const s of [alice, bob]) {
        approvals.push(
          await append(
            { type: 'approval', log: ORIGIN, at: at(), request: d, request_id: request.id, skill: request.skill, approver: s.id, vote: 'approve' } as {
              type: string;
            },
            [s],
          ),
        );
      }
      await append({ type: 'execution', log: ORIGIN, at: at(), request: d, approvals, outcome: 'succeeded', result: { granted: true } } as { type: string }, [
        gate,
      ]);
    } else {
      const request = {
        type: 'request',
        log: ORIGIN,
        at: reqAt,
        id: `req-${n}`,
        requester: 'agent-a',
        skill: 'logs.read',
        skill_version: '1',
        args: { service: 'payments', since: '2026-03-18T00:00:00Z', lines: 500 },
        expires_at: expires,
      };
      const d = await append(request, [agent]);
      await append({ type: 'decision', log: ORIGIN, at: at(), request: d, outcome: 'allowed', policy_version: 1, reason: 'no_gate' } as { type: string }, [
        gate,
      ]);
      await append({ type: 'execution', log: ORIGIN, at: at(), request: d, approvals: [], outcome: 'succeeded', result: { lines: 500 } } as { type: string }, [
        gate,
      ]);
    }
  }
  if (seq % 10_000 !== 0) await checkpoint();
  if (buffered.length) out.write(buffered.join('\n') + '\n');
  await new Promise<void>((r) => out.end(r));
  return { genesis, bytes, entries: seq };
}
