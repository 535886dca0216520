import { lazy, Suspense, useEffect, useState } from 'react';
import { BUILD_ID, registerServiceWorker } from './lib/pwa.ts';
import { listenForIncomingFiles } from './lib/incoming.ts';
import { UpdatePrompt } from './UpdatePrompt.tsx';

registerServiceWorker();
listenForIncomingFiles();

// One folder per screen; each screen is loaded on demand.
const VerifyScreen = lazy(() => import('./verify/VerifyScreen.tsx'));
const WalletScreen = lazy(() => import('./wallet/WalletScreen.tsx'));

type Route = 'verify' | 'wallet';

function routeFromHash(): Route {
  // Files the OS opens with Countersign (manifest file_handlers): request packets, profiles and
  // key backups (.json, .key) belong to the wallet; bundles (.jsonl, .jsonl.gz) to the verifier.
  // lib/incoming.ts hands each file to its screen.
  if (new URLSearchParams(location.search).get('launch') === 'wallet' && !location.hash) return 'wallet';
  return location.hash.startsWith('#/wallet') ? 'wallet' : 'verify';
}

export function App() {
  const [route, setRoute] = useState<Route>(routeFromHash);
  useEffect(() => {
    const on = () => setRoute(routeFromHash());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return (
    <>
      <header className="app-header">
        <a className="brand" href="#/verify">
          <img src="./icon.svg" alt="" width="24" height="24" />
          Countersign
        </a>
        <nav aria-label="Main">
          <a href="#/verify" aria-current={route === 'verify' ? 'page' : undefined}>
            Verify evidence
          </a>
          <a href="#/wallet" aria-current={route === 'wallet' ? 'page' : undefined}>
            Signing wallet
          </a>
        </nav>
        <span className="offline-note" title="Nothing you open here is uploaded: all checks run in this browser.">
          Runs offline · nothing is uploaded · <span data-testid="build-id">build {BUILD_ID}</span>
        </span>
      </header>
      <UpdatePrompt />
      <main id="main">
        <Suspense fallback={<p className="muted">Loading…</p>}>{route === 'verify' ? <VerifyScreen /> : <WalletScreen />}</Suspense>
      </main>
    </>
  );
}
