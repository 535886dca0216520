// Identities: create (with a required backup download and a restore check), import from a
// backup, unlock and lock, choose which one signs, export an enrollment for governance.
import { useEffect, useId, useState, type ReactNode } from 'react';
import { signer } from './signer.ts';
import { IDLE_CHOICES, type WalletApi } from './state.ts';
import { clock, FileField, IdentityBadge, LockIcon, Notice, when } from './ui.tsx';
import { CreateForm, ImportForm, UnlockForm } from './IdentityForms.tsx';
import { BackupWizard, EnrollPanel, RemovePanel } from './IdentityPanels.tsx';

type Mode =
  | { kind: 'list' }
  | { kind: 'create' }
  | { kind: 'import'; file: File }
  | { kind: 'backup'; keyId: string }
  | { kind: 'unlock'; keyId: string }
  | { kind: 'enroll'; keyId: string }
  | { kind: 'remove'; keyId: string };

export function IdentitySection({ w, incomingKey, consumed }: { w: WalletApi; incomingKey: { file: File; nonce: number } | null; consumed: () => void }) {
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const [flash, setFlash] = useState<string | null>(null);
  useEffect(() => {
    if (!incomingKey) return;
    consumed();
    setMode({ kind: 'import', file: incomingKey.file });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs once per hand-over (incomingKey), not when the callbacks change
  }, [incomingKey]);
  const back = () => setMode({ kind: 'list' });
  const rec = (keyId: string) => w.identities.find((i) => i.keyId === keyId) ?? null;

  let body: ReactNode;
  switch (mode.kind) {
    case 'create':
      body = <CreateForm w={w} onCancel={back} onCreated={(keyId) => setMode({ kind: 'backup', keyId })} />;
      break;
    case 'import':
      body = <ImportForm w={w} file={mode.file} onDone={back} />;
      break;
    case 'backup':
      body = rec(mode.keyId) ? (
        <BackupWizard w={w} r={rec(mode.keyId)!} onDone={back} onEnroll={() => setMode({ kind: 'enroll', keyId: mode.keyId })} />
      ) : (
        <></>
      );
      break;
    case 'unlock':
      body = rec(mode.keyId) ? (
        <UnlockForm
          w={w}
          r={rec(mode.keyId)!}
          onDone={(ms) => {
            if (ms !== undefined) setFlash(`${rec(mode.keyId)!.name} unlocked (the key was decrypted in ${(ms / 1000).toFixed(2)} s).`);
            back();
          }}
        />
      ) : (
        <></>
      );
      break;
    case 'enroll':
      body = rec(mode.keyId) ? <EnrollPanel w={w} r={rec(mode.keyId)!} onDone={back} /> : <></>;
      break;
    case 'remove':
      body = rec(mode.keyId) ? <RemovePanel w={w} r={rec(mode.keyId)!} onDone={back} /> : <></>;
      break;
    default:
      body = (
        <>
          {flash && (
            <p className="cs-line-ok" role="status">
              <span aria-hidden="true">✓ </span>
              {flash}
            </p>
          )}
          <IdentityList
            w={w}
            setMode={(m) => {
              setFlash(null);
              setMode(m);
            }}
          />
        </>
      );
  }
  return <section aria-labelledby="cs-id-h">{body}</section>;
}

function StorageLine({ w }: { w: WalletApi }) {
  const s = w.storage;
  if (!s.supported) return <p className="muted">This browser does not say whether its storage is kept: keep your backup file safe.</p>;
  return s.persisted ? (
    <p className="cs-line-ok">
      <span aria-hidden="true">✓ </span>Storage is persistent: the browser will not clear this wallet to free space.
    </p>
  ) : (
    <p className="cs-line-warn">
      <span aria-hidden="true">! </span>Storage is not persistent: the browser may clear this wallet when space runs low. Your backup file is what restores it.{' '}
      <button type="button" className="linklike" onClick={() => void w.requestPersistence()}>
        Ask for persistent storage
      </button>
    </p>
  );
}

function IdentityList({ w, setMode }: { w: WalletApi; setMode: (m: Mode) => void }) {
  const idleId = useId();
  return (
    <>
      <h2 id="cs-id-h">Your identities</h2>
      <p className="muted">
        Each identity is an Ed25519 key that never leaves this device. It is stored only encrypted with your passphrase; it is decrypted inside a separate
        worker while unlocked, and locked again after {IDLE_CHOICES.find((c) => c.ms === w.idleMs)?.label ?? clock(w.idleMs)} without use.
      </p>
      <StorageLine w={w} />
      {w.identities.length === 0 && (
        <Notice tone="info" title="No identity yet">
          <p>Create a new identity, or restore one from its backup file.</p>
        </Notice>
      )}
      <ul className="cs-cards">
        {w.identities.map((r) => {
          const remaining = w.sessions.get(r.keyId);
          const isSel = w.selected?.keyId === r.keyId;
          return (
            <li key={r.keyId} className={`cs-card${isSel ? ' selected' : ''}`}>
              <div className="cs-card-head">
                <IdentityBadge keyId={r.keyId} name={r.name} principal={r.principal} />
                {isSel ? (
                  <span className="cs-chip">Signs requests</span>
                ) : (
                  <button type="button" onClick={() => void w.select(r.keyId)}>
                    Use for signing
                  </button>
                )}
              </div>
              <dl className="cs-facts">
                <dt>Session</dt>
                <dd>
                  {remaining !== undefined ? (
                    <span className="cs-unlocked">
                      <LockIcon open /> Unlocked · locks in {clock(remaining)}
                    </span>
                  ) : (
                    <span>
                      <LockIcon open={false} /> Locked
                    </span>
                  )}
                </dd>
                <dt>Backup</dt>
                <dd>
                  {r.backupVerifiedAt ? (
                    <span className="cs-line-ok">
                      <span aria-hidden="true">✓ </span>Checked {when(r.backupVerifiedAt)}
                    </span>
                  ) : r.backupDownloadedAt ? (
                    <span className="cs-line-warn">
                      <span aria-hidden="true">! </span>Downloaded {when(r.backupDownloadedAt)}, not yet checked
                    </span>
                  ) : (
                    <span className="cs-line-fail">
                      <span aria-hidden="true">✕ </span>No backup yet
                    </span>
                  )}
                </dd>
                <dt>Enrollment</dt>
                <dd>{r.enrollmentExportedAt ? `exported ${when(r.enrollmentExportedAt)}` : 'not exported'}</dd>
                <dt>Key</dt>
                <dd>
                  {r.source === 'created' ? (
                    <>created here {when(r.createdAt)}</>
                  ) : (
                    <>
                      restored from a backup{r.restoredAt ? ` ${when(r.restoredAt)}` : ''} · key created {when(r.createdAt)}
                    </>
                  )}
                </dd>
              </dl>
              <div className="cs-actions">
                {remaining !== undefined ? (
                  <button type="button" onClick={() => void signer().lock(r.keyId).then(w.refreshSessions)}>
                    Lock now
                  </button>
                ) : (
                  <button type="button" onClick={() => setMode({ kind: 'unlock', keyId: r.keyId })}>
                    Unlock…
                  </button>
                )}
                <button type="button" onClick={() => setMode({ kind: 'backup', keyId: r.keyId })}>
                  {r.backupVerifiedAt ? 'Backup…' : 'Finish backup…'}
                </button>
                <button type="button" onClick={() => setMode({ kind: 'enroll', keyId: r.keyId })}>
                  Export enrollment…
                </button>
                <button type="button" className="quiet" onClick={() => setMode({ kind: 'remove', keyId: r.keyId })}>
                  Remove…
                </button>
              </div>
            </li>
          );
        })}
      </ul>
      <div className="cs-row">
        <button type="button" className="primary" onClick={() => setMode({ kind: 'create' })}>
          Create identity
        </button>
      </div>
      <div className="panel cs-subpanel">
        <h3>Restore from a backup</h3>
        <FileField
          label="Import identity"
          accept=".key,.json,application/json"
          onFile={(file) => setMode({ kind: 'import', file })}
          hint="A key/v1 backup file (.key)."
        />
      </div>
      <div className="cs-field cs-inline">
        <label htmlFor={idleId}>Lock an unlocked identity after</label>
        <select id={idleId} value={w.idleMs} onChange={(e) => void w.setIdleMs(Number(e.currentTarget.value))} disabled={!!w.testMode?.idleMs}>
          {!IDLE_CHOICES.some((c) => c.ms === w.idleMs) && <option value={w.idleMs}>{clock(w.idleMs)} (test)</option>}
          {IDLE_CHOICES.map((c) => (
            <option key={c.ms} value={c.ms}>
              {c.label} without use
            </option>
          ))}
        </select>
      </div>
    </>
  );
}
