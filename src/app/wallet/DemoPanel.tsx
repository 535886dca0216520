// "Try the demo" in the wallet: the newcomer's first five minutes. The demo (served by `npm start`
// only, never part of a deployed build) has a request parked for one more approval; this panel
// trusts the demo's log, restores the demo approver's key with the passphrase it shows, opens the
// request, and says what to do at each step until the approval is back at the gate.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { checkLogProfileText, profileReplaces } from '../../core/wallet/profile.ts';
import { putProfile } from './db.ts';
import { PassphraseField, restoreIdentity } from './IdentityForms.tsx';
import type { SignStage } from './SignSection.tsx';
import type { WalletApi } from './state.ts';
import { Notice } from './ui.tsx';
import { parseJsonText } from '../../core/encoding/json.ts';

/** Whether a stored key file is the one in `text` (read strictly, as every JSON here). */
function sameJson(value: unknown, text: string): boolean {
  const p = parseJsonText(text);
  return p.ok && JSON.stringify(value) === JSON.stringify(p.value);
}

type Step = 'offer' | 'passphrase' | 'review' | 'dismissed';

interface DemoFiles {
  profile: string;
  request: string;
  key: string;
  passphrase: string;
  approver: { name: string; principal: string };
}

/** The demo's files, or null when this server has no demo (a deployed build never has one). */
async function fetchDemo(): Promise<DemoFiles | null> {
  const get = async (name: string) => {
    const r = await fetch(`./demo/${name}`, { cache: 'no-cache' });
    if (!r.ok) throw new Error(`${name}: HTTP ${r.status}`);
    return r.text();
  };
  try {
    const [profile, request, key, passphrase] = await Promise.all([
      get('log-profile.json'),
      get('request.json'),
      get('approver.key'),
      get('approver.passphrase'),
    ]);
    // Served by our own dev server, but still parsed defensively: only two display fields are read.
    const parsed = parseJsonText(key);
    const k = (parsed.ok && parsed.value !== null && typeof parsed.value === 'object' ? parsed.value : {}) as { name?: unknown; principal?: unknown };
    return {
      profile,
      request,
      key,
      passphrase: passphrase.trim(),
      approver: { name: typeof k.name === 'string' ? k.name : 'the demo approver', principal: typeof k.principal === 'string' ? k.principal : '?' },
    };
  } catch {
    return null;
  }
}

export function DemoPanel({ w, stage, openRequest }: { w: WalletApi; stage: SignStage; openRequest: (text: string) => void }) {
  const id = useId();
  const [available, setAvailable] = useState(false);
  const [step, setStep] = useState<Step>(() => (sessionStorage.getItem('cs-demo-dismissed') ? 'dismissed' : 'offer'));
  const [files, setFiles] = useState<DemoFiles | null>(null);
  const [pass, setPass] = useState('');
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    fetch('./demo/trust.txt', { cache: 'no-cache' })
      .then((r) => live && setAvailable(r.ok))
      .catch(() => live && setAvailable(false));
    return () => {
      live = false;
    };
  }, []);

  if (!available || step === 'dismissed') return null;

  const dismiss = () => {
    sessionStorage.setItem('cs-demo-dismissed', '1');
    setStep('dismissed');
  };

  const start = async () => {
    setError(null);
    const f = await fetchDemo();
    if (!f) {
      setError('The demo files could not be loaded. Run npm start again to write them.');
      return;
    }
    // Trust the demo's log, as importing its profile under Trusted logs would (same checks).
    const checked = checkLogProfileText(f.profile);
    if (!checked.ok) {
      setError(`The demo's log profile was refused: ${checked.message}`);
      return;
    }
    const current = w.trusted.find((t) => t.origin === checked.profile.origin);
    if (!current || profileReplaces(current, checked.profile).ok)
      await putProfile({ origin: checked.profile.origin, text: f.profile, genesisDigest: checked.profile.genesisDigest, importedAt: new Date().toISOString() });
    await w.reload();
    setFiles(f);
    // The demo key may already be here (a second run): then go straight to the request.
    const have = w.identities.find((i) => i.principal === f.approver.principal && i.keyFile && sameJson(i.keyFile, f.key));
    if (have) {
      await w.select(have.keyId);
      openRequest(f.request);
      setStep('review');
    } else setStep('passphrase');
  };

  const restore = async (e: FormEvent) => {
    e.preventDefault();
    if (!files) return;
    setError(null);
    setBusy(0);
    const r = await restoreIdentity(w, files.key, pass, (x) => setBusy(x));
    setBusy(null);
    if (!r.ok) {
      setError(r.message);
      return;
    }
    setPass('');
    openRequest(files.request);
    setStep('review');
  };

  return (
    <section className="cs-demo panel" aria-labelledby={`${id}-h`} data-testid="wallet-demo">
      <h2 id={`${id}-h`}>{step === 'offer' ? 'New here? Try the demo' : 'The demo, step by step'}</h2>
      {step === 'offer' && (
        <>
          <p>
            The demo gate has parked a request that needs one more approval. Try the wallet as its approver: the wallet trusts the demo’s log, restores the
            approver’s key, and opens the request for you to review and sign.
          </p>
          <div className="cs-row">
            <button type="button" className="primary" onClick={() => void start()}>
              Try the demo
            </button>
            <button type="button" onClick={dismiss}>
              Not now
            </button>
          </div>
        </>
      )}
      {step !== 'offer' && files && (
        <ol className="cs-demo-steps">
          <li className="done">The demo’s log is trusted (its profile is under Trusted logs).</li>
          <li className={step === 'passphrase' ? 'now' : 'done'}>
            Restore the key of {files.approver.name} ({files.approver.principal}), the approver.
            {step === 'passphrase' && (
              <form onSubmit={restore} className="cs-form">
                <p>
                  Her key is kept encrypted with a passphrase. The demo publishes it so you can try this; in real use only the approver knows it. Type it below:{' '}
                  <span className="mono cs-demo-pass" data-testid="demo-passphrase">
                    {files.passphrase}
                  </span>
                </p>
                <PassphraseField value={pass} onChange={setPass} autoFocus label="Passphrase" />
                {busy !== null && (
                  <p className="cs-progress" role="status">
                    Opening the key… <progress max={1} value={busy} />
                  </p>
                )}
                <div className="cs-row">
                  <button type="submit" className="primary" disabled={busy !== null || !pass}>
                    Restore the demo key
                  </button>
                </div>
              </form>
            )}
          </li>
          <li className={step === 'review' && stage.kind !== 'signed' ? 'now' : step === 'review' ? 'done' : ''}>
            Read the request below: it is exactly what you would authorise. To approve it, press <strong>Approve</strong>
            {w.selected && w.sessions.has(w.selected.keyId) ? ' (the key is unlocked for a few minutes)' : ', type the same passphrase,'} and press{' '}
            <strong>Confirm and sign</strong>.
          </li>
          <li className={stage.kind === 'signed' && step === 'review' ? 'now' : ''}>
            Press <strong>Download approval</strong>, then hand the file to the demo gate: in a terminal, in the Countersign folder, run{' '}
            <code className="mono">npx countersign gate accept dist/demo FILE</code>, where FILE is the approval you saved (for example{' '}
            <span className="mono">~/Downloads/approval-req-4-approve.json</span>). The gate checks your signature and runs the request.
          </li>
          <li>
            Then open <a href="#/verify">Verify evidence</a> and press <strong>Try the demo bundle</strong> and <strong>Use the demo’s anchor</strong>: the
            verdict is now PASS.
          </li>
        </ol>
      )}
      {error && <Notice tone="fail" title={error} role="alert" />}
      {step !== 'offer' && (
        <button type="button" className="linklike small" onClick={dismiss}>
          Hide these steps
        </button>
      )}
    </section>
  );
}
