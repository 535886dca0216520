// Offline and updates. The service worker (src/app/sw.js, Workbox) precaches the build; a new
// version installs beside the open one and waits. It is offered here, and swapped in only when
// the user accepts, and never while a review, a signing or a verification is in progress: those
// hold `busy` (below) and the offer waits until they end.
import { useSyncExternalStore } from 'react';

type Listener = () => void;
const listeners = new Set<Listener>();
const emit = () => listeners.forEach((l) => l());
const subscribe = (l: Listener) => (listeners.add(l), () => listeners.delete(l));

let updateReady = false;
let applyUpdate: (() => Promise<void>) | null = null;
const busy = new Map<number, string>();
let nextHold = 1;

/** Marks work that a code swap must not interrupt; returns the release. */
export function holdBusy(what: string): () => void {
  const id = nextHold++;
  busy.set(id, what);
  emit();
  return () => {
    if (busy.delete(id)) emit();
  };
}

let snapshot = { updateReady, busy: [] as string[] };
function read() {
  const b = [...busy.values()];
  if (snapshot.updateReady !== updateReady || snapshot.busy.join('\n') !== b.join('\n')) snapshot = { updateReady, busy: b };
  return snapshot;
}

/** { updateReady, busy }: whether a new version waits, and what is in progress now. */
export function useUpdateState() {
  return useSyncExternalStore(subscribe, read, read);
}

/** Swaps in the waiting version and reloads; refused while something holds `busy`. */
export async function acceptUpdate(): Promise<boolean> {
  if (!applyUpdate || busy.size) return false;
  await applyUpdate();
  return true;
}

/** Only in a build (the dev server has no precache list), only over http(s). */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator) || !/^https?:$/.test(location.protocol)) return;
  void import('virtual:pwa-register').then(({ registerSW }) => {
    const update = registerSW({
      immediate: true,
      onNeedRefresh() {
        updateReady = true;
        emit();
      },
      onRegisterError() {
        // Offline use is a convenience: the app works online without it.
      },
    });
    applyUpdate = () => update(true);
  });
}

export const BUILD_ID: string = typeof __BUILD_ID__ === 'string' ? __BUILD_ID__ : 'dev';
