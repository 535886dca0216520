// What would be signed, shown in full: the request, its policy gate, the approvals so far and the
// arguments, with every piece of text from the packet marked where it could mislead.
import { type ReactNode } from 'react';
import { fingerprintOf } from '../../core/crypto/ed25519.ts';
import { type PacketReview } from '../../core/wallet/packet.ts';
import { relativeDuration } from '../../core/wallet/format.ts';
import { scanText } from '../../core/wallet/text-safety.ts';
import { IssueList, Notice, SafeText, when } from './ui.tsx';
import { VoteBadge } from './DecisionBar.tsx';

function Field({ label, children, issues }: { label: string; children: ReactNode; issues?: ReturnType<typeof scanText> }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>
        {children}
        {issues && issues.length > 0 && <IssueList issues={issues} />}
      </dd>
    </>
  );
}

function Text({ text }: { text: string }) {
  return <SafeText text={text} />;
}

/** Everything that will be signed, with hidden characters made visible. */
export function ReviewDetails({ review }: { review: PacketReview }) {
  const r = review.request;
  const g = review.gate;
  const issuesOf = (t: string | undefined) => (t === undefined ? [] : scanText(t));
  const anyIssues = review.textIssues.length > 0 || review.argsIssues.length > 0;
  const left = review.expiresAtMs - Date.now();
  return (
    <div className="cs-review">
      {anyIssues && (
        <Notice tone="fail" title="Hidden or lookalike characters in this request" role="alert">
          <p>
            Some text below contains characters that are invisible, change the reading direction, or imitate other letters. They are shown as marked boxes. Ask
            the requester why before you approve.
          </p>
          <ul>
            {review.textIssues.map((f) => (
              <li key={f.field}>
                {f.field}: {f.issues.length} flagged
              </li>
            ))}
            {review.argsIssues.map((f) => (
              <li key={f.path}>
                <span className="mono">
                  <SafeText text={f.path} />
                </span>
                {f.key ? ' (name)' : ''}: {f.issues.length} flagged
              </li>
            ))}
          </ul>
        </Notice>
      )}
      <div className="panel cs-summary">
        <div className="cs-summary-head">
          <span className={`cs-risk cs-risk-${review.skill.riskTier ?? 'unknown'}`}>Risk: {review.skill.riskTier ?? 'unknown'}</span>
          <span className="cs-skill mono">
            <Text text={r.skill} /> <span className="muted">version</span> <Text text={r.skill_version} />
          </span>
        </div>
        <dl className="cs-facts wide">
          <Field label="Requested by" issues={issuesOf(review.requester.name)}>
            <Text text={review.requester.name} /> <span className="mono">({review.requester.id})</span> · {review.requester.kind}
            {review.requester.roles.length > 0 && <span className="muted"> · roles {review.requester.roles.join(', ')}</span>}
            {!review.requester.matchesRoster && (
              <span className="cs-line-warn"> · the packet's description of the requester differs from the roster; the roster is shown</span>
            )}
          </Field>
          <Field label="Reason" issues={issuesOf(r.reason)}>
            {r.reason !== undefined ? <Text text={r.reason} /> : <span className="muted">none given</span>}
          </Field>
          <Field label="Request id" issues={issuesOf(r.id)}>
            <span className="mono">
              <Text text={r.id} />
            </span>
          </Field>
          <Field label="Requested">{when(r.at)}</Field>
          <Field label="Expires">
            <strong>{when(g.expires_at)}</strong> ({relativeDuration(left)})
          </Field>
          <Field label="Gate">
            {g.approvals_required} approval{g.approvals_required === 1 ? '' : 's'} needed from {g.approver_roles.map((x) => `"${x}"`).join(' or ')};{' '}
            <strong>{review.approvedCount}</strong> counted so far. {g.forbid_requester ? 'The requester may not approve. ' : ''}
            {g.reject_vetoes ? 'One reject closes the request.' : 'A reject is recorded but does not block.'}{' '}
            <span className="muted">Policy version {review.policyVersion}.</span>
          </Field>
          <Field label="Log">
            <span className="mono">
              <Text text={review.origin} />
            </span>
          </Field>
          <Field label="Request fingerprint">
            <span className="cs-readaloud mono" aria-label={`Request fingerprint ${review.digestFingerprint.split('').join(' ')}`}>
              {review.digestFingerprint}
            </span>
            <span className="cs-hint"> Read it aloud to compare with the requester or the gate.</span>
            <span className="mono small cs-digest">{review.requestDigest}</span>
          </Field>
        </dl>
      </div>
      <div className="panel">
        <h3>Arguments</h3>
        <ArgsView value={r.args} />
        <h4>Exact signed JSON (canonical, RFC 8785)</h4>
        <pre className="cs-pre" aria-label="Arguments as exact JSON">
          <SafeText text={review.argsCanonical} />
        </pre>
        {review.argsIssues.map((f) => (
          <div key={f.path} className="cs-args-issue">
            <span className="mono">
              <SafeText text={f.path} />
            </span>
            {f.key ? ' (name)' : ''}: <IssueList issues={f.issues} />
          </div>
        ))}
      </div>
      <div className="panel">
        <h3>
          Approvals so far: {review.approvedCount} of {g.approvals_required}
        </h3>
        {review.approvals.length === 0 ? (
          <p className="muted">No approval yet.</p>
        ) : (
          <div className="cs-table-wrap">
            <table className="stack cs-table">
              <thead>
                <tr>
                  <th scope="col">Approver</th>
                  <th scope="col">Vote</th>
                  <th scope="col">Signed</th>
                  <th scope="col">Key</th>
                  <th scope="col">Counts?</th>
                </tr>
              </thead>
              <tbody>
                {review.approvals.map((a) => (
                  <tr key={a.index} className={a.counted ? '' : 'cs-row-bad'}>
                    <td data-label="Approver">
                      {a.name ? <Text text={a.name} /> : '—'} {a.approver && <span className="mono muted">({a.approver})</span>}
                      {a.comment && (
                        <div className="cs-comment">
                          “<Text text={a.comment} />”
                        </div>
                      )}
                    </td>
                    <td data-label="Vote">{a.vote ? <VoteBadge vote={a.vote} /> : '—'}</td>
                    <td data-label="Signed">{when(a.at)}</td>
                    <td data-label="Key" className="mono small">
                      {a.fingerprint ?? (a.keyIds[0] ? fingerprintOf(a.keyIds[0]) : '—')}
                      {a.duplicateKey && (
                        <div className="cs-flag">
                          <span aria-hidden="true">⚠ </span>same key as an earlier approval
                        </div>
                      )}
                    </td>
                    <td data-label="Counts?">
                      {a.counted ? (
                        <span className="cs-line-ok">
                          <span aria-hidden="true">✓ </span>counts
                        </span>
                      ) : a.vote === 'reject' && a.problems.length === 0 ? (
                        <span>recorded</span>
                      ) : (
                        <span className="cs-line-fail">
                          <span aria-hidden="true">✕ </span>
                          {a.problems.join('; ') || 'does not count'}
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </div>
  );
}

/** args as an indented tree; every string (and name) through SafeText. */
function ArgsView({ value }: { value: unknown }) {
  const render = (v: unknown, depth: number): ReactNode => {
    if (v === null) return <span className="cs-json-lit">null</span>;
    if (typeof v === 'string')
      return (
        <span className="cs-json-str">
          "<SafeText text={v} />"
        </span>
      );
    if (typeof v === 'number' || typeof v === 'boolean') return <span className="cs-json-lit">{String(v)}</span>;
    if (Array.isArray(v)) {
      if (v.length === 0) return <span>[]</span>;
      return (
        <ul className="cs-json-list">
          {v.map((x, i) => (
            <li key={i}>
              <span className="muted">{i}:</span> {render(x, depth + 1)}
            </li>
          ))}
        </ul>
      );
    }
    if (typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>);
      if (entries.length === 0) return <span>{'{}'}</span>;
      return (
        <dl className="cs-json-obj">
          {entries.map(([k, x]) => (
            <div key={k} className="cs-json-row">
              <dt>
                <SafeText text={k} />
              </dt>
              <dd>{render(x, depth + 1)}</dd>
            </div>
          ))}
        </dl>
      );
    }
    return null;
  };
  return <div className="cs-args">{render(value, 0)}</div>;
}
