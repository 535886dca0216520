// scripts/serve.mjs on hostile paths (issue 8, item 9): a malformed path is a 400, not
// a dead server, and every answer carries the security headers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = mkdtempSync(join(tmpdir(), 'cs-serve-'));
let server: ChildProcess;
let port = 0;

/** A raw HTTP/1.1 GET, so the path reaches the server exactly as written. */
function get(path: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const sock = connect({ port, host: '127.0.0.1' }, () => sock.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    let data = '';
    sock.on('data', (c) => (data += c));
    sock.on('error', reject);
    sock.on('end', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      const [status, ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines) {
        const i = l.indexOf(':');
        headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      resolve({ status: Number(status!.split(' ')[1]), headers, body });
    });
  });
}

beforeAll(async () => {
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>x</title>');
  mkdirSync(join(root, 'demo'));
  writeFileSync(join(root, 'demo', 'bundle.jsonl'), '{}\n');
  writeFileSync(join(root, 'demo', 'gate.key'), '{"secret":true}\n');
  port = await new Promise<number>((r) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => r(p));
    });
  });
  server = spawn(process.execPath, ['scripts/serve.mjs', String(port), '--demo', join(root, 'demo')], {
    env: { ...process.env, SERVE_ROOT: root },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((r) => server.stdout!.once('data', () => r()));
});
afterAll(() => {
  server.kill();
  rmSync(root, { recursive: true, force: true });
});

describe('serve.mjs', () => {
  it.each(['/%', '/%E0%A4%A', '/%00', '/..%2f..%2fetc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '//etc/passwd', '/index.html%00.js'])(
    'GET %s: an error status, and the server lives on',
    async (path) => {
      const r = await get(path);
      expect([400, 403, 404]).toContain(r.status);
      expect(r.body).not.toContain('root:');
      expect((await get('/')).status).toBe(200);
    },
  );

  it('sends the security headers on pages, files and errors', async () => {
    for (const path of ['/', '/demo/bundle.jsonl', '/missing', '/%']) {
      const r = await get(path);
      const csp = r.headers['content-security-policy'] ?? '';
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("object-src 'none'");
      expect(r.headers['x-content-type-options'], path).toBe('nosniff');
      expect(r.headers['referrer-policy'], path).toBe('no-referrer');
      expect(r.headers['cross-origin-opener-policy'], path).toBe('same-origin');
    }
  });

  it('/demo/ (the URL npm start prints) lists the demo files the app loads, never the gate key', async () => {
    for (const path of ['/demo/', '/demo']) {
      const r = await get(path);
      expect(r.status, path).toBe(200);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.body).toContain('href="/demo/bundle.jsonl"');
      expect(r.body).not.toContain('gate.key');
    }
    expect((await get('/demo/bundle.jsonl')).body).toBe('{}\n');
    expect((await get('/demo/gate.key')).status).toBe(404);
  });
});
