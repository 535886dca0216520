#!/usr/bin/env node
// A small static file server for the built app (dist/app). Any static host works
// the same way; this one exists so `npm start` needs nothing else.
// Files are served as they are: a .gz bundle is a download, not a transfer encoding.
import { createServer } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';

const args = process.argv.slice(2);
const demoAt = args.indexOf('--demo');
// The demo is written outside the build (dist/demo by `npm start`), so a deployed dist/app never
// holds its keys; only this local server maps /demo/ to it, and only the files the app fetches
// (never gate.key or gate.passphrase: the gate's own key stays on disk for `countersign gate accept`).
const demoRoot = demoAt >= 0 ? resolve(args.splice(demoAt, 2)[1] ?? 'dist/demo') : null;
const DEMO_FILES = new Set(['bundle.jsonl', 'trust.txt', 'request.json', 'log-profile.json', 'approver.key', 'approver.passphrase']);
const root = resolve(process.env.SERVE_ROOT ?? 'dist/app');
const port = Number(process.env.PORT ?? args[0] ?? 5173);
const host = process.env.HOST ?? '127.0.0.1';
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jsonl': 'application/x-ndjson; charset=utf-8',
  '.gz': 'application/gzip',
  '.txt': 'text/plain; charset=utf-8',
  '.key': 'application/json; charset=utf-8',
  '.passphrase': 'text/plain; charset=utf-8',
  '.pem': 'application/x-pem-file',
  '.wasm': 'application/wasm',
};

if (!existsSync(join(root, 'index.html'))) {
  console.error(`No build in ${root}: run npm run build first.`);
  process.exit(2);
}

createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  let path = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
  let file = join(root, path);
  const demo = demoRoot && /^[/\\]demo[/\\]([^/\\]+)$/.exec(path);
  if (demo) file = DEMO_FILES.has(demo[1]) ? join(demoRoot, demo[1]) : join(demoRoot, 'not-served');
  else if (!file.startsWith(root)) {
    res.writeHead(403).end();
    return;
  }
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!existsSync(file)) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const headers = {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': statSync(file).size,
    'x-content-type-options': 'nosniff',
    // The service worker and the page must be revalidated so updates are seen.
    'cache-control': /(?:sw\.js|index\.html)$/.test(file) ? 'no-cache' : 'public, max-age=300',
  };
  res.writeHead(200, headers);
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}).listen(port, host, () => {
  console.log(`Countersign is at http://${host}:${port}/`);
  if (demoRoot && existsSync(join(demoRoot, 'bundle.jsonl')))
    console.log(`Demo evidence: http://${host}:${port}/demo/ (the app's "Try the demo" buttons load it)`);
});
