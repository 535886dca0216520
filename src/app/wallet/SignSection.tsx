// Sign a request: import it (file, drop, paste, camera, picture), run every check, then show
// exactly what would be signed, and sign an approve or reject vote with the chosen identity.
import { useEffect, useId, useMemo, useState, type DragEvent } from 'react';
import { fingerprintOf } from '../../core/crypto/ed25519.ts';
import { checkRequestPacket, type PacketCheckResult } from '../../core/wallet/packet.ts';
import { readExchangeText } from '../../core/wallet/statements.ts';
import { CameraScanner, decodeQrImage } from './Scanner.tsx';
import type { WalletApi } from './state.ts';
import { FileField, IdentityBadge, Notice, readSmallFile, SafeText, when } from './ui.tsx';
import { ReviewDetails } from './ReviewDetails.tsx';
import { VoteBadge, DecisionBar, ApprovalExport } from './DecisionBar.tsx';

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

function ImportRequest({
  w,
  onText,
  error,
  setError,
}: {
  w: WalletApi;
  onText: (t: string) => void;
  error: string | null;
  setError: (e: string | null) => void;
}) {
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
      {scanning && (
        <CameraScanner
          what="request"
          onResult={(t) => {
            setScanning(false);
            onText(t);
          }}
          onCancel={() => setScanning(false)}
        />
      )}
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
            Done
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
        <button type="button" onClick={onClose} aria-describedby="cs-stop-reviewing-hint">
          {result.canSign ? 'Stop reviewing' : 'Put this request away'}
        </button>
        <span id="cs-stop-reviewing-hint" className="cs-hint">
          Nothing is signed or sent: the request stays parked at the gate, and you can open it again.
        </span>
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
        The wallet could not confirm that this request was parked by a gate you trust. Signing it could authorise something nobody approved through the gate.
        There is no way to continue with this file.
      </p>
      <ul>
        <RefusalItems result={result} />
      </ul>
      {result.requestDigest && <p className="mono small">Request digest {result.requestDigest}</p>}
      <p>Tell your security team where this file came from.</p>
      <div className="cs-row">
        <button type="button" onClick={onClose}>
          Put this file away
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
