import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const outDir = 'dist/app';

/** Writes sw.js with the list of every built file (workers included), after the build is on disk. */
function precacheServiceWorker(): Plugin {
  return {
    name: 'countersign-precache-sw',
    apply: 'build',
    closeBundle() {
      const root = resolve(outDir);
      const files: string[] = [];
      const walk = (dir: string) => {
        for (const name of readdirSync(dir)) {
          const p = join(dir, name);
          const rel = relative(root, p).split('\\').join('/');
          if (rel === 'sw.js' || rel === 'demo') continue; // the demo is written after the build, and fetched on demand
          if (statSync(p).isDirectory()) walk(p);
          else files.push('./' + rel);
        }
      };
      walk(root);
      files.sort();
      const build = createHash('sha256');
      for (const f of files) build.update(f).update(readFileSync(join(root, f)));
      const source = readFileSync('src/app/lib/service-worker.js', 'utf8')
        .replace('self.__PRECACHE__', JSON.stringify(['./', ...files]))
        .replace('self.__BUILD__', JSON.stringify(build.digest('hex').slice(0, 16)));
      writeFileSync(join(root, 'sw.js'), source);
    },
  };
}

// A static, relative-path build: the app works from any directory on any static host.
export default defineConfig({
  base: './',
  plugins: [react(), precacheServiceWorker()],
  worker: { format: 'es' },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
});
