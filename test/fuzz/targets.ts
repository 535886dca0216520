// The fuzz targets of issue 8: every reader that takes bytes a stranger handed over.
// Seeds come from the project's own vectors (test/vectors/countersign), the demo
// (packet, profile, key files, an approval), and MakerChecker's published vectors
// when ../shared is present (a generated export otherwise).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseJsonBytes } from '../../src/core/encoding/json.ts';
import { verifyBundle } from '../../src/core/verifier/verify-bundle.ts';
import { createSignatureBackend, type SignatureBackend } from '../../src/core/crypto/ed25519.ts';
import { decryptKeyFile, parseKeyFile } from '../../src/core/crypto/key-file.ts';
import { parseCheckpoint, checkpointSignedMessage } from '../../src/core/log/checkpoint.ts';
import { checkLogProfileText, type TrustedProfile } from '../../src/core/wallet/profile.ts';
import { checkRequestPacket } from '../../src/core/wallet/packet.ts';
import { approvalFileText, buildApproval, readExchangeText } from '../../src/core/wallet/statements.ts';
import { ApprovalFileSchema } from '../../src/core/statements/schemas.ts';
import { signStatement } from '../../src/core/statements/sign-statement.ts';
import { openEnvelope } from '../../src/core/statements/envelope.ts';
import { buildDemo, DEMO_APPROVER, DEMO_ORIGIN, DEMO_WAITING_REQUEST, deriveDemoKey } from '../../src/core/gate/demo.ts';
import { writeMakerCheckerBundle } from '../../src/core/gate/makerchecker-writer.ts';
import { keyIdOf, getPublicKey } from '../../src/core/crypto/ed25519.ts';
import { urDecoder, urEncoder } from '../../src/app/wallet/qr.ts';
import type { FuzzTarget } from './engine.ts';

const enc = new TextEncoder();
const text = (b: Uint8Array) => new TextDecoder('utf-8', { fatal: false }).decode(b);
/** An outcome signature: the message with numbers and quoted values blurred, so "line 7" and "line 8" are one outcome. */
const shape = (s: string) =>
  s
    .replace(/"[^"]*"/g, '""')
    .replace(/\d+/g, '#')
    .slice(0, 120);

const ROOT = process.cwd();
const VECTORS = join(ROOT, 'test', 'vectors', 'countersign');
const SHARED_MC = join(ROOT, '..', 'shared', 'vectors', 'makerchecker');

function countersignSeeds(): Uint8Array[] {
  return readdirSync(VECTORS)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => new Uint8Array(readFileSync(join(VECTORS, f))));
}

function makerCheckerSeeds(): Uint8Array[] {
  if (existsSync(SHARED_MC))
    return readdirSync(SHARED_MC)
      .filter((f) => f.endsWith('.json') && f !== 'index.json')
      .sort()
      .map((f) => new Uint8Array(readFileSync(join(SHARED_MC, f))));
  const secretKey = deriveDemoKey('fuzz', 'instance');
  const events = [1, 2, 3].map((i) => ({
    seq: String(i),
    id: `ev-${i}`,
    occurred_at: `2026-03-18T10:0${i}:00Z`,
    actor: { kind: 'agent', id: 'bot' },
    event_type: i === 1 ? 'request.created' : 'approval.granted',
    entity_type: 'request',
    entity_id: 'r1',
    run_id: null,
    payload: { n: i },
  }));
  return [enc.encode(writeMakerCheckerBundle({ secretKey, instanceId: 'fuzz', exportedAt: '2026-03-18T11:00:00Z', bundleKind: 'full', events }))];
}

let demo: Promise<{ files: Record<string, string>; approval: string; profile: TrustedProfile }> | undefined;
function demoFiles() {
  return (demo ??= (async () => {
    const files = await buildDemo({ seed: 'fuzz', passphrase: 'fuzz-passphrase', scryptN: 2 ** 14 });
    const profile = checkLogProfileText(files['log-profile.json']!);
    if (!profile.ok) throw new Error('demo profile does not check');
    const packet = JSON.parse(files['request.json']!) as { request?: { id?: string } };
    const approval = approvalFileText(
      signStatement(
        buildApproval({
          log: DEMO_ORIGIN,
          at: '2026-03-18T12:00:00Z',
          requestDigest: 'sha256:' + '00'.repeat(32),
          requestId: packet.request?.id ?? DEMO_WAITING_REQUEST,
          skill: 'grant-prod-access',
          approver: DEMO_APPROVER,
          vote: 'approve',
        }),
        [deriveDemoKey('fuzz', DEMO_APPROVER)],
      ),
    );
    return { files, approval, profile: profile.profile };
  })());
}

let backend: Promise<SignatureBackend> | undefined;
const JSON_DICT = [
  '"countersign"',
  '"bundle/v1"',
  '"seq"',
  '"prev"',
  '"envelope"',
  '"payload"',
  '"signatures"',
  '"keyid"',
  '"sig"',
  '"payloadType"',
  '"checkpoint"',
  '"manifest"',
  '"events"',
  '"hash"',
  '"prev_hash"',
  ':',
  ',',
  '{',
  '}',
  '[',
  ']',
  '\\u0000',
  '\\"',
];

export const targets: FuzzTarget[] = [
  {
    name: 'json-reader',
    seeds: () => [
      ...countersignSeeds().flatMap((b) =>
        text(b)
          .split('\n')
          .filter(Boolean)
          .slice(0, 4)
          .map((l) => enc.encode(l)),
      ),
      enc.encode('{"a":[1,-2,3.5,1e3,true,false,null,"x\\u00e9"]}'),
    ],
    dictionary: JSON_DICT,
    maxLen: 1 << 14,
    run: (input) => {
      const r = parseJsonBytes(input);
      let builtin: { ok: true; value: unknown } | { ok: false } = { ok: false };
      try {
        builtin = { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(input)) };
      } catch {
        /* JSON.parse refuses: the strict reader must refuse too */
      }
      if (r.ok) {
        // Differential oracle: whatever the strict reader accepts, JSON.parse reads the same.
        if (!builtin.ok) throw new Error('strict reader accepted what JSON.parse refuses');
        if (JSON.stringify(builtin.value) !== JSON.stringify(r.value)) throw new Error('strict reader and JSON.parse disagree');
        return 'ok';
      }
      if (typeof r.error.message !== 'string' || typeof r.error.path !== 'string') throw new Error('error without message or path');
      return `${r.error.kind}:${shape(r.error.message)}`;
    },
  },
  ...(['plain', 'gzip'] as const).map((mode): FuzzTarget => ({
    name: `bundle-verifier-${mode}`,
    seeds: () => {
      const s = [...countersignSeeds(), ...makerCheckerSeeds()];
      return mode === 'gzip' ? s.map((b) => new Uint8Array(gzipSync(b))) : s;
    },
    dictionary: JSON_DICT,
    hangMs: 10_000,
    maxLen: 1 << 18,
    run: async (input) => {
      const r = await verifyBundle([input], { backend: await (backend ??= createSignatureBackend('auto')) });
      if (!r.ok) {
        if (!/^INPUT\./.test(r.code) || !r.message) throw new Error(`unexpected refusal ${r.code}`);
        return `${r.code}:${shape(r.message)}`;
      }
      const rep = r.report;
      if (!['pass', 'warn', 'fail'].includes(rep.verdict)) throw new Error(`verdict ${rep.verdict}`);
      if (rep.verdict === 'pass' && rep.findings.some((f) => f.severity === 'error')) throw new Error('pass with an error finding');
      return `${rep.format}:${rep.verdict}:${[...new Set(rep.findings.map((f) => f.code))].sort().join(',')}`;
    },
  })),
  {
    name: 'key-file-reader',
    seeds: async () => {
      const { files } = await demoFiles();
      return [enc.encode(files['approver.key']!), enc.encode(files['gate.key']!)];
    },
    dictionary: ['"n"', '"r"', '"p"', '"salt"', '"nonce"', '"ciphertext"', '"kdf"', '"cipher"', '"scrypt"', '"aes-256-gcm"', '16384', '1048576', '"key/v1"'],
    hangMs: 10_000,
    run: async (input) => {
      const r = parseKeyFile(text(input));
      if (!r.ok) return `format:${shape(r.message)}`;
      // Only some inputs that pass the shape check pay for scrypt (2^14 at least).
      if ((input.length + input[input.length >> 1]!) % 32 !== 0) return 'parsed';
      const d = await decryptKeyFile(r.file, 'fuzz-passphrase');
      if (d.ok) d.secretKey.fill(0);
      return d.ok ? 'opened' : `${d.code}:${shape(d.message)}`;
    },
  },
  {
    name: 'packet-approval-profile-readers',
    seeds: async () => {
      const { files, approval } = await demoFiles();
      return [enc.encode(files['request.json']!), enc.encode(approval), enc.encode(files['log-profile.json']!)];
    },
    dictionary: [
      '"request-packet/v1"',
      '"approval/v1"',
      '"log-profile/v1"',
      '"enrollment/v1"',
      '"vote"',
      '"approve"',
      '"reject"',
      '"envelope"',
      '"payload"',
      '"signatures"',
    ],
    run: async (input) => {
      const { profile, files } = await demoFiles();
      const x = readExchangeText(text(input));
      if (!x.ok) return `exchange:${shape(x.message)}`;
      if (x.kind === 'request-packet/v1') {
        const pub = getPublicKey(deriveDemoKey('fuzz', DEMO_APPROVER));
        const c = checkRequestPacket(x.value, {
          profiles: [profile],
          identity: { principal: DEMO_APPROVER, keyId: keyIdOf(pub) },
          now: Date.parse('2026-03-18T12:00:00Z'),
          prior: [],
        });
        return `packet:${c.canSign}:${c.refusals
          .map((r) => r.code)
          .sort()
          .join(',')}`;
      }
      if (x.kind === 'approval/v1') {
        const a = ApprovalFileSchema.safeParse(x.value);
        if (!a.success) return `approval:${shape(a.error.message)}`;
        const o = openEnvelope(a.data.envelope);
        return `approval:${o.opened ? 'opened' : o.problems.map((p) => p.code).join(',')}`;
      }
      if (x.kind === 'log-profile/v1') {
        const p = checkLogProfileText(text(input));
        return `profile:${p.ok ? 'ok' : shape(p.message)}`;
      }
      void files;
      return `kind:${x.kind}`;
    },
  },
  {
    name: 'ur-decoder',
    seeds: async () => {
      const { files } = await demoFiles();
      const out: Uint8Array[] = [];
      for (const len of [60, 200]) {
        const s = await urEncoder(enc.encode(files['request.json']!), len);
        const parts: string[] = [];
        for (let i = 0; i < s.fragments + 2; i++) parts.push(s.nextPart());
        out.push(enc.encode(parts.join('\n')));
      }
      return out;
    },
    dictionary: ['ur:bytes/', 'ur:crypto-psbt/', '1-3/', '2-3/', '999999999-1/', '/', '-'],
    run: async (input) => {
      const d = await urDecoder();
      let last = null as ReturnType<typeof d.receive> | null;
      for (const part of text(input).split('\n').slice(0, 64)) last = d.receive(part);
      const res = d.result();
      return `ur:${last?.complete}:${res ? 'bytes' : 'none'}:${shape(last?.error ?? '')}`;
    },
  },
  {
    name: 'checkpoint-note-parser',
    seeds: () => {
      const notes = new Set<string>();
      for (const b of countersignSeeds())
        for (const l of text(b).split('\n'))
          if (l.startsWith('{"checkpoint":')) {
            const v = JSON.parse(l) as { checkpoint: string };
            notes.add(v.checkpoint);
          }
      return [...notes].slice(0, 50).map((n) => enc.encode(n));
    },
    dictionary: ['\n', '\u2014 ', ' ', '0', '18446744073709551615', 'sha256:', '='],
    run: (input) => {
      const r = parseCheckpoint(text(input));
      if (!r.ok) return `ckpt:${shape(r.message)}`;
      checkpointSignedMessage(r.checkpoint);
      return `ckpt:ok:${r.checkpoint.signatures.length}`;
    },
  },
];
