// Property (issue #2): any single-byte change to a valid bundle is detected, unless
// it only changes JSON whitespace between tokens (FORMAT.md §4: lines need not be
// canonical, the leaf is C(entry)), which leaves every line's value as it was.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { verifyBundle } from '../../src/core/verifier/verify-bundle.ts';
import { createSignatureBackend } from '../../src/core/crypto/ed25519.ts';
import { vectorSets } from '../helpers/shared.ts';
import { anchorFrom } from '../helpers/anchors.ts';

function sameValues(a: Uint8Array, b: Uint8Array): boolean {
  const la = new TextDecoder().decode(a).split('\n');
  let lb: string[];
  try {
    lb = new TextDecoder('utf-8', { fatal: true }).decode(b).split('\n');
  } catch {
    return false;
  }
  if (la.length !== lb.length) return false;
  try {
    return la.every((l, i) => (l === '' && lb[i] === '') || JSON.stringify(JSON.parse(l)) === JSON.stringify(JSON.parse(lb[i]!)));
  } catch {
    return false;
  }
}

// Over our own complete demo log (a request, two approvals, an execution, two checkpoints)
// and, when ../shared exists, the shared demo vector.
const bundles = vectorSets('countersign').map((set) => {
  const file = set.name === 'own' ? 'valid-demo-complete.jsonl' : 'cs-valid-demo.jsonl';
  const index = JSON.parse(set.read('index.json').toString('utf8')) as { cases: { file: string; trust: string | null }[] };
  return { set: set.name, file, bytes: new Uint8Array(set.read(file)), trust: anchorFrom(index.cases.find((c) => c.file === file)!.trust) };
});

describe.each(bundles)('single-byte tampering ($set: $file)', ({ bytes, trust }) => {
  it('is detected anywhere in the file', async () => {
    const backend = await createSignatureBackend('auto');
    const base = await verifyBundle([bytes], { trust, backend });
    expect(base.ok && base.report.verdict).toBe('pass');
    let undetectedWhitespace = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), async (pos, delta) => {
        const m = bytes.slice();
        m[pos] = (m[pos]! + delta) & 255;
        const r = await verifyBundle([m], { trust, backend });
        const detected = !r.ok || r.report.verdict !== 'pass';
        if (!detected) {
          undetectedWhitespace++;
          expect(sameValues(bytes, m), `byte ${pos} changed to ${m[pos]} went unnoticed`).toBe(true);
        }
      }),
      { numRuns: 400, seed: 0x5eed },
    );
    expect(undetectedWhitespace).toBeLessThan(10);
  });

  it('is detected at every byte of one entry line, exhaustively for one new value', async () => {
    const backend = await createSignatureBackend('auto');
    const text = new TextDecoder().decode(bytes);
    const start = text.indexOf('\n', text.indexOf('\n') + 1) + 1; // line 3: entry 1
    const end = text.indexOf('\n', start);
    for (let pos = start; pos < end; pos++) {
      const m = bytes.slice();
      m[pos] = m[pos] === 0x41 ? 0x42 : 0x41; // 'A' or 'B'
      const r = await verifyBundle([m], { trust, backend });
      expect(!r.ok || r.report.verdict === 'fail', `byte ${pos - start} of line 3`).toBe(true);
    }
  });
});
