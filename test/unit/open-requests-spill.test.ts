// Issue 8, item 4, end to end: a flood of parked requests that are never decided verifies to
// the same report whether the open requests stay in memory or spill to the CLI's temp file,
// the file leaves nothing behind, and a spill that cannot be written stops the run with a
// clear INPUT.read instead of a verdict on part of the log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateOpenRequests } from '../bench/generate-open-requests.ts';
import { verifyBundleReport } from '../../src/core/report/verify-report.ts';
import { SpillFiles } from '../../src/cli/spill-file.ts';
import { CHUNK_BYTES } from '../../src/core/governance/record-log.ts';

const LINES = 40_000;
let bytes: Uint8Array;
/** Temp directories this suite made, removed at the end. */
const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function* chunksOf(b: Uint8Array, size = 1 << 16): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

/** The report without its timings (the only field that may differ). */
const stable = (r: unknown) => JSON.stringify(r, (k, v) => (k === 'timings' || k === 'totalMs' || k === 'elapsedMs' ? undefined : v));

beforeAll(async () => {
  const dir = tempDir('flood-');
  await generateOpenRequests(join(dir, 'flood.jsonl'), LINES, 'unsigned');
  bytes = readFileSync(join(dir, 'flood.jsonl'));
}, 120_000);

describe('open requests spill to a temp file (issue 8, item 4)', () => {
  it('gives the same report spilled and in memory, and leaves no file behind', async () => {
    const inMemory = await verifyBundleReport(chunksOf(bytes));
    const dir = tempDir('spill-');
    const spill = new SpillFiles(dir, 2 * CHUNK_BYTES);
    const spilled = await verifyBundleReport(chunksOf(bytes), { spill: spill.make });
    spill.close();
    expect(spill.written).toBeGreaterThan(CHUNK_BYTES); // ~20,000 open requests do not fit a 2 MiB window
    expect(readdirSync(dir)).toEqual([]); // unlinked as soon as it was open
    expect(inMemory.ok && spilled.ok).toBe(true);
    expect(stable(spilled.ok && spilled.report)).toBe(stable(inMemory.ok && inMemory.report));
    const report = inMemory.ok ? inMemory.report : null;
    expect(report?.findings.filter((f) => f.code === 'REQ.pending')).toHaveLength(100); // capped; the rest counted
    expect(report?.governance).toMatchObject({ totals: { pending: Math.floor((LINES - 2) / 2) } });
  }, 120_000);

  it('a spill file that cannot be written stops the run with INPUT.read, naming the spill', async () => {
    const spill = new SpillFiles('/nonexistent-countersign-dir', 2 * CHUNK_BYTES);
    const r = await verifyBundleReport(chunksOf(bytes), { spill: spill.make });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.code).toBe('INPUT.read');
    expect(!r.ok && r.message).toMatch(/spill/);
  }, 120_000);
});
