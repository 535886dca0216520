// Trusted logs: a log-profile/v1 file tells the wallet which gate, roster and policy to judge
// requests by. It is verified (genesis quorum, updates, gate-signed checkpoint) before it is
// kept, re-verified on every load, and a profile with another genesis for a known log is refused.
import { useEffect, useId, useState } from 'react';
import { fingerprintOf } from '../../core/crypto/ed25519.ts';
import { checkLogProfileText, profileReplaces } from '../../core/wallet/profile.ts';
import { readExchangeText } from '../../core/wallet/statements.ts';
import { deleteProfile, putProfile } from './db.ts';
import { CameraScanner, decodeQrImage } from './Scanner.tsx';
import type { WalletApi } from './state.ts';
import { downloadText, FileField, Notice, readSmallFile, SafeText, when } from './ui.tsx';
import { updateProfileByConsistency } from '../../core/wallet/witness-update.ts';
import { formatForkEvidence } from '../../core/log/fork-evidence.ts';
import { parseCheckpoint } from '../../core/log/checkpoint.ts';
import type { RememberedCheckpoint } from '../../core/log/remembered.ts';
import type { PublicKey } from '../../core/encoding/bytes.ts';
import { CosignBox } from '../verify/WitnessPanel.tsx';
import { parseJsonText } from '../../core/encoding/json.ts';

interface WalletFork {
  origin: string;
  code: 'PROOF.consistency' | 'WITNESS.fork';
  message: string;
  remembered: string;
  conflicting: { remembered: RememberedCheckpoint; conflicting: string; conflictingKey: PublicKey } | null;
  text: string;
}

/** The `new` note of a consistency/v1 file (attacker-controlled: read strictly, '' if absent). */
function newNoteOf(text: string): string {
  const p = parseJsonText(text);
  const v = p.ok && p.value !== null && typeof p.value === 'object' && !Array.isArray(p.value) ? (p.value as { new?: unknown }).new : undefined;
  return typeof v === 'string' ? v : '';
}

/**
 * The fork screen of the wallet (docs/format.md §7.3): a proof that fails, or a gate-signed
 * checkpoint of the remembered size with another root. The log is not moved; there is no
 * way to "update anyway".
 */
function WalletForkScreen({ fork, onClose }: { fork: WalletFork; onClose: () => void }) {
  const isFork = fork.code === 'WITNESS.fork' && fork.conflicting;
  const other = isFork ? fork.conflicting!.conflicting : newNoteOf(fork.text);
  const size = (n: string) => n.split('\n')[1] ?? '?';
  const exportEvidence = () => {
    const c = fork.conflicting!;
    const b = parseCheckpoint(c.conflicting);
    if (!b.ok) return;
    downloadText(
      `${fork.origin.replace(/[^a-z0-9._-]+/gi, '-')}.fork-evidence.json`,
      formatForkEvidence({
        log: fork.origin,
        a: c.remembered.note,
        aKey: c.remembered.key,
        b: c.conflicting,
        bKey: c.conflictingKey,
        bRootAtA: b.checkpoint.root,
        proof: [],
      }),
    );
  };
  return (
    <section className="cs-fork" role="alert" data-testid="wallet-fork" aria-labelledby="cs-fork-h">
      <h3 id="cs-fork-h">{isFork ? '✕ This gate signed two different histories' : '✕ The gate’s proof does not verify: this log was not moved'}</h3>
      <p>
        {isFork
          ? `The gate signed a checkpoint of ${fork.origin} of size ${size(fork.remembered)} with another root than the one this wallet trusts. One of the two histories was shown to someone else. Keep both checkpoints.`
          : `${fork.message.charAt(0).toUpperCase()}${fork.message.slice(1)}. The wallet keeps trusting the checkpoint it had; a gate that cannot prove it only appended may have rewritten its log.`}
      </p>
      <div className="cs-fork-notes">
        <div>
          <h4>Trusted checkpoint (size {size(fork.remembered)})</h4>
          <pre className="mono">{fork.remembered}</pre>
        </div>
        <div>
          <h4>
            {isFork ? 'The other signed checkpoint' : 'What the gate claims now'} (size {size(other)})
          </h4>
          <pre className="mono">{other}</pre>
        </div>
      </div>
      <div className="cs-actions">
        {isFork && (
          <button type="button" onClick={exportEvidence} data-testid="wallet-export-fork">
            Export the fork evidence
          </button>
        )}
        <button type="button" className="quiet" onClick={onClose}>
          Close
        </button>
      </div>
    </section>
  );
}

type Outcome = { tone: 'pass' | 'fail'; title: string; lines: string[] } | null;

const groups = (hex: string) => hex.slice(0, 32).match(/.{4}/g)!.join(' ');

export function TrustSection({ w, incoming, consumed }: { w: WalletApi; incoming: { text: string; nonce: number } | null; consumed: () => void }) {
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [scanning, setScanning] = useState(false);
  const [paste, setPaste] = useState('');
  const [confirmRemove, setConfirmRemove] = useState<string | null>(null);
  const [moved, setMoved] = useState<{ origin: string; from: number; to: number; note: string } | null>(null);
  const [fork, setFork] = useState<WalletFork | null>(null);
  const ids = useId();

  const importText = async (text: string) => {
    setScanning(false);
    if (/"countersign"\s*:\s*"consistency\/v1"/.test(text)) return importConsistency(text);
    const kind = readExchangeText(text);
    if (kind.ok && kind.kind !== 'log-profile/v1') {
      setOutcome({ tone: 'fail', title: `This is a ${kind.kind} file, not a log profile.`, lines: [] });
      return;
    }
    const r = checkLogProfileText(text.replace(/^\uFEFF/, ''));
    if (!r.ok) {
      setOutcome({ tone: 'fail', title: `Not trusted: ${r.message}`, lines: r.details.slice(0, 8) });
      return;
    }
    const p = r.profile;
    const current = w.trusted.find((t) => t.origin === p.origin);
    if (current) {
      const ok = profileReplaces(current, p);
      if (!ok.ok) {
        setOutcome({ tone: 'fail', title: `Not imported: ${ok.message}.`, lines: [] });
        return;
      }
    }
    await putProfile({ origin: p.origin, text, genesisDigest: p.genesisDigest, importedAt: new Date().toISOString() });
    await w.reload();
    setPaste('');
    setOutcome({
      tone: 'pass',
      title: `${current ? 'Updated' : 'Trusted'}: ${p.origin}`,
      lines: [
        `Compare the genesis fingerprint ${groups(p.genesisDigest)} with the one your governance team published.`,
        `Its approval gate (service “${p.gateId}”) signed a checkpoint of ${p.checkpoint.size} entries; the wallet judges requests by roster version ${p.roster.version} and policy version ${p.policyVersion}.`,
      ],
    });
  };

  // docs/format.md §7.3: a consistency/v1 file moves a trusted log forward, only by proof.
  const importConsistency = async (text: string) => {
    setFork(null);
    setMoved(null);
    const log = /"log"\s*:\s*"([^"]*)"/.exec(text)?.[1] ?? '';
    const entry = w.profiles.find((p) => p.record.origin === log && p.check.ok);
    if (!entry || !entry.check.ok) {
      setOutcome({ tone: 'fail', title: `Not applied: “${log}” is not a trusted log here. Import its log profile first.`, lines: [] });
      return;
    }
    const r = updateProfileByConsistency(entry.record.text, entry.check.profile, text.replace(/^\uFEFF/, ''));
    if (r.ok) {
      await putProfile({ origin: log, text: r.profileText, genesisDigest: r.profile.genesisDigest, importedAt: new Date().toISOString() });
      await w.reload();
      setOutcome(null);
      setMoved({ origin: log, from: r.from.size, to: r.next.size, note: r.next.note });
      return;
    }
    if (r.code === 'PROOF.consistency' || r.code === 'WITNESS.fork') {
      setOutcome(null);
      setFork({ origin: log, code: r.code, message: r.message, remembered: r.remembered, conflicting: r.fork ?? null, text });
      return;
    }
    setOutcome({ tone: 'fail', title: `Not applied: ${r.message}.`, lines: [`${r.code}`] });
  };

  useEffect(() => {
    if (!incoming) return;
    consumed();
    void importText(incoming.text);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs once per hand-over (incoming), not when the callbacks change
  }, [incoming]);

  const fromFile = async (f: File) => {
    try {
      await importText(await readSmallFile(f));
    } catch (e) {
      setOutcome({ tone: 'fail', title: (e as Error).message, lines: [] });
    }
  };
  const fromImage = async (f: File) => {
    const r = await decodeQrImage(f);
    if (r.ok) await importText(r.text);
    else setOutcome({ tone: 'fail', title: r.message, lines: [] });
  };

  return (
    <section aria-labelledby="cs-trust-h">
      <h2 id="cs-trust-h">Trusted logs</h2>
      <p className="muted">
        A log profile tells this wallet which gate, roster and policy a log has. The wallet checks that its genesis carries the governance quorum, that every
        roster and policy update is signed by that quorum, and that the checkpoint is signed by the gate. A request whose decision is not signed by a gate you
        trust is stopped.
      </p>
      <div className="cs-import-grid">
        <FileField label="Import log profile" accept=".json,application/json" onFile={(f) => void fromFile(f)} hint="log-profile/v1 (.json)" />
        <FileField label="Log profile QR picture" accept="image/*" onFile={(f) => void fromImage(f)} />
        <FileField
          label="Import consistency proof"
          accept=".json,application/json"
          onFile={(f) => void fromFile(f)}
          hint="consistency/v1 from the gate: moves a trusted log forward"
        />
        <div className="cs-field">
          <span className="cs-label-like">Camera</span>
          <button type="button" aria-pressed={scanning} onClick={() => setScanning((s) => !s)}>
            Scan log profile QR
          </button>
        </div>
      </div>
      {scanning && <CameraScanner what="log profile" onResult={(t) => void importText(t)} onCancel={() => setScanning(false)} />}
      <details className="cs-paste">
        <summary>Paste a log profile</summary>
        <label htmlFor={`${ids}-p`}>Log profile text</label>
        <textarea id={`${ids}-p`} rows={5} value={paste} onChange={(e) => setPaste(e.currentTarget.value)} spellCheck={false} className="mono" />
        <button type="button" disabled={!paste.trim()} onClick={() => void importText(paste)}>
          Check and trust
        </button>
      </details>
      {fork && <WalletForkScreen fork={fork} onClose={() => setFork(null)} />}
      {moved && (
        <div data-testid="log-moved">
          <Notice tone="pass" title={`Moved forward: ${moved.origin}`} role="status">
            <p>
              The gate proved that the log grew append-only from the {moved.from} entries you trusted to {moved.to} (RFC 6962 consistency proof). The profile
              now holds the new checkpoint.
            </p>
          </Notice>
          <CosignBox note={moved.note} log={moved.origin} />
        </div>
      )}
      {outcome && (
        <Notice tone={outcome.tone} title={outcome.title} role={outcome.tone === 'fail' ? 'alert' : 'status'}>
          {outcome.lines.length > 0 && (
            <ul>
              {outcome.lines.map((l, i) => (
                <li key={i}>{l}</li>
              ))}
            </ul>
          )}
        </Notice>
      )}
      {w.profiles.length === 0 ? (
        <p className="muted">No trusted log yet.</p>
      ) : (
        <ul className="cs-cards">
          {w.profiles.map(({ record, check }) => (
            <li key={record.origin} className="cs-card">
              {check.ok ? (
                <>
                  <h3 className="cs-card-title">
                    <span aria-hidden="true">✓ </span>
                    <SafeText text={check.profile.origin} />
                  </h3>
                  <dl className="cs-facts">
                    <dt>Genesis fingerprint</dt>
                    <dd className="mono">{groups(check.profile.genesisDigest)}</dd>
                    <dt>Approval gate service</dt>
                    <dd>
                      {check.profile.gateId}{' '}
                      {check.profile.gateKeyIds.map((k) => (
                        <span key={k} className="mono cs-fp">
                          {fingerprintOf(k)}
                        </span>
                      ))}
                    </dd>
                    <dt>Roster</dt>
                    <dd>
                      version {check.profile.roster.version}, {check.profile.roster.principals.size} principals
                    </dd>
                    <dt>Policy</dt>
                    <dd>
                      version {check.profile.policyVersion}, {check.profile.policies.get(check.profile.policyVersion)?.skills.length ?? 0} skills
                    </dd>
                    <dt>Checkpoint</dt>
                    <dd>{check.profile.checkpoint.size} entries, signed by the gate</dd>
                    {w.selected && (
                      <>
                        <dt>You here</dt>
                        <dd>
                          {check.profile.roster.keys.get(w.selected.keyId)?.principal === w.selected.principal
                            ? `${w.selected.principal}: ${check.profile.roster.rolesOf(w.selected.principal).join(', ') || 'no roles'}`
                            : `${w.selected.principal}'s key is not in this roster yet: send your enrollment to governance`}
                        </dd>
                      </>
                    )}
                    <dt>Imported</dt>
                    <dd>{when(record.importedAt)}</dd>
                  </dl>
                </>
              ) : (
                <Notice tone="fail" title={`${record.origin}: no longer verifies (${check.message})`} role="alert" />
              )}
              <div className="cs-actions">
                {confirmRemove === record.origin ? (
                  <>
                    <span>Stop trusting this log?</span>
                    <button
                      type="button"
                      className="danger"
                      onClick={async () => {
                        await deleteProfile(record.origin);
                        setConfirmRemove(null);
                        await w.reload();
                      }}
                    >
                      Remove
                    </button>
                    <button type="button" onClick={() => setConfirmRemove(null)}>
                      Keep
                    </button>
                  </>
                ) : (
                  <button type="button" className="quiet" onClick={() => setConfirmRemove(record.origin)}>
                    Remove…
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
