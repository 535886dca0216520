// Witnessing in the page (docs/format.md §7.2): the cosignatures on the last checkpoint, and
// "Cosign this checkpoint as a witness" after a verdict without errors. The witness key is
// held like the wallet's keys: only its encrypted key/v1 file is stored (IndexedDB); the
// signer worker decrypts it and signs, and the page gets the cosignature/v1 file back.
import { useEffect, useId, useState } from 'react';
import type { Report } from '../../core/report/report.ts';
import { decodeBase64 } from '../../core/encoding/base64.ts';
import { formatWitnessKey, witnessNameProblem } from '../../core/log/witness-key.ts';
import { PASSPHRASE_MIN_LENGTH } from '../../core/encoding/constants.ts';
import { listWitnessKeys, saveWitnessKey, type StoredWitnessKey } from '../lib/trust-store.ts';
import { abortPort, call, Comlink, testHooks } from '../wallet/signer.ts';
import { copyText, downloadText, QrPanel, readSmallFile } from '../wallet/ui.tsx';

const WORD = { valid: 'checked, valid', invalid: 'checked, INVALID', unchecked: 'not checked (unknown witness)' } as const;

export function WitnessPanel({ report }: { report: Report }) {
  const w = report.witness;
  const id = useId();
  if (!w || report.format !== 'countersign-bundle/v1') return null;
  const canCosign = report.verdict !== 'fail' && w.lastCheckpoint !== null;
  if (!w.cosignatures.length && !w.witnesses.length && !canCosign) return null;
  return (
    <section className="panel witness-panel" aria-labelledby={`${id}-h`} data-testid="witness-panel">
      <h2 id={`${id}-h`}>Witnesses</h2>
      {w.cosignatures.length ? (
        <ul className="cosig-list" aria-label="Cosignatures on the last checkpoint">
          {w.cosignatures.map((c, i) => (
            <li key={i} data-status={c.status}>
              <span className="mono">{c.name}</span> <strong className={c.status === 'invalid' ? 'fail-text' : ''}>{WORD[c.status]}</strong>
              {c.time ? <span className="muted small"> · cosigned {c.time.replace('T', ' ').replace('Z', ' UTC')}</span> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="small muted">The last checkpoint carries no cosignature.</p>
      )}
      {w.witnesses.length > 0 && (
        <p className="small muted">
          {w.quorum} of {w.witnesses.length} given witness{w.witnesses.length === 1 ? '' : 'es'} required.
        </p>
      )}
      {canCosign && <CosignBox note={w.lastCheckpoint!.note} log={report.log ?? 'log'} />}
    </section>
  );
}

/** Cosign one checkpoint note with a witness key of this browser (also used by the wallet's trusted logs). */
export function CosignBox({ note, log }: { note: string; log: string }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [keys, setKeys] = useState<StoredWitnessKey[] | null>(null);
  const [keyId, setKeyId] = useState('');
  const [name, setName] = useState('');
  const [pass, setPass] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [file, setFile] = useState<string | null>(null);
  const size = note.split('\n')[1];

  useEffect(() => {
    if (!open) return;
    listWitnessKeys().then(
      (k) => {
        setKeys(k);
        if (k.length && !keyId) setKeyId(k[k.length - 1]!.keyId);
      },
      () => setKeys([]),
    );
  }, [open, keyId]);

  const scryptN = testHooks()?.scryptN;
  const create = async () => {
    const problem = witnessNameProblem(name.trim());
    if (problem) return setError(`Witness ${problem}. Use a name like auditor.example/w1.`);
    if (pass.length < PASSPHRASE_MIN_LENGTH) return setError(`The passphrase needs at least ${PASSPHRASE_MIN_LENGTH} characters.`);
    setBusy(true);
    setError(null);
    const r = await call((s) =>
      s.createIdentity(
        { principal: 'witness', name: name.trim(), passphrase: pass, ...(scryptN ? { n: scryptN } : {}) },
        abortPort(undefined),
        Comlink.proxy(() => {}),
      ),
    );
    setBusy(false);
    if (!r.ok) return setError(r.message);
    const k: StoredWitnessKey = {
      keyId: r.value.keyId,
      vkey: formatWitnessKey(name.trim(), decodeBase64(r.value.pub)),
      keyFile: r.value.keyFile,
      addedAt: new Date().toISOString(),
    };
    await saveWitnessKey(k);
    setKeys((ks) => [...(ks ?? []), k]);
    setKeyId(k.keyId);
  };

  const importKey = async (f: File) => {
    setError(null);
    let text: string;
    try {
      text = await readSmallFile(f);
    } catch (e) {
      return setError((e as Error).message);
    }
    if (!pass) return setError('Enter the key file’s passphrase first, then choose the file.');
    setBusy(true);
    const r = await call((s) =>
      s.importIdentity(
        { text, passphrase: pass },
        abortPort(undefined),
        Comlink.proxy(() => {}),
      ),
    );
    setBusy(false);
    if (!r.ok) return setError(r.message);
    if (r.value.principal !== 'witness') {
      await call(async (s) => ({ ok: true as const, value: await s.lock(r.value.keyId) }));
      return setError('That is an approver’s key, not a witness key (countersign witness keygen makes one).');
    }
    const k: StoredWitnessKey = {
      keyId: r.value.keyId,
      vkey: formatWitnessKey(r.value.name, decodeBase64(r.value.pub)),
      keyFile: r.value.keyFile,
      addedAt: new Date().toISOString(),
    };
    await saveWitnessKey(k);
    setKeys((ks) => [...(ks ?? []).filter((x) => x.keyId !== k.keyId), k]);
    setKeyId(k.keyId);
  };

  const cosign = async () => {
    const k = keys?.find((x) => x.keyId === keyId);
    if (!k) return;
    setBusy(true);
    setError(null);
    const now = testHooks()?.now ?? Date.now();
    const r = await call((s) =>
      s.cosign(
        { keyId: k.keyId, note, timestamp: Math.floor(now / 1000), ...(pass ? { unlock: { keyFile: k.keyFile, passphrase: pass } } : {}) },
        abortPort(undefined),
        Comlink.proxy(() => {}),
      ),
    );
    setBusy(false);
    if (!r.ok) return setError(r.message);
    setPass('');
    setFile(r.value.file);
  };

  if (!open)
    return (
      <div className="pin-row">
        <button type="button" onClick={() => setOpen(true)} data-testid="cosign-open">
          Cosign this checkpoint as a witness
        </button>
        <span className="small muted">You checked it: vouch that this gate showed you this history (size {size}).</span>
      </div>
    );
  const current = keys?.find((x) => x.keyId === keyId);
  return (
    <div className="cosign-box" data-testid="cosign-box">
      <h3>Cosign the checkpoint of size {size}</h3>
      {file ? (
        <div data-testid="cosign-result">
          <p>
            <strong>Cosigned.</strong> Hand this cosignature/v1 file to the gate (<span className="mono">countersign gate cosign DIR FILE</span>).
          </p>
          <div className="pin-row">
            <button type="button" onClick={() => downloadText(`${log.replace(/[^a-z0-9._-]+/gi, '-')}.cosignature.json`, file)}>
              Download cosignature.json
            </button>
            <button type="button" onClick={() => void copyText(file)}>
              Copy text
            </button>
          </div>
          <textarea className="mono small" readOnly rows={6} value={file} aria-label="Cosignature file" data-testid="cosign-text" />
          <details className="cosign-qr">
            <summary>Show as a QR code</summary>
            <QrPanel text={file} what="cosignature" />
          </details>
        </div>
      ) : (
        <>
          {keys && keys.length > 0 && (
            <p className="small">
              <label htmlFor={`${id}-k`}>Witness key </label>
              <select id={`${id}-k`} value={keyId} onChange={(e) => setKeyId(e.target.value)}>
                {keys.map((k) => (
                  <option key={k.keyId} value={k.keyId}>
                    {k.vkey.split('+')[0]}
                  </option>
                ))}
              </select>
            </p>
          )}
          {current && (
            <p className="small muted">
              Verifiers trust it as{' '}
              <span className="mono break" data-testid="witness-vkey">
                witness:{current.vkey}
              </span>
            </p>
          )}
          {keys && keys.length === 0 && (
            <p className="small">
              <label htmlFor={`${id}-n`}>No witness key in this browser yet. Name for a new one </label>
              <input id={`${id}-n`} type="text" placeholder="auditor.example/w1" value={name} onChange={(e) => setName(e.target.value)} />
            </p>
          )}
          <p className="small">
            <label htmlFor={`${id}-p`}>Passphrase </label>
            <input id={`${id}-p`} type="password" autoComplete="off" value={pass} onChange={(e) => setPass(e.target.value)} />
          </p>
          <div className="pin-row">
            {current ? (
              <button type="button" disabled={busy} onClick={() => void cosign()} data-testid="cosign">
                {busy ? 'Working…' : 'Cosign'}
              </button>
            ) : (
              <button type="button" disabled={busy || !name.trim()} onClick={() => void create()} data-testid="witness-create">
                {busy ? 'Working…' : 'Create witness key'}
              </button>
            )}
            <label className="linklike small">
              Import a witness key file…
              <input
                type="file"
                className="visually-hidden-input"
                accept=".key,.json,application/json"
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  e.target.value = '';
                  if (f) void importKey(f);
                }}
              />
            </label>
          </div>
          {current && (
            <p className="small muted">
              The key is stored encrypted in this browser.{' '}
              <button type="button" className="linklike" onClick={() => downloadText('witness.key', JSON.stringify(current.keyFile, null, 2) + '\n')}>
                Download a backup
              </button>
            </p>
          )}
        </>
      )}
      {error && (
        <p className="small fail-text" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
