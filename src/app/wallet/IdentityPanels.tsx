// Per-identity panels: the required backup download and restore check, the enrollment
// export for governance, and removal.
import { useId, useState, type FormEvent } from 'react';
import { fingerprintOf } from '../../core/crypto/ed25519.ts';
import { buildEnrollment, enrollmentFileText } from '../../core/wallet/statements.ts';
import { deleteIdentity, updateIdentity, type IdentityRecord } from './db.ts';
import { abortPort, call, Comlink, signer } from './signer.ts';
import { type WalletApi } from './state.ts';
import { downloadText, FileField, IdentityBadge, Notice, QrPanel, when } from './ui.tsx';
import { backupName, PassphraseField, Progress, readKeyFile } from './IdentityForms.tsx';

export function BackupWizard({ w, r, onDone, onEnroll }: { w: WalletApi; r: IdentityRecord; onDone: () => void; onEnroll: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [pass, setPass] = useState('');
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [checkedMs, setCheckedMs] = useState<number | null>(null);

  const download = async () => {
    downloadText(backupName(r), JSON.stringify(r.keyFile, null, 2) + '\n');
    await updateIdentity(r.keyId, { backupDownloadedAt: new Date().toISOString() });
    await w.reload();
  };
  const check = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setError(null);
    const text = await readKeyFile(file, setError);
    if (text === null) return;
    setBusy(0);
    const res = await call((s) =>
      s.checkBackup(
        { text, passphrase: pass, expectedPub: r.pub },
        abortPort(undefined),
        Comlink.proxy((f: number) => setBusy(f)),
      ),
    );
    setBusy(null);
    if (!res.ok) {
      setError(res.message);
      return;
    }
    setCheckedMs(res.value.ms);
    setPass('');
    await updateIdentity(r.keyId, { backupVerifiedAt: new Date().toISOString() });
    await w.reload();
  };

  const step = !r.backupDownloadedAt ? 2 : 3;
  return (
    <div className="cs-form">
      <h2 id="cs-id-h">Back up {r.name}</h2>
      <IdentityBadge keyId={r.keyId} name={r.name} principal={r.principal} />
      <ol className="cs-steps">
        {[
          { label: 'Identity created', done: true, current: false },
          { label: 'Download the backup', done: !!r.backupDownloadedAt, current: step === 2 },
          { label: 'Check that it restores', done: !!r.backupVerifiedAt, current: step === 3 && !r.backupVerifiedAt },
        ].map((s, i) => (
          <li key={s.label} className={s.done ? 'done' : s.current ? 'current' : ''} aria-current={s.current ? 'step' : undefined}>
            <span className="cs-step-n" aria-hidden="true">
              {s.done ? '✓' : i + 1}
            </span>
            {s.label}
            <span className="cs-sr">{s.done ? ' (done)' : s.current ? ' (now)' : ' (to do)'}</span>
          </li>
        ))}
      </ol>
      <div className="panel cs-subpanel">
        <h3>Encrypted backup file</h3>
        <p>
          The file holds your key encrypted with your passphrase (scrypt, AES-256-GCM). Keep it somewhere other than this device: a password manager, an
          encrypted drive. It is the only way to restore this identity.
        </p>
        <button type="button" className={r.backupDownloadedAt ? '' : 'primary'} onClick={() => void download()}>
          Download backup file
        </button>
        {r.backupDownloadedAt && <p className="muted">Downloaded {when(r.backupDownloadedAt)}.</p>}
      </div>
      {r.backupDownloadedAt && (
        <form className="panel cs-subpanel" onSubmit={check}>
          <h3>Check the backup</h3>
          <p>Open the file you saved and type the passphrase: the wallet decrypts it and confirms it holds this same key.</p>
          <FileField label="Backup file" accept=".key,.json,application/json" onFile={setFile} />
          {file && <p className="muted">Chosen: {file.name}</p>}
          <PassphraseField value={pass} onChange={setPass} />
          {error && (
            <p className="cs-error" role="alert">
              {error}
            </p>
          )}
          <Progress value={busy} label="Decrypting the backup…" />
          <button type="submit" className="primary" disabled={!file || pass.length === 0 || busy !== null}>
            Check backup
          </button>
          {r.backupVerifiedAt && (
            <Notice tone="pass" title="The backup restores this key" role="status">
              <p>
                Last checked {when(r.backupVerifiedAt)}
                {checkedMs !== null ? ` (decrypted in ${(checkedMs / 1000).toFixed(1)} s)` : ''}. Fingerprint{' '}
                <span className="mono">{fingerprintOf(r.keyId)}</span>.
              </p>
            </Notice>
          )}
        </form>
      )}
      <div className="cs-row">
        {r.backupVerifiedAt && (
          <button type="button" className="primary" onClick={onEnroll}>
            Next: export enrollment
          </button>
        )}
        <button type="button" onClick={onDone}>
          {r.backupVerifiedAt ? 'Done' : 'Later'}
        </button>
      </div>
    </div>
  );
}

export function EnrollPanel({ w, r, onDone }: { w: WalletApi; r: IdentityRecord; onDone: () => void }) {
  const [origin, setOrigin] = useState(w.trusted[0]?.origin ?? '');
  const [pass, setPass] = useState('');
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [text, setText] = useState<string | null>(null);
  const ids = useId();
  const locked = !w.sessions.has(r.keyId);
  const fileName = `enrollment-${r.principal}.json`;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    let statement;
    try {
      statement = buildEnrollment({ log: origin.trim(), at: new Date().toISOString(), principal: r.principal, name: r.name, pub: r.pub });
    } catch (err) {
      setError(`Enter the log origin, e.g. acme.example/agents-prod (${(err as Error).message}).`);
      return;
    }
    setBusy(locked ? 0 : null);
    const res = await call((s) =>
      s.sign(
        { keyId: r.keyId, statement, ...(locked ? { unlock: { keyFile: r.keyFile, passphrase: pass } } : {}) },
        abortPort(undefined),
        Comlink.proxy((f: number) => setBusy(f)),
      ),
    );
    setBusy(null);
    if (!res.ok) {
      setError(res.message);
      return;
    }
    setText(enrollmentFileText(res.value.envelope));
    await updateIdentity(r.keyId, { enrollmentExportedAt: new Date().toISOString() });
    await w.reload();
  };

  return (
    <div className="cs-form">
      <h2 id="cs-id-h">Enrollment for {r.name}</h2>
      <p>
        Governance adds your key to the roster from this file. It is signed by the key itself (proof that you hold it) and contains only public information.
        Read your fingerprint to them when they ask: <span className="mono">{fingerprintOf(r.keyId)}</span>.
      </p>
      {!text ? (
        <form onSubmit={submit}>
          <div className="cs-field">
            <label htmlFor={`${ids}-o`}>Log origin</label>
            <input id={`${ids}-o`} type="text" className="mono" list={`${ids}-l`} value={origin} onChange={(e) => setOrigin(e.currentTarget.value)} />
            <datalist id={`${ids}-l`}>
              {w.trusted.map((p) => (
                <option key={p.origin} value={p.origin} />
              ))}
            </datalist>
          </div>
          {locked && <PassphraseField value={pass} onChange={setPass} />}
          {error && (
            <p className="cs-error" role="alert">
              {error}
            </p>
          )}
          <Progress value={busy} label="Unlocking…" />
          <div className="cs-row">
            <button type="submit" className="primary" disabled={busy !== null || !origin.trim() || (locked && !pass)}>
              Create enrollment
            </button>
            <button type="button" onClick={onDone}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <>
          <div className="cs-row">
            <button type="button" className="primary" onClick={() => downloadText(fileName, text)}>
              Download enrollment
            </button>
            <button type="button" onClick={onDone}>
              Done
            </button>
          </div>
          <QrPanel text={text} what="enrollment file" />
          <details>
            <summary>File text</summary>
            <pre className="cs-pre">{text}</pre>
          </details>
        </>
      )}
    </div>
  );
}

export function RemovePanel({ w, r, onDone }: { w: WalletApi; r: IdentityRecord; onDone: () => void }) {
  const [typed, setTyped] = useState('');
  const ids = useId();
  return (
    <div className="cs-form">
      <h2 id="cs-id-h">Remove {r.name} from this device?</h2>
      <IdentityBadge keyId={r.keyId} name={r.name} principal={r.principal} />
      {!r.backupVerifiedAt && (
        <Notice tone="fail" title="This identity has no checked backup" role="alert">
          <p>Removing it destroys the key for good.</p>
        </Notice>
      )}
      <p>The signing history stays. To confirm, type the principal id {r.principal}.</p>
      <div className="cs-field">
        <label htmlFor={ids}>Principal id to confirm</label>
        <input id={ids} type="text" value={typed} onChange={(e) => setTyped(e.currentTarget.value)} className="mono" />
      </div>
      <div className="cs-row">
        <button
          type="button"
          className="danger"
          disabled={typed !== r.principal}
          onClick={async () => {
            await signer().lock(r.keyId);
            await deleteIdentity(r.keyId);
            await w.reload();
            onDone();
          }}
        >
          Remove identity
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </div>
  );
}
