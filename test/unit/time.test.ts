import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareInstants, formatInstant, parseTime } from '../../src/core/statements/time.ts';

describe('FORMAT.md §1 times', () => {
  it.each([
    ['2026-03-18T10:04:05Z', 1773828245, 0],
    ['2026-03-18T10:04:05.123Z', 1773828245, 123_000_000],
    ['2026-03-18T10:04:05.000000001Z', 1773828245, 1],
    ['2024-02-29T00:00:00Z', 1709164800, 0],
    ['2000-02-29T23:59:59.5Z', 951868799, 500_000_000],
  ])('reads %s', (s, sec, nanos) => expect(parseTime(s)).toEqual({ sec, nanos }));

  it.each([
    '2026-03-18T10:04:05',
    '2026-03-18T10:04:05+00:00',
    '2026-03-18 10:04:05Z',
    '2026-03-18T10:04:05.Z',
    '2026-03-18T10:04:05.1234567890Z',
    '2026-02-29T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-00-01T00:00:00Z',
    '2026-03-18T24:00:00Z',
    '2026-03-18T23:60:00Z',
    '2026-12-31T23:59:60Z',
    '2026-03-18t10:04:05Z',
    '2026-03-18T10:04:05z',
    '+2026-03-18T10:04:05Z',
    '２026-03-18T10:04:05Z',
  ])('rejects %s', (s) => expect(parseTime(s)).toBeNull());

  it('agrees with Date for every valid millisecond time, and compares as instants', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2999-12-31T23:59:59Z'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString();
        const t = parseTime(iso)!;
        expect(t.sec * 1000 + t.nanos / 1e6).toBe(d.getTime());
        expect(formatInstant(t)).toBe(iso.endsWith('.000Z') ? iso.replace('.000Z', 'Z') : iso);
      }),
    );
    expect(compareInstants(parseTime('2026-03-18T10:04:05Z')!, parseTime('2026-03-18T10:04:05.000Z')!)).toBe(0);
  });
});
