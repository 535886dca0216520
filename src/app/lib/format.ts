// Numbers and times in words a reviewer reads at a glance.
const nf = new Intl.NumberFormat('en');

export const int = (n: number): string => nf.format(Math.round(n));

export function bytes(n: number): string {
  if (n < 1024) return `${int(n)} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** `2026-03-18T09:20:00Z` → `2026-03-18 09:20:00 UTC` */
export function when(iso: string | undefined | null): string {
  if (!iso) return '—';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?Z$/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

/** Lowercase hex in groups of four, for reading aloud over the phone. */
export function grouped(hex: string, digits = hex.length): string {
  return (
    hex
      .slice(0, digits)
      .match(/.{1,4}/g)
      ?.join(' ') ?? hex
  );
}
