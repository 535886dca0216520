// `node dist/bench/witness.mjs BUNDLE GENESIS [ROUNDS]`: what witnessing adds to a full verify
// (BENCHMARKS.md). The same bundle with its last checkpoint cosigned by one witness is verified
// alternately (a) with the genesis anchor only and (b) with a witness anchor (quorum 1) and a
// remembered checkpoint at every checkpoint size of the bundle; best of ROUNDS each, one process.
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { verifyBundle } from '../../src/core/verifier/verify-bundle.ts';
import { createSignatureBackend, getPublicKey } from '../../src/core/crypto/ed25519.ts';
import { installNodeSha256 } from '../../src/cli/native-sha256.ts';
import { decodeBase64 } from '../../src/core/encoding/base64.ts';
import { asSecretKey } from '../../src/core/encoding/bytes.ts';
import { addCosignatureLine, makeCosignatureLine } from '../../src/core/log/cosignature.ts';
import { parseCheckpoint } from '../../src/core/log/checkpoint.ts';
import { rememberedFrom, type RememberedCheckpoint } from '../../src/core/log/remembered.ts';
import { formatWitnessKey } from '../../src/core/log/witness-key.ts';
import type { TrustAnchor } from '../../src/core/report/report.ts';

installNodeSha256();
const [path, genesis, roundsText] = process.argv.slice(2) as [string, string, string?];
const rounds = Number(roundsText ?? 3);
const backend = await createSignatureBackend('auto');
const witnessKey = asSecretKey(new Uint8Array(32).fill(9));
const name = 'bench.example/witness';

// One pass: copy the bundle with its last checkpoint cosigned, and collect every checkpoint note.
const notes: string[] = [];
const lines: string[] = [];
const cosigned = path.replace(/\.jsonl$/, '.cosigned.jsonl');
{
  const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  const out = createWriteStream(cosigned);
  let lastCheckpointLine: string | null = null;
  for await (const line of rl) {
    if (line.startsWith('{"checkpoint"')) {
      notes.push(JSON.parse(line).checkpoint);
      if (lastCheckpointLine !== null) lines.push(lastCheckpointLine);
      lastCheckpointLine = line;
      continue;
    }
    if (lastCheckpointLine !== null) {
      lines.push(lastCheckpointLine);
      lastCheckpointLine = null;
    }
    lines.push(line);
    if (lines.length >= 4096 && !out.write(lines.splice(0).join('\n') + '\n')) await once(out, 'drain');
  }
  const last = notes[notes.length - 1]!;
  const p = parseCheckpoint(last);
  if (!p.ok) throw new Error(p.message);
  const note = addCosignatureLine(last, makeCosignatureLine({ body: p.checkpoint.body, name, secretKey: witnessKey, timestamp: 1_800_000_000 }));
  lines.push(JSON.stringify({ checkpoint: note }));
  out.end(lines.join('\n') + '\n');
  await once(out, 'finish');
}
void readFileSync;

const base: TrustAnchor[] = [{ kind: 'genesis', hex: genesis }];
// Wall time and process CPU time (all threads): on a loaded machine CPU time is the steadier one.
const run = async (trust: TrustAnchor[], remembered: RememberedCheckpoint[]) => {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await verifyBundle(createReadStream(cosigned, { highWaterMark: 1 << 20 }), {
    trust,
    backend,
    remembered,
    ...(remembered.length ? { witnessQuorum: 1 } : {}),
  });
  if (!r.ok) throw new Error(r.message);
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, report: r.report };
};
const first = await run(base, []);
if (first.report.verdict !== 'pass') throw new Error(`bench bundle does not pass: ${JSON.stringify(first.report.counts)}`);
const gateKey = decodeBase64(first.report.witness!.lastCheckpoint!.key);
const remembered = notes.map((n) => rememberedFrom(n, gateKey));
const witness: TrustAnchor[] = [...base, { kind: 'witness', key: formatWitnessKey(name, getPublicKey(witnessKey)) }];
const times = { plain: [] as number[], witness: [] as number[], plainCpu: [] as number[], witnessCpu: [] as number[] };
for (let i = 0; i < rounds; i++) {
  const p = await run(base, []);
  times.plain.push(p.ms);
  times.plainCpu.push(p.cpuMs);
  const w = await run(witness, remembered);
  if (w.report.verdict !== 'pass' || w.report.witness!.cosignatures[0]?.status !== 'valid')
    throw new Error(`witnessed run: ${JSON.stringify(w.report.counts)}`);
  times.witness.push(w.ms);
  times.witnessCpu.push(w.cpuMs);
  console.error(`round ${i + 1}: plain ${Math.round(p.ms)} ms (cpu ${Math.round(p.cpuMs)}), witnessed ${Math.round(w.ms)} ms (cpu ${Math.round(w.cpuMs)})`);
}
const best = (xs: number[]) => Math.min(...xs);
const pct = (a: number[], b: number[]) => +(((best(b) - best(a)) / best(a)) * 100).toFixed(2);
console.log(
  JSON.stringify({
    entries: first.report.entries,
    rememberedSizes: remembered.length,
    plainMs: times.plain.map(Math.round),
    witnessMs: times.witness.map(Math.round),
    plainCpuMs: times.plainCpu.map(Math.round),
    witnessCpuMs: times.witnessCpu.map(Math.round),
    overheadWallPercent: pct(times.plain, times.witness),
    overheadCpuPercent: pct(times.plainCpu, times.witnessCpu),
  }),
);
