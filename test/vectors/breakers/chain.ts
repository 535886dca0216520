// CHAIN.*: an entry's seq or prev is wrong; everything after it chains to it correctly.
import { ORIGIN, baseFixture, makeCase, type VectorCase } from './fixture.ts';

/** One entry's prev altered; later entries and the checkpoint follow the altered entry. */
export function breakChainPrev(): VectorCase[] {
  const f = baseFixture();
  const r = f.request('req-2');
  const next = f.w.nextEntry(f.sign({ type: 'closure', log: ORIGIN, at: f.tick(), request: r.digest, reason: 'withdrawn' }, ['gate']));
  f.w.appendEntry({ ...next, prev: (next.prev[0] === 'f' ? '0' : 'f') + next.prev.slice(1) });
  f.allowedRequest('req-3');
  f.checkpoint();
  return [
    makeCase(
      'chain-prev-altered',
      f,
      ['CHAIN.prev'],
      "a closure's prev altered (first hex digit); later entries and the checkpoint are consistent with the altered entry",
    ),
  ];
}

/** A seq that skips a number, and one that repeats the previous number. */
export function breakChainSeq(): VectorCase[] {
  const make = (name: string, delta: number, note: string) => {
    const f = baseFixture();
    const next = f.w.nextEntry(f.sign(f.requestStatement('req-2'), ['agent-a']));
    f.w.appendEntry({ ...next, seq: next.seq + delta });
    f.allowedRequest('req-3');
    f.checkpoint();
    return makeCase(name, f, ['CHAIN.seq'], note);
  };
  return [
    make('chain-seq-gap', 1, 'a request entry has seq n+1 instead of n; later entries continue from it, so one gap is one finding'),
    make('chain-seq-repeat', -1, 'a request entry repeats the previous seq'),
  ];
}
