// Identity forms: create a key (with its backup), restore one from a backup file, unlock it.
import { useId, useState, type FormEvent } from 'react';
import { PASSPHRASE_MIN_LENGTH, PRINCIPAL_ID_PATTERN } from '../../core/encoding/constants.ts';
import { putIdentity, type IdentityRecord } from './db.ts';
import { abortPort, call, Comlink } from './signer.ts';
import { type WalletApi } from './state.ts';
import { IdentityBadge, readSmallFile } from './ui.tsx';

export const PRINCIPAL = PRINCIPAL_ID_PATTERN;
export const MIN_PASSPHRASE = PASSPHRASE_MIN_LENGTH;

export function backupName(r: IdentityRecord): string {
  return `countersign-${r.principal}-${r.keyId.slice(0, 8)}.key`;
}

/** A key/v1 backup file's text (they are small), or null with the reason shown. */
export async function readKeyFile(file: File, setError: (message: string) => void): Promise<string | null> {
  try {
    return await readSmallFile(file, 64 << 10);
  } catch (err) {
    setError((err as Error).message);
    return null;
  }
}

export function Progress({ value, label }: { value: number | null; label: string }) {
  if (value === null) return null;
  return (
    <p className="cs-progress" role="status">
      {label} <progress max={1} value={value} /> {Math.round(value * 100)}%
    </p>
  );
}

export function PassphraseField({
  value,
  onChange,
  autoFocus,
  label = 'Passphrase',
  autoComplete = 'current-password',
}: {
  value: string;
  onChange: (v: string) => void;
  autoFocus?: boolean;
  label?: string;
  autoComplete?: string;
}) {
  const id = useId();
  return (
    <div className="cs-field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="password" value={value} autoComplete={autoComplete} autoFocus={autoFocus} onChange={(e) => onChange(e.currentTarget.value)} />
    </div>
  );
}

export function CreateForm({ w, onCancel, onCreated }: { w: WalletApi; onCancel: () => void; onCreated: (keyId: string) => void }) {
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

/**
 * Opens a key/v1 backup with its passphrase (in the signer worker) and keeps it. The restored
 * identity becomes the one that signs: the user just chose it. Opening the backup is the restore check.
 */
export async function restoreIdentity(
  w: WalletApi,
  text: string,
  passphrase: string,
  onProgress: (fraction: number) => void,
): Promise<{ ok: true; keyId: string } | { ok: false; message: string }> {
  const r = await call((s) => s.importIdentity({ text, passphrase }, abortPort(undefined), Comlink.proxy(onProgress)));
  if (!r.ok) return { ok: false, message: r.message };
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
    restoredAt: now,
    backupDownloadedAt: existing?.backupDownloadedAt ?? now,
    backupVerifiedAt: now,
    enrollmentExportedAt: existing?.enrollmentExportedAt ?? null,
  });
  await w.select(v.keyId);
  await w.requestPersistence();
  await w.reload();
  return { ok: true, keyId: v.keyId };
}

export function ImportForm({ w, file, onDone }: { w: WalletApi; file: File; onDone: () => void }) {
  const [pass, setPass] = useState('');
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const text = await readKeyFile(file, setError);
    if (text === null) return;
    setBusy(0);
    const r = await restoreIdentity(w, text, pass, (f) => setBusy(f));
    setBusy(null);
    if (!r.ok) {
      setError(r.message);
      return;
    }
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

export function UnlockForm({ w, r, onDone }: { w: WalletApi; r: IdentityRecord; onDone: (ms?: number) => void }) {
  const [pass, setPass] = useState('');
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(0);
    const res = await call((s) =>
      s.unlock(
        { keyFile: r.keyFile, passphrase: pass },
        abortPort(undefined),
        Comlink.proxy((f: number) => setBusy(f)),
      ),
    );
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
