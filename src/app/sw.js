// Countersign service worker, built by vite-plugin-pwa (injectManifest) with Workbox: the
// build injects the list of every built file (workers included) with a revision each, so
// after one visit the app opens and verifies with no network.
//
// Updates never swap code under the user: a new version installs beside the old one and
// waits; the page offers it (src/app/lib/pwa.ts) and sends SKIP_WAITING only when the user
// accepts, and never while a review, a signing or a verification is in progress.
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// The first version takes the open page at once (there is no older code to swap out); a later
// one activates only after SKIP_WAITING, that is after the user accepted it.
clientsClaim();

// Every navigation (the app uses hash routes) gets the cached page.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));

// The demo is not part of the build (it is served only by `npm start`): keep the files the page
// has fetched, fresh when online, so "Try the demo" still works offline once it was loaded.
const scopePath = new URL(self.registration.scope).pathname;
registerRoute(
  ({ url, request }) => url.origin === self.location.origin && url.pathname.startsWith(scopePath + 'demo/') && request.method === 'GET',
  new NetworkFirst({ cacheName: 'countersign-demo' }),
);

// Files shared to the installed app (manifest share_target): kept for the page to read, then the
// page opens at the screen for them. Attacker-controlled: the page reads it as any opened file.
const SHARE_CACHE = 'countersign-shared';
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'POST' || url.origin !== self.location.origin || !url.searchParams.has('share-target')) return;
  event.respondWith(
    (async () => {
      const form = await event.request.formData();
      const file = form.getAll('file').find((f) => typeof f !== 'string');
      if (file) {
        const cache = await caches.open(SHARE_CACHE);
        await cache.put(
          new URL('./shared-file', self.registration.scope).href,
          new Response(file, { headers: { 'x-file-name': encodeURIComponent(file.name || 'shared file') } }),
        );
      }
      return Response.redirect(new URL('./?shared=1', self.registration.scope).href, 303);
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') self.skipWaiting();
});
