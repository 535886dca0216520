// Files that arrive from outside the page: opened with the installed app (manifest
// file_handlers, read from the launchQueue) or shared to it (manifest share_target, kept by the
// service worker). Each goes to the screen for it: bundles (.jsonl, .jsonl.gz) and MakerChecker
// exports to the verifier; request packets, log profiles and key backups to the wallet.
// Attacker-controlled: only the first bytes are peeked here; each screen parses the file as any
// file the user opens.

export type Target = 'verify' | 'wallet';

const WALLET_KINDS = /"countersign"\s*:\s*"(?:request-packet|log-profile|key|approval|enrollment)\/v1"/;

/** Which screen a file belongs to, by its name and, for .json, its first bytes. */
export async function targetOf(file: Blob & { name?: string }): Promise<Target> {
  const name = file.name ?? '';
  if (/\.(?:jsonl|jsonl\.gz|gz)$/i.test(name)) return 'verify';
  if (/\.key$/i.test(name)) return 'wallet';
  const head = await file
    .slice(0, 4096)
    .text()
    .catch(() => '');
  if (head.split('\n', 1)[0]?.includes('"bundle/v1"')) return 'verify';
  return WALLET_KINDS.test(head) ? 'wallet' : 'verify';
}

const pending: { file: File; target: Target }[] = [];
const listeners = new Set<() => void>();

/** Files waiting for `target`'s screen; taken once. */
export function takeIncoming(target: Target): File[] {
  const mine = pending.filter((p) => p.target === target);
  for (const p of mine) pending.splice(pending.indexOf(p), 1);
  return mine.map((p) => p.file);
}

export function onIncoming(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

async function deliver(file: File): Promise<void> {
  const target = await targetOf(file);
  pending.push({ file, target });
  const hash = target === 'wallet' ? '#/wallet' : '#/verify';
  if (!location.hash.startsWith(hash)) location.hash = hash;
  listeners.forEach((l) => l());
}

interface LaunchParams {
  files?: { getFile(): Promise<File> }[];
}

/** Starts listening: the launchQueue (where the browser has it) and a file the service worker kept from a share. */
export function listenForIncomingFiles(): void {
  const lq = (window as unknown as { launchQueue?: { setConsumer(fn: (p: LaunchParams) => void): void } }).launchQueue;
  lq?.setConsumer((params) => {
    void (async () => {
      for (const h of params.files ?? []) await deliver(await h.getFile());
    })();
  });
  const url = new URL(location.href);
  if (url.searchParams.has('shared') && 'caches' in window) {
    url.searchParams.delete('shared');
    history.replaceState(null, '', url.pathname + url.search + url.hash);
    void (async () => {
      const cache = await caches.open('countersign-shared');
      const key = new URL('./shared-file', location.href).href;
      const r = await cache.match(key);
      if (!r) return;
      await cache.delete(key);
      const name = decodeURIComponent(r.headers.get('x-file-name') ?? 'shared file');
      await deliver(new File([await r.blob()], name));
    })();
  }
}
