// STMT.*: a statement bound to another log, or an approval naming another request.
import { baseFixture, makeCase, type VectorCase } from './fixture.ts';

/** A request whose `log` is another origin (replayed from elsewhere). */
export function breakStmtWrongLog(): VectorCase[] {
  const f = baseFixture();
  f.request('req-2', { log: 'other.example/agents' });
  f.checkpoint();
  return [makeCase('stmt-wrong-log', f, ['STMT.wrong_log'], "a request whose log is another log's origin, signed by its requester")];
}

/** An extra approval whose request_id, or skill, differs from the request its digest names. */
export function breakStmtMismatch(): VectorCase[] {
  const make = (name: string, o: { request_id?: string; skill?: string }, note: string) => {
    const f = baseFixture();
    const req = f.request('req-2');
    f.decide(req);
    const a = f.approve(req, 'alice');
    f.approve(req, 'carol', o);
    const b = f.approve(req, 'bob');
    f.execute(req, [a, b]);
    f.checkpoint();
    return makeCase(name, f, ['STMT.mismatch'], note);
  };
  return [
    make('stmt-mismatch-request-id', { request_id: 'req-1' }, "carol's approval names req-2's digest but request_id req-1; the execution cites alice and bob"),
    make('stmt-mismatch-skill', { skill: 'db.drop_table' }, "carol's approval names req-2's digest but skill db.drop_table; the execution cites alice and bob"),
  ];
}
