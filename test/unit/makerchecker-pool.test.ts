// MakerChecker events digested by a pool of N workers and applied in file order: the
// report must be identical, byte for byte except timings, to the one-thread report,
// for N = 1, 2, 3, 7, on every vector, on mutated vectors, with batches that cut the
// events anywhere; and the same through real worker_threads (the CLI's pool).
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorker } from '../helpers/cli.ts';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMakerCheckerEvents, writeMakerCheckerBundle } from '../../src/core/gate/makerchecker-writer.ts';
import { verifyMakerChecker } from '../../src/core/verifier/makerchecker.ts';
import { BundleScanner } from '../../src/core/verifier/json-stream.ts';
import {
  decodeDigests,
  digestPackedElements,
  encodeDigests,
  type MakerCheckerEventPool,
  type EventDigest,
  lensProjection,
  type PackedElements,
} from '../../src/core/verifier/makerchecker-event.ts';
import { createMakerCheckerPool, type NodeEventPool } from '../../src/cli/makerchecker-pool.ts';
import type { Report } from '../../src/core/report/report.ts';
import { chunked, hasShared, sharedPath } from '../helpers/shared.ts';

const enc = new TextEncoder();
const strip = (r: Report) => JSON.stringify({ ...r, timings: null });

/** N workers in this thread: replies come back out of order, as from real threads. */
function inProcessPool(size: number, batchBytes: number): MakerCheckerEventPool {
  let k = 0;
  return {
    size,
    batchBytes,
    digest(batch: PackedElements) {
      const copy = { bytes: batch.bytes.slice(), ends: batch.ends.slice(), members: batch.members.slice() };
      const delay = (k++ * 7) % (size + 1);
      return new Promise((resolve) => setTimeout(() => resolve(encodeDigests(digestPackedElements(copy))), delay));
    },
  };
}

async function run(bytes: Uint8Array, pool?: MakerCheckerEventPool, chunk = 0): Promise<string> {
  async function* gen() {
    yield* chunk ? chunked(bytes, chunk) : [bytes];
  }
  const r = await verifyMakerChecker(gen(), { bytes: 0, decompressedBytes: 0, gzip: false, sha256: null }, { trust: [], ...(pool ? { eventPool: pool } : {}) });
  return strip(r);
}

const bundle = (kind: 'full' | 'run', manifestLast = false) => {
  const text = writeMakerCheckerBundle({
    secretKey: new Uint8Array(32).fill(7),
    instanceId: '11111111-1111-4111-8111-111111111111',
    exportedAt: '2026-06-13T10:00:00.000Z',
    bundleKind: 'full',
    events: generateMakerCheckerEvents({ runs: 8, seed: kind, payloadBytes: 30 }),
  });
  if (!manifestLast) return text;
  const doc = JSON.parse(text);
  return JSON.stringify({ events: doc.events, manifest: doc.manifest }, null, 2);
};

const vectors: [string, string][] = [
  ['generated', bundle('full')],
  ['generated, manifest last', bundle('full', true)],
];
if (hasShared)
  for (const f of readdirSync(sharedPath('vectors', 'makerchecker')).filter((f) => f.endsWith('.json') && f !== 'index.json'))
    vectors.push([f, readFileSync(sharedPath('vectors', 'makerchecker', f), 'utf8')]);

describe('MakerChecker with an event pool', () => {
  const cases = vectors.flatMap(([name, text]) => [1, 2, 3, 7].map((n) => [name, n, text] as const));
  it.each(cases)('%s, N = %i: identical report', async (_name, n, text) => {
    const bytes = enc.encode(text);
    const one = await run(bytes);
    expect(await run(bytes, inProcessPool(n, 1 << 20))).toBe(one);
    expect(await run(bytes, inProcessPool(n, 300), 97)).toBe(one); // many batches, edges anywhere
  });

  it('identical reports on mutated bundles (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...vectors),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom('\\ud800', '1e400', '"seq": 5, ', '"prev_hash": null, ', 'x', '', '"hash": "', '}', '"a": 1, "a": 2, ')), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.constantFrom(1, 2, 3, 7),
        fc.constantFrom(200, 5000),
        async ([, text], edits, n, batchBytes) => {
          let t = text;
          for (const [at, ins] of edits) {
            const i = at % (t.length + 1);
            t = ins === '' ? t.slice(0, i) + t.slice(i + 1) : t.slice(0, i) + ins + t.slice(i);
          }
          const bytes = enc.encode(t);
          expect(await run(bytes, inProcessPool(n, batchBytes), 61)).toBe(await run(bytes));
        },
      ),
      { numRuns: 150 },
    );
  });

  // Equivalent for applyEvent: no schema problem as [] or null; a matching hash as itself; a
  // re-read row's lens row as its projection (the lens reads both alike: makerchecker-lens tests).
  const norm = (d: EventDigest) => ({
    ...d,
    schema: d.schema?.length ? d.schema : null,
    recomputed: d.recomputed ?? d.hash,
    lens: d.lens !== null && typeof d.lens === 'object' && !Array.isArray(d.lens) ? lensProjection(d.lens) : d.lens,
  });

  it('the wire form gives back exactly the digests of strictly read rows, and re-reads the others', () => {
    const doc = JSON.parse(bundle('full'));
    const rows: string[] = doc.events.slice(0, 16).map((e: unknown) => JSON.stringify(e, null, 1));
    rows[2] = rows[2]!.replace('"seq"', '"seq": 1e400, "x"'); // leniently recovered: Infinity (re-read)
    rows[3] = rows[3]!.replace(/"prev_hash": "[0-9a-f]+",?/, ''); // absent prev_hash
    rows[4] = rows[4]!.replace(/"seq": "[0-9]+"/, '"seq": 5'); // a number: strict, a schema problem
    rows[5] = rows[5]!.replace(/"seq": "[0-9]+"/, `"seq": "${'9'.repeat(80)}"`); // clipped in messages
    rows[7] = rows[7]!.replace(/"run_id": (null|"[^"]*")/, '"run_id": 7'); // a non-string run_id
    rows[8] = rows[8]!.replace(/"event_type": "[^"]*"/, '"event_type": ["x"]'); // a non-string event_type
    rows[9] = rows[9]!.replace(/"hash": "[0-9a-f]+"/, `"hash": "${'0'.repeat(64)}"`); // does not recompute
    rows[11] = rows[11]!.replace(/"prev_hash": "[0-9a-f]+"/, `"prev_hash": "${'1'.repeat(64)}"`); // a link break
    rows[12] = '[1, 2]'; // not an object (re-read)
    rows[13] = rows[13]!.replace('"seq"', '"seq": 1, "seq"'); // a duplicate name (re-read)
    const parts = rows.map((r) => enc.encode(r));
    const ends = new Uint32Array(parts.length);
    let o = 0;
    parts.forEach((p, i) => (ends[i] = o += p.length));
    const bytes = new Uint8Array(o);
    parts.forEach((p, i) => bytes.set(p, ends[i]! - p.length));
    const members = new Int32Array(parts.map((p) => (new TextDecoder().decode(p).match(/":/g) ?? []).length));
    const batch = { bytes, ends, members };
    const direct = digestPackedElements(batch);
    const reply = encodeDigests(direct);
    // every kind of row is on the wire: plain (with and without a lens row), listed, re-read
    const kinds = Array.from({ length: rows.length }, (_, i) => reply.cols[i * 4]);
    expect(kinds).toEqual([1, 0, 2, 1, 1, 1, 0, 1, 1, 1, 1, 1, 2, 2, 0, 0]);
    expect(new Set(Array.from({ length: rows.length }, (_, i) => reply.cols[i * 4 + 3]))).toEqual(new Set([0, 1]));
    // through a structured clone, as between threads
    const wire = decodeDigests(structuredClone(reply), batch);
    expect(wire[2]!.seqValue).toBe(Infinity);
    expect(wire[3]!.prevHash).toBeUndefined();
    expect(wire[4]!.seqValue).toBe(5);
    expect(wire[5]!.seqValue).toBe('9'.repeat(80));
    expect(wire[7]!.runId).toBe(7);
    expect(wire[8]!.eventType).toEqual(['x']);
    expect(wire.map(norm)).toEqual(direct.map(norm));
    // a reply for another batch is refused, not misapplied
    expect(() => decodeDigests(reply, { bytes, ends: ends.subarray(1), members: members.subarray(1) })).toThrow(RangeError);
  });

  it('the wire form round-trips every row of every vector', () => {
    for (const [, text] of vectors) {
      const items: { b: Uint8Array; m: number }[] = [];
      const s = new BundleScanner((it) => void (it.kind === 'event' && it.bytes && items.push({ b: it.bytes.slice(), m: it.members })));
      s.write(enc.encode(text));
      s.end();
      if (!items.length) continue;
      const ends = new Uint32Array(items.length);
      let o = 0;
      items.forEach((it, i) => (ends[i] = o += it.b.length));
      const bytes = new Uint8Array(o);
      items.forEach((it, i) => bytes.set(it.b, ends[i]! - it.b.length));
      const batch = { bytes, ends, members: Int32Array.from(items, (it) => it.m) };
      const direct = digestPackedElements(batch);
      expect(decodeDigests(structuredClone(encodeDigests(direct)), batch).map(norm)).toEqual(direct.map(norm));
    }
  });
});

describe('a batch whose worker failed', () => {
  /** Every `failEvery`th batch fails; `detach` transfers the batch away first, as the CLI's pool does. */
  function failingPool(failEvery: number, detach: boolean): MakerCheckerEventPool {
    const inner = inProcessPool(2, 300);
    let k = 0;
    return {
      size: 2,
      batchBytes: 300,
      digest(batch) {
        if (++k % failEvery) return inner.digest(batch);
        if (detach) structuredClone(batch, { transfer: [batch.bytes.buffer, batch.ends.buffer, batch.members.buffer] as ArrayBuffer[] });
        return Promise.reject(new Error('makerchecker worker 2 failed'));
      },
    };
  }

  it('is digested by the verifier when the batch is still its own (the page): the same report', async () => {
    for (const [, text] of vectors) {
      const bytes = enc.encode(text);
      expect(await run(bytes, failingPool(2, false), 61)).toBe(await run(bytes));
      expect(await run(bytes, failingPool(1, false), 61)).toBe(await run(bytes)); // every worker dead
    }
  });

  it('ends the run with the error when the pool transferred it away (the CLI)', async () => {
    const bytes = enc.encode(vectors[0]![1]);
    await expect(run(bytes, failingPool(2, true), 61)).rejects.toThrow('makerchecker worker 2 failed');
  });
});

describe('the CLI pool (worker_threads)', () => {
  let url: URL;
  const pools: NodeEventPool[] = [];
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mc-pool-'));
    url = await bundleWorker('src/cli/makerchecker-worker.ts', dir);
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.terminate()));
  });
  it.each([1, 2, 3, 7])('N = %i: identical report on every vector', async (n) => {
    const pool = createMakerCheckerPool(n, url);
    pools.push(pool);
    for (const [, text] of vectors) {
      const bytes = enc.encode(text);
      expect(await run(bytes, pool)).toBe(await run(bytes));
    }
  });
  it('refuses a size that is not a positive integer', () => {
    expect(() => createMakerCheckerPool(0, url)).toThrow(RangeError);
    expect(() => createMakerCheckerPool(1.5, url)).toThrow(RangeError);
  });
});
