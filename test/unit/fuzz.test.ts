// Each fuzz target of issue 8, briefly (a few seconds each): no crash, no hang,
// no memory blow-up. `npm run fuzz` runs the same targets for millions of inputs.
import { describe, expect, it } from 'vitest';
import { fuzz } from '../fuzz/engine.ts';
import { targets } from '../fuzz/targets.ts';

const MS = Number(process.env.FUZZ_MS ?? 2500);

describe('fuzz targets (short run)', () => {
  it.each(targets.map((t) => [t.name, t] as const))(
    '%s',
    async (_name, target) => {
      const s = await fuzz(target, { ms: MS, seed: 8, memoryLimitMb: 1536 });
      const detail = s.failures
        .map((f) => `${f.kind}: ${f.message.split('\n').slice(0, 3).join(' | ')} input=${Buffer.from(f.input.subarray(0, 200)).toString('base64')}`)
        .join('\n');
      expect(s.crashes, detail).toBe(0);
      expect(s.hangs, detail).toBe(0);
      expect(s.executions).toBeGreaterThan(10);
    },
    60_000,
  );
});
