// Approve or reject the request under review (passphrase, then the signer worker), and hand the
// signed approval back to the gate (file, copy, QR).
import { useId, useRef, useState, type FormEvent } from 'react';
import type { HistoryRecord } from '../../core/wallet/history.ts';
import { type PacketReview } from '../../core/wallet/packet.ts';
import { approvalFileText, buildApproval } from '../../core/wallet/statements.ts';
import { scanText } from '../../core/wallet/text-safety.ts';
import { appendHistory, markExported, type IdentityRecord } from './db.ts';
import { abortPort, call, Comlink } from './signer.ts';
import type { WalletApi } from './state.ts';
import { copyText, downloadText, IssueList, Notice, QrPanel, when } from './ui.tsx';

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

export function DecisionBar({ w, review, onSigned }: { w: WalletApi; review: PacketReview; onSigned: (seq: number) => void }) {
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
      s.sign(
        { keyId: me.keyId, statement, ...(locked ? { unlock: { keyFile: me.keyFile, passphrase: pass } } : {}) },
        abortPort(undefined),
        Comlink.proxy((f: number) => setBusy(f)),
      ),
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
            You are about to sign <strong>{vote === 'approve' ? 'APPROVE' : 'REJECT'}</strong> for <span className="mono">{review.request.skill}</span> (request{' '}
            {review.digestFingerprint}) as <strong>{me.name}</strong> ({me.principal}).
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
            <button
              type="button"
              onClick={() => {
                setVote(null);
                setError(null);
              }}
              disabled={busy !== null}
            >
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
            The signed {record.vote === 'approve' ? 'approval' : 'rejection'} is kept in your history. Send it back to the gate as a file, as text, or by
            showing the QR code.
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
