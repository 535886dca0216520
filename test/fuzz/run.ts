// `npm run fuzz`: the long run. Each target gets a share of the executions
// (FUZZ_EXECUTIONS, default 10 million in all); failures are written to
// dist/fuzz/failures/ to replay; the figures go to stdout as JSON lines, for
// docs/security.md. Run it with `nice -n 19` on a shared machine.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fuzz } from './engine.ts';
import { targets } from './targets.ts';
import { installNodeSha256 } from '../../src/cli/native-sha256.ts';

installNodeSha256();
const total = Number(process.env.FUZZ_EXECUTIONS ?? 10_000_000);
const only = process.env.FUZZ_TARGET;
// Shares: the cheap readers take most executions; the whole verifier is ~100x dearer per input.
const SHARE: Record<string, number> = {
  'checkpoint-note-parser': 0.25,
  'key-file-reader': 0.1,
  'packet-approval-profile-readers': 0.05,
  'bundle-verifier-gzip': 0.02,
  'json-reader': 0.55,
  'ur-decoder': 0.01,
  'bundle-verifier-plain': 0.02,
};
const out = join('dist', 'fuzz', 'failures');
let all = 0;
for (const t of [...targets].sort((a, b) => Object.keys(SHARE).indexOf(a.name) - Object.keys(SHARE).indexOf(b.name))) {
  if (only && t.name !== only) continue;
  const executions = Math.round(total * (only ? 1 : (SHARE[t.name] ?? 0.05)));
  const s = await fuzz(t, {
    executions,
    seed: Number(process.env.FUZZ_SEED ?? 1),
    memoryLimitMb: 1536,
    onProgress: (p) =>
      process.stderr.write(
        `${t.name}: ${p.executions} executions, ${p.crashes} crashes, ${p.hangs} hangs, ${p.outcomes} outcomes, ${(p.ms / 1000).toFixed(0)} s\n`,
      ),
  });
  all += s.executions;
  for (const [i, f] of s.failures.entries()) {
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, `${t.name}-${f.kind}-${i}.bin`), f.input);
    writeFileSync(join(out, `${t.name}-${f.kind}-${i}.txt`), f.message);
  }
  const { failures: _f, ...figures } = s;
  console.log(JSON.stringify({ ...figures, peakRssMb: Math.round(figures.peakRssMb), at: new Date().toISOString() }));
}
console.log(JSON.stringify({ total: all }));
