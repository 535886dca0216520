// Benchmark child process. One job per process so peak RSS is that job's alone.
//   generate-cs PATH N        write a valid Countersign bundle of about N entries
//   verify PATH TRUST POLICY  verify it (POLICY = on|off) and print timings and peak RSS
//   generate-mc PATH RUNS     write a MakerChecker full export, streamed (never held whole)
//   cli ARGS...               run the CLI itself (stdout discarded) and print its peak RSS
//   ed25519-rate MS THREADS   raw node:crypto Ed25519 verifies per second on THREADS threads
import { createReadStream } from 'node:fs';
import { verifyBundle } from '../../src/core/verifier/verify-bundle.ts';
import { createSignatureBackend } from '../../src/core/crypto/ed25519.ts';
import { generateCountersignBundle } from './generate-countersign.ts';
import { installNodeSha256 } from '../../src/cli/native-sha256.ts';
import { createMakerCheckerPool, type NodeEventPool } from '../../src/cli/makerchecker-pool.ts';
import { createCountersignPool, type NodeLinePool } from '../../src/cli/countersign-pool.ts';
import { availableParallelism } from 'node:os';

// As the CLI does (src/cli/main.ts): the figures are the CLI's.
if (process.env.BENCH_SHA !== 'js') installNodeSha256();

const [mode, path, a, b] = process.argv.slice(2);
if (mode === 'generate-cs') {
  const t0 = performance.now();
  const r = await generateCountersignBundle(path!, Number(a));
  console.log(JSON.stringify({ ...r, ms: Math.round(performance.now() - t0) }));
} else if (mode === 'verify') {
  const backend = await createSignatureBackend((process.env.BENCH_BACKEND as 'auto') ?? 'auto');
  const trust = a && a !== 'none' ? [{ kind: a.split(':')[0] as 'genesis', hex: a.split(':')[1]! }] : [];
  let maxHeap = 0;
  const timer = setInterval(() => (maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed)), 1000);
  const t0 = performance.now();
  // As the CLI does: MakerChecker events and Countersign lines are read by one worker thread per core.
  const workers = Number(process.env.BENCH_MC_WORKERS ?? availableParallelism());
  let pool: NodeEventPool | null = null;
  let linePool: NodeLinePool | null = null;
  const makerCheckerPool = workers > 0 ? () => (pool = createMakerCheckerPool(workers)) : undefined;
  const countersignPool = workers > 0 ? () => (linePool = createCountersignPool(workers)) : undefined;
  const r = await verifyBundle(createReadStream(path!, { highWaterMark: 1 << 20 }), {
    trust,
    backend,
    policy: b !== 'off',
    ...(makerCheckerPool ? { makerCheckerPool } : {}),
    ...(countersignPool ? { countersignPool } : {}),
  });
  await (pool as NodeEventPool | null)?.terminate();
  await (linePool as NodeLinePool | null)?.terminate();
  const ms = performance.now() - t0;
  clearInterval(timer);
  if (!r.ok) throw new Error(r.message);
  console.log(
    JSON.stringify({
      verdict: r.report.verdict,
      counts: r.report.counts,
      entries: r.report.entries,
      bytes: r.report.bundle.bytes,
      signatures: r.report.timings.signatures,
      backend: r.report.timings.signatureBackend,
      ms: Math.round(ms),
      entriesPerSecond: Math.round((r.report.entries * 1000) / ms),
      mbPerSecond: +(r.report.bundle.bytes / 1e6 / (ms / 1000)).toFixed(1),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      peakHeapMb: Math.round(maxHeap / 1e6),
      workers,
    }),
  );
} else if (mode === 'generate-mc') {
  const { streamMakerCheckerBundle, generateMakerCheckerEvents } = await import('../../src/core/gate/makerchecker-writer.ts');
  const { createWriteStream } = await import('node:fs');
  const out = createWriteStream(path!);
  const t0 = performance.now();
  let bytes = 0;
  const secretKey = new Uint8Array(32).fill(7);
  for (const piece of streamMakerCheckerBundle({
    secretKey,
    instanceId: '11111111-1111-4111-8111-111111111111',
    exportedAt: '2026-06-13T00:00:00.000Z',
    bundleKind: 'full',
    events: () => generateMakerCheckerEvents({ runs: Number(a), seed: 'bench', payloadBytes: 512 }),
    manifestPosition: 'last',
  })) {
    bytes += Buffer.byteLength(piece);
    if (!out.write(piece)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  console.log(JSON.stringify({ bytes, ms: Math.round(performance.now() - t0) }));
} else if (mode === 'cli') {
  const { main } = await import('../../src/cli/main.ts');
  const write = process.stdout.write.bind(process.stdout);
  let outBytes = 0;
  process.stdout.write = ((chunk: string | Uint8Array) => ((outBytes += chunk.length), true)) as typeof process.stdout.write;
  const t0 = performance.now();
  const code = await main(process.argv.slice(3));
  process.stdout.write = write;
  console.log(
    JSON.stringify({ code, ms: Math.round(performance.now() - t0), reportBytes: outBytes, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }),
  );
} else if (mode === 'ed25519-rate') {
  // The machine's raw Ed25519 verify rate: node:crypto on N threads (N = cores), no parsing,
  // one 250-byte message (about a Countersign entry's PAE). The yardstick for the CLI.
  const { Worker } = await import('node:worker_threads');
  //   ed25519-rate MS THREADS
  const ms = Number(path ?? 3000);
  const threads = Number(a ?? availableParallelism());
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const c = require('node:crypto');
    const { privateKey, publicKey } = c.generateKeyPairSync('ed25519');
    const msg = Buffer.alloc(250, 1); const sig = c.sign(null, msg, privateKey);
    let n = 0; const t0 = performance.now(); const end = t0 + workerData.ms;
    while (performance.now() < end) { for (let i = 0; i < 50; i++) if (!c.verify(null, msg, publicKey, sig)) throw new Error('bad'); n += 50; }
    parentPort.postMessage(n / ((performance.now() - t0) / 1000));`;
  const rates = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<number>((resolve, reject) => {
          const w = new Worker(code, { eval: true, workerData: { ms } });
          w.once('message', resolve);
          w.once('error', reject);
        }),
    ),
  );
  console.log(JSON.stringify({ threads, perThread: rates.map(Math.round), perSecond: Math.round(rates.reduce((x, y) => x + y, 0)) }));
} else {
  console.error('usage: bench.mjs generate-cs PATH N | verify PATH TRUST on|off');
  process.exit(2);
}
