#!/usr/bin/env node
// A small static file server for the built app (dist/app). Any static host works
// the same way; this one exists so `npm start` needs nothing else.
// Files are served as they are: a .gz bundle is a download, not a transfer encoding.
import { createServer } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';

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

function serve(req, res) {
  let path;
  try {
    // Attacker-controlled: the request path. A malformed escape ("/%") is a 400, not a crash.
    const url = new URL(req.url ?? '/', 'http://x');
    path = decodeURIComponent(url.pathname);
  } catch {
    return fail(res, 400, 'bad request');
  }
  if (path.includes('\0')) return fail(res, 400, 'bad request');
  path = normalize(path).replace(/^(\.\.[/\\])+/, '');
  if (demoRoot && /^[/\\]demo[/\\]?$/.test(path)) return demoIndex(req, res);
  let file = join(root, path);
  const demo = demoRoot && /^[/\\]demo[/\\]([^/\\]+)$/.exec(path);
  if (demo) file = DEMO_FILES.has(demo[1]) ? join(demoRoot, demo[1]) : join(demoRoot, 'not-served');
  else if (file !== root && !file.startsWith(root + sep)) return fail(res, 403, 'forbidden');
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!existsSync(file) || !statSync(file).isFile()) return fail(res, 404, 'not found');
  const headers = {
    ...SECURITY_HEADERS,
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': statSync(file).size,
    // The service worker and the page must be revalidated so updates are seen.
    'cache-control': /(?:sw\.js|index\.html)$/.test(file) ? 'no-cache' : 'public, max-age=300',
  };
  res.writeHead(200, headers);
  if (req.method === 'HEAD') res.end();
  else
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
}

/** /demo/: the files the app's demo buttons load, as links (the URL `npm start` prints). */
function demoIndex(req, res) {
  const items = [...DEMO_FILES]
    .filter((f) => existsSync(join(demoRoot, f)))
    .map((f) => `<li><a href="/demo/${f}" download>${f}</a></li>`)
    .join('');
  const body = `<!doctype html><meta charset="utf-8"><title>Countersign demo evidence</title><h1>Demo evidence</h1><p>What the app's "Try the demo" buttons load. Open <a href="/">Countersign</a> and drop <code>bundle.jsonl</code> on the verifier, with the anchor in <code>trust.txt</code>.</p><ul>${items}</ul>`;
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-cache',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

if (!existsSync(join(root, 'index.html'))) {
  console.error(`No build in ${root}: run npm run build first.`);
  process.exit(2);
}

// Security headers on every answer (issue 8, item 9). The CSP repeats index.html's meta
// policy and adds what only a header can set: frame-ancestors (no framing by another
// origin, so no clickjacking of "Sign"). docs/security.md explains each; README "Hosting"
// gives the same for nginx.
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
const SECURITY_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

function fail(res, status, text) {
  if (res.headersSent) return res.destroy();
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' }).end(text);
}

createServer((req, res) => {
  try {
    serve(req, res);
  } catch {
    fail(res, 500, 'server error');
  }
}).listen(port, host, () => {
  console.log(`Countersign is at http://${host}:${port}/`);
  if (demoRoot && existsSync(join(demoRoot, 'bundle.jsonl')))
    console.log(`Demo evidence: http://${host}:${port}/demo/ (the app's "Try the demo" buttons load it)`);
});
