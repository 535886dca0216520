import { describe, expect, it } from 'vitest';
import { encodeBase64 } from '../../src/core/encoding/base64.ts';
import { getPublicKey } from '../../src/core/crypto/ed25519.ts';
import { signStatement } from '../../src/core/statements/sign-statement.ts';
import { buildApproval } from '../../src/core/wallet/statements.ts';
import {
  exportHistory,
  historyHash,
  HISTORY_ZERO,
  nextHistoryRecord,
  verifyHistory,
  verifyHistoryExport,
  type HistoryRecord,
} from '../../src/core/wallet/history.ts';
import { fixtureSecret } from '../e2e/fixtures-wallet/world.ts';

const secret = fixtureSecret('history');
const pub = encodeBase64(getPublicKey(secret));

function chain(n: number): HistoryRecord[] {
  const out: HistoryRecord[] = [];
  for (let i = 0; i < n; i++) {
    const st = buildApproval({
      log: 'acme.example/agents-prod',
      at: `2026-03-18T10:0${i}:00Z`,
      requestDigest: `sha256:${String(i).padStart(64, 'a')}`,
      requestId: `req-${i}`,
      skill: 'iam.grant_access',
      approver: 'alice',
      vote: i % 2 ? 'reject' : 'approve',
      comment: i === 1 ? 'not during the freeze' : undefined,
    });
    out.push(nextHistoryRecord(out[out.length - 1] ?? null, { at: st.at, pub, envelope: signStatement(st, [secret]) }));
  }
  return out;
}

describe('wallet history chain', () => {
  it('links records by hash and verifies', () => {
    const h = chain(4);
    expect(h[0]!.prev).toBe(HISTORY_ZERO);
    expect(h[2]!.prev).toBe(historyHash(h[1]!));
    const s = verifyHistory(h);
    expect(s).toMatchObject({ ok: true, count: 4, head: historyHash(h[3]!) });
    expect(verifyHistory([])).toMatchObject({ ok: true, count: 0, head: HISTORY_ZERO });
  });

  it('detects a removed, reordered or edited record', () => {
    const h = chain(4);
    expect(verifyHistory([h[0]!, h[2]!, h[3]!]).ok).toBe(false);
    expect(verifyHistory([h[1]!, h[0]!, h[2]!, h[3]!]).ok).toBe(false);
    const edited = structuredClone(h);
    edited[1]!.vote = 'approve';
    const s = verifyHistory(edited);
    expect(s.ok).toBe(false);
    expect(s.problems.map((p) => p.seq)).toEqual([1, 2]); // record 1 disagrees with its envelope; record 2's prev breaks
  });

  it('detects a swapped envelope signed by another key', () => {
    const h = chain(2);
    const other = fixtureSecret('other');
    const st = JSON.parse(Buffer.from(h[1]!.envelope.payload, 'base64').toString());
    const bad = structuredClone(h);
    bad[1]!.envelope = signStatement(st, [other]);
    expect(verifyHistory(bad).problems[0]!.message).toMatch(/not signed by the record key/);
  });

  it('exports as JSON Lines and verifies the export, header included', () => {
    const h = chain(3);
    const text = exportHistory(h);
    expect(text.split('\n')[0]).toContain('wallet-history/v1');
    expect(verifyHistoryExport(text)).toMatchObject({ ok: true, count: 3 });
    const lines = text.trim().split('\n');
    lines.splice(2, 1);
    expect(verifyHistoryExport(lines.join('\n')).ok).toBe(false);
    expect(verifyHistoryExport('{"countersign":"other"}').ok).toBe(false);
  });
});
