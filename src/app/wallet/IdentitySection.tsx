// Identities: create (with a required backup download and a restore check), import from a
// backup, unlock and lock, choose which one signs, export an enrollment for governance.
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { fingerprintOf } from '../../core/crypto/ed25519.ts';
import { PASSPHRASE_MIN_LENGTH, PRINCIPAL_ID_PATTERN } from '../../core/encoding/constants.ts';
import { buildEnrollment, enrollmentFileText } from '../../core/wallet/statements.ts';
import { deleteIdentity, putIdentity, updateIdentity, type IdentityRecord } from './db.ts';
import { abortPort, call, Comlink, signer } from './signer.ts';
import { IDLE_CHOICES, type WalletApi } from './state.ts';
import { clock, downloadText, FileField, IdentityBadge, LockIcon, Notice, QrPanel, readSmallFile, when } from './ui.tsx';

const PRINCIPAL = PRINCIPAL_ID_PATTERN;
const MIN_PASSPHRASE = PASSPHRASE_MIN_LENGTH;

type Mode =
  | { kind: 'list' }
  | { kind: 'create' }
  | { kind: 'import'; file: File }
  | { kind: 'backup'; keyId: string }
  | { kind: 'unlock'; keyId: string }
  | { kind: 'enroll'; keyId: string }
  | { kind: 'remove'; keyId: string };

function backupName(r: IdentityRecord): string {
  return `countersign-${r.principal}-${r.keyId.slice(0, 8)}.key`;
}

function Progress({ value, label }: { value: number | null; label: string }) {
  if (value === null) return null;
  return (
    <p className="cs-progress" role="status">
      {label} <progress max={1} value={value} /> {Math.round(value * 100)}%
    </p>
  );
}

function PassphraseField({ value, onChange, autoFocus, label = 'Passphrase', autoComplete = 'current-password' }: { value: string; onChange: (v: string) => void; autoFocus?: boolean; label?: string; autoComplete?: string }) {
  const id = useId();
  return (
    <div className="cs-field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="password" value={value} autoComplete={autoComplete} autoFocus={autoFocus} onChange={(e) => onChange(e.currentTarget.value)} />
    </div>
  );
}

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
      body = rec(mode.keyId) ? <BackupWizard w={w} r={rec(mode.keyId)!} onDone={back} onEnroll={() => setMode({ kind: 'enroll', keyId: mode.keyId })} /> : <></>;
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
          <IdentityList w={w} setMode={(m) => { setFlash(null); setMode(m); }} />
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
      <span aria-hidden="true">! </span>Storage is not persistent: the browser may clear this wallet when space runs low. Your backup file is what
      restores it.{' '}
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
        Each identity is an Ed25519 key that never leaves this device. It is stored only encrypted with your passphrase; it is decrypted inside a
        separate worker while unlocked, and locked again after {IDLE_CHOICES.find((c) => c.ms === w.idleMs)?.label ?? clock(w.idleMs)} without use.
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
                  {r.source === 'created' ? 'created here' : 'restored from a backup'} {when(r.createdAt)}
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
        <FileField label="Import identity" accept=".key,.json,application/json" onFile={(file) => setMode({ kind: 'import', file })} hint="A key/v1 backup file (.key)." />
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

function CreateForm({ w, onCancel, onCreated }: { w: WalletApi; onCancel: () => void; onCreated: (keyId: string) => void }) {
  const [name, setName] = useState('');
  const [principal, setPrincipal] = useState('');
  const [pass, setPass] = useState('');
  const [pass2, setPass2] = useState('');
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ids = useId();
  const problems: string[] = [];
  if (name.trim().length === 0) problems.push('Enter your name as colleagues know it.');
  if (!PRINCIPAL.test(principal)) problems.push('The principal id uses lower-case letters, digits and . _ @ - (up to 64), as in the roster.');
  if (pass.length < MIN_PASSPHRASE) problems.push(`The passphrase needs at least ${MIN_PASSPHRASE} characters; a few unrelated words are best.`);
  else if (pass !== pass2) problems.push('The two passphrases differ.');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (problems.length) {
      setError(problems.join(' '));
      return;
    }
    setError(null);
    setBusy(0);
    const r = await call((s) =>
      s.createIdentity(
        { principal, name: name.trim(), passphrase: pass, ...(w.testMode?.scryptN ? { n: w.testMode.scryptN } : {}) },
        abortPort(undefined),
        Comlink.proxy((f: number) => setBusy(f)),
      ),
    );
    setBusy(null);
    if (!r.ok) {
      setError(r.message);
      return;
    }
    const v = r.value;
    await putIdentity({
      keyId: v.keyId,
      principal,
      name: name.trim(),
      pub: v.pub,
      keyFile: v.keyFile,
      createdAt: v.keyFile.created_at,
      source: 'created',
      backupDownloadedAt: null,
      backupVerifiedAt: null,
      enrollmentExportedAt: null,
    });
    if (!w.selected) await w.select(v.keyId);
    // Ask once, at the moment there is something worth keeping.
    await w.requestPersistence();
    await w.reload();
    onCreated(v.keyId);
  };

  return (
    <form onSubmit={submit} noValidate className="cs-form">
      <h2 id="cs-id-h">Create an identity</h2>
      <p className="muted">Step 1 of 3. The key is made on this device; only an encrypted copy is stored.</p>
      <div className="cs-field">
        <label htmlFor={`${ids}-n`}>Display name</label>
        <input id={`${ids}-n`} type="text" value={name} onChange={(e) => setName(e.currentTarget.value)} autoComplete="name" autoFocus />
      </div>
      <div className="cs-field">
        <label htmlFor={`${ids}-p`}>Principal id</label>
        <input
          id={`${ids}-p`}
          type="text"
          value={principal}
          onChange={(e) => setPrincipal(e.currentTarget.value)}
          autoCapitalize="none"
          spellCheck={false}
          aria-describedby={`${ids}-ph`}
          className="mono"
        />
        <span id={`${ids}-ph`} className="cs-hint">
          Your id in the roster, e.g. <span className="mono">alice</span> or <span className="mono">a.moreau@acme</span>.
        </span>
      </div>
      <PassphraseField value={pass} onChange={setPass} autoComplete="new-password" />
      <PassphraseField value={pass2} onChange={setPass2} label="Repeat passphrase" autoComplete="new-password" />
      <p className="cs-hint">
        At least {MIN_PASSPHRASE} characters. Nobody can recover a forgotten passphrase: the backup file is useless without it.
        {w.testMode?.scryptN ? ` Test mode: scrypt n = ${w.testMode.scryptN}.` : ''}
      </p>
      {error && (
        <p className="cs-error" role="alert">
          {error}
        </p>
      )}
      <Progress value={busy} label="Making and encrypting the key…" />
      <div className="cs-row">
        <button type="submit" className="primary" disabled={busy !== null}>
          Create identity
        </button>
        <button type="button" onClick={onCancel} disabled={busy !== null}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ImportForm({ w, file, onDone }: { w: WalletApi; file: File; onDone: () => void }) {
  const [pass, setPass] = useState('');
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const text = await readKeyFile(file, setError);
    if (text === null) return;
    setBusy(0);
    const r = await call((s) => s.importIdentity({ text, passphrase: pass }, abortPort(undefined), Comlink.proxy((f: number) => setBusy(f))));
    setBusy(null);
    if (!r.ok) {
      setError(r.message);
      return;
    }
    const v = r.value;
    const existing = w.identities.find((i) => i.keyId === v.keyId);
    const now = new Date().toISOString();
    await putIdentity({
      keyId: v.keyId,
      principal: v.principal,
      name: v.name,
      pub: v.pub,
      keyFile: v.keyFile,
      createdAt: existing?.createdAt ?? v.keyFile.created_at,
      source: existing?.source ?? 'imported',
      // Opening the backup with its passphrase is the restore check.
      backupDownloadedAt: existing?.backupDownloadedAt ?? now,
      backupVerifiedAt: now,
      enrollmentExportedAt: existing?.enrollmentExportedAt ?? null,
    });
    if (!w.selected) await w.select(v.keyId);
    await w.requestPersistence();
    await w.reload();
    onDone();
  };
  return (
    <form onSubmit={submit} className="cs-form">
      <h2 id="cs-id-h">Restore an identity</h2>
      <p>
        Backup file: <span className="mono">{file.name}</span>
      </p>
      <PassphraseField value={pass} onChange={setPass} autoFocus />
      {error && (
        <p className="cs-error" role="alert">
          {error}
        </p>
      )}
      <Progress value={busy} label="Opening the backup…" />
      <div className="cs-row">
        <button type="submit" className="primary" disabled={busy !== null || pass.length === 0}>
          Restore identity
        </button>
        <button type="button" onClick={onDone} disabled={busy !== null}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function BackupWizard({ w, r, onDone, onEnroll }: { w: WalletApi; r: IdentityRecord; onDone: () => void; onEnroll: () => void }) {
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
    const res = await call((s) => s.checkBackup({ text, passphrase: pass, expectedPub: r.pub }, abortPort(undefined), Comlink.proxy((f: number) => setBusy(f))));
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
          { label: 'Download the encrypted backup', done: !!r.backupDownloadedAt, current: step === 2 },
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
          The file holds your key encrypted with your passphrase (scrypt, AES-256-GCM). Keep it somewhere other than this device: a password
          manager, an encrypted drive. It is the only way to restore this identity.
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

function UnlockForm({ w, r, onDone }: { w: WalletApi; r: IdentityRecord; onDone: (ms?: number) => void }) {
  const [pass, setPass] = useState('');
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(0);
    const res = await call((s) => s.unlock({ keyFile: r.keyFile, passphrase: pass }, abortPort(undefined), Comlink.proxy((f: number) => setBusy(f))));
    setBusy(null);
    if (!res.ok) {
      setError(res.message);
      return;
    }
    await w.refreshSessions();
    onDone(res.value.ms);
  };
  return (
    <form onSubmit={submit} className="cs-form">
      <h2 id="cs-id-h">Unlock {r.name}</h2>
      <IdentityBadge keyId={r.keyId} name={r.name} principal={r.principal} />
      <PassphraseField value={pass} onChange={setPass} autoFocus />
      {error && (
        <p className="cs-error" role="alert">
          {error}
        </p>
      )}
      <Progress value={busy} label="Decrypting…" />
      <div className="cs-row">
        <button type="submit" className="primary" disabled={busy !== null || !pass}>
          Unlock
        </button>
        <button type="button" onClick={() => onDone()}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function EnrollPanel({ w, r, onDone }: { w: WalletApi; r: IdentityRecord; onDone: () => void }) {
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
      s.sign({ keyId: r.keyId, statement, ...(locked ? { unlock: { keyFile: r.keyFile, passphrase: pass } } : {}) }, abortPort(undefined), Comlink.proxy((f: number) => setBusy(f))),
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
        Governance adds your key to the roster from this file. It is signed by the key itself (proof that you hold it) and contains only public
        information. Read your fingerprint to them when they ask: <span className="mono">{fingerprintOf(r.keyId)}</span>.
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

function RemovePanel({ w, r, onDone }: { w: WalletApi; r: IdentityRecord; onDone: () => void }) {
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

/** A key/v1 backup file's text (they are small), or null with the reason shown. */
async function readKeyFile(file: File, setError: (message: string) => void): Promise<string | null> {
  try {
    return await readSmallFile(file, 64 << 10);
  } catch (err) {
    setError((err as Error).message);
    return null;
  }
}
