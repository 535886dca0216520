// RFC 3339 instants as docs/format.md "Bytes" allows them: UTC, `Z`, 0 to 9 fraction
// digits. They compare as instants (seconds, then nanoseconds), never as
// strings: "…05Z" and "…05.000Z" are the same instant.

export interface Instant {
  /** Seconds since the Unix epoch. */
  readonly sec: number;
  /** 0 ≤ nanos < 1e9. */
  readonly nanos: number;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Parses a docs/format.md "Bytes" time; null if it is not one (including impossible dates and leap seconds). */
export function parseTime(s: string): Instant | null {
  // YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z, read by hand: this runs several times per log entry.
  const n = s.length;
  if (n < 20 || n > 30 || s.charCodeAt(n - 1) !== 90 /* Z */) return null;
  if (s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':') return null;
  const num = (from: number, to: number) => {
    let v = 0;
    for (let i = from; i < to; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return -1;
      v = v * 10 + d;
    }
    return v;
  };
  const y = num(0, 4),
    mo = num(5, 7),
    d = num(8, 10),
    h = num(11, 13),
    mi = num(14, 16),
    se = num(17, 19);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) return null;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d > (mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1]!)) return null; // e.g. 02-30
  let nanos = 0;
  if (n > 20) {
    if (s[19] !== '.' || n < 22) return null;
    const f = num(20, n - 1);
    if (f < 0) return null;
    nanos = f * 10 ** (9 - (n - 21));
  }
  return { sec: Date.UTC(y, mo - 1, d, h, mi, se) / 1000, nanos };
}

export function compareInstants(a: Instant, b: Instant): number {
  return a.sec !== b.sec ? a.sec - b.sec : a.nanos - b.nanos;
}

export function addSeconds(a: Instant, seconds: number): Instant {
  return { sec: a.sec + seconds, nanos: a.nanos };
}

export function minInstant(a: Instant, b: Instant): Instant {
  return compareInstants(a, b) <= 0 ? a : b;
}

/** Formats an instant with the fewest fraction digits (0, 3, 6 or 9) that keep it exact. */
export function formatInstant(t: Instant): string {
  const base = new Date(t.sec * 1000).toISOString().slice(0, 19);
  if (t.nanos === 0) return base + 'Z';
  const f = String(t.nanos).padStart(9, '0');
  const digits = f.endsWith('000000') ? 3 : f.endsWith('000') ? 6 : 9;
  return `${base}.${f.slice(0, digits)}Z`;
}

/** Parses a time that a schema has already validated. */
export function instantOf(s: string): Instant {
  const t = parseTime(s);
  if (!t) throw new RangeError(`not a docs/format.md "Bytes" time: ${JSON.stringify(s)}`);
  return t;
}
