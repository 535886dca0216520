// Every finding names the line where its evidence is: for an entry's finding, the line must
// hold that seq's entry; for a checkpoint's, a checkpoint line. Checked on every own vector
// (the demo once said "line 18 · seq 12" for a REQ.pending whose request is on line 15).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchorsFrom, verifyText } from './breakers/verify.ts';
import { VECTOR_DIR } from './write-vectors.ts';

const index = JSON.parse(readFileSync(join(VECTOR_DIR, 'index.json'), 'utf8')) as { cases: { file: string; trust: string | null }[] };
const files = [...new Set(index.cases.map((c) => c.file))];

/** What a bundle line is: an entry with its seq, a checkpoint, or something else. */
function lineKind(text: string | undefined): { entry: number | null; checkpoint: boolean } {
  try {
    const v = JSON.parse(text ?? '') as { entry?: { seq?: unknown }; checkpoint?: unknown };
    return { entry: v.entry && typeof v.entry.seq === 'number' ? v.entry.seq : null, checkpoint: typeof v.checkpoint === 'string' };
  } catch {
    return { entry: null, checkpoint: false };
  }
}

describe('finding lines', () => {
  it.each(files)('%s: every finding is on the line of its entry or checkpoint', async (file) => {
    const bytes = readFileSync(join(VECTOR_DIR, file));
    const lines = bytes.toString('utf8').split('\n');
    const trust = index.cases.find((c) => c.file === file)!.trust;
    const report = await verifyText(new Uint8Array(bytes), anchorsFrom(trust));
    for (const f of report.findings) {
      if (f.line === 0) continue; // about the whole bundle (TRUST.*)
      const at = lineKind(lines[f.line - 1]);
      const what = `${f.code} line ${f.line} seq ${f.seq}: ${f.message}`;
      if (f.code.startsWith('CKPT.') && f.code !== 'CKPT.unanchored') expect(at.checkpoint, what).toBe(true);
      else if (f.seq !== undefined && at.entry !== null) expect(at.entry, what).toBe(f.seq);
      else if (f.seq !== undefined) expect.fail(`${what}: line ${f.line} is not an entry`);
    }
  });

  it('REQ.pending is on the request line (the demo case)', async () => {
    const bytes = readFileSync(join(VECTOR_DIR, 'valid-demo-waiting.jsonl'));
    const report = await verifyText(new Uint8Array(bytes));
    const pending = report.findings.filter((f) => f.code === 'REQ.pending');
    expect(pending.length).toBeGreaterThan(0);
    const lines = bytes.toString('utf8').split('\n');
    for (const f of pending) expect(JSON.parse(lines[f.line - 1]!).entry.envelope).toBeDefined();
  });
});
