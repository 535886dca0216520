// Sign a request: import it (file, drop, paste, camera, picture), run every check, then show
// exactly what would be signed, and sign an approve or reject vote with the chosen identity.
import { useEffect, useId, useMemo, useRef, useState, type DragEvent, type FormEvent, type ReactNode } from 'react';
import { fingerprintOf } from '../../core/crypto/ed25519.ts';
import type { HistoryRecord } from '../../core/wallet/history.ts';
import { checkRequestPacket, type PacketCheckResult, type PacketReview } from '../../core/wallet/packet.ts';
import { approvalFileText, buildApproval, readExchangeText } from '../../core/wallet/statements.ts';
import { relativeDuration } from '../../core/wallet/format.ts';
import { scanText } from '../../core/wallet/text-safety.ts';
import { appendHistory, markExported, type IdentityRecord } from './db.ts';
import { CameraScanner, decodeQrImage } from './Scanner.tsx';
import { abortPort, call, Comlink } from './signer.ts';
import type { WalletApi } from './state.ts';
import { copyText, downloadText, FileField, IdentityBadge, IssueList, Notice, QrPanel, readSmallFile, SafeText, when } from './ui.tsx';

export type SignStage = { kind: 'import' } | { kind: 'checked'; value: unknown } | { kind: 'signed'; seq: number };

/** The stage lives in the wallet screen, so a request under review survives a visit to another tab. */
export function SignSection({
  w,
  incoming,
  goTo,
  stage,
  setStage,
  consumed,
}: {
  w: WalletApi;
  incoming: { text: string; nonce: number } | null;
  consumed: () => void;
  goTo: (tab: 'identities' | 'trust' | 'history') => void;
  stage: SignStage;
  setStage: (s: SignStage) => void;
}) {
  const [error, setError] = useState<string | null>(null);

  const openText = (text: string) => {
    setError(null);
    const r = readExchangeText(text);
    if (!r.ok) {
      setError(`This is not a request packet: ${r.message}.`);
      return;
    }
    if (r.kind !== 'request-packet/v1') {
      const where: Record<string, string> = {
        'log-profile/v1': 'It is a log profile: import it under Trusted logs.',
        'key/v1': 'It is a key backup: import it under Identities.',
        'approval/v1': 'It is an approval (the answer to a request), not a request.',
        'enrollment/v1': 'It is an enrollment: it goes to governance.',
        'bundle/v1': 'It is an evidence bundle: open it in Verify evidence.',
      };
      setError(`This is a ${r.kind} file, not a request packet. ${where[r.kind] ?? ''}`);
      return;
    }
    setStage({ kind: 'checked', value: r.value });
  };

  useEffect(() => {
    if (!incoming) return;
    consumed();
    openText(incoming.text);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs once per hand-over (incoming), not when the callbacks change
  }, [incoming]);

  const reset = () => {
    setStage({ kind: 'import' });
    setError(null);
  };

  if (stage.kind === 'checked') return <Checked w={w} value={stage.value} onClose={reset} onSigned={(seq) => setStage({ kind: 'signed', seq })} goTo={goTo} />;
  if (stage.kind === 'signed') {
    const rec = w.history.find((h) => h.seq === stage.seq);
    return (
      <section aria-labelledby="cs-sign-h">
        <h2 id="cs-sign-h">{rec?.vote === 'reject' ? 'Rejection signed' : 'Approval signed'}</h2>
        {rec && <ApprovalExport w={w} record={rec} fresh />}
        <div className="cs-row">
          <button type="button" onClick={reset}>
            Review another request
          </button>
        </div>
      </section>
    );
  }
  return <ImportRequest w={w} onText={openText} error={error} setError={setError} />;
}

// ---------------------------------------------------------------------------------------------
// Import

function ImportRequest({ w, onText, error, setError }: { w: WalletApi; onText: (t: string) => void; error: string | null; setError: (e: string | null) => void }) {
  const [scanning, setScanning] = useState(false);
  const [paste, setPaste] = useState('');
  const [over, setOver] = useState(false);
  const ids = useId();
  const fromFile = async (f: File) => {
    try {
      onText(await readSmallFile(f));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const fromImage = async (f: File) => {
    const r = await decodeQrImage(f);
    if (r.ok) onText(r.text);
    else setError(r.message);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const f = e.dataTransfer.files[0];
    if (!f) return;
    if (f.type.startsWith('image/')) void fromImage(f);
    else void fromFile(f);
  };
  return (
    <section aria-labelledby="cs-sign-h">
      <h2 id="cs-sign-h">Sign a request</h2>
      {w.trusted.length === 0 && (
        <Notice tone="warn" title="No trusted log yet">
          <p>Import your log profile under Trusted logs first: without it every request is stopped.</p>
        </Notice>
      )}
      <div
        className={`cs-drop${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <p className="cs-drop-title">Drop a request file or a picture of its QR code here, or:</p>
        <div className="cs-import-grid">
          <FileField label="Import request" accept=".json,application/json" onFile={(f) => void fromFile(f)} hint="request-packet/v1 (.json) from the gate" />
          <FileField label="Request QR picture" accept="image/*" onFile={(f) => void fromImage(f)} hint="A photo or screenshot of the code" />
          <div className="cs-field">
            <span className="cs-label-like">Camera</span>
            <button type="button" aria-pressed={scanning} onClick={() => setScanning((s) => !s)}>
            Scan request QR
          </button>
            <span className="cs-hint">One code or an animated one</span>
          </div>
        </div>
      </div>
      {scanning && <CameraScanner what="request" onResult={(t) => { setScanning(false); onText(t); }} onCancel={() => setScanning(false)} />}
      <details className="cs-paste">
        <summary>Paste a request</summary>
        <label htmlFor={`${ids}-p`}>Request text</label>
        <textarea id={`${ids}-p`} rows={6} value={paste} onChange={(e) => setPaste(e.currentTarget.value)} spellCheck={false} className="mono" />
        <button type="button" disabled={!paste.trim()} onClick={() => onText(paste)}>
          Check pasted request
        </button>
      </details>
      {error && (
        <Notice tone="fail" title="Cannot open this" role="alert">
          <p>{error}</p>
        </Notice>
      )}
      <PendingExports w={w} />
    </section>
  );
}

/** Signed approvals not yet sent back: nothing a user holds is lost on reload. */
function PendingExports({ w }: { w: WalletApi }) {
  const pending = w.history.filter((h) => !w.exported.has(h.seq));
  const [open, setOpen] = useState<number | null>(null);
  if (pending.length === 0) return null;
  return (
    <div className="panel cs-subpanel">
      <h3>Signed, not yet sent back</h3>
      <ul className="cs-plain">
        {pending.map((h) => (
          <li key={h.seq}>
            <VoteBadge vote={h.vote} /> <span className="mono">{h.skill}</span> · request <SafeText text={h.request_id} /> · signed {when(h.at)}{' '}
            <button type="button" onClick={() => setOpen(open === h.seq ? null : h.seq)}>
              {open === h.seq ? 'Hide' : 'Export…'}
            </button>
            {open === h.seq && <ApprovalExport w={w} record={h} />}
          </li>
        ))}
      </ul>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// After the checks

function Checked({
  w,
  value,
  onClose,
  onSigned,
  goTo,
}: {
  w: WalletApi;
  value: unknown;
  onClose: () => void;
  onSigned: (seq: number) => void;
  goTo: (tab: 'identities' | 'trust' | 'history') => void;
}) {
  // The checks run again whenever the identity, the trusted logs, the history or the minute changes.
  const minute = Math.floor(w.now / 15_000);
  const result = useMemo<PacketCheckResult>(
    () =>
      checkRequestPacket(value, {
        profiles: w.trusted,
        identity: w.selected ? { principal: w.selected.principal, keyId: w.selected.keyId } : null,
        now: Date.now(),
        prior: w.prior,
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `minute` stands for Date.now(): the checks rerun as the clock moves
    [value, w.trusted, w.selected, w.prior, minute],
  );
  if (result.severity === 'stop') return <StopScreen result={result} onClose={onClose} goTo={goTo} />;
  const review = result.review!;
  if (result.severity === 'resend') {
    const rec = result.prior ? w.history.find((h) => h.seq === result.prior!.seq) : undefined;
    return (
      <section aria-labelledby="cs-sign-h">
        <h2 id="cs-sign-h">You already signed this request</h2>
        <Notice
          tone="info"
          title={
            result.prior
              ? `You signed it (${result.prior.vote}) on ${when(result.prior.at)}. Send that signature again instead of signing twice.`
              : result.refusals.find((r) => r.code === 'already_signed')!.message
          }
          role="status"
        />
        {rec ? <ApprovalExport w={w} record={rec} /> : <p>The gate already holds your vote; there is nothing to send again.</p>}
        <IdentityPicker w={w} />
        <ReviewDetails review={review} />
        <div className="cs-row">
          <button type="button" onClick={onClose}>
            Close this request
          </button>
        </div>
      </section>
    );
  }
  return (
    <section aria-labelledby="cs-sign-h">
      <h2 id="cs-sign-h">{result.canSign ? 'Review the request' : 'You cannot sign this request'}</h2>
      {!result.canSign && (
        <Notice tone="warn" title="Signing is not possible:" role="alert">
          <ul>
            <RefusalItems result={result} />
          </ul>
        </Notice>
      )}
      <IdentityPicker w={w} />
      <ReviewDetails review={review} />
      {result.canSign && <DecisionBar w={w} review={review} onSigned={onSigned} />}
      <div className="cs-row">
        <button type="button" onClick={onClose}>
          {result.canSign ? 'Close without signing' : 'Close this request'}
        </button>
      </div>
    </section>
  );
}

function StopScreen({ result, onClose, goTo }: { result: PacketCheckResult; onClose: () => void; goTo: (t: 'trust') => void }) {
  const untrusted = result.refusals.some((r) => r.code === 'untrusted_log');
  return (
    <section aria-labelledby="cs-stop-h" className="cs-stop" role="alert">
      <h2 id="cs-stop-h">
        <svg className="cs-stop-icon" viewBox="0 0 24 24" width="26" height="26" aria-hidden="true" focusable="false">
          <path d="M7.5 1.5h9l6 6v9l-6 6h-9l-6-6v-9z" fill="currentColor" />
          <rect x="6" y="10.5" width="12" height="3" rx="1" fill="#fff" />
        </svg>
        Stop: do not sign this request
      </h2>
      <p>
        The wallet could not confirm that this request was parked by a gate you trust. Signing it could authorise something nobody approved
        through the gate. There is no way to continue with this file.
      </p>
      <ul>
        <RefusalItems result={result} />
      </ul>
      {result.requestDigest && (
        <p className="mono small">
          Request digest {result.requestDigest}
        </p>
      )}
      <p>Tell your security team where this file came from.</p>
      <div className="cs-row">
        <button type="button" onClick={onClose}>
          Close this request
        </button>
        {untrusted && (
          <button type="button" onClick={() => goTo('trust')}>
            Go to Trusted logs
          </button>
        )}
      </div>
    </section>
  );
}

function IdentityPicker({ w }: { w: WalletApi }) {
  const id = useId();
  if (w.identities.length <= 1)
    return w.selected ? (
      <p className="cs-signas">
        Signing as <IdentityBadge keyId={w.selected.keyId} name={w.selected.name} principal={w.selected.principal} compact />
      </p>
    ) : null;
  return (
    <div className="cs-field cs-inline cs-signas">
      <label htmlFor={id}>Sign as</label>
      <select id={id} value={w.selected?.keyId ?? ''} onChange={(e) => void w.select(e.currentTarget.value)}>
        {w.identities.map((i) => (
          <option key={i.keyId} value={i.keyId}>
            {i.name} ({i.principal}) · {fingerprintOf(i.keyId).slice(0, 9)}
          </option>
        ))}
      </select>
      {w.selected && <IdentityBadge keyId={w.selected.keyId} name={w.selected.name} principal={w.selected.principal} compact />}
    </div>
  );
}

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
function ReviewDetails({ review }: { review: PacketReview }) {
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
            Some text below contains characters that are invisible, change the reading direction, or imitate other letters. They are shown as marked
            boxes. Ask the requester why before you approve.
          </p>
          <ul>
            {review.textIssues.map((f) => (
              <li key={f.field}>
                {f.field}: {f.issues.length} flagged
              </li>
            ))}
            {review.argsIssues.map((f) => (
              <li key={f.path}>
                <span className="mono"><SafeText text={f.path} /></span>
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
            {!review.requester.matchesRoster && <span className="cs-line-warn"> · the packet's description of the requester differs from the roster; the roster is shown</span>}
          </Field>
          <Field label="Reason" issues={issuesOf(r.reason)}>
            {r.reason !== undefined ? <Text text={r.reason} /> : <span className="muted">none given</span>}
          </Field>
          <Field label="Request id" issues={issuesOf(r.id)}>
            <span className="mono">
              <Text text={r.id} />
            </span>
          </Field>
          <Field label="Requested">
            {when(r.at)}
          </Field>
          <Field label="Expires">
            <strong>{when(g.expires_at)}</strong> ({relativeDuration(left)})
          </Field>
          <Field label="Gate">
            {g.approvals_required} approval{g.approvals_required === 1 ? '' : 's'} needed from{' '}
            {g.approver_roles.map((x) => `"${x}"`).join(' or ')}; <strong>{review.approvedCount}</strong> counted so far.{' '}
            {g.forbid_requester ? 'The requester may not approve. ' : ''}
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
            <span className="mono"><SafeText text={f.path} /></span>
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
            <table className="cs-table">
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
                    <td>
                      {a.name ? <Text text={a.name} /> : '—'} {a.approver && <span className="mono muted">({a.approver})</span>}
                      {a.comment && (
                        <div className="cs-comment">
                          “<Text text={a.comment} />”
                        </div>
                      )}
                    </td>
                    <td>{a.vote ? <VoteBadge vote={a.vote} /> : '—'}</td>
                    <td>{when(a.at)}</td>
                    <td className="mono small">
                      {a.fingerprint ?? (a.keyIds[0] ? fingerprintOf(a.keyIds[0]) : '—')}
                      {a.duplicateKey && (
                        <div className="cs-flag">
                          <span aria-hidden="true">⚠ </span>same key as an earlier approval
                        </div>
                      )}
                    </td>
                    <td>
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

export function VoteBadge({ vote }: { vote: 'approve' | 'reject' }) {
  return vote === 'approve' ? (
    <span className="cs-vote cs-vote-approve">
      <span aria-hidden="true">✓ </span>approve
    </span>
  ) : (
    <span className="cs-vote cs-vote-reject">
      <span aria-hidden="true">✕ </span>reject
    </span>
  );
}

// ---------------------------------------------------------------------------------------------
// Deciding and signing

function DecisionBar({ w, review, onSigned }: { w: WalletApi; review: PacketReview; onSigned: (seq: number) => void }) {
  const [comment, setComment] = useState('');
  const [vote, setVote] = useState<'approve' | 'reject' | null>(null);
  const [pass, setPass] = useState('');
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ids = useId();
  const me = w.selected as IdentityRecord;
  const locked = !w.sessions.has(me.keyId);
  const backupMissing = !me.backupVerifiedAt;
  const commentIssues = scanText(comment);
  const inFlight = useRef(false);

  const sign = async (e: FormEvent) => {
    e.preventDefault();
    if (!vote || inFlight.current) return;
    inFlight.current = true;
    try {
      await signNow(vote);
    } finally {
      inFlight.current = false;
    }
  };

  const signNow = async (vote: 'approve' | 'reject') => {
    setError(null);
    const at = new Date().toISOString();
    let statement;
    try {
      statement = buildApproval({
        log: review.origin,
        at,
        requestDigest: review.requestDigest,
        requestId: review.request.id,
        skill: review.request.skill,
        approver: me.principal,
        vote,
        comment,
      });
    } catch (err) {
      setError((err as Error).message);
      return;
    }
    if (Date.parse(at) > review.expiresAtMs) {
      setError('The request expired while you were reviewing it.');
      return;
    }
    setBusy(locked ? 0 : 1);
    const res = await call((s) =>
      s.sign({ keyId: me.keyId, statement, ...(locked ? { unlock: { keyFile: me.keyFile, passphrase: pass } } : {}) }, abortPort(undefined), Comlink.proxy((f: number) => setBusy(f))),
    );
    setBusy(null);
    if (!res.ok) {
      setError(res.message);
      return;
    }
    setPass('');
    const rec = await appendHistory({ at, pub: me.pub, envelope: res.value.envelope });
    onSigned(rec.seq);
    await w.reload();
  };

  if (backupMissing)
    return (
      <Notice tone="warn" title="Check your backup before you sign" role="alert">
        <p>This identity's backup has not been checked yet. Finish it under Identities, then come back: the request stays here until it expires.</p>
      </Notice>
    );

  return (
    <form className="panel cs-decide" onSubmit={sign} aria-labelledby={`${ids}-h`}>
      <h3 id={`${ids}-h`}>Your decision</h3>
      <div className="cs-field">
        <label htmlFor={`${ids}-c`}>Comment (optional, signed with your vote)</label>
        <textarea id={`${ids}-c`} rows={2} value={comment} onChange={(e) => setComment(e.currentTarget.value)} disabled={busy !== null} />
        {commentIssues.length > 0 && <IssueList issues={commentIssues} />}
      </div>
      {!vote ? (
        <div className="cs-row">
          <button type="button" className="approve" onClick={() => setVote('approve')}>
            Approve
          </button>
          <button type="button" className="reject" onClick={() => setVote('reject')}>
            Reject
          </button>
        </div>
      ) : (
        <div className={`cs-confirm cs-confirm-${vote}`}>
          <p>
            You are about to sign <strong>{vote === 'approve' ? 'APPROVE' : 'REJECT'}</strong> for <span className="mono">{review.request.skill}</span>{' '}
            (request {review.digestFingerprint}) as <strong>{me.name}</strong> ({me.principal}).
          </p>
          {locked && (
            <div className="cs-field">
              <label htmlFor={`${ids}-p`}>Passphrase</label>
              <input id={`${ids}-p`} type="password" autoComplete="current-password" autoFocus value={pass} onChange={(e) => setPass(e.currentTarget.value)} />
            </div>
          )}
          {!locked && <p className="muted">Your identity is unlocked: no passphrase needed.</p>}
          {error && (
            <p className="cs-error" role="alert">
              {error}
            </p>
          )}
          {busy !== null && busy < 1 && (
            <p className="cs-progress" role="status">
              Unlocking… <progress max={1} value={busy} />
            </p>
          )}
          <div className="cs-row">
            <button type="submit" className={vote === 'approve' ? 'approve' : 'reject'} disabled={busy !== null || (locked && !pass)}>
              Confirm and sign
            </button>
            <button type="button" onClick={() => { setVote(null); setError(null); }} disabled={busy !== null}>
              Back
            </button>
          </div>
        </div>
      )}
    </form>
  );
}

// ---------------------------------------------------------------------------------------------
// Sending the answer back

export function ApprovalExport({ w, record, fresh }: { w: WalletApi; record: HistoryRecord; fresh?: boolean }) {
  const text = approvalFileText(record.envelope);
  const exported = w.exported.get(record.seq);
  const [copied, setCopied] = useState<boolean | null>(null);
  const safeId = record.request_id.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 40) || 'request';
  const file = `approval-${safeId}-${record.vote}.json`;
  const mark = async (how: 'download' | 'copy' | 'qr') => {
    await markExported(record.seq, how);
    await w.reload();
  };
  return (
    <div className="cs-export">
      {fresh && (
        <Notice tone="pass" title={record.vote === 'approve' ? 'You approved this request.' : 'You rejected this request.'} role="status">
          <p>
            The signed {record.vote === 'approve' ? 'approval' : 'rejection'} is kept in your history. Send it back to the gate as a file, as text, or
            by showing the QR code.
          </p>
        </Notice>
      )}
      <p className={exported ? 'cs-line-ok' : 'cs-line-warn'}>
        <span aria-hidden="true">{exported ? '✓ ' : '! '}</span>
        {exported ? `Exported (${exported.how}) ${when(exported.at)}` : 'Not yet sent back'}
      </p>
      <div className="cs-row">
        <button
          type="button"
          className="primary"
          onClick={() => {
            downloadText(file, text);
            void mark('download');
          }}
        >
          Download approval
        </button>
        <button
          type="button"
          onClick={async () => {
            const ok = await copyText(text);
            setCopied(ok);
            if (ok) void mark('copy');
          }}
        >
          Copy text
        </button>
        {copied !== null && <span role="status">{copied ? 'Copied.' : 'Copying is blocked here: select the text below.'}</span>}
      </div>
      <QrPanel text={text} what="approval file" />
      <button type="button" className="linklike" onClick={() => void mark('qr')}>
        The gate has scanned the QR code
      </button>
      <details>
        <summary>File text</summary>
        <label className="cs-sr" htmlFor={`cs-approval-${record.seq}`}>
          Approval file text
        </label>
        <textarea id={`cs-approval-${record.seq}`} className="mono cs-pre" readOnly rows={6} value={text} onFocus={(e) => e.currentTarget.select()} />
      </details>
    </div>
  );
}

/** Each reason the wallet will not sign, tagged with its code for tests and screen readers. */
function RefusalItems({ result }: { result: PacketCheckResult }) {
  return (
    <>
      {result.refusals.map((r) => (
        <li key={r.code} data-code={r.code}>
          {r.message}
        </li>
      ))}
    </>
  );
}
