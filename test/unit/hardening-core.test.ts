// Issue 8 (hardening), the in-process half: every case here hung, crashed or read
// the wrong thing before its fix. CLI cases are in hardening-cli.test.ts.
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { verifyBundle } from '../../src/core/verifier/verify-bundle.ts';
import { parseJsonText } from '../../src/core/encoding/json.ts';
import { checkKeyFile, encryptKeyFile } from '../../src/core/crypto/key-file.ts';
import { asSecretKey } from '../../src/core/encoding/bytes.ts';
import { decodeHex } from '../../src/core/encoding/hex.ts';

const within = <T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> => Promise.race([p, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms))]);

describe('item 1: gzip that is not a bundle', () => {
  it.each([
    ['200 kB of x', new Uint8Array(200_000).fill(0x78)],
    ['4 MB of zeros', new Uint8Array(4 << 20)],
    ['a short text', new TextEncoder().encode('hello\n')],
  ])('%s, gzipped, ends in "not a bundle" quickly', async (_name, raw) => {
    const r = await within(verifyBundle([gzipSync(raw)]), 10_000);
    expect(r).not.toBe('timeout');
    if (r === 'timeout') return;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe('INPUT.not_bundle');
  });

  it('a truncated or corrupt gzip ends in a clear error, not a hang', async () => {
    const gz = gzipSync(new Uint8Array(300_000).fill(0x78));
    for (const bytes of [gz.subarray(0, 40), Uint8Array.from([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])]) {
      const r = await within(verifyBundle([bytes]), 10_000);
      expect(r).not.toBe('timeout');
      if (r !== 'timeout') expect(r.ok).toBe(false);
    }
  });

  it('gzip of a real bundle, fed in small chunks, still verifies', async () => {
    const text = readFileSync('test/vectors/countersign/valid-allowed.jsonl');
    const gz = gzipSync(text);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < gz.length; i += 7) chunks.push(gz.subarray(i, i + 7));
    const r = await within(verifyBundle(chunks), 20_000);
    expect(r).not.toBe('timeout');
    if (r !== 'timeout' && r.ok) expect(r.report.bundle.gzip).toBe(true);
    else expect.fail('not ok');
  });
});

describe('item 11: smaller reader gaps', () => {
  it.each(['0.99999999999999999', '2.000000000000000000001', '12345678901234567.5', '1e-400', '9007199254740993.5'])(
    'the reader rejects %s: its text is not an integer but it reads as one',
    (num) => {
      const r = parseJsonText(`{"seq":${num}}`);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.kind).toBe('number');
        expect(r.error.path).toBe('$.seq');
      }
    },
  );

  it('fractions that are fractions, and integers, still read', () => {
    expect(parseJsonText('[1.5,-2,0,1e-3,12345678901234,1.0,1e3,10E-1,-0.0,1.50e1]')).toEqual({
      ok: true,
      value: [1.5, -2, 0, 0.001, 12345678901234, 1, 1000, 1, -0, 15],
    });
  });

  it('a bundle that starts with a byte-order mark says so', async () => {
    const text = readFileSync('test/vectors/countersign/valid-allowed.jsonl');
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...text]);
    for (const bytes of [withBom, gzipSync(withBom)]) {
      const r = await verifyBundle([bytes]);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/byte-order mark/);
    }
  });

  it('a key file below the scrypt floor (n 2^14, r 1) is refused before any KDF runs', async () => {
    const secretKey = asSecretKey(decodeHex('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb'));
    const f = await encryptKeyFile({ secretKey, principal: 'alice', name: 'Alice', passphrase: 'correct horse', n: 2 ** 14 });
    expect(checkKeyFile(f).ok).toBe(true);
    for (const r of [1, 4, 7]) {
      const weak = { ...f, kdf: { ...f.kdf, r } };
      const c = checkKeyFile(weak);
      expect(c.ok).toBe(false);
      if (!c.ok) expect(c.message).toMatch(/kdf\.r/);
    }
  });
});

describe('item 7: every JSON the project reads goes through the strict reader', () => {
  it('no JSON.parse of input in src/ or workers/ (reviewed exceptions)', async () => {
    const { readdirSync, statSync } = await import('node:fs');
    const { join } = await import('node:path');
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ts|tsx)$/.test(f)) files.push(p);
      }
    };
    walk('src');
    walk('workers');
    // detach.ts copies strings the program made (no input); makerchecker-event.ts recovers the
    // seq and hash of an element the strict reader already refused, for messages only, and
    // reads the digests its own pool workers sent; json-fast.ts is the fast path whose every
    // answer is checked to equal the strict reader's (test/unit/makerchecker-fast-path.test.ts), falling
    // back to it when in doubt; open-requests.ts reads back the gate text its own codec wrote from a
    // statement the strict reader had produced; countersign-lines.ts reads the replies its own pool
    // workers wrote with JSON.stringify (statements the strict reader and the schema already passed).
    const allowed = new Set([
      'src/core/encoding/detach.ts',
      'src/core/verifier/makerchecker-event.ts',
      'src/core/encoding/json-fast.ts',
      'src/core/governance/open-requests.ts',
      'src/core/verifier/countersign-lines.ts',
    ]);
    const offenders = files.filter((f) => !allowed.has(f) && /(?<!\/\/.*)\bJSON\.parse\(/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
