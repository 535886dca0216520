import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// A static, relative-path build: the app works from any directory on any static host.
export default defineConfig({
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  build: {
    outDir: 'dist/app',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
});
