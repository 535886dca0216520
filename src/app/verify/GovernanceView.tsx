import { useEffect, useId, useMemo, useState } from 'react';
import type { Report } from '../../core/report/report.ts';
import type { GovernanceReport, RequestSummary } from '../../core/report/request-summaries.ts';
import type { LensGate, MakerCheckerGovernance } from '../../core/verifier/makerchecker-lens.ts';
import { int, when } from '../lib/format.ts';
import type { RequestFacets, RequestPage, TimelineIndex } from '../../shared/verify-api.ts';
import { discloseRequests, queryRequests } from '../lib/verifier-client.ts';
import type { DisclosureView } from '../../core/verifier/disclosure.ts';
import { checkSeverity, checkTitle } from '../../core/statements/checks.ts';
import { closureWords, gateReasonWords, STATUS_WORDS } from './words.ts';
import { MarkedText } from './MarkedText.tsx';

interface Props {
  report: Report;
  /** Countersign: the requests stay in the worker; these are the filter choices over them. */
  facets: RequestFacets | null;
  index: TimelineIndex;
  onJump: (row: number) => void;
}

const PAGE = 100;

export function GovernanceView({ report, facets, index, onJump }: Props) {
  const g = report.governance as { kind?: string } | undefined;
  if (g?.kind === 'countersign-replay' && facets) {
    // docs/format.md §7.4: a packet shows the same cards, with positions and no line numbers;
    // a verified full bundle offers to disclose each request.
    const packet = (g as { disclosure?: DisclosureView }).disclosure ?? null;
    const canDisclose = report.format === 'countersign-bundle/v1' && report.verdict !== 'fail';
    return <RequestsView gov={g as GovernanceReport} facets={facets} onJump={onJump} packet={packet} canDisclose={canDisclose} />;
  }
  if (g?.kind === 'makerchecker-lens') return <LensView lens={g as MakerCheckerGovernance} index={index} onJump={onJump} />;
  return <p className="panel muted">This bundle carries no governance record to show.</p>;
}

function RequestsView({
  gov,
  facets,
  onJump,
  packet,
  canDisclose,
}: {
  gov: GovernanceReport;
  facets: RequestFacets;
  onJump: (row: number) => void;
  packet: DisclosureView | null;
  canDisclose: boolean;
}) {
  const id = useId();
  const [problemsOnly, setProblemsOnly] = useState(false);
  const [skill, setSkill] = useState('');
  const [person, setPerson] = useState('');
  const [tier, setTier] = useState('');
  const [limit, setLimit] = useState(PAGE);
  const [page, setPage] = useState<RequestPage | null>(null);

  useEffect(() => {
    let live = true;
    queryRequests({ problemsOnly, skill, person, tier, limit }).then((r) => {
      if (live && r.ok) setPage(r.value);
    });
    return () => {
      live = false;
    };
  }, [problemsOnly, skill, person, tier, limit]);

  const rows = page?.rows ?? [];
  const matched = page?.matched ?? 0;
  const withErrors = facets.withErrors;
  const withWarnings = facets.withProblems - facets.withErrors;
  return (
    <div className="governance">
      {packet && <PacketPanel packet={packet} />}
      <div className="panel gov-head">
        <p>
          {int(facets.total)} request{facets.total === 1 ? '' : 's'} replayed against the policy (version {gov.policyVersion}) and roster (version{' '}
          {gov.rosterVersion}) in force.{' '}
          {withErrors > 0 && (
            <strong className="fail-text" data-testid="gov-errors">
              ✕ {int(withErrors)} with errors.{' '}
            </strong>
          )}
          {withWarnings > 0 && (
            <strong className="warn-text" data-testid="gov-warnings">
              ! {int(withWarnings)} with warnings.
            </strong>
          )}
          {withErrors + withWarnings === 0 && <span className="pass-text">✓ None with errors or warnings.</span>}
          {gov.requestsDropped ? <span className="muted"> {int(gov.requestsDropped)} more are counted but not listed.</span> : null}
        </p>
        <div className="filters no-print" role="group" aria-label="Filter requests">
          <label className="check">
            <input type="checkbox" checked={problemsOnly} onChange={(e) => (setProblemsOnly(e.target.checked), setLimit(PAGE))} /> Errors and warnings only
          </label>
          <label>
            Skill{' '}
            <select value={skill} onChange={(e) => (setSkill(e.target.value), setLimit(PAGE))}>
              <option value="">all</option>
              {facets.skills.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
          <label>
            Person{' '}
            <select value={person} onChange={(e) => (setPerson(e.target.value), setLimit(PAGE))}>
              <option value="">anyone</option>
              {facets.people.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
          <label>
            Risk tier{' '}
            <select value={tier} onChange={(e) => (setTier(e.target.value), setLimit(PAGE))}>
              <option value="">any</option>
              {facets.tiers.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
          <span className="muted small" aria-live="polite" id={`${id}-n`}>
            {int(matched)} match{matched === 1 ? '' : 'es'}
          </span>
        </div>
      </div>
      {rows.map((r) => (
        <RequestCard key={r.digest} r={r} onJump={onJump} inPacket={packet !== null} canDisclose={canDisclose} />
      ))}
      {matched > rows.length && (
        <button type="button" className="no-print" onClick={() => setLimit((n) => n + PAGE)}>
          Show {int(Math.min(PAGE, matched - rows.length))} more of {int(matched - rows.length)}
        </button>
      )}
    </div>
  );
}

/** docs/format.md §7.4: what the packet holds, where each entry sits in the log, whether its proof holds. */
function PacketPanel({ packet }: { packet: DisclosureView }) {
  return (
    <div className="panel packet" data-testid="packet">
      <p>
        <strong>Disclosure packet:</strong> {int(packet.entries.length)} entries of a log of {int(packet.size)}, each with an inclusion proof to one checkpoint
        {packet.cosignatures ? ` cosigned by ${packet.cosignatures} witness${packet.cosignatures === 1 ? '' : 'es'}` : ''}.
        {packet.stated ? (
          <>
            {' '}
            The checkpoint states roster version {packet.stated.roster} and policy version {packet.stated.policy}.
          </>
        ) : (
          <> The checkpoint states no governance versions, so the packet cannot show it holds every roster and policy change.</>
        )}
      </p>
      <table className="packet-entries small">
        <thead>
          <tr>
            <th scope="col">Position</th>
            <th scope="col">Entry</th>
            <th scope="col">Request</th>
            <th scope="col">Inclusion proof</th>
          </tr>
        </thead>
        <tbody>
          {packet.entries.map((e) => (
            <tr key={e.seq}>
              <td className="mono">seq {e.seq}</td>
              <td>{e.type}</td>
              <td className="mono">{e.request ?? ''}</td>
              <td className={e.proven ? 'pass-text' : 'fail-text'}>{e.proven ? '✓ leads to the checkpoint' : '✕ does not'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Makes the packet in the worker (one streaming pass over the bundle it holds) and downloads it. */
function DiscloseButton({ id }: { id: string }) {
  const [state, setState] = useState<{ busy: boolean; text: string; bad?: boolean }>({ busy: false, text: '' });
  const run = async () => {
    setState({ busy: true, text: 'Making the packet…' });
    const r = await discloseRequests([id]);
    if (!r.ok) {
      setState({ busy: false, text: r.message, bad: true });
      return;
    }
    const file = `disclosure-${id.replace(/[^A-Za-z0-9._-]/g, '_')}.json`;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(r.value.blob);
    a.download = file;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    const v = r.value;
    setState({
      busy: false,
      text: `Downloaded ${file}: ${v.entries} entries, proven to the checkpoint of size ${int(v.size)}${v.cosignatures ? ` (${v.cosignatures} cosignatures)` : ''}.${v.notes.length ? ' ' + v.notes.join(' ') : ''}`,
    });
  };
  return (
    <span className="disclose no-print">
      <button
        type="button"
        className="small"
        onClick={run}
        disabled={state.busy}
        title="A packet with this request's entries and the governance history, each with an inclusion proof: verifiable without the rest of the log"
      >
        Disclose this request…
      </button>
      {state.text && (
        <span className={`small ${state.bad ? 'fail-text' : 'muted'}`} role="status" data-testid="disclose-status">
          {state.text}
        </span>
      )}
    </span>
  );
}

function RequestCard({
  r,
  onJump,
  inPacket = false,
  canDisclose = false,
}: {
  r: RequestSummary;
  onJump: (row: number) => void;
  inPacket?: boolean;
  canDisclose?: boolean;
}) {
  // Severity reads as in the verdict: ✕ red for an error, ! amber for a warning (REQ.pending).
  const level = r.findings.some((c) => checkSeverity(c) === 'error') ? 'error' : r.findings.length ? 'warning' : null;
  const gate = r.decision?.gate;
  const counted = r.approvals.filter((a) => a.counted && a.vote === 'approve').length;
  return (
    <article
      className={`panel request${level === 'error' ? ' request--bad' : level === 'warning' ? ' request--warn' : ''}`}
      data-testid="request"
      data-level={level ?? 'ok'}
    >
      <header className="request-head">
        <h3>
          <span className={level === 'error' ? 'fail-text' : level === 'warning' ? 'warn-text' : 'pass-text'} aria-hidden="true">
            {level === 'error' ? '✕' : level === 'warning' ? '!' : '✓'}
          </span>{' '}
          <span className="mono">
            <MarkedText text={r.id} />
          </span>{' '}
          <span className="skill">
            <MarkedText text={r.skill} />
          </span>
          <span className="muted"> v{r.skillVersion}</span>
          {r.riskTier && <span className={`tier tier--${r.riskTier}`}>{r.riskTier} risk</span>}
        </h3>
        {inPacket ? (
          <span className="small muted mono">seq {r.seq}</span>
        ) : (
          <button type="button" className="linklike small" onClick={() => onJump(r.line - 1)}>
            line {r.line} · seq {r.seq}
          </button>
        )}
      </header>
      {canDisclose && <DiscloseButton id={r.id} />}
      {level && (
        <ul className="request-problems">
          {r.findings.map((c) => (
            <li key={c} className={`request-problem--${checkSeverity(c)}`}>
              <span className={`sev sev--${checkSeverity(c)}`}>{checkSeverity(c) === 'error' ? '✕ Error' : '! Warning'}</span> {checkTitle(c)}{' '}
              <span className="mono code-aside">{c}</span>
            </li>
          ))}
        </ul>
      )}
      <dl className="request-grid">
        <div>
          <dt>Requested by</dt>
          <dd>
            <MarkedText text={r.requester.name ?? r.requester.id} />{' '}
            <span className="muted small">
              (<MarkedText text={r.requester.id} />
              {r.requester.kind ? `, ${r.requester.kind}` : ''})
            </span>
            <div className="small muted">{when(r.requestedAt)}</div>
            {r.reason && (
              <div className="small">
                “<MarkedText text={r.reason} />”
              </div>
            )}
          </dd>
        </div>
        <div>
          <dt>Gate</dt>
          <dd>
            {gate ? (
              <>
                {gate.approvals_required} approval{gate.approvals_required === 1 ? '' : 's'} from {gate.approver_roles.join(' or ')}
                {gate.forbid_requester ? ', not the requester' : ''}
                <div className="small muted">until {when(gate.expires_at)}</div>
              </>
            ) : r.decision ? (
              <>
                {r.decision.outcome}
                <div className="small">{gateReasonWords(r.decision.reason)}</div>
                <span className="mono code-aside">{r.decision.reason}</span>
              </>
            ) : (
              <span className="muted">no decision</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Outcome</dt>
          <dd>
            <strong>{STATUS_WORDS[r.status]}</strong>
            {r.execution && (
              <div className="small muted">
                {when(r.execution.at)} · cited {r.execution.approvals} approval{r.execution.approvals === 1 ? '' : 's'}
              </div>
            )}
            {r.closure && (
              <div className="small muted">
                closed {when(r.closure.at)}: {closureWords(r.closure.reason) || r.closure.reason} <span className="mono code-aside">{r.closure.reason}</span>
              </div>
            )}
          </dd>
        </div>
      </dl>
      {(r.approvals.length > 0 || r.refusals.length > 0 || gate) && (
        <div className="approvals">
          <h4>Approvers{gate ? ` · ${counted} of ${gate.approvals_required} counted` : ''}</h4>
          {r.approvals.length === 0 && <p className="small muted">No approval recorded.</p>}
          <ul>
            {r.approvals.map((a) => (
              <li key={a.seq} className={a.counted ? '' : 'not-counted'}>
                <span aria-hidden="true">{a.vote === 'approve' ? (a.counted ? '✓' : '○') : '✕'}</span>{' '}
                <strong>
                  <MarkedText text={a.name ?? a.approver} />
                </strong>{' '}
                <span className="muted small">
                  (<MarkedText text={a.approver} />)
                </span>{' '}
                {a.vote === 'approve' ? 'approved' : 'rejected'} <span className="small muted">{when(a.at)}</span>
                {inPacket && <span className="small muted mono"> · seq {a.seq}</span>}
                {a.fingerprint && <span className="mono small fp"> key {a.fingerprint}</span>}
                {!a.counted && <span className="small warn-text"> · not counted{a.problem ? `: ${a.problem}` : ''}</span>}
                {a.comment && (
                  <div className="small">
                    “<MarkedText text={a.comment} />”
                  </div>
                )}
              </li>
            ))}
            {r.refusals.map((f) => (
              <li key={`r${f.seq}`} className="refusal">
                <span aria-hidden="true">⊘</span> <strong>{f.approver}</strong> tried to approve; the gate refused it.{' '}
                <span className="small muted">{when(f.at)}</span>
                <div className="small">
                  {gateReasonWords(f.code)} <span className="mono code-aside">{f.code}</span>
                </div>
              </li>
            ))}
          </ul>
        </div>
      )}
    </article>
  );
}

// ---------------------------------------------------------------------------------------
// MakerChecker governance lens: what the server recorded around each gate. Never part of the verdict.

const OUTCOME_WORDS: Record<LensGate['outcome'], string> = { pending: 'still pending', approved: 'approved', rejected: 'rejected' };

function LensView({ lens, index, onJump }: { lens: MakerCheckerGovernance; index: TimelineIndex; onJump: (row: number) => void }) {
  const [flaggedOnly, setFlaggedOnly] = useState(false);
  const [shown, setShown] = useState(PAGE);
  const rowOfSeq = useMemo(() => {
    const wanted = new Set<number>();
    const num = (s: string) => (/^\d{1,9}$/.test(s) ? Number(s) : -1);
    for (const f of lens.findings) wanted.add(num(f.seq));
    for (const g of lens.gates) wanted.add(num(g.seq));
    const map = new Map<string, number>();
    for (let i = 0; i < index.count; i++) if (wanted.has(index.seq[i]!)) map.set(String(index.seq[i]), i);
    return (seq: string) => map.get(seq) ?? -1;
  }, [lens, index]);
  const gates = flaggedOnly ? lens.gates.filter((g) => g.findings.length > 0) : lens.gates;
  const total = Object.values(lens.counts).reduce((a, b) => a + (b ?? 0), 0);
  return (
    <div className="governance lens">
      <div className="panel lens-note" role="note">
        <strong>Governance lens — not part of the verdict.</strong> {lens.note}. This view shows what the server recorded about each approval gate; the verdict
        above rests only on the signed hash chain.
        {!lens.fullChain && (
          <p className="small">This is not a full-chain export: flows, grants and approver lists are not in it, so some observations cannot be made.</p>
        )}
        <p className="small muted">
          Runs seen {int(lens.runs.seen)} · completed {int(lens.runs.completed)} · failed {int(lens.runs.failed)} · open {int(lens.runs.open)}
        </p>
      </div>
      <section className="panel" aria-labelledby="lens-obs">
        <h3 id="lens-obs">Observations ({int(total)})</h3>
        {lens.findings.length === 0 ? (
          <p className="small muted">None: no gate shows a self-decision, a missing quorum, a decision after resolution or an unlisted skill.</p>
        ) : (
          <ul className="finding-list">
            {lens.findings.map((o, i) => {
              const row = rowOfSeq(o.seq);
              return (
                <li key={i}>
                  {row >= 0 ? (
                    <button type="button" className="linklike where" onClick={() => onJump(row)}>
                      seq {o.seq}
                    </button>
                  ) : (
                    <span className="where muted">seq {o.seq}</span>
                  )}{' '}
                  <span className="finding-message">
                    <span className="sev sev--lens">◆ Lens</span> <span className="mono">{o.code}</span> {o.message}
                  </span>
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <div className="filters no-print panel">
        <label className="check">
          <input type="checkbox" checked={flaggedOnly} onChange={(e) => setFlaggedOnly(e.target.checked)} /> Gates with observations only
        </label>
        <span className="muted small">
          {int(gates.length)} of {int(lens.gates.length)} gates{lens.gatesDropped ? ` (${int(lens.gatesDropped)} more not listed)` : ''}
        </span>
      </div>
      {gates.slice(0, shown).map((g) => (
        <LensGateCard key={g.approvalId + g.seq} gate={g} row={rowOfSeq(g.seq)} onJump={onJump} />
      ))}
      {gates.length > shown && (
        <button type="button" className="no-print" onClick={() => setShown((n) => n + PAGE)}>
          Show {int(Math.min(PAGE, gates.length - shown))} more
        </button>
      )}
      {lens.gates.length === 0 && <p className="panel muted">No approval gates in this bundle.</p>}
    </div>
  );
}

function LensGateCard({ gate: g, row, onJump }: { gate: LensGate; row: number; onJump: (row: number) => void }) {
  const flagged = g.findings.length > 0;
  return (
    <article className={`panel request${flagged ? ' request--lens' : ''}`} data-testid="lens-gate">
      <header className="request-head">
        <h3>
          <span aria-hidden="true">{flagged ? '◆' : '·'}</span> {g.title ?? g.stepKey ?? 'Approval gate'}{' '}
          <span className="muted small">{g.stepKey ? `step ${g.stepKey}` : ''}</span>
        </h3>
        {row >= 0 && (
          <button type="button" className="linklike small" onClick={() => onJump(row)}>
            seq {g.seq}
          </button>
        )}
      </header>
      {flagged && (
        <ul className="request-problems">
          {g.findings.map((c) => (
            <li key={c}>
              <span className="sev sev--lens">◆</span> <span className="mono">{c}</span> {checkTitle(c)}
            </li>
          ))}
        </ul>
      )}
      <dl className="request-grid">
        <div>
          <dt>Run</dt>
          <dd className="mono break small">{g.runId ?? '—'}</dd>
        </div>
        <div>
          <dt>Requested by</dt>
          <dd>
            {g.requester ?? <span className="muted">not in this bundle</span>}
            <div className="small muted">{when(g.requestedAt)}</div>
          </dd>
        </div>
        <div>
          <dt>Outcome (server)</dt>
          <dd>
            <strong>{OUTCOME_WORDS[g.outcome]}</strong> · {g.distinctApprovals} of {g.requiredApprovals} distinct approvals
            {g.resolvedAt && <div className="small muted">resolved {when(g.resolvedAt)}</div>}
            {g.quorumBeforeNextStep === false && <div className="small warn-text">! a later step started before the quorum</div>}
          </dd>
        </div>
      </dl>
      {(g.decisions.length > 0 || g.denied.length > 0) && (
        <div className="approvals">
          <h4>Decisions recorded by the server (not signed by the deciders)</h4>
          <ul>
            {g.decisions.map((d, i) => (
              <li key={i}>
                <span aria-hidden="true">{d.decision === 'approved' ? '✓' : '✕'}</span> <strong>{d.actor}</strong> {d.decision}{' '}
                <span className="small muted">{when(d.at)}</span>
              </li>
            ))}
            {g.decisionsDropped > 0 && <li className="small muted">…and {g.decisionsDropped} more</li>}
            {g.denied.map((d, i) => (
              <li key={`d${i}`} className="refusal">
                <span aria-hidden="true">⊘</span> <strong>{d.actor}</strong> tried to decide; the server refused it (<span className="mono">{d.code}</span>){' '}
                <span className="small muted">{when(d.at)}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </article>
  );
}
