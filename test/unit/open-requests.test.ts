// The compact open-request table (issue 8, item 4) behaves as the Map it replaces,
// and a quiet request costs a record, not an object graph.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OpenRequests, type OpenRequest } from '../../src/core/governance/open-requests.ts';
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

  it('keeps a request with approvals as an object, and deletes either kind', () => {
    const t = new OpenRequests();
    for (let i = 0; i < 100; i++) t.set(digestOf(i), request(i));
    const r = t.get(digestOf(3))!;
    r.approvers = new Set(['alice']);
    r.approvals = new Map([['sha256:x', { approver: 'alice', vote: 'approve', counted: true }]]);
    expect(t.get(digestOf(3))!.approvers!.has('alice')).toBe(true);
    expect(t.delete(digestOf(3))).toBe(true);
    expect(t.delete(digestOf(4))).toBe(true);
    expect(t.has(digestOf(3)) || t.has(digestOf(4))).toBe(false);
    expect(t.size).toBe(98);
    expect([...t.values()].map((v) => v.seq)).toEqual([...Array(100).keys()].filter((i) => i !== 3 && i !== 4));
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

  it('a quiet request costs under 200 bytes of table (typed arrays, not objects)', () => {
    const t = new OpenRequests();
    const n = 200_000;
    for (let i = 0; i < n; i++) t.set(digestOf(i), request(i));
    expect(t.byteLength / n).toBeLessThan(200);
  });
});

describe('OpenRequests order', () => {
  it('iterates in seq order, objects and records interleaved, as the Map did', () => {
    const t = new OpenRequests();
    for (let i = 0; i < 50; i++) t.set(digestOf(i), request(i, i % 7 === 0 ? { approvers: new Set(['x']), approvals: new Map() } : {}));
    t.delete(digestOf(10));
    t.set(digestOf(100), request(100));
    expect([...t.values()].map((v) => v.seq)).toEqual([...[...Array(50).keys()].filter((i) => i !== 10), 100]);
  });
});
