// Issue 8, item 4: a hostile bundle of parked requests that are never decided on:
// each request is followed by the gate's `parked` decision and then nothing, so every
// one stays open to the end. `signed` signs every line correctly (node:crypto);
// `unsigned` writes all-zero signatures (every line also raises SIG.invalid). Streams
// to disk: nothing but the running chain and Merkle state is held.
//   node dist/bench/open-requests.mjs OUT.jsonl LINES signed|unsigned
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

const ORIGIN = 'hostile.example/agents';
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const ZERO_SIG = encodeBase64(new Uint8Array(64));

function signer(id: string) {
  const seed = sha256(new TextEncoder().encode('hostile:' + id));
  const pub = getPublicKey(seed);
  return {
    id,
    seed,
    pub: encodeBase64(pub),
    keyId: keyIdOf(pub),
    key: createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' }) as KeyObject,
  };
}

export async function generateOpenRequests(
  path: string,
  lines: number,
  mode: 'signed' | 'unsigned',
): Promise<{ genesis: string; lines: number; bytes: number }> {
  const gov1 = signer('gov-1');
  const gov2 = signer('gov-2');
  const gate = signer('gate');
  const agent = signer('agent-a');
  const principal = (s: ReturnType<typeof signer>, name: string, kind: string, roles: string[]) => ({
    id: s.id,
    name,
    kind,
    roles,
    keys: [{ pub: s.pub, from: '2026-01-01T00:00:00Z' }],
  });
  const out = createWriteStream(path);
  let bytes = 0;
  let written = 0;
  let buffered: string[] = [];
  const write = async (line: string) => {
    buffered.push(line);
    written++;
    bytes += Buffer.byteLength(line) + 1;
    if (buffered.length >= 2000) {
      const ok = out.write(buffered.join('\n') + '\n');
      buffered = [];
      if (!ok) await new Promise<void>((r) => out.once('drain', () => r()));
    }
  };
  const merkle = new MerkleAccumulator();
  let prev = '0'.repeat(64);
  let seq = 0;
  let genesis = '';
  let t = Date.UTC(2026, 2, 18, 9, 0, 0) / 1000;
  const at = () => formatInstant({ sec: t++, nanos: 0 });
  const append = async (statement: { type: string }, signers: ReturnType<typeof signer>[], sign: boolean) => {
    const payload = canonicalBytes(statement);
    const payloadType = payloadTypeFor(statement.type);
    const msg = pae(payloadType, payload);
    const env = {
      payloadType,
      payload: encodeBase64(payload),
      signatures: signers.map((s) => ({ keyid: s.keyId, sig: sign ? encodeBase64(nodeSign(null, msg, s.key)) : ZERO_SIG })),
    };
    const entry = { seq, prev, envelope: env };
    const lh = leafHash(canonicalBytes(entry));
    merkle.appendLeafHash(lh);
    prev = encodeHex(lh);
    if (seq === 0) genesis = prev;
    seq++;
    await write(JSON.stringify({ entry }));
    if (seq % 100_000 === 0)
      await write(
        JSON.stringify({ checkpoint: signCheckpoint({ origin: ORIGIN, size: merkle.size, root: merkle.root(), secretKey: asSecretKey(gate.seed) }) }),
      );
    return toDigestString(sha256(payload));
  };
  await write(JSON.stringify({ countersign: 'bundle/v1', log: ORIGIN }));
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
          principal(gate, 'Hostile Gate', 'service', []),
          principal(agent, 'Ops agent A', 'agent', ['agent.ops']),
        ],
      },
      policy: {
        version: 1,
        skills: [{ skill: 'iam.grant_access', version: '3', risk_tier: 'high', gate: gateDef }],
        grants: [{ role: 'agent.ops', skill: 'iam.grant_access', versions: ['3'] }],
      },
      governance: { role: 'governance', approvals_required: 2 },
      gate: 'gate',
    } as { type: string },
    [gov1, gov2],
    true,
  );
  const sign = mode === 'signed';
  let n = 0;
  while (written + 2 <= lines) {
    n++;
    const reqAt = at();
    const expires = formatInstant({ sec: Date.UTC(2099, 0, 1) / 1000 + n, nanos: 0 });
    const digest = await append(
      {
        type: 'request',
        log: ORIGIN,
        at: reqAt,
        id: `req-${n}`,
        requester: 'agent-a',
        skill: 'iam.grant_access',
        skill_version: '3',
        args: { ticket: `INC-${n}`, role: 'db-admin' },
        expires_at: expires,
      } as { type: string },
      [agent],
      sign,
    );
    const decAt = at();
    await append(
      {
        type: 'decision',
        log: ORIGIN,
        at: decAt,
        request: digest,
        outcome: 'parked',
        policy_version: 1,
        reason: 'gated',
        gate: { ...gateDef, expires_at: formatInstant({ sec: Date.parse(decAt) / 1000 + 3600, nanos: 0 }) },
      } as { type: string },
      [gate],
      sign,
    );
  }
  out.write(buffered.join('\n') + (buffered.length ? '\n' : ''));
  await new Promise<void>((r) => out.end(() => r()));
  return { genesis, lines: written, bytes };
}

if (process.argv[1]?.endsWith('open-requests.mjs')) {
  const [path, lines, mode] = process.argv.slice(2);
  if (!path || !lines || (mode !== 'signed' && mode !== 'unsigned')) {
    console.error('usage: open-requests.mjs OUT.jsonl LINES signed|unsigned');
    process.exit(2);
  }
  console.log(JSON.stringify(await generateOpenRequests(path, Number(lines), mode)));
}
