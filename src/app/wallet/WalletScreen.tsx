// The signing wallet: an approver receives a parked request from the approval gate, sees
// exactly what it would authorise, and signs or refuses it with an Ed25519 key that never
// leaves the device. Everything works with no network.
import { useEffect, useState, type DragEvent } from 'react';
import { readExchangeText } from '../../core/wallet/statements.ts';
import { onIncoming, takeIncoming } from '../lib/incoming.ts';
import { holdBusy } from '../lib/pwa.ts';
import { DemoPanel } from './DemoPanel.tsx';
import { HistorySection } from './HistorySection.tsx';
import { IdentitySection } from './IdentitySection.tsx';
import { loadUr } from './qr.ts';
import { loadJsQr } from './Scanner.tsx';
import { SignSection, type SignStage } from './SignSection.tsx';
import { TrustSection } from './TrustSection.tsx';
import { useWallet } from './state.ts';
import { signer } from './signer.ts';
import { IdentityBadge, LockIcon, Notice, readSmallFile, clock } from './ui.tsx';
import './wallet.css';

type Tab = 'sign' | 'identities' | 'trust' | 'history';
const TABS: { id: Tab; label: string; short: string }[] = [
  { id: 'sign', label: 'Sign a request', short: 'Sign' },
  { id: 'identities', label: 'Identities', short: 'Identities' },
  { id: 'trust', label: 'Trusted logs', short: 'Logs' },
  { id: 'history', label: 'History', short: 'History' },
];

export default function WalletScreen() {
  const w = useWallet();
  const [tab, setTab] = useState<Tab>('sign');
  const [incomingRequest, setIncomingRequest] = useState<{ text: string; nonce: number } | null>(null);
  const [incomingProfile, setIncomingProfile] = useState<{ text: string; nonce: number } | null>(null);
  const [incomingKey, setIncomingKey] = useState<{ file: File; nonce: number } | null>(null);
  const [dropError, setDropError] = useState<string | null>(null);
  const [signStage, setSignStage] = useState<SignStage>({ kind: 'import' });
  const [initialTabSet, setInitialTabSet] = useState(false);

  // A tab the user picks is never overridden by the first-visit default below, even when the
  // click comes before the wallet has finished loading (a slow IndexedDB open).
  const chooseTab = (t: Tab) => {
    setInitialTabSet(true);
    setTab(t);
  };

  // First visit: start where there is something to do.
  useEffect(() => {
    if (!w.loaded || initialTabSet) return;
    setInitialTabSet(true);
    if (w.identities.length === 0) setTab('identities');
    else if (w.trusted.length === 0) setTab('trust');
  }, [w.loaded, initialTabSet, w.identities.length, w.trusted.length]);

  // A request under review is never swapped out by an app update (see lib/pwa.ts).
  useEffect(() => (signStage.kind === 'checked' ? holdBusy('a request under review in the wallet') : undefined), [signStage.kind]);

  // Load the QR code libraries now, so that they are there if the network goes away.
  useEffect(() => {
    const t = setTimeout(() => {
      void loadUr().catch(() => {});
      void loadJsQr().catch(() => {});
    }, 300);
    return () => clearTimeout(t);
  }, []);

  /** Sends a file to the screen that handles its kind. */
  const route = async (file: File) => {
    setDropError(null);
    let text: string;
    try {
      text = await readSmallFile(file);
    } catch (e) {
      setDropError((e as Error).message);
      return;
    }
    const kind = readExchangeText(text);
    const nonce = Date.now();
    setInitialTabSet(true); // the file chose the tab; the first-visit default does not override it
    if (kind.ok && kind.kind === 'log-profile/v1') {
      setTab('trust');
      setIncomingProfile({ text, nonce });
    } else if (kind.ok && kind.kind === 'key/v1') {
      setTab('identities');
      setIncomingKey({ file, nonce });
    } else {
      setTab('sign');
      setIncomingRequest({ text, nonce });
    }
  };

  // "Open with" and "Share" from the operating system (manifest file_handlers, share_target).
  useEffect(() => {
    const take = () => {
      for (const f of takeIncoming('wallet')) void route(f);
    };
    take();
    return onIncoming(take);
  }, []);

  const onDrop = (e: DragEvent) => {
    if (e.defaultPrevented) return; // a drop zone inside took it
    e.preventDefault();
    const f = e.dataTransfer.files[0];
    if (f) void route(f);
  };

  const pending = w.history.filter((h) => !w.exported.has(h.seq)).length;
  const sel = w.selected;
  const remaining = sel ? w.sessions.get(sel.keyId) : undefined;

  return (
    <div className="cs-wallet" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
      <div className="cs-wallet-top">
        <h1>Signing wallet</h1>
        {sel && (
          <div className="cs-current" aria-label="Current identity">
            <IdentityBadge keyId={sel.keyId} name={sel.name} principal={sel.principal} compact />
            <span className={remaining !== undefined ? 'cs-unlocked' : 'muted'}>
              <LockIcon open={remaining !== undefined} />
              {remaining !== undefined ? `Unlocked, locks in ${clock(remaining)}` : 'Locked'}
            </span>
            {remaining !== undefined && (
              <button type="button" onClick={() => void signer().lock(sel.keyId).then(w.refreshSessions)}>
                Lock
              </button>
            )}
          </div>
        )}
      </div>
      {w.testMode && (
        <p className="cs-testmode" role="note">
          Test mode:{' '}
          {[
            w.testMode.scryptN ? `new keys use weak key derivation (scrypt n = ${w.testMode.scryptN})` : '',
            w.testMode.idleMs ? `identities lock after ${w.testMode.idleMs / 1000} s` : '',
          ]
            .filter(Boolean)
            .join('; ')}
          .
        </p>
      )}
      <nav className="cs-tabs" aria-label="Wallet">
        {TABS.map((t) => (
          <button key={t.id} type="button" aria-current={tab === t.id ? 'page' : undefined} onClick={() => chooseTab(t.id)}>
            {/* The long label is the name everywhere; on a phone it is read, not shown, and the short one is shown. */}
            <span className="cs-tab-long">{t.label}</span>
            <span className="cs-tab-short" aria-hidden="true">
              {t.short}
            </span>
            {t.id === 'history' && pending > 0 && (
              <span className="cs-count">
                {pending}
                <span className="cs-sr"> not yet sent back</span>
              </span>
            )}
            {t.id === 'identities' && w.identities.some((i) => !i.backupVerifiedAt) && (
              <span className="cs-count warn">
                !<span className="cs-sr"> a backup is not checked</span>
              </span>
            )}
          </button>
        ))}
      </nav>
      {dropError && <Notice tone="fail" title={dropError} role="alert" />}
      {w.loaded && (
        <DemoPanel
          w={w}
          stage={signStage}
          openRequest={(text) => {
            chooseTab('sign');
            setIncomingRequest({ text, nonce: Date.now() });
          }}
        />
      )}
      {!w.loaded ? (
        <p className="muted">Opening the wallet…</p>
      ) : (
        <div className="cs-body">
          {tab === 'sign' && (
            <SignSection
              w={w}
              incoming={incomingRequest}
              goTo={chooseTab}
              stage={signStage}
              setStage={setSignStage}
              consumed={() => setIncomingRequest(null)}
            />
          )}
          {tab === 'identities' && <IdentitySection w={w} incomingKey={incomingKey} consumed={() => setIncomingKey(null)} />}
          {tab === 'trust' && <TrustSection w={w} incoming={incomingProfile} consumed={() => setIncomingProfile(null)} />}
          {tab === 'history' && <HistorySection w={w} />}
        </div>
      )}
    </div>
  );
}
