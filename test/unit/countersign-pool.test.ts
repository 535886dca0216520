// Countersign lines prepared by a pool of N workers and applied in file order (issue 10): the
// report must be identical, byte for byte except timings, to the one-thread report, for
// N = 0 (no pool), 1, 2, 3, 7, on every conformance vector (ours, and ../shared's when
// present), on a generated bundle of a few thousand entries with mixed faults, gzip or not,
// with batches that cut anywhere and replies out of order; and the same through real
// worker_threads (the CLI's pool) and the CLI itself. A failing pool or worker falls back to
// reading on the main thread; abort still ends the run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { bundleCli, bundleWorker } from '../helpers/cli.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignatureBackend, getPublicKey, keyIdOf, type SignatureBackend } from '../../src/core/crypto/ed25519.ts';
import { verifyBundle, type VerifyBundleOptions } from '../../src/core/verifier/verify-bundle.ts';
import { prepareLines, type CountersignLinePool, type PackedLines } from '../../src/core/verifier/countersign-lines.ts';
import { createCountersignPool, type NodeLinePool } from '../../src/cli/countersign-pool.ts';
import { BatchedSignatures, GovernanceFeed } from '../../src/core/governance/feed.ts';
import { FindingSink } from '../../src/core/statements/findings.ts';
import type { Statement } from '../../src/core/statements/schemas.ts';
import { encodeBase64 } from '../../src/core/encoding/base64.ts';
import type { DigestString } from '../../src/core/encoding/bytes.ts';
import type { Report, TrustAnchor } from '../../src/core/report/report.ts';
import { generateCountersignBundle } from '../bench/generate-countersign.ts';
import { anchorFrom } from '../helpers/anchors.ts';
import { chunked, vectorSets } from '../helpers/shared.ts';
import { rememberedAfter } from '../vectors/breakers/verify.ts';

const strip = (r: Report) => JSON.stringify({ ...r, timings: null });
const Ns = [1, 2, 3, 7];
let backend: SignatureBackend;

/** N workers in this thread, each with its own key map: replies come back out of order, as from real threads. */
function inProcessPool(size: number, batchLines: number): CountersignLinePool {
  let k = 0;
  const told = Array.from({ length: size }, () => ({ keys: new Map<string, Uint8Array>(), sent: 0 }));
  return {
    size,
    batchLines,
    prepare(batch: PackedLines, keys: readonly Uint8Array[]) {
      const w = told[k % size]!;
      for (; w.sent < keys.length; w.sent++) w.keys.set(keyIdOf(keys[w.sent]!), keys[w.sent]!.slice());
      const copy = { bytes: batch.bytes.slice(), ends: batch.ends.slice(), first: batch.first };
      const delay = (k++ * 7) % (size + 1);
      const map = new Map(w.keys);
      return new Promise((resolve, reject) => setTimeout(() => prepareLines(copy, map, backend).then(resolve, reject), delay));
    },
  };
}

interface Input {
  name: string;
  bytes: Uint8Array;
  options: VerifyBundleOptions;
}

async function run(input: Input, pool?: CountersignLinePool, chunk = 0, gzip = false): Promise<string> {
  const bytes = gzip ? new Uint8Array(gzipSync(input.bytes)) : input.bytes;
  const r = await verifyBundle(chunk ? chunked(bytes, chunk) : [bytes], { backend, ...input.options, ...(pool ? { countersignPool: () => pool } : {}) });
  if (!r.ok) return JSON.stringify(r);
  return strip(r.report);
}

const inputs: Input[] = [];

/** A generated bundle of a few thousand entries, with one fault of each kind the lines can carry. */
async function mixedFaults(dir: string): Promise<Input> {
  const path = join(dir, 'mixed.jsonl');
  const { genesis } = await generateCountersignBundle(path, 3000);
  const lines = readFileSync(path, 'utf8').split('\n');
  const flip = (s: string, at: RegExp) => s.replace(at, (m) => m.slice(0, -1) + (m.endsWith('A') ? 'B' : 'A'));
  lines[40] = '{"entry": 5}'; // FORMAT.schema
  lines[90] = 'not json'; // FORMAT.json
  lines[140] = ''; // blank
  lines[190] = flip(lines[190]!, /"sig":"[A-Za-z0-9+/]{10}/); // SIG.invalid
  lines[240] = flip(lines[240]!, /"payload":"[A-Za-z0-9+/]{30}/); // payload altered: digest, JSON or schema
  lines[300] = lines[299]!; // a repeated entry: CHAIN.seq, CHAIN.prev, replay
  lines[400] = '{"entry":' + '"x'.repeat(600_000) + '"}'; // over 1 MiB
  lines[500] = lines[500]! + '\r'; // CRLF is accepted
  lines[600] = '{"foo": 1}'; // unknown kind
  lines[700] = lines[700]!.replace('{"entry":{', '{"entry":{"extra":1,'); // FORMAT.schema (strict)
  lines[800] = '{"entry":{"seq":1,"prev":"00","envelope":{}}, "checkpoint": "x"}'; // two kinds
  lines.splice(1000, 1); // a gap
  lines[1500] = lines[1500]!.replace('"seq":', '"seq": ').replace('{"entry":', '{ "entry" : '); // spacing: same leaf
  lines[2000] = '{"entry":{"seq":1e400}}'; // I-JSON: out of range
  lines[2100] = '{"entry":' + '['.repeat(400_000) + ']'.repeat(400_000) + '}'; // deep nesting, under 1 MiB
  lines[2200] = '{"entry":"' + 'é'.repeat(100) + '\ud800"}'; // a lone surrogate escape
  return { name: 'generated, mixed faults', bytes: new TextEncoder().encode(lines.join('\n')), options: { trust: anchorFrom(`genesis:${genesis}`) } };
}

beforeAll(async () => {
  backend = await createSignatureBackend('auto');
  for (const set of vectorSets('countersign')) {
    const cases: { file: string; trust: string | string[] | null; remember?: string }[] = JSON.parse(set.read('index.json').toString('utf8')).cases;
    for (const c of cases) {
      const trust: TrustAnchor[] = anchorFrom(Array.isArray(c.trust) ? c.trust.join(' ') : c.trust);
      const remembered = c.remember ? await rememberedAfter(new Uint8Array(set.read(c.remember))) : [];
      inputs.push({ name: `${set.name}/${c.file}`, bytes: new Uint8Array(set.read(c.file)), options: { trust, remembered } });
    }
  }
  inputs.push(await mixedFaults(mkdtempSync(join(tmpdir(), 'cs-pool-'))));
}, 120_000);

describe('Countersign with a line pool (in this thread)', () => {
  it('every vector and the generated bundle: N = 1, 2, 3, 7 give the report of N = 0', async () => {
    expect(inputs.length).toBeGreaterThan(50);
    for (const input of inputs) {
      const one = await run(input);
      for (const n of Ns) {
        expect(await run(input, inProcessPool(n, 256)), `${input.name}, N = ${n}`).toBe(one);
        // many batches, keys registered in batches still in flight, chunk edges anywhere
        expect(await run(input, inProcessPool(n, 3), 97), `${input.name}, N = ${n}, small batches`).toBe(one);
      }
    }
  }, 300_000);

  it('the workers do the work: most lines come back prepared, and the faults are all reported', async () => {
    const input = inputs.at(-1)!;
    const inner = inProcessPool(2, 100);
    let lines = 0;
    let prepared = 0;
    let checked = 0;
    const counting: CountersignLinePool = {
      size: 2,
      batchLines: 100,
      prepare: async (b, keys) => {
        const text = await inner.prepare(b, keys);
        const ws = JSON.parse(text) as ({ g?: [string, unknown][] } | null)[];
        lines += ws.length;
        prepared += ws.filter(Boolean).length;
        checked += ws.flatMap((w) => w?.g ?? []).filter(([, v]) => v === 0 || v === 1).length;
        return text;
      },
    };
    const r = JSON.parse(await run(input, counting)) as Report;
    expect(lines).toBeGreaterThan(2900);
    expect(prepared / lines).toBeGreaterThan(0.99);
    expect(checked).toBeGreaterThan(2000); // the first batches go out before line 2 (genesis) has registered its keys
    expect(Object.keys(r.counts)).toEqual(expect.arrayContaining(['FORMAT.schema', 'FORMAT.json', 'FORMAT.line', 'SIG.invalid', 'CHAIN.seq', 'CHAIN.prev']));
    expect(r.verdict).toBe('fail');
  });

  it('gzip: the inflated stream is split on the main thread, the report is the same', async () => {
    const input = inputs.at(-1)!;
    const one = await run(input, undefined, 0, true);
    expect(one).toContain('"gzip":true');
    for (const n of Ns) expect(await run(input, inProcessPool(n, 64), 4096, true)).toBe(one);
  }, 120_000);

  it('a pool whose batches fail, or whose replies are garbage, falls back to reading on the main thread', async () => {
    const input = inputs.at(-1)!;
    const one = await run(input);
    const failing: CountersignLinePool = { size: 2, batchLines: 50, prepare: () => Promise.reject(new Error('boom')) };
    expect(await run(input, failing)).toBe(one);
    let k = 0;
    const garbage: CountersignLinePool = {
      size: 3,
      batchLines: 50,
      prepare: () => Promise.resolve(['[]', 'null', '{', '[null]'][k++ % 4]!),
    };
    expect(await run(input, garbage)).toBe(one);
  }, 120_000);

  it('abort ends a pooled run with INPUT.aborted, never a hang', async () => {
    const input = inputs.at(-1)!;
    const ac = new AbortController();
    const pool = inProcessPool(2, 20);
    let batches = 0;
    const counting: CountersignLinePool = {
      size: 2,
      batchLines: 20,
      prepare: (b, keys) => {
        if (++batches === 10) ac.abort();
        return pool.prepare(b, keys);
      },
    };
    const r = await verifyBundle(chunked(input.bytes, 4096), { backend, ...input.options, signal: ac.signal, countersignPool: () => counting });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe('INPUT.aborted');
  });
});

describe("the feed takes a worker's verdict in one place", () => {
  it('for a key it holds; never for a key no roster has held yet; checks the rest itself', () => {
    const queue = new BatchedSignatures();
    const feed = new GovernanceFeed(new FindingSink(100), 'log.example', queue);
    const pub = getPublicKey(new Uint8Array(32).fill(3));
    feed.keys.register([{ keys: [{ pub: encodeBase64(pub) }] }]);
    const known = keyIdOf(pub);
    const unknown = 'ab'.repeat(32);
    const sig = new Uint8Array(64);
    const e = feed.prepareOpened(
      {
        digest: 'sha256:00' as DigestString,
        signedMessage: new Uint8Array(1),
        signatures: [
          { keyId: known, signature: sig, verified: false },
          { keyId: known, signature: sig, verified: true },
          { keyId: unknown, signature: sig, verified: true },
          { keyId: known, signature: sig },
        ],
      },
      { type: 'closure' } as Statement,
      2,
      1,
    );
    expect(e.signatures).toEqual([
      { keyId: known, valid: false },
      { keyId: known, valid: true },
      { keyId: unknown, valid: null },
      { keyId: known, valid: false }, // queued: false until the batch settles
    ]);
    expect(queue.size).toBe(1);
  });
});

describe('the CLI pool (worker_threads)', () => {
  let url: URL;
  let dir: string;
  const pools: NodeLinePool[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cs-pool-'));
    url = await bundleWorker('src/cli/countersign-worker.ts', dir);
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.terminate()));
  });

  it.each(Ns)(
    'N = %i: identical report on every vector and the generated bundle',
    async (n) => {
      const pool = createCountersignPool(n, url);
      pools.push(pool);
      for (const input of inputs) expect(await run(input, pool), `${input.name}, N = ${n}`).toBe(await run(input));
    },
    300_000,
  );

  it('workers that cannot start or die: the run reads on the main thread, same report', async () => {
    const bad = join(dir, 'bad.mjs');
    writeFileSync(bad, 'throw new Error("this worker fails at start");\n');
    const pool = createCountersignPool(2, pathToFileURL(bad));
    pools.push(pool);
    const input = inputs.at(-1)!;
    expect(await run(input, pool)).toBe(await run(input));
  }, 120_000);

  it('refuses a size that is not a positive integer', () => {
    expect(() => createCountersignPool(0, url)).toThrow(RangeError);
    expect(() => createCountersignPool(1.5, url)).toThrow(RangeError);
  });
});

describe('countersign verify --workers N (the built CLI)', () => {
  it('--workers 0, 1, 2, 3, 7 print the same --json report, timings aside', async () => {
    // As scripts/build-cli.mjs bundles it: the worker script beside the CLI.
    const dir = mkdtempSync(join(tmpdir(), 'cs-pool-cli-'));
    const runner = await bundleCli(dir, true);
    const input = inputs.at(-1)!;
    const file = join(dir, 'mixed.jsonl.gz');
    writeFileSync(file, gzipSync(input.bytes));
    const trust = input.options.trust!.map((a) => `${a.kind}:${'hex' in a ? a.hex : ''}`);
    const outs = new Set<string>();
    for (const n of [0, ...Ns]) {
      const args = [runner, 'verify', file, '--json', '--workers', String(n), ...trust.flatMap((t) => ['--trust', t])];
      const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
      expect(r.status, r.stderr).toBe(1);
      const report = JSON.parse(r.stdout);
      // Who checked the signatures: the pool's threads (node:crypto), or the verifier's own backend.
      expect(report.timings.signatureBackend).toBe(n === 0 ? 'webcrypto' : `node:crypto, ${n} thread${n === 1 ? '' : 's'}`);
      outs.add(JSON.stringify({ ...report, timings: null }));
    }
    expect(outs.size).toBe(1);
  }, 120_000);
});
