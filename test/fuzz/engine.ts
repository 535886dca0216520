// A small mutation fuzzer for Node, in the shape of libFuzzer: seeds in, havoc
// mutations out (bit flips, interesting bytes and numbers, inserts, deletes,
// copies, splices between corpus entries, dictionary tokens), and an input kept
// in the corpus whenever it produces an outcome not seen before. The "outcome"
// each target returns (a verdict and its finding codes, an error kind and the
// shape of its message) stands in for code coverage: Jazzer.js, the
// coverage-guided fuzzer we wanted, cannot load on this platform (docs/security.md
// "Fuzzing"). Deterministic for a given seed, so a crash replays.
//
// A target fails the run by throwing (a crash), by not settling within its
// time limit (a hang), or by pushing the process past its memory limit.

export interface FuzzTarget {
  name: string;
  /** Seed inputs, from the project's vectors. */
  seeds: () => Promise<Uint8Array[]> | Uint8Array[];
  /** Tokens worth inserting (field names, keywords, numbers). */
  dictionary?: string[];
  /** Runs one input; returns a short outcome signature. Throws only on a bug. */
  run: (input: Uint8Array) => Promise<string> | string;
  /** Longest an input may take before it counts as a hang (ms). */
  hangMs?: number;
  /** Largest input the mutator may produce. */
  maxLen?: number;
}

export interface FuzzFailure {
  kind: 'crash' | 'hang';
  input: Uint8Array;
  message: string;
}

export interface FuzzStats {
  target: string;
  executions: number;
  crashes: number;
  hangs: number;
  corpus: number;
  outcomes: number;
  ms: number;
  peakRssMb: number;
  failures: FuzzFailure[];
}

/** xorshift128+: fast, seedable, good enough to pick mutations. */
export class Rng {
  private a: number;
  private b: number;
  constructor(seed: number) {
    this.a = seed | 0 || 0x9e3779b9;
    this.b = (seed * 0x85ebca6b) | 0 || 0x7f4a7c15;
    for (let i = 0; i < 8; i++) this.u32();
  }
  u32(): number {
    let s1 = this.a;
    const s0 = this.b;
    this.a = s0;
    s1 ^= s1 << 23;
    s1 ^= s1 >>> 17;
    s1 ^= s0 ^ (s0 >>> 26);
    this.b = s1;
    return (this.b + s0) >>> 0;
  }
  below(n: number): number {
    return n <= 1 ? 0 : this.u32() % n;
  }
  chance(p: number): boolean {
    return this.u32() / 2 ** 32 < p;
  }
}

const INTERESTING_BYTES = [
  0, 1, 0x7f, 0x80, 0xff, 0x0a, 0x0d, 0x20, 0x22, 0x2c, 0x3a, 0x5b, 0x5d, 0x7b, 0x7d, 0x5c, 0x30, 0x39, 0x2d, 0x2e, 0x65, 0x1b, 0xc2, 0xe2, 0xef, 0xf0, 0xed,
];
const INTERESTING_TEXT = [
  '0',
  '-0',
  '1',
  '-1',
  '1.0',
  '1e3',
  '1e400',
  '-1e400',
  '0.99999999999999999',
  '9007199254740993',
  '9007199254740991',
  '-9007199254740992',
  '4294967296',
  '1e-400',
  '""',
  '"\\u0000"',
  '"\\ud800"',
  '"\\udc00\\ud800"',
  '"\\u001b[2J"',
  '"\u202e"',
  'null',
  'true',
  'false',
  '[]',
  '{}',
  '[[[[[[[[[[[[[[[[',
  '{"a":{"a":{"a":',
  '\r\n',
  '\n',
  '\ufeff',
  '\u2028',
  '"' + 'A'.repeat(300) + '"',
];

const enc = new TextEncoder();

export function mutate(input: Uint8Array, rng: Rng, corpus: Uint8Array[], dict: Uint8Array[], maxLen: number): Uint8Array {
  let b: Uint8Array = input.slice();
  const ops = 1 + rng.below(rng.chance(0.2) ? 16 : 4);
  for (let k = 0; k < ops; k++) {
    const len = b.length;
    const at = rng.below(len + 1);
    switch (rng.below(12)) {
      case 0: // bit flip
        if (len) b[rng.below(len)]! ^= 1 << rng.below(8);
        break;
      case 1: // random byte
        if (len) b[rng.below(len)] = rng.below(256);
        break;
      case 2: // interesting byte
        if (len) b[rng.below(len)] = INTERESTING_BYTES[rng.below(INTERESTING_BYTES.length)]!;
        break;
      case 3: {
        // delete a range
        const n = Math.min(len - at, 1 + rng.below(rng.chance(0.1) ? len + 1 : 16));
        b = concat(b.subarray(0, at), b.subarray(at + Math.max(0, n)));
        break;
      }
      case 4: {
        // insert random bytes
        const n = 1 + rng.below(8);
        const ins = new Uint8Array(n);
        for (let i = 0; i < n; i++) ins[i] = rng.below(256);
        b = concat(b.subarray(0, at), ins, b.subarray(at));
        break;
      }
      case 5: {
        // duplicate a range (grows lists and lines)
        if (!len) break;
        const from = rng.below(len);
        const n = Math.min(len - from, 1 + rng.below(rng.chance(0.1) ? len : 64));
        b = concat(b.subarray(0, at), b.subarray(from, from + n), b.subarray(at));
        break;
      }
      case 6: {
        // copy a range over another place
        if (len < 2) break;
        const from = rng.below(len);
        const to = rng.below(len);
        const n = Math.min(len - from, len - to, 1 + rng.below(32));
        b.copyWithin(to, from, from + n);
        break;
      }
      case 7:
      case 8: {
        // dictionary token or interesting text, inserted or overwriting
        const tok = rng.chance(0.5) && dict.length ? dict[rng.below(dict.length)]! : enc.encode(INTERESTING_TEXT[rng.below(INTERESTING_TEXT.length)]!);
        if (rng.chance(0.5)) b = concat(b.subarray(0, at), tok, b.subarray(at));
        else b = concat(b.subarray(0, at), tok, b.subarray(Math.min(len, at + tok.length)));
        break;
      }
      case 9: {
        // replace a run of digits with an interesting number
        if (!len) break;
        let i = rng.below(len);
        let tries = 0;
        while (tries++ < 64 && !(b[i]! >= 0x30 && b[i]! <= 0x39)) i = (i + 1) % len;
        let j = i;
        while (j < len && b[j]! >= 0x30 && b[j]! <= 0x39) j++;
        const nums = INTERESTING_TEXT.slice(0, 14);
        b = concat(b.subarray(0, i), enc.encode(nums[rng.below(nums.length)]!), b.subarray(j));
        break;
      }
      case 10: {
        // splice with another corpus entry
        const other = corpus[rng.below(corpus.length)];
        if (!other || !other.length) break;
        const from = rng.below(other.length);
        const n = Math.min(other.length - from, 1 + rng.below(256));
        b = concat(b.subarray(0, at), other.subarray(from, from + n), b.subarray(Math.min(len, at + (rng.chance(0.5) ? n : 0))));
        break;
      }
      case 11: {
        // truncate
        if (len) b = b.slice(0, rng.below(len));
        break;
      }
    }
  }
  return b.length > maxLen ? b.slice(0, maxLen) : b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const TIMEOUT = Symbol('timeout');

/** Runs `target` for `budget` (executions or milliseconds, whichever ends first). */
export async function fuzz(
  target: FuzzTarget,
  budget: { executions?: number; ms?: number; seed?: number; maxCorpus?: number; memoryLimitMb?: number; onProgress?: (s: FuzzStats) => void },
): Promise<FuzzStats> {
  const rng = new Rng(budget.seed ?? 1);
  const seeds = (await target.seeds()).filter((s) => s.length <= (target.maxLen ?? 1 << 20));
  if (!seeds.length) throw new Error(`${target.name}: no seeds`);
  const corpus: Uint8Array[] = [...seeds];
  const dict = (target.dictionary ?? []).map((t) => enc.encode(t));
  const seen = new Set<string>();
  const stats: FuzzStats = { target: target.name, executions: 0, crashes: 0, hangs: 0, corpus: 0, outcomes: 0, ms: 0, peakRssMb: 0, failures: [] };
  const hangMs = target.hangMs ?? 5000;
  const maxLen = target.maxLen ?? 1 << 16;
  const maxCorpus = budget.maxCorpus ?? 4000;
  const t0 = Date.now();
  const limitExec = budget.executions ?? Infinity;
  const limitMs = budget.ms ?? Infinity;
  const runOne = async (input: Uint8Array): Promise<void> => {
    stats.executions++;
    // CPU time, not wall time: a process at nice 19 on a busy machine can be descheduled
    // for seconds, which is no hang of the target.
    const start = process.cpuUsage();
    const cpuMs = () => {
      const d = process.cpuUsage(start);
      return (d.user + d.system) / 1000;
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const p = target.run(input);
      const out = typeof p === 'string' ? p : await Promise.race([p, new Promise<typeof TIMEOUT>((r) => (timer = setTimeout(() => r(TIMEOUT), hangMs)))]);
      if (out === TIMEOUT || cpuMs() > hangMs) {
        stats.hangs++;
        stats.failures.push({ kind: 'hang', input, message: `no result within ${hangMs} ms` });
        return;
      }
      if (!seen.has(out)) {
        seen.add(out);
        if (corpus.length < maxCorpus) corpus.push(input);
        else corpus[seeds.length + rng.below(maxCorpus - seeds.length)] = input;
      }
    } catch (e) {
      stats.crashes++;
      if (stats.failures.length < 20) stats.failures.push({ kind: 'crash', input, message: (e as Error)?.stack ?? String(e) });
    } finally {
      if (timer) clearTimeout(timer);
    }
  };
  for (const s of seeds) await runOne(s);
  while (stats.executions < limitExec && Date.now() - t0 < limitMs) {
    // Favour recent finds, as libFuzzer does, but keep the seeds in play.
    const parent = corpus[rng.chance(0.5) ? corpus.length - 1 - rng.below(Math.min(64, corpus.length)) : rng.below(corpus.length)]!;
    await runOne(mutate(parent, rng, corpus, dict, maxLen));
    if (stats.executions % 512 === 0) {
      const rss = process.memoryUsage.rss() / 2 ** 20;
      if (rss > stats.peakRssMb) stats.peakRssMb = rss;
      if (budget.memoryLimitMb && rss > budget.memoryLimitMb) {
        stats.failures.push({ kind: 'crash', input: new Uint8Array(0), message: `RSS ${rss.toFixed(0)} MB over ${budget.memoryLimitMb} MB` });
        stats.crashes++;
        break;
      }
      // Yield to the event loop now and then so timers (hang detection) can fire.
      await new Promise((r) => setImmediate(r));
    }
    if (budget.onProgress && stats.executions % 100_000 === 0) budget.onProgress({ ...stats, ms: Date.now() - t0, corpus: corpus.length, outcomes: seen.size });
  }
  stats.ms = Date.now() - t0;
  stats.corpus = corpus.length;
  stats.outcomes = seen.size;
  stats.peakRssMb = Math.max(stats.peakRssMb, process.memoryUsage.rss() / 2 ** 20);
  return stats;
}
