// The open-request table (issue 8, item 4) behaves as the Map it replaces, every shape of
// request round-trips through its encoded record, and with a cold store (the CLI's temp file)
// memory stays at the index and a fixed window whatever the number of open requests.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OpenRequests, type OpenRequest } from '../../src/core/governance/open-requests.ts';
import { CHUNK_BYTES } from '../../src/core/governance/record-log.ts';
import { MapColdStore } from '../helpers/cold-store.ts';
import { sha256 } from '../../src/core/crypto/hash.ts';
import { encodeHex } from '../../src/core/encoding/hex.ts';

const digestOf = (n: number) => 'sha256:' + encodeHex(sha256(new TextEncoder().encode(`r${n}`)));
const GATE = { approvals_required: 2, approver_roles: ['security-lead'], forbid_requester: true, ttl_s: 3600, reject_vetoes: true };

function request(n: number, o: Partial<OpenRequest> = {}): OpenRequest {
  return {
    request: { id: `req-${n}`, requester: `agent-${n % 3}`, skill: 'iam.grant_access', skill_version: '3', expires_at: '2026-03-18T11:00:00Z' },
    digest: digestOf(n),
    seq: n,
    expiresAt: { sec: 1773831600, nanos: 0 },
    decided: false,
    outcome: null,
    gate: null,
    gateExpires: null,
    approvals: null,
    approvers: null,
    vetoed: false,
    status: 'undecided',
    line: n + 2,
    handle: null,
    ...o,
  };
}

describe('OpenRequests', () => {
  it('round-trips a request through its compact record, and folds mutations back', () => {
    const t = new OpenRequests();
    for (let i = 0; i < 5000; i++) t.set(digestOf(i), request(i));
    expect(t.size).toBe(5000);
    const r = t.get(digestOf(42))!;
    expect(r).toMatchObject({ seq: 42, request: { id: 'req-42', requester: 'agent-0', skill: 'iam.grant_access' }, status: 'undecided' });
    // The replay mutates what get() returned, as it does with a Map's value.
    r.decided = true;
    r.outcome = 'parked';
    r.status = 'pending';
    r.gate = { ...GATE, expires_at: '2026-03-18T10:30:00Z' };
    r.gateExpires = { sec: 1773829800, nanos: 5 };
    expect(t.has(digestOf(7))).toBe(true); // any later call writes r back
    const again = t.get(digestOf(42))!;
    expect(again).toMatchObject({ decided: true, outcome: 'parked', status: 'pending', gateExpires: { sec: 1773829800, nanos: 5 }, gate: { ...GATE } });
    expect(t.get(digestOf(99999))).toBeUndefined();
  });

  it('round-trips approvals, approvers, a veto, a handle and non-Latin text, and deletes', () => {
    const t = new OpenRequests();
    for (let i = 0; i < 100; i++) t.set(digestOf(i), request(i));
    const handle = { summary: 3 };
    t.set(digestOf(3), request(3, { handle, request: { ...request(3).request, id: 'запрос-𝟛', requester: 'agent‮x' } }));
    const r = t.get(digestOf(3))!;
    r.approvers = new Set(['alice']);
    r.approvals = new Map([
      ['sha256:x', { approver: 'alice', vote: 'approve', counted: true }],
      ['sha256:y', { approver: 'bob', vote: 'reject', counted: false }],
    ]);
    r.vetoed = true;
    expect(t.has(digestOf(5))).toBe(true); // writes r back
    const again = t.get(digestOf(3))!;
    expect(again).not.toBe(r);
    expect(again).toEqual(r);
    expect(again.handle).toBe(handle);
    expect(again.request.id).toBe('запрос-𝟛');
    expect(t.delete(digestOf(3))).toBe(true);
    expect(t.delete(digestOf(4))).toBe(true);
    expect(t.delete(digestOf(4))).toBe(false);
    expect(t.has(digestOf(3)) || t.has(digestOf(4))).toBe(false);
    expect(t.size).toBe(98);
    expect([...t.values()].map((v) => v.seq)).toEqual([...Array(100).keys()].filter((i) => i !== 3 && i !== 4));
  });

  it('keeps only the request fields it needs, not the whole statement', () => {
    const t = new OpenRequests();
    const big = { ...request(1).request, params: { blob: 'x'.repeat(100_000) } };
    t.set(digestOf(1), request(1, { request: big }));
    expect(t.recordBytes).toBeLessThan(400);
    expect(t.get(digestOf(1))!.request).toEqual(request(1).request);
  });

  it('behaves like a Map under random set/get/delete (model check)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('set', 'get', 'delete', 'mutate'), fc.integer({ min: 0, max: 300 })), { maxLength: 600 }), (ops) => {
        const t = new OpenRequests();
        const m = new Map<string, number>();
        for (const [op, n] of ops) {
          const d = digestOf(n);
          if (op === 'set') {
            t.set(d, request(n));
            m.set(d, n);
          } else if (op === 'delete') expect(t.delete(d)).toBe(m.delete(d));
          else {
            const r = t.get(d);
            expect(r?.seq).toBe(m.get(d));
            if (op === 'mutate' && r) r.status = 'pending';
          }
        }
        expect(t.size).toBe(m.size);
        expect(new Set([...t.values()].map((v) => v.digest))).toEqual(new Set(m.keys()));
      }),
      { numRuns: 200 },
    );
  });

  it('with a cold store, memory is the index and the window: under 40 bytes a request', () => {
    const cold = new MapColdStore();
    const t = new OpenRequests({ cold, windowBytes: 2 * CHUNK_BYTES });
    const n = 200_000;
    for (let i = 0; i < n; i++)
      t.set(
        digestOf(i),
        request(i, {
          decided: true,
          outcome: 'parked',
          status: 'pending',
          gate: { ...GATE, expires_at: '2026-03-18T10:30:00Z' },
          gateExpires: { sec: 1773829800, nanos: 0 },
        }),
      );
    expect(t.byteLength / n).toBeLessThan(40);
    expect(cold.written).toBeGreaterThan(10 * CHUNK_BYTES);
    // An old request comes back from the cold store, changes, and is found again.
    const before = cold.reads;
    const r = t.get(digestOf(17))!;
    expect(cold.reads).toBeGreaterThan(before);
    expect(r).toMatchObject({ seq: 17, status: 'pending', gate: { approvals_required: 2 } });
    r.approvers = new Set(['carol']);
    t.get(digestOf(n - 1));
    expect([...t.get(digestOf(17))!.approvers!]).toEqual(['carol']);
    expect(t.delete(digestOf(17))).toBe(true);
    expect(t.size).toBe(n - 1);
    const seqs = Array.from(t.values(), (v) => v.seq);
    expect(seqs).toEqual([...Array(n).keys()].filter((i) => i !== 17));
    t.close();
    expect(cold.closed).toBe(true);
  });

  it('without a cold store, rewritten records are compacted away', () => {
    const t = new OpenRequests();
    for (let i = 0; i < 1000; i++) t.set(digestOf(i), request(i));
    // Each get() of another request writes the last one back: 200,000 rewrites.
    for (let k = 0; k < 200_000; k++) t.get(digestOf(k % 1000))!.status = 'pending';
    expect(t.recordBytes).toBeLessThan(40 << 20);
    expect([...t.values()].every((v) => v.status === 'pending')).toBe(true);
  });
});

describe('OpenRequests order', () => {
  it('iterates in seq order, whatever order the records were written in, as the Map did', () => {
    const t = new OpenRequests();
    for (let i = 49; i >= 0; i--) t.set(digestOf(i), request(i, i % 7 === 0 ? { approvers: new Set(['x']), approvals: new Map() } : {}));
    t.delete(digestOf(10));
    t.set(digestOf(100), request(100));
    expect([...t.values()].map((v) => v.seq)).toEqual([...[...Array(50).keys()].filter((i) => i !== 10), 100]);
  });
});

describe('OpenRequests drain', () => {
  it('gives what values() gives, equal seqs in log order, and leaves the table empty', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.boolean()), { maxLength: 200 }), (ops) => {
        const a = new OpenRequests();
        const b = new OpenRequests({ cold: new MapColdStore() });
        ops.forEach(([seq, rewrite], n) => {
          for (const t of [a, b]) {
            t.set(digestOf(n), request(n, { seq }));
            // A rewrite moves an older record to the end of the log.
            if (rewrite && n > 0) t.get(digestOf(n - 1))!.status = 'pending';
          }
        });
        const expected = [...a.values()].map((v) => [v.seq, v.digest, v.status]);
        const bySeq = (x: (typeof expected)[number], y: (typeof expected)[number]) => (x[0] as number) - (y[0] as number);
        expect(expected).toEqual([...expected].sort(bySeq));
        expect([...a.drain()].map((v) => [v.seq, v.digest, v.status])).toEqual(expected);
        expect([...b.drain()].map((v) => [v.seq, v.digest, v.status])).toEqual(expected);
        expect([a.size, b.size]).toEqual([0, 0]);
      }),
    );
  });
});
