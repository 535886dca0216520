// The fast read of Countersign lines and statement payloads (issue 10): readJsonBytes
// (json-fast.ts: the platform's JSON.parse, proven after the fact, with the members and the
// depth bound from the one structural scan, json-scan.ts) must give exactly json.ts's result,
// value or error. countMembers must count what the MakerChecker document scanner counts.
// And the whole verifier, pooled or not, must report exactly what it reports when every
// line and payload is read by json.ts alone, on every vector and on mutated lines and payloads.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { parseJsonBytes } from '../../src/core/encoding/json.ts';
import { readJsonBytes, readJsonFast } from '../../src/core/encoding/json-fast.ts';
import { countMembers } from '../../src/core/encoding/json-scan.ts';
import { decodeBase64, encodeBase64 } from '../../src/core/encoding/base64.ts';
import { createSignatureBackend, keyIdOf, type SignatureBackend } from '../../src/core/crypto/ed25519.ts';
import { prepareLines, type CountersignLinePool } from '../../src/core/verifier/countersign-lines.ts';
import { verifyBundle, type VerifyBundleOptions } from '../../src/core/verifier/verify-bundle.ts';
import type { Report, TrustAnchor } from '../../src/core/report/report.ts';
import { EntrySchema, HAND_CHECKED_TYPES, isEntry, passesHandCheck, STATEMENT_SCHEMAS, type StatementType } from '../../src/core/statements/schemas.ts';
import { entryLeafHash, leafHash } from '../../src/core/log/merkle.ts';
import { canonicalBytes } from '../../src/core/encoding/jcs.ts';
import { encodeHex } from '../../src/core/encoding/hex.ts';
import type { JsonValue } from '../../src/core/encoding/json.ts';
import { generateCountersignBundle } from '../bench/generate-countersign.ts';
import { anchorFrom } from '../helpers/anchors.ts';
import { frame, mutate, mutatedDocument, mutation } from '../helpers/json-fast.ts';
import { vectorSets } from '../helpers/shared.ts';
import { rememberedAfter } from '../vectors/breakers/verify.ts';

// `strict.on`: every caller of readJsonBytes gets json.ts's parseJsonBytes instead (the reader
// before the fast path), so one test compares the verifier with and without it.
const strict = vi.hoisted(() => ({ on: false }));
vi.mock('../../src/core/encoding/json-fast.ts', async (importOriginal) => {
  const fast = await importOriginal<typeof import('../../src/core/encoding/json-fast.ts')>();
  const json = await import('../../src/core/encoding/json.ts');
  return { ...fast, readJsonBytes: (b: Uint8Array) => (strict.on ? json.parseJsonBytes(b) : fast.readJsonBytes(b)) };
});

const enc = new TextEncoder();
const dec = new TextDecoder();

describe('readJsonBytes is json.ts, faster', () => {
  it('gives parseJsonBytes exactly (value or error) on valid JSON of any shape and every mutation of it', () => {
    fc.assert(
      fc.property(mutatedDocument, ({ value, text, bytes, mutated }) => {
        const exact = parseJsonBytes(bytes);
        expect(readJsonBytes(bytes)).toStrictEqual(exact);
        // and unbroken, the fast path is what answers (unless a surrogate escape or a number with
        // a fraction or an exponent is in doubt)
        if (!mutated && !/\\u[dD][89a-fA-F]/.test(text) && !/[0-9][.eE]/.test(JSON.stringify(value, (k, v) => (typeof v === 'string' ? '' : v))))
          expect(readJsonFast(bytes, countMembers(bytes))).toStrictEqual(exact.ok && exact.value);
      }),
      { numRuns: 3000 },
    );
  });

  it('counts the members the MakerChecker scanner counts (one scan)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.array(mutation, { maxLength: 2 }), (value, ms) => {
        let text = JSON.stringify([value]);
        let bytes: Uint8Array = enc.encode(text);
        for (const m of ms) {
          bytes = mutate(text, m);
          text = dec.decode(bytes);
        }
        const framed = frame(bytes);
        if (framed && framed.bytes.length === bytes.length) expect(countMembers(bytes)).toBe(framed.members);
      }),
      { numRuns: 2000 },
    );
  });

  it('sends the doubtful cases to json.ts, and bounds depth as json.ts does (64 levels)', () => {
    const same = (t: string | Uint8Array) => {
      const b = typeof t === 'string' ? enc.encode(t) : t;
      const r = readJsonBytes(b);
      expect(r).toStrictEqual(parseJsonBytes(b));
      return r;
    };
    expect(same('{"a": "x:y\\":", "b": {"c": 1}}')).toStrictEqual({ ok: true, value: { a: 'x:y":', b: { c: 1 } } });
    expect(countMembers(enc.encode('{"a": "x:y\\":", "b": {"c": 1}}'))).toBe(3);
    for (const t of [
      '{"a": 0.99999999999999999}',
      '{"a": 1e-400}',
      '{"a": -1e-400}',
      '[4.99999999999999999]',
      '{"a": 1, "a": 2}',
      '{"a": {"b": 1, "b": 1}}',
      '{"a": "\\ud800"}',
      '{"a": 1e400}',
      '{"a": 1} x',
      '\ufeff{"a":1}',
      '{"a":1}}',
      '{"a":[1}',
    ])
      expect(same(t).ok).toBe(false);
    expect(same(new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d])).ok).toBe(false); // encoded surrogate
    expect(same('{"__proto__": {"x": 1}}')).toStrictEqual({ ok: true, value: JSON.parse('{"__proto__": {"x": 1}}') });
    for (const t of ['{"a": 2.5}', '{"a": 1.0}', '[1E3]', '{"a": 1e3, "b": true}']) {
      expect(countMembers(enc.encode(t))).toBe(-1); // a fraction or exponent: json.ts reads it
      expect(same(t).ok).toBe(true);
    }
    expect(countMembers(enc.encode('{"a": true, "b": [false, -12, 0]}'))).toBe(2);
    const nest = (d: number) => '['.repeat(d - 1) + '{"a":1}' + ']'.repeat(d - 1);
    expect(countMembers(enc.encode(nest(64)))).toBe(1);
    expect(same(nest(64)).ok).toBe(true);
    expect(countMembers(enc.encode(nest(65)))).toBe(-1);
    const deep = same(nest(65));
    expect(!deep.ok && deep.error.kind).toBe('depth');
  });
});

// --- the verifier with the fast read against json.ts alone ------------------------------------

const stripTimings = (r: Report) => JSON.stringify({ ...r, timings: null });
let backend: SignatureBackend;

/** Two workers in this thread (countersign-pool.test.ts tests the pool itself). */
function pool(): CountersignLinePool {
  const keys = new Map<string, Uint8Array>();
  return {
    size: 2,
    batchLines: 16,
    prepare: (batch, all) => {
      for (const k of all) keys.set(keyIdOf(k), k);
      return prepareLines(batch, new Map(keys), backend);
    },
  };
}

/** The report with the fast read, pooled or not, and with json.ts alone: all three identical. */
async function reports(bytes: Uint8Array, options: VerifyBundleOptions): Promise<string[]> {
  const run = async (p: boolean) => {
    const r = await verifyBundle([bytes], { backend, ...options, ...(p ? { countersignPool: pool } : {}) });
    return r.ok ? stripTimings(r.report) : JSON.stringify(r);
  };
  strict.on = true;
  try {
    const before = await run(true);
    strict.on = false;
    return [before, await run(true), await run(false)];
  } finally {
    strict.on = false;
  }
}

function joinLines(lines: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(lines.reduce((n, l) => n + l.length + 1, 0));
  let o = 0;
  for (const l of lines) {
    out.set(l, o);
    o += l.length;
    out[o++] = 0x0a;
  }
  return out;
}

const inputs: { name: string; bytes: Uint8Array; options: VerifyBundleOptions }[] = [];
let generated: { lines: string[]; trust: TrustAnchor[] };

beforeAll(async () => {
  backend = await createSignatureBackend('auto');
  for (const set of vectorSets('countersign')) {
    const cases: { file: string; trust: string | string[] | null; remember?: string }[] = JSON.parse(set.read('index.json').toString('utf8')).cases;
    for (const c of cases) {
      const trust = anchorFrom(Array.isArray(c.trust) ? c.trust.join(' ') : c.trust);
      const remembered = c.remember ? await rememberedAfter(new Uint8Array(set.read(c.remember))) : [];
      inputs.push({ name: `${set.name}/${c.file}`, bytes: new Uint8Array(set.read(c.file)), options: { trust, remembered } });
    }
  }
  const path = join(mkdtempSync(join(tmpdir(), 'cs-fast-')), 'small.jsonl');
  const { genesis } = await generateCountersignBundle(path, 40);
  generated = { lines: readFileSync(path, 'utf8').split('\n'), trust: anchorFrom(`genesis:${genesis}`) };
  inputs.push({ name: 'generated', bytes: enc.encode(generated.lines.join('\n')), options: { trust: generated.trust } });
}, 120_000);

describe('the verifier with the fast read reports what json.ts alone reports', () => {
  it('on every vector and a generated bundle', async () => {
    expect(inputs.length).toBeGreaterThan(50);
    for (const input of inputs) {
      const [before, pooled, alone] = await reports(input.bytes, input.options);
      expect(pooled, input.name).toBe(before);
      expect(alone, input.name).toBe(before);
    }
  }, 300_000);

  it('on mutated entry lines and mutated statement payloads (property)', async () => {
    const entries = generated.lines.map((l, i) => i).filter((i) => generated.lines[i]!.startsWith('{"entry"'));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...entries), fc.boolean(), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (at, inPayload, ms) => {
        const lines: Uint8Array[] = generated.lines.map((l) => enc.encode(l));
        if (inPayload) {
          // break the statement, re-encode it: the envelope still opens, its payload is what is read
          const line = JSON.parse(generated.lines[at]!);
          let text = dec.decode(decodeBase64(line.entry.envelope.payload));
          let bytes: Uint8Array = enc.encode(text);
          for (const m of ms) {
            bytes = mutate(text, m);
            text = dec.decode(bytes);
          }
          line.entry.envelope.payload = encodeBase64(bytes);
          lines[at] = enc.encode(JSON.stringify(line));
        } else {
          let text = generated.lines[at]!;
          let bytes: Uint8Array = enc.encode(text);
          for (const m of ms) {
            bytes = mutate(text, m);
            text = dec.decode(bytes);
          }
          lines[at] = bytes; // raw: bad UTF-8 stays bad
        }
        const [before, pooled, alone] = await reports(joinLines(lines), { trust: generated.trust });
        expect(pooled).toBe(before);
        expect(alone).toBe(before);
      }),
      { numRuns: 150 },
    );
  }, 300_000);
});

describe('isEntry is EntrySchema, hand-checked (the zod schema is the reference)', () => {
  /** Every {"entry": …} value in the vectors and the generated bundle. */
  const entries = (): unknown[] => {
    const out: unknown[] = [];
    const lines = [...inputs.flatMap((i) => dec.decode(i.bytes).split('\n')), ...generated.lines];
    for (const l of lines) {
      try {
        const v = JSON.parse(l) as { entry?: unknown };
        if (v && typeof v === 'object' && 'entry' in v) out.push(v.entry);
      } catch {
        /* not JSON: not an entry */
      }
    }
    return out;
  };

  it('agrees on every entry of every vector', () => {
    const all = entries();
    expect(all.length).toBeGreaterThan(500);
    for (const e of all) expect(isEntry(e), JSON.stringify(e).slice(0, 200)).toBe(EntrySchema.safeParse(e).success);
  });

  it('agrees on mutated entries (property)', () => {
    const all = entries().filter((e) => EntrySchema.safeParse(e).success);
    const hex = '0123456789abcdef'.repeat(4);
    const sig = 'A'.repeat(85) + 'Q==';
    // Values near each rule's edge, and of every JSON type.
    const values = fc.constantFrom<unknown>(
      0,
      -0,
      1,
      -1,
      1.5,
      2 ** 53 - 1,
      2 ** 53,
      null,
      true,
      '',
      'x',
      [],
      {},
      [1],
      hex,
      hex.toUpperCase(),
      hex.slice(1),
      hex + '0',
      sig,
      sig.replace('Q==', 'B=='),
      'A'.repeat(86) + '==',
      'QUJD',
      'QU',
      'QUJDRE',
      'QUJ',
      'application/vnd.countersign.request+json',
      'application/vnd.countersign.Request+json',
      'application/vnd.countersign.+json',
      'application/vnd.countersign.request+json\n',
    );
    const names = fc.constantFrom('seq', 'prev', 'envelope', 'payloadType', 'payload', 'signatures', 'keyid', 'sig', 'extra', '__proto__', '0');
    const edit = fc.tuple(fc.nat(), fc.constantFrom('set', 'delete', 'add', 'dup-sig', 'empty-sigs'), names, values);
    fc.assert(
      fc.property(fc.constantFrom(...all), fc.array(edit, { minLength: 1, maxLength: 3 }), (entry, edits) => {
        const e = JSON.parse(JSON.stringify(entry)) as Record<string, unknown>;
        // Every object inside the entry (the entry, its envelope, each signature) is a target.
        const objects = (v: unknown, acc: Record<string, unknown>[] = []): Record<string, unknown>[] => {
          if (Array.isArray(v)) v.forEach((x) => objects(x, acc));
          else if (v && typeof v === 'object') {
            acc.push(v as Record<string, unknown>);
            Object.values(v).forEach((x) => objects(x, acc));
          }
          return acc;
        };
        for (const [at, op, name, shared] of edits) {
          const value = shared === undefined ? shared : (JSON.parse(JSON.stringify(shared)) as unknown); // the constants are shared between runs
          const objs = objects(e);
          const o = objs[at % objs.length]!;
          const keys = Object.keys(o);
          const envelope = e.envelope as { signatures?: unknown[] } | undefined;
          if (op === 'set' && keys.length) o[keys[at % keys.length]!] = value;
          else if (op === 'delete' && keys.length) delete o[keys[at % keys.length]!];
          else if (op === 'add') Object.defineProperty(o, name, { value, enumerable: true, configurable: true, writable: true });
          else if (op === 'dup-sig' && Array.isArray(envelope?.signatures) && envelope.signatures.length)
            envelope.signatures.push(JSON.parse(JSON.stringify(envelope.signatures[0])));
          else if (op === 'empty-sigs' && envelope && typeof envelope === 'object') envelope.signatures = [];
        }
        // As a line's parser would give it: JSON text and back (an own "__proto__" survives).
        const v = JSON.parse(JSON.stringify(e));
        expect(isEntry(v)).toBe(EntrySchema.safeParse(v).success);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('entryLeafHash hashes the bytes of the line only when they are the JCS', () => {
  it('equals SHA-256(0x00 || JCS(entry)) for every vector line and for re-spaced, re-ordered and re-escaped lines', () => {
    const lines = [...inputs.flatMap((i) => dec.decode(i.bytes).split('\n')), ...generated.lines];
    let n = 0;
    for (const l of lines) {
      let v: { entry?: JsonValue };
      try {
        v = JSON.parse(l) as { entry?: JsonValue };
      } catch {
        continue;
      }
      if (!v || typeof v !== 'object' || !('entry' in v) || v.entry === undefined) continue;
      const want = encodeHex(leafHash(canonicalBytes(v.entry)));
      const variants = [
        l,
        JSON.stringify(v, null, 1),
        JSON.stringify({ entry: v.entry }).replace('"entry":{', '"entry":{ '),
        l.replace(/"seq":/, '"s\\u0065q":'),
        l + '\r',
        '{"entry":' + JSON.stringify(v.entry) + '}',
        l.replace(/^\{"entry":/, '{"entry" :'),
      ];
      for (const t of variants) expect(encodeHex(entryLeafHash(v.entry, enc.encode(t))), t.slice(0, 120)).toBe(want);
      expect(encodeHex(entryLeafHash(v.entry))).toBe(want);
      n++;
    }
    expect(n).toBeGreaterThan(500);
  });
});

describe('the hand-checked statement schemas are the zod ones (zod is the reference)', () => {
  /** Every statement payload of every vector and of the generated bundle. */
  const statements = (): Record<string, unknown>[] => {
    const out: Record<string, unknown>[] = [];
    const lines = [...inputs.flatMap((i) => dec.decode(i.bytes).split('\n')), ...generated.lines];
    const add = (payload: unknown) => {
      if (typeof payload !== 'string') return;
      try {
        const v = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as unknown;
        if (v && typeof v === 'object' && !Array.isArray(v)) out.push(v as Record<string, unknown>);
      } catch {
        /* not a JSON payload */
      }
    };
    for (const l of lines) {
      try {
        const v = JSON.parse(l) as { entry?: { envelope?: { payload?: unknown } } };
        add(v?.entry?.envelope?.payload);
      } catch {
        /* not JSON */
      }
    }
    return out;
  };

  it('agree on every statement of every vector, and cover each hand-checked type', () => {
    const all = statements();
    const seen = new Set<string>();
    for (const st of all) {
      const type = st.type as StatementType;
      if (!HAND_CHECKED_TYPES.includes(type)) continue;
      const zodOk = STATEMENT_SCHEMAS[type].safeParse(st).success;
      expect(passesHandCheck(type, st), JSON.stringify(st).slice(0, 300)).toBe(zodOk);
      if (zodOk) seen.add(type);
    }
    expect([...seen].sort()).toEqual([...HAND_CHECKED_TYPES].filter((t) => t !== 'enrollment').sort()); // enrollment statements live in enrollment files
  });

  it('agree on mutated statements (property)', () => {
    const all = statements().filter(
      (st) => HAND_CHECKED_TYPES.includes(st.type as StatementType) && STATEMENT_SCHEMAS[st.type as StatementType].safeParse(st).success,
    );
    const digest = 'sha256:' + '0123456789abcdef'.repeat(4);
    const values = fc.constantFrom<unknown>(
      0,
      -0,
      1,
      -1,
      1.5,
      2 ** 53,
      null,
      true,
      false,
      '',
      'x',
      'X',
      [],
      [''],
      ['a'],
      [digest],
      {},
      { a: 1 },
      { a: 1.5 },
      [1.5],
      digest,
      digest.toUpperCase(),
      digest.slice(1),
      '2026-01-01T00:00:00Z',
      '2026-01-01T00:00:00.123456789Z',
      '2026-01-01T00:00:00+01:00',
      '2026-02-30T00:00:00Z',
      'alice',
      'Alice',
      'a'.repeat(64),
      'a'.repeat(65),
      '-a',
      'parked',
      'allowed',
      'denied',
      'approve',
      'reject',
      'succeeded',
      'failed',
      'expired',
      'late',
      'request',
      'decision',
      'approval',
      'execution',
      'closure',
      'refusal',
      'enrollment',
      { approvals_required: 1, approver_roles: ['r'], forbid_requester: true, ttl_s: 60, reject_vetoes: false, expires_at: '2026-01-01T00:00:00Z' },
      { approvals_required: 1, approver_roles: [], forbid_requester: true, ttl_s: 60, reject_vetoes: false, expires_at: '2026-01-01T00:00:00Z' },
      { approvals_required: 1, approver_roles: ['r'], forbid_requester: true, ttl_s: 60, reject_vetoes: false, expires_at: '2026-01-01T00:00:00Z', x: 1 },
      'A'.repeat(42) + 'A=',
      'A'.repeat(42) + 'B=',
    );
    const names = fc.constantFrom(
      'type',
      'log',
      'at',
      'id',
      'requester',
      'skill',
      'skill_version',
      'args',
      'reason',
      'expires_at',
      'request',
      'outcome',
      'policy_version',
      'gate',
      'request_id',
      'approver',
      'vote',
      'comment',
      'attempt',
      'code',
      'approvals',
      'result',
      'principal',
      'name',
      'pub',
      'extra',
      '__proto__',
      'constructor',
      'toString',
    );
    const edit = fc.tuple(fc.nat(), fc.constantFrom('set', 'delete', 'add', 'deep'), names, values);
    fc.assert(
      fc.property(fc.constantFrom(...all), fc.array(edit, { minLength: 1, maxLength: 3 }), (st, edits) => {
        const v = JSON.parse(JSON.stringify(st)) as Record<string, unknown>;
        for (const [at, op, name, shared] of edits) {
          const value = shared === undefined ? shared : (JSON.parse(JSON.stringify(shared)) as unknown); // the constants are shared between runs
          const keys = Object.keys(v);
          if (op === 'set' && keys.length) v[keys[at % keys.length]!] = value;
          else if (op === 'delete' && keys.length) delete v[keys[at % keys.length]!];
          else if (op === 'add') Object.defineProperty(v, name, { value, enumerable: true, configurable: true, writable: true });
          else if (op === 'deep') {
            // one level down: a gate's, an attempt envelope's or an args member
            const inner = Object.values(v).filter((x): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x));
            const o = inner[at % Math.max(1, inner.length)];
            if (o) {
              const ks = Object.keys(o);
              if (ks.length) o[ks[at % ks.length]!] = value;
            }
          }
        }
        const parsed = JSON.parse(JSON.stringify(v)) as unknown; // as a payload's reader gives it
        const type = (parsed as { type?: unknown }).type;
        if (typeof type !== 'string' || !HAND_CHECKED_TYPES.includes(type as StatementType)) return;
        expect(passesHandCheck(type as StatementType, parsed), JSON.stringify(parsed).slice(0, 300)).toBe(
          STATEMENT_SCHEMAS[type as StatementType].safeParse(parsed).success,
        );
      }),
      { numRuns: 5000 },
    );
  });
});
