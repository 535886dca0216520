// "A witness that has seen a checkpoint catches a gate that later shows a history with one
// entry removed, changed or reordered" (issue 11, docs/format.md §7.2): the same gate key
// re-signs every variant, with fresh chaining and a checkpoint only at its own end, so nothing
// but the remembered checkpoint can tell. Every variant is WITNESS.fork or WITNESS.truncated.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildDemoGate, deriveDemoKey, DEMO_ORIGIN } from '../../src/core/gate/demo.ts';
import { LogWriter } from '../../src/core/log/log-writer.ts';
import type { Envelope } from '../../src/core/statements/schemas.ts';
import { codesOf, rememberedAfter, verifyText } from '../vectors/breakers/verify.ts';

const seed = 'demo';
const real = buildDemoGate(seed).bundleText();
const envelopes: Envelope[] = real
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => JSON.parse(l))
  .filter((v) => v.entry)
  .map((v) => v.entry.envelope);

/** The gate signing another sequence of envelopes: rechained, one checkpoint at the end. */
function resign(list: Envelope[], extra = 0): string {
  const w = LogWriter.create(DEMO_ORIGIN, deriveDemoKey(seed, 'gate'));
  for (const e of list) w.appendEnvelope(e);
  // Padding so a shorter history is not merely truncated: repeat the last envelope.
  for (let i = 0; i < extra; i++) w.appendEnvelope(list[list.length - 1]!);
  w.checkpoint();
  return w.text();
}

describe('split views are caught by a witness that remembered the real log', () => {
  it('removed, changed, reordered: WITNESS.fork or WITNESS.truncated, for every position', { timeout: 120_000 }, async () => {
    const remembered = await rememberedAfter(real);
    const n = envelopes.length;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: n - 1 }), fc.constantFrom('remove', 'remove-pad', 'change', 'swap'), async (i, how) => {
        let list = [...envelopes];
        let extra = 0;
        if (how === 'remove' || how === 'remove-pad') {
          list.splice(i, 1);
          if (how === 'remove-pad') extra = 2;
        } else if (how === 'change') {
          const e = structuredClone(list[i]!);
          e.signatures = e.signatures.map((s) => ({ ...s, sig: s.sig.slice(0, -4) + (s.sig.endsWith('AAA=') ? 'BBB=' : 'AAA=') }));
          list[i] = e;
        } else {
          const j = i === n - 1 ? i - 1 : i + 1;
          list = [...list];
          [list[i], list[j]] = [list[j]!, list[i]!];
        }
        const report = await verifyText(resign(list, extra), [], remembered);
        const codes = codesOf(report).all;
        expect(codes.includes('WITNESS.fork') || codes.includes('WITNESS.truncated'), `${how} at ${i}: ${codes.join(', ')}`).toBe(true);
        // Fork evidence is there whenever the other history covers the remembered size.
        if (codes.includes('WITNESS.fork')) expect(report.witness!.forks[0]!.conflicting).not.toBeNull();
      }),
      { numRuns: 40, seed: 11 },
    );
  });

  it('the real log itself, verified again, is neither', async () => {
    const report = await verifyText(real, [], await rememberedAfter(real));
    expect(codesOf(report).all.filter((c) => c.startsWith('WITNESS.'))).toEqual([]);
  });
});
