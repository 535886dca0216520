import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { findSecrets } from './scripts/check-build.mjs';

const outDir = 'dist/app';

/** Fails the build if dist/app would publish a private key, a passphrase or the demo (issue 13). */
function refuseSecrets(): Plugin {
  return {
    name: 'countersign-refuse-secrets',
    apply: 'build',
    enforce: 'post',
    closeBundle() {
      const found = findSecrets(resolve(outDir));
      if (found.length) throw new Error(`The build holds secrets:\n${found.map((f) => `  ${outDir}/${f.file}: ${f.why}`).join('\n')}`);
    },
  };
}

/** Shown in the page (header), so a user can say which version they run: BUILD_ID, else the git commit. */
function buildId(): string {
  if (process.env.BUILD_ID) return process.env.BUILD_ID;
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'dev';
  }
}

// A static, relative-path build: the app works from any directory on any static host.
export default defineConfig({
  base: './',
  define: { __BUILD_ID__: JSON.stringify(buildId()) },
  plugins: [
    react(),
    // The service worker from Workbox (precache with a revision per file, outdated caches cleaned,
    // an update that waits for the user); our own source adds the demo and share-target routes.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/app',
      filename: 'sw.js',
      injectRegister: false,
      registerType: 'prompt',
      manifest: false, // public/manifest.webmanifest is the one
      injectManifest: {
        globPatterns: ['**/*.{html,js,css,svg,png,webmanifest,wasm}'],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        rollupFormat: 'es',
      },
      devOptions: { enabled: false },
    }),
    refuseSecrets(),
  ],
  worker: { format: 'es' },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
});
