// Registers the service worker that makes the app work offline after one visit.
// Only in a build (the dev server has no precache list), only over http(s).
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator) || !/^https?:$/.test(location.protocol)) return;
  addEventListener('load', () => {
    navigator.serviceWorker.register('./sw.js').catch(() => {
      // Offline use is a convenience: the app works online without it.
    });
  });
}
