// Countersign service worker. The build (vite.config.ts, precacheServiceWorker)
// writes this file to sw.js with the list of every file of the built app, so
// that after the first visit the verifier opens and runs with no network.
// Paths are relative to where the app is served from.
const PRECACHE = self.__PRECACHE__;
const CACHE = 'countersign-' + self.__BUILD__;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((p) => new URL(p, self.registration.scope).href)))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('countersign-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  if (req.mode === 'navigate') {
    // The page: fresh when online, the cached shell when not.
    event.respondWith(
      fetch(req).catch(() =>
        caches.open(CACHE).then((c) => c.match(new URL('./index.html', self.registration.scope).href)).then((r) => r || Response.error()),
      ),
    );
    return;
  }
  // Assets have content-hashed names: the cached copy is the right one.
  event.respondWith(
    caches
      .open(CACHE)
      .then((c) => c.match(req, { ignoreSearch: true }))
      .then((hit) => hit || fetch(req)),
  );
});
