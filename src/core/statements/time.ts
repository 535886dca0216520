// RFC 3339 instants as FORMAT.md §1 allows them: UTC, `Z`, 0 to 9 fraction
// digits. They compare as instants (seconds, then nanoseconds), never as
// strings: "…05Z" and "…05.000Z" are the same instant.

export interface Instant {
  /** Seconds since the Unix epoch. */
  readonly sec: number;
  /** 0 ≤ nanos < 1e9. */
  readonly nanos: number;
}

const RFC3339_Z = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

/** Parses a FORMAT.md §1 time; null if it is not one (including impossible dates and leap seconds). */
export function parseTime(s: string): Instant | null {
  const m = RFC3339_Z.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 59) return null;
  const ms = Date.UTC(y, mo - 1, d, h, mi, se);
  const back = new Date(ms);
  if (back.getUTCDate() !== d || back.getUTCMonth() !== mo - 1) return null; // e.g. 02-30
  const frac = m[7] ?? '';
  return { sec: ms / 1000, nanos: frac ? Number(frac.padEnd(9, '0')) : 0 };
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
  if (!t) throw new RangeError(`not a FORMAT.md §1 time: ${JSON.stringify(s)}`);
  return t;
}
