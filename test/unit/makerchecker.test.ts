// MakerChecker AAPR v1: the streaming scanner, the verifier (one broken thing at a
// time, and several at once), the writer, and the governance lens, on generated
// MakerChecker-shaped bundles.
import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildMakerCheckerBundle,
  chainMakerCheckerEvents,
  generateMakerCheckerEvents,
  GENERATOR_USERS,
  signMakerCheckerManifest,
  streamMakerCheckerBundle,
  writeMakerCheckerBundle,
  type MakerCheckerEvent,
  type MakerCheckerEventInput,
  type MakerCheckerManifest,
} from '../../src/core/gate/makerchecker-writer.ts';
import { createNobleBackend, getPublicKey, keyIdOf } from '../../src/core/crypto/ed25519.ts';
import { createSha256, sha256 } from '../../src/core/crypto/hash.ts';
import { decodeBase64 } from '../../src/core/encoding/base64.ts';
import { encodeHex } from '../../src/core/encoding/hex.ts';
import { AbortError } from '../../src/core/verifier/byte-source.ts';
import { scanBundle, type ScanItem } from '../../src/core/verifier/json-stream.ts';
import { genesisPrevHash, makerCheckerEventHash, verifyMakerChecker } from '../../src/core/verifier/makerchecker.ts';
import { MakerCheckerLens, MAX_GATES, type MakerCheckerGovernance } from '../../src/core/verifier/makerchecker-lens.ts';
import { pemFromPublicKey } from '../../src/core/verifier/pem.ts';
import type { Progress, Report, TrustAnchor } from '../../src/core/report/report.ts';
import { verifyBundle } from '../../src/core/verifier/verify-bundle.ts';
import { chunked, sharedPath } from '../helpers/shared.ts';

// The shared fixture key when present (PKCS#8: the seed is the last 32 bytes), else a fixed one.
const FIXTURE = sharedPath('vectors', 'makerchecker', 'test-fixture-signing-key.pem');
const SK: Uint8Array = existsSync(FIXTURE)
  ? decodeBase64(readFileSync(FIXTURE, 'utf8').replace(/-----[^-]+-----|\s/g, '')).slice(-32)
  : new Uint8Array(32).fill(7);
const PUB = getPublicKey(SK);
const INSTANCE = '11111111-1111-4111-8111-111111111111';
const EXPORTED = '2026-06-13T10:00:00.000Z';

const enc = new TextEncoder();
const stats = () => ({ bytes: 0, decompressedBytes: 0, gzip: false, sha256: null });

async function verifyBytes(
  bytes: Uint8Array,
  opts: { trust?: TrustAnchor[]; chunk?: number; capPerCode?: number; signal?: AbortSignal; onProgress?: (p: Progress) => void } = {},
): Promise<Report> {
  const parts = opts.chunk ? chunked(bytes, opts.chunk) : [bytes];
  async function* gen() {
    yield* parts;
  }
  return verifyMakerChecker(gen(), stats(), {
    trust: opts.trust ?? [],
    ...(opts.capPerCode ? { capPerCode: opts.capPerCode } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
}
const verifyText = (text: string, opts: Parameters<typeof verifyBytes>[1] = {}) => verifyBytes(enc.encode(text), opts);

type Bundle = { manifest: MakerCheckerManifest; events: MakerCheckerEvent[] };

function events(runs = 3, seed: number | string = 1): MakerCheckerEventInput[] {
  return [...generateMakerCheckerEvents({ runs, seed, payloadBytes: 64 })];
}
function full(evs = events()): Bundle {
  return buildMakerCheckerBundle({ secretKey: SK, instanceId: INSTANCE, exportedAt: EXPORTED, bundleKind: 'full', events: evs });
}
function runBundle(evs = events()): Bundle {
  const runId = evs.find((e) => e.event_type === 'run.created')!.run_id!;
  return buildMakerCheckerBundle({ secretKey: SK, instanceId: INSTANCE, exportedAt: EXPORTED, bundleKind: 'run', runId, events: evs });
}
const text = (b: unknown) => JSON.stringify(b, null, 2) + '\n';
const rehash = (e: MakerCheckerEvent) => (e.hash = makerCheckerEventHash(e));

/** Recomputes the manifest from the events as they now are, and re-signs it. */
function refresh(b: Bundle, override: Partial<MakerCheckerManifest> = {}): Bundle {
  const d = createSha256();
  b.events.forEach((e, i) => d.update(enc.encode((i ? '\n' : '') + e.hash)));
  const fields = {
    ...b.manifest,
    count: b.events.length,
    firstSeq: b.events[0]?.seq ?? null,
    lastSeq: b.events.at(-1)?.seq ?? null,
    headHash: b.events.at(-1)?.hash ?? null,
    eventHashesDigest: encodeHex(d.digest()),
    ...override,
  } as MakerCheckerManifest;
  b.manifest = signMakerCheckerManifest(fields, SK);
  return b;
}
/** Re-signs the manifest as it is (after editing signed fields). */
const resign = (b: Bundle) => ((b.manifest = signMakerCheckerManifest(b.manifest, SK)), b);

const codes = (r: Report) => r.findings.map((f) => f.code).filter((c) => c !== 'TRUST.unpinned');
const lens = (r: Report) => r.governance as MakerCheckerGovernance;
const lensCodes = (r: Report) => lens(r).findings.map((f) => f.code);

describe('json-stream scanner', () => {
  // Items with their bytes decoded to text, for comparing.
  type Scanned = { kind: string; bytes?: string | Uint8Array | null; [k: string]: unknown };
  async function scan(s: string, chunk: number): Promise<Scanned[]> {
    const out: Scanned[] = [];
    for await (const item of scanBundle(chunked(enc.encode(s), chunk)))
      out.push('bytes' in item && item.bytes ? { ...item, bytes: new TextDecoder().decode(item.bytes) } : item);
    return out;
  }

  it('frames manifest and events across any chunk boundary, strings and escapes included', async () => {
    const doc = '{ "manifest" : {"a":"}]\\"{[","b":[1,{"c":"\\\\"}]},\n  "events": [\n {"x":"\\"]"} ,\n\n {"y":[[]]}, 5, "s\\\\", null\n]\n}\n';
    const ref = await scan(doc, 1 << 20);
    expect(ref.map((i) => i.kind)).toEqual(['manifest', 'event', 'event', 'event', 'event', 'event', 'end']);
    const ev = ref.filter((i) => i.kind === 'event');
    expect(ev.map((e) => e.bytes)).toEqual(['{"x":"\\"]"}', '{"y":[[]]}', '5', '"s\\\\"', 'null']);
    expect(ev.map((e) => e.line)).toEqual([3, 5, 5, 5, 5]);
    for (const size of [1, 2, 3, 5, 7, 11]) expect(await scan(doc, size)).toEqual(ref);
  });

  it('property: any document, any chunking, any indentation frames the same elements', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })),
        fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 8 }),
        fc.constantFrom(undefined, 1, 2, '\t'),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        async (manifest, evs, space, size, manifestFirst) => {
          fc.pre(!JSON.stringify([manifest, evs]).includes('manifest'));
          const doc = JSON.stringify(manifestFirst ? { manifest, events: evs } : { events: evs, manifest }, null, space);
          const items = await scan(doc, size);
          const got = items.filter((i) => i.kind === 'event').map((i) => JSON.parse(String(i.bytes)));
          expect(got).toEqual(JSON.parse(JSON.stringify(evs)));
          const m = items.find((i) => i.kind === 'manifest')!;
          expect(JSON.parse(String(m.bytes))).toEqual(JSON.parse(JSON.stringify(manifest)));
          expect(items.some((i) => i.kind === 'problem')).toBe(false);
          const line = doc.slice(0, doc.indexOf('"manifest":')).split('\n').length; // the value starts on its key's line
          expect(m.line).toBe(line);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('frames the same elements from a reader that refills one buffer (json-scan.ts keeps byte positions per chunk)', async () => {
    const { BundleScanner } = await import('../../src/core/verifier/json-stream.ts');
    // Strings with and without escapes, so a '\\' or LF position found in one chunk would be
    // wrong in the next one if it were kept across writes of the same buffer.
    const evs = Array.from({ length: 40 }, (_, i) => ({ k: i % 3 ? 'plain text '.repeat(i % 7) : 'q\\"e\n'.repeat(i % 5), n: [i, { s: 'x' }] }));
    const doc = enc.encode(JSON.stringify({ manifest: { a: 'b' }, events: evs }, null, 1));
    for (const size of [7, 64, 333]) {
      const items: ScanItem[] = [];
      const s = new BundleScanner((i) => items.push(i), 1 << 20);
      const buf = new Uint8Array(size);
      for (let o = 0; o < doc.length; o += size) {
        const n = Math.min(size, doc.length - o);
        buf.set(doc.subarray(o, o + n));
        s.write(n === size ? buf : buf.subarray(0, n));
        // the scanner keeps what it needs: copy the event bytes out before the buffer is refilled
        for (const it of items)
          if ('bytes' in it && it.bytes && !(it as { copied?: true }).copied) Object.assign(it, { bytes: it.bytes.slice(), copied: true });
      }
      expect(s.end().complete).toBe(true);
      const got = items.filter((i): i is Extract<ScanItem, { kind: 'event' }> => i.kind === 'event').map((e) => JSON.parse(new TextDecoder().decode(e.bytes!)));
      expect(got).toEqual(evs);
    }
  });

  it.each([
    ['{"manifest":{},"events":[{}]', 'truncated'],
    ['{"manifest":{},"events":[{"a":"b', 'truncated'],
    ['{"manifest":{},"events":[]} x', 'trailing data'],
    ['{"manifest":{},"events":[{}],}', 'member name'],
    ['{"manifest":{},"events":[{},]}', "trailing ','"],
    ['{"manifest":{"a":[}},"events":[]}', 'brackets do not match'],
    ['', 'empty'],
    ['[1,2]', 'not a bundle'],
  ])('%s → fatal problem (%s)', async (doc, phrase) => {
    const items = await scan(doc, 3);
    const p = items.find((i) => i.kind === 'problem' && i.fatal);
    expect(p?.message).toContain(phrase);
  });

  it('reads member names with escapes; an ill-formed or duplicate name is a problem, not a member', async () => {
    const items = await scan('{"manif\\u0065st":{"a":1},"\\ud800":2,"x":3,"x":4,"events":[]}', 4);
    expect(items.map((i) => i.kind)).toEqual(['manifest', 'problem', 'member', 'problem', 'end']);
    expect(items[1]).toMatchObject({ code: 'AAPR.ill_formed_string', fatal: false });
    expect(items[2]).toMatchObject({ name: 'x', bytes: '3' });
    expect(items[3]).toMatchObject({ code: 'FORMAT.json', fatal: false });
    expect(items[4]!.summary).toMatchObject({ complete: true, events: 0 });
  });

  it('counts depth over the whole document (64 levels, I-JSON)', async () => {
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    // root (1) + events (2) + 62 levels inside an event = 64: fine; one more is not.
    const ok = await scan(`{"manifest":{},"events":[${deep(62)}]}`, 5);
    expect(ok.some((i) => i.kind === 'problem')).toBe(false);
    const bad = await scan(`{"manifest":{},"events":[${deep(63)}]}`, 5);
    expect(bad.find((i) => i.kind === 'problem')).toMatchObject({ code: 'FORMAT.json', fatal: true });
  });

  it('does not buffer an element over the limit', async () => {
    const items: ScanItem[] = [];
    const { BundleScanner } = await import('../../src/core/verifier/json-stream.ts');
    const s = new BundleScanner((i) => items.push(i), 100);
    for (const c of chunked(enc.encode(`{"events":[{"big":"${'x'.repeat(1000)}"},{"small":1}],"manifest":{}}`), 16)) s.write(c);
    expect(s.end().complete).toBe(true);
    const ev = items.filter((i): i is Extract<ScanItem, { kind: 'event' }> => i.kind === 'event');
    expect(ev[0]).toMatchObject({ bytes: null, size: 1010 });
    expect(new TextDecoder().decode(ev[1]!.bytes!)).toBe('{"small":1}');
    // and the verifier reports it, reading on
    const r = await verifyMakerChecker(
      (async function* () {
        yield enc.encode(`{"events":[{"big":"${'x'.repeat(1000)}"}],"manifest":{}}`);
      })(),
      stats(),
      { maxElementBytes: 100 },
    );
    expect(r.findings.find((f) => f.code === 'FORMAT.json')?.message).toContain('over the 100 bytes limit');
    expect(r.entries).toBe(1);
  });
});

describe('MakerChecker writer', () => {
  it('writes what MakerChecker writes: genesis-rooted, chained, signed; streaming gives the same bytes', async () => {
    const evs = events(4, 'w');
    const b = full(evs);
    expect(b.events[0]!.event_type).toBe('audit.genesis');
    expect(b.events[0]!.prev_hash).toBe(genesisPrevHash(INSTANCE));
    for (let i = 1; i < b.events.length; i++) expect(b.events[i]!.prev_hash).toBe(b.events[i - 1]!.hash);
    expect(b.manifest.publicKeyPem).toBe(pemFromPublicKey(PUB));
    const whole = writeMakerCheckerBundle({ secretKey: SK, instanceId: INSTANCE, exportedAt: EXPORTED, bundleKind: 'full', events: evs });
    expect(whole).toBe(text(b));
    const streamed = [
      ...streamMakerCheckerBundle({ secretKey: SK, instanceId: INSTANCE, exportedAt: EXPORTED, bundleKind: 'full', events: () => evs, chunkChars: 500 }),
    ];
    expect(streamed.length).toBeGreaterThan(3);
    expect(streamed.join('')).toBe(whole);
    const r = await verifyText(whole, { trust: [{ kind: 'key', hex: keyIdOf(PUB) }] });
    expect(r.verdict, JSON.stringify(r.findings)).toBe('pass');
    expect(r.entries).toBe(b.events.length);
    expect(r.makerchecker).toMatchObject({ bundleKind: 'full', instanceId: INSTANCE, headHash: b.manifest.headHash });
  });

  it('generates deterministic, realistic streams', () => {
    const a = events(20, 42);
    expect(events(20, 42)).toEqual(a);
    expect(events(20, 43)).not.toEqual(a);
    const types = new Set(a.map((e) => e.event_type));
    for (const t of [
      'audit.genesis',
      'flow.published',
      'grant.created',
      'run.created',
      'run.step.started',
      'skill.invoked',
      'llm.call',
      'approval.requested',
      'approval.decided',
      'approval.resolved',
      'run.completed',
    ])
      expect(types.has(t), t).toBe(true);
    for (const e of a) expect(e.occurred_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const seqs = a.map((e) => Number(e.seq));
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!);
  });

  it("exports a run bundle with only that run's events, linked into the full chain", async () => {
    const b = runBundle();
    const runId = b.manifest.runId!;
    expect(b.events.every((e) => e.run_id === runId)).toBe(true);
    const r = await verifyText(text(b));
    expect(r.verdict).toBe('warn');
    expect(codes(r)).toEqual([]);
    expect(r.trust.doesNotProve.join(' ')).toContain('complete');
  });
});

describe('MakerChecker verifier: one broken thing at a time', () => {
  it('TRUST.unpinned: a valid full bundle is warn when not pinned, and pass when pinned (PEM, SPKI SHA-256 or key id)', async () => {
    const t = text(full());
    const spki = encodeHex(sha256(decodeBase64(pemFromPublicKey(PUB).replace(/-----[^-]+-----|\s/g, ''))));
    for (const anchor of [
      { kind: 'pem', pem: pemFromPublicKey(PUB) },
      { kind: 'key', hex: spki },
      { kind: 'key', hex: keyIdOf(PUB).toUpperCase() },
    ] as TrustAnchor[]) {
      const r = await verifyText(t, { trust: [anchor] });
      expect(r.verdict).toBe('pass');
      expect(r.trust.status).toBe('pinned');
    }
    const u = await verifyText(t);
    expect(u.verdict).toBe('warn');
    expect(u.findings.map((f) => f.code)).toEqual(['TRUST.unpinned']);
    expect(u.signers[0]).toMatchObject({ keyId: keyIdOf(PUB), spkiSha256: spki, principal: 'makerchecker-instance' });
  });

  it('AAPR.signature: a signed field changed without re-signing', async () => {
    const b = full();
    b.manifest.exportedAt = '2026-06-14T10:00:00.000Z';
    const r = await verifyText(text(b));
    expect(codes(r)).toEqual(['AAPR.signature']);
    expect(r.findings[0]!.message).toContain('signature');
  });

  it('AAPR.signature: a signature that is not 64 bytes of base64', async () => {
    const b = full();
    b.manifest.signature = 'AAAA';
    expect(codes(await verifyText(text(b)))).toEqual(['AAPR.signature']);
  });

  it('AAPR.count', async () => {
    const r = await verifyText(text(refresh(full(), { count: 999 })));
    expect(codes(r)).toEqual(['AAPR.count']);
    expect(r.findings[0]!.message).toContain('count');
  });

  it('AAPR.digest', async () => {
    const r = await verifyText(text(refresh(full(), { eventHashesDigest: '0'.repeat(64) })));
    expect(codes(r)).toEqual(['AAPR.digest']);
    expect(r.findings[0]!.message).toContain('digest');
  });

  it('AAPR.run: an event of another run, and a run bundle without runId', async () => {
    const b = runBundle();
    const e = b.events[3]!;
    e.run_id = '99999999-9999-4999-8999-999999999999';
    rehash(e);
    const r = await verifyText(text(refresh(b)));
    expect(codes(r)).toEqual(['AAPR.run']);
    expect(r.findings[0]).toMatchObject({ seq: e.seq });
    expect(r.findings[0]!.message).toContain('does not belong to run');
    const nb = runBundle();
    nb.manifest.runId = null;
    const r2 = await verifyText(text(resign(nb)));
    expect(codes(r2)).toEqual(['AAPR.run']);
    expect(r2.findings[0]!.message).toContain('missing runId');
  });

  it('AAPR.hash: a payload altered after hashing, with the line and seq of the event', async () => {
    const b = full();
    const e = b.events[7]!;
    (e.payload as Record<string, unknown>).extra = 'tampered';
    const t = text(b);
    const r = await verifyText(t);
    expect(codes(r)).toEqual(['AAPR.hash']);
    expect(r.findings[0]).toMatchObject({ seq: e.seq });
    expect(r.findings[0]!.message).toContain('hash mismatch');
    const line = t.split('\n').findIndex((l) => l.includes(`"seq": "${e.seq}"`)); // 0-based line of seq = 1-based line of "{"
    expect(r.findings[0]!.line).toBe(line);
  });

  it('AAPR.link: an event removed from a full chain (manifest re-signed over what is left)', async () => {
    const b = full();
    const removed = b.events.splice(10, 1)[0]!;
    const r = await verifyText(text(refresh(b)));
    expect(codes(r)).toEqual(['AAPR.link']);
    expect(r.findings[0]!.seq).toBe(b.events[10]!.seq);
    expect(r.findings[0]!.message).toContain(removed.hash.slice(0, 16));
  });

  it('AAPR.link: the first event is not the genesis', async () => {
    const b = full();
    b.events.shift();
    const r = await verifyText(text(refresh(b)));
    expect(codes(r)).toEqual(['AAPR.link', 'AAPR.link']);
    expect(r.findings.map((f) => f.message).join(' ')).toContain('audit.genesis');
    expect(r.findings.map((f) => f.message).join(' ')).toContain('genesis root');
  });

  it('AAPR.head: headHash, firstSeq and lastSeq', async () => {
    const r = await verifyText(text(refresh(full(), { headHash: 'a'.repeat(64), firstSeq: '0', lastSeq: '12345678' })));
    expect(codes(r)).toEqual(['AAPR.head', 'AAPR.head', 'AAPR.head']);
  });

  it('AAPR.ill_formed_string: an unpaired surrogate in an event or in the manifest, not FORMAT.json', async () => {
    const evs = events();
    (evs[5]!.payload as Record<string, unknown>).note = 'x\ud800y';
    const b = full(evs);
    const e = b.events[5]!;
    const r = await verifyText(text(b));
    expect(codes(r)).toEqual(['AAPR.ill_formed_string']);
    expect(r.findings[0]).toMatchObject({ seq: e.seq });
    expect(r.findings[0]!.message).toContain('ill-formed string');
    const m = full();
    m.manifest.exportedAt = '2026-06-13\udc00';
    const r2 = await verifyText(text(resign(m)));
    expect(codes(r2)).toEqual(['AAPR.ill_formed_string']);
    expect(r2.findings[0]!.message).toContain('$.manifest.exportedAt');
  });

  it('AAPR.ill_formed_string: a surrogate encoded in UTF-8 bytes', async () => {
    const t = text(full()).replace('"stepKey": "intake"', '"stepKey": "in@@@ke"');
    const bytes = enc.encode(t);
    const i = Buffer.from(bytes).indexOf(Buffer.from('in@@@ke')) + 2;
    bytes.set([0xed, 0xa0, 0x80], i); // "@@@" → U+D800 encoded in UTF-8
    const r = await verifyBytes(bytes);
    expect(codes(r)).toContain('AAPR.ill_formed_string');
    expect(codes(r)).not.toContain('FORMAT.json');
  });

  it('FORMAT.schema: occurred_at out of grammar, unknown bundleKind, unknown member, bad key, missing manifest', async () => {
    const evs = events();
    evs[4]!.occurred_at = '2026-06-12T09:30:00Z';
    const r = await verifyText(text(full(evs)));
    expect(codes(r)).toEqual(['FORMAT.schema']);
    expect(r.findings[0]!.message).toContain('occurred_at');

    const k = full();
    (k.manifest as { bundleKind: string }).bundleKind = 'partial';
    const r2 = await verifyText(text(resign(k)));
    expect(codes(r2)).toEqual(['FORMAT.schema']);
    expect(r2.findings[0]!.message).toContain('unknown bundleKind');

    const u = full() as Bundle & { extra?: number };
    u.extra = 1;
    const r3 = await verifyText(text(u));
    expect(codes(r3)).toEqual(['FORMAT.schema']);
    expect(r3.findings[0]!.message).toContain('"extra"');

    const p = full();
    p.manifest.publicKeyPem = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n';
    const r4 = await verifyText(text(p));
    expect(codes(r4)).toEqual(['FORMAT.schema']);
    expect(r4.findings[0]!.message).toContain('SPKI');

    const r5 = await verifyText(JSON.stringify({ events: full().events }));
    expect(codes(r5)).toEqual(['FORMAT.schema']);
    expect(r5.findings[0]!.message).toContain('no manifest');

    const r6 = await verifyText(JSON.stringify({ manifest: full().manifest, events: {} }));
    expect(codes(r6)).toContain('FORMAT.schema');
  });

  it('FORMAT.json: duplicate key in the manifest, in an event, at top level', async () => {
    const t = text(full());
    const dm = t.replace('"schemaVersion": 1,', '"schemaVersion": 1,\n    "count": 0,');
    const r = await verifyText(dm);
    expect(codes(r)).toEqual(['FORMAT.json']);
    expect(r.findings[0]!.message).toContain('duplicate');
    expect(r.findings[0]!.line).toBe(dm.split('\n').findIndex((l, i) => i > 4 && l.includes('"count"')) + 1);

    const de = t.replace(/("event_type": "llm.call",)/, '$1 "event_type": "llm.call",');
    const r2 = await verifyText(de);
    expect(codes(r2)).toEqual(['FORMAT.json']);
    expect(r2.findings[0]!.seq).toBeDefined();

    const dt = t.replace(/\n}\n$/, ',\n  "events": []\n}\n');
    const r3 = await verifyText(dt);
    expect(codes(r3)).toEqual(['FORMAT.json']);
    expect(r3.findings[0]!.message).toContain('duplicate top-level member name "events"');
  });

  it('FORMAT.json: truncated file, trailing garbage, invalid UTF-8, too deep', async () => {
    const t = text(full());
    const cut = await verifyText(t.slice(0, Math.floor(t.length / 2)), { chunk: 333 });
    expect(cut.verdict).toBe('fail');
    expect(codes(cut)).toEqual(['FORMAT.json']);
    expect(cut.findings[0]!.message).toContain('truncated');

    const tail = await verifyText(t + '{"more":1}\n');
    expect(codes(tail)).toEqual(['FORMAT.json']);
    expect(tail.findings[0]!.message).toContain('trailing');
    expect(tail.findings[0]!.line).toBe(t.split('\n').length);

    const bytes = enc.encode(t);
    const i = Buffer.from(bytes).indexOf(Buffer.from('"llm.call"')) + 2;
    bytes[i] = 0xff;
    const bad = await verifyBytes(bytes);
    expect(codes(bad)).toEqual(['FORMAT.json']);
    expect(bad.findings[0]!.message).toContain('UTF-8');

    const b = full();
    let deep: unknown = 1;
    for (let k = 0; k < 70; k++) deep = [deep];
    (b.events[3]!.payload as Record<string, unknown>).deep = deep;
    const d = await verifyText(text(b));
    expect(codes(d)).toEqual(['FORMAT.json']);
    expect(d.findings[0]!.message).toContain('nesting deeper than 64');
  });

  it('TRUST.mismatch: another key pinned, or a genesis anchor (it does not apply)', async () => {
    const t = text(full());
    const other = getPublicKey(new Uint8Array(32).fill(9));
    const r = await verifyText(t, { trust: [{ kind: 'pem', pem: pemFromPublicKey(other) }] });
    expect(r.verdict).toBe('fail');
    expect(codes(r)).toEqual(['TRUST.mismatch']);
    expect(r.findings[0]!.message).toContain('pinned key');
    const g = await verifyText(t, { trust: [{ kind: 'genesis', hex: genesisPrevHash(INSTANCE) }] });
    expect(codes(g)).toEqual(['TRUST.mismatch']);
    expect(g.findings[0]!.message).toContain('does not apply');
  });
});

describe('MakerChecker verifier: every failure, any layout, any size', () => {
  it("reports every failure when several things are broken, in MakerChecker's order", async () => {
    const b = full();
    (b.events[6]!.payload as Record<string, unknown>).x = 1; // AAPR.hash
    (b.events[9]!.payload as Record<string, unknown>).x = 2; // AAPR.hash
    b.manifest.count = 1; // AAPR.signature + AAPR.count
    b.events[2]!.occurred_at = 'yesterday'; // FORMAT.schema + AAPR.hash
    const r = await verifyText(text(b), { chunk: 64 });
    expect(codes(r)).toEqual(['FORMAT.schema', 'AAPR.signature', 'AAPR.count', 'AAPR.hash', 'AAPR.hash', 'AAPR.hash']);
    expect(r.findings.filter((f) => f.code === 'AAPR.hash').map((f) => f.seq)).toEqual([b.events[2]!.seq, b.events[6]!.seq, b.events[9]!.seq]);
  });

  it('reads the manifest after the events (members in either order), and defers what needs it', async () => {
    const evs = events(3, 7);
    const opts = { secretKey: SK, instanceId: INSTANCE, exportedAt: EXPORTED };
    const last = [...streamMakerCheckerBundle({ ...opts, bundleKind: 'full', events: () => evs, manifestPosition: 'last' })].join('');
    expect(last.trimStart().startsWith('{\n  "events"')).toBe(true);
    const ok = await verifyText(last, { chunk: 100 });
    expect(ok.verdict).toBe('warn');
    expect(codes(ok)).toEqual([]);
    // broken links and a genesis problem are found once the manifest says "full"
    const b = full(evs);
    b.events.splice(5, 1);
    b.events.splice(9, 1);
    refresh(b);
    const swapped = JSON.stringify({ events: b.events, manifest: b.manifest }, null, 2);
    const r = await verifyText(swapped, { chunk: 50 });
    expect(codes(r)).toEqual(['AAPR.link', 'AAPR.link']);
    // a foreign event in a run bundle whose manifest comes last
    const rb = runBundle(evs);
    rb.events[2]!.run_id = 'other-run';
    rehash(rb.events[2]!);
    refresh(rb);
    const r2 = await verifyText(JSON.stringify({ events: rb.events, manifest: rb.manifest }), { chunk: 50 });
    expect(codes(r2)).toEqual(['AAPR.run']);
    expect(r2.findings[0]!.seq).toBe(rb.events[2]!.seq);
  });

  it('caps findings per code and counts the rest', async () => {
    const b = full(events(10, 3));
    for (const e of b.events) (e.payload as Record<string, unknown>).t = 1;
    const r = await verifyText(text(b), { capPerCode: 5 });
    expect(r.findings.filter((f) => f.code === 'AAPR.hash')).toHaveLength(5);
    expect(r.counts['AAPR.hash']).toBe(b.events.length);
    expect(r.dropped['AAPR.hash']).toBe(b.events.length - 5);
  });

  it('honours the abort signal', async () => {
    const t = text(full(events(20, 5)));
    const ac = new AbortController();
    ac.abort();
    await expect(verifyText(t, { signal: ac.signal, chunk: 1000 })).rejects.toBeInstanceOf(AbortError);
    // aborted while reading: the next chunk is refused
    const ac2 = new AbortController();
    const parts = chunked(enc.encode(t), 1000);
    let served = 0;
    async function* source() {
      for (const p of parts) {
        if (++served === 3) ac2.abort();
        yield p;
      }
    }
    await expect(verifyMakerChecker(source(), stats(), { signal: ac2.signal })).rejects.toBeInstanceOf(AbortError);
    expect(served).toBe(3);
    const viaDispatcher = await verifyBundle([enc.encode(t)], { signal: ac.signal, backend: createNobleBackend() });
    expect(viaDispatcher).toMatchObject({ ok: false, code: 'INPUT.aborted' });
  });

  it('streams a 20,000-event bundle in chunks with bounded state, reporting progress', async () => {
    const gen = () => generateMakerCheckerEvents({ runs: 1500, seed: 'big', payloadBytes: 128 });
    const pieces = [...streamMakerCheckerBundle({ secretKey: SK, instanceId: INSTANCE, exportedAt: EXPORTED, bundleKind: 'full', events: gen })];
    const progress: number[] = [];
    const parts = pieces.map((s) => enc.encode(s));
    async function* source() {
      for (const p of parts) yield* chunked(p, 4096);
    }
    const r = await verifyMakerChecker(source(), stats(), { trust: [{ kind: 'key', hex: keyIdOf(PUB) }], onProgress: (p) => progress.push(p.entries) });
    expect(r.entries).toBeGreaterThanOrEqual(20_000);
    expect(r.verdict, JSON.stringify(r.findings.slice(0, 3))).toBe('pass');
    expect(progress.length).toBeGreaterThanOrEqual(20);
    expect(progress.at(-1)).toBe(r.entries);
    const g = lens(r);
    expect(g.findings).toEqual([]);
    expect(g.gates.length).toBe(1500);
    expect(g.runs).toMatchObject({ seen: 1500, open: 0 });
    expect(g.runs.completed + g.runs.failed).toBe(1500);
    // same verdict through the dispatcher (format detection + gzip-free path)
    const viaDispatcher = await verifyBundle(parts, { backend: createNobleBackend() });
    expect(viaDispatcher.ok && viaDispatcher.report.format).toBe('makerchecker-aapr/v1');
    expect(viaDispatcher.ok && viaDispatcher.report.verdict).toBe('warn');
  }, 120_000);
});

describe('MakerChecker governance lens (never part of the verdict)', () => {
  /** A single run that was approved (seed chosen so the generator did not reject it). */
  function oneApprovedRun(): MakerCheckerEventInput[] {
    for (let seed = 1; ; seed++) {
      const evs = events(1, seed);
      if (evs.some((e) => e.event_type === 'run.completed') && !evs.some((e) => e.event_type === 'approval.decision_denied')) return evs;
    }
  }
  function oneRejectedRun(): MakerCheckerEventInput[] {
    for (let seed = 1; ; seed++) {
      const evs = events(1, seed);
      if (evs.some((e) => e.event_type === 'run.failed')) return evs;
    }
  }
  const idx = (evs: MakerCheckerEventInput[], type: string, nth = 0) => evs.map((e, i) => [e, i] as const).filter(([e]) => e.event_type === type)[nth]![1];
  async function check(evs: MakerCheckerEventInput[], kind: 'full' | 'run' = 'full'): Promise<Report> {
    const b = kind === 'full' ? full(evs) : runBundle(evs);
    const r = await verifyText(text(b));
    expect(r.verdict).toBe('warn'); // integrity is intact whatever the lens sees
    expect(codes(r)).toEqual([]);
    return r;
  }
  const clone = (e: MakerCheckerEventInput, patch: Partial<MakerCheckerEventInput>): MakerCheckerEventInput => ({ ...structuredClone(e), ...patch });

  it('a clean run: gate summary, no observations', async () => {
    const r = await check(oneApprovedRun());
    const g = lens(r);
    expect(g.kind).toBe('makerchecker-lens');
    expect(g.note).toContain('not signed by the approvers');
    expect(g.fullChain).toBe(true);
    expect(g.findings).toEqual([]);
    expect(g.gates).toHaveLength(1);
    expect(g.gates[0]).toMatchObject({
      stepKey: 'medical-review',
      requiredApprovals: 2,
      distinctApprovals: 2,
      outcome: 'approved',
      quorumBeforeNextStep: true,
    });
    expect(g.gates[0]!.requester).toContain(GENERATOR_USERS.requester.email);
    expect(g.gates[0]!.decisions).toHaveLength(2);
    const rr = await check(oneApprovedRun(), 'run');
    expect(lens(rr).fullChain).toBe(false);
    expect(lens(rr).findings).toEqual([]);
  });

  it('LENS.self_decision (and LENS.not_named_approver: the requester is not on the list)', async () => {
    const evs = oneApprovedRun();
    const requester = evs[idx(evs, 'run.created')]!.actor;
    const d = idx(evs, 'approval.decided');
    evs[d] = clone(evs[d]!, { actor: requester });
    const r = await check(evs);
    expect(lensCodes(r)).toEqual(['LENS.self_decision', 'LENS.not_named_approver']);
    expect(lens(r).gates[0]!.findings).toEqual(['LENS.self_decision', 'LENS.not_named_approver']);
  });

  it('LENS.not_named_approver', async () => {
    const evs = oneApprovedRun();
    const d = idx(evs, 'approval.decided', 1);
    evs[d] = clone(evs[d]!, { actor: { type: 'user', id: 'u-dave', name: 'dave@example.org' } });
    expect(lensCodes(await check(evs))).toEqual(['LENS.not_named_approver']);
  });

  it('LENS.decision_after_resolution: after the gate resolved, and after the run ended', async () => {
    const evs = oneApprovedRun();
    const res = idx(evs, 'approval.resolved');
    const late = clone(evs[idx(evs, 'approval.decided')]!, { id: 'late-1', seq: '9001', event_type: 'approval.decided' });
    evs.splice(res + 1, 0, late);
    const end = idx(evs, 'run.completed');
    evs.splice(end + 1, 0, clone(late, { id: 'late-2', seq: '9002' }));
    evs.forEach((e, i) => (e.seq = String(i + 1)));
    const r = await check(evs);
    expect(lensCodes(r)).toEqual(['LENS.decision_after_resolution', 'LENS.decision_after_resolution']);
    expect(lens(r).findings[0]!.message).toContain('after it was resolved');
    expect(lens(r).findings[1]!.message).toContain('after run');
  });

  it('LENS.rejection_without_failure', async () => {
    const evs = oneRejectedRun();
    const failed = idx(evs, 'run.failed');
    evs[failed] = clone(evs[failed]!, { event_type: 'run.completed', payload: {} });
    const r = await check(evs);
    expect(lensCodes(r)).toEqual(['LENS.rejection_without_failure']);
    const evs2 = oneRejectedRun();
    evs2.splice(idx(evs2, 'run.failed'), 1);
    expect(lensCodes(await check(evs2))).toEqual(['LENS.rejection_without_failure']);
    expect(lensCodes(await check(oneRejectedRun()))).toEqual([]);
  });

  it('LENS.quorum_not_reached: a later step started with one distinct approval of two', async () => {
    const evs = oneApprovedRun();
    const second = idx(evs, 'approval.decided', 1);
    const first = evs[idx(evs, 'approval.decided')]!;
    evs[second] = clone(evs[second]!, { actor: first.actor }); // the same approver twice
    const r = await check(evs);
    expect(lensCodes(r)).toEqual(['LENS.quorum_not_reached']);
    expect(lens(r).gates[0]).toMatchObject({ distinctApprovals: 1, quorumBeforeNextStep: false });
  });

  it('LENS.skill_outside_step', async () => {
    const evs = oneApprovedRun();
    const s = idx(evs, 'skill.invoked');
    evs[s] = clone(evs[s]!, { payload: { ...(evs[s]!.payload as object), skillRef: 'e2b-submit@2' } });
    expect(lensCodes(await check(evs))).toEqual(['LENS.skill_outside_step']);
  });

  it('LENS.ungranted_skill: a grant revoked before the run (full bundles only)', async () => {
    const evs = oneApprovedRun();
    const g = evs.find((e) => e.event_type === 'grant.created' && (e.payload as { skill: string }).skill === 'e2b-submit@2')!;
    const at = idx(evs, 'run.created');
    evs.splice(at, 0, clone(g, { id: 'revoke-1', event_type: 'grant.revoked', payload: { roleId: (g.payload as { roleId: string }).roleId } }));
    evs.forEach((e, i) => (e.seq = String(i + 1)));
    const r = await check(evs);
    expect(lensCodes(r)).toEqual(['LENS.ungranted_skill']);
    expect(lens(r).findings[0]!.message).toContain('e2b-submit@2');
    // a run bundle has no grant history: no such observation
    expect(lensCodes(await check(evs, 'run'))).toEqual([]);
  });
});

describe('governance lens state stays bounded', () => {
  it('keeps at most MAX_GATES gate summaries, counts the rest, and forgets ended runs', () => {
    const l = new MakerCheckerLens();
    const n = MAX_GATES + 50;
    const user = (id: string) => ({ type: 'user', id, name: `${id}@example.org` });
    for (let i = 0; i < n; i++) {
      const run = `run-${i}`;
      const base = { occurred_at: '2026-06-12T09:30:00.000Z', entity_type: 'approval', entity_id: `ap-${i}`, run_id: run };
      l.observe({ ...base, event_type: 'run.created', actor: user('req'), entity_id: run, payload: {} }, 1, String(i));
      l.observe(
        { ...base, event_type: 'approval.requested', actor: { type: 'system', id: 'engine' }, payload: { stepKey: 'g', stepIndex: 1, requiredApprovals: 1 } },
        2,
        String(i),
      );
      l.observe({ ...base, event_type: 'approval.decided', actor: user('a'), payload: { decision: 'approved' } }, 3, String(i));
      l.observe({ ...base, event_type: 'run.completed', actor: { type: 'system', id: 'engine' }, entity_id: run, payload: {} }, 4, String(i));
    }
    // a late decision on a gate whose summary was not kept is still seen
    l.observe(
      { event_type: 'approval.decided', actor: user('b'), entity_id: `ap-${n - 1}`, run_id: `run-${n - 1}`, payload: { decision: 'approved' } },
      5,
      'late',
    );
    const g = l.finish();
    expect(g.gates).toHaveLength(MAX_GATES);
    expect(g.gatesDropped).toBe(50);
    expect(g.runs).toMatchObject({ seen: n, completed: n, open: 0 });
    expect(g.findings.map((f) => f.code)).toEqual(['LENS.decision_after_resolution']);
  });
});

describe('attacker-sized strings stay small in what is kept', () => {
  it('clips titles and labels, keys long ids by their hash, and still matches them', () => {
    const l = new MakerCheckerLens();
    const huge = 'r'.repeat(100_000);
    const who = { type: 'user', id: 'u'.repeat(50_000), name: 'n'.repeat(50_000) };
    const base = { occurred_at: '2026-06-12T09:30:00.000Z', run_id: huge };
    l.observe({ ...base, event_type: 'run.created', actor: who, entity_id: huge, payload: {} }, 1, '1');
    l.observe(
      {
        ...base,
        event_type: 'approval.requested',
        actor: {},
        entity_id: 'a'.repeat(10_000),
        payload: { title: 't'.repeat(100_000), stepKey: 'k'.repeat(100_000), requiredApprovals: 1 },
      },
      2,
      '2',
    );
    l.observe({ ...base, event_type: 'approval.decided', actor: who, entity_id: 'a'.repeat(10_000), payload: { decision: 'approved' } }, 3, '3');
    const g = l.finish();
    expect(JSON.stringify(g).length).toBeLessThan(5_000);
    expect(g.findings.map((f) => f.code)).toEqual(['LENS.self_decision']);
  });
});

describe('chainMakerCheckerEvents', () => {
  it('hashes the camelCase object, not seq', () => {
    const [a] = [...chainMakerCheckerEvents(INSTANCE, events(1, 1).slice(0, 1))];
    const b = { ...a!, seq: '999' };
    expect(makerCheckerEventHash(b)).toBe(a!.hash);
  });
});
