import { describe, expect, it } from 'vitest';
import { checkKeyFile, decryptKeyFile, encryptKeyFile, parseKeyFile, type KeyFile } from '../../src/core/crypto/key-file.ts';
import { getPublicKey } from '../../src/core/crypto/ed25519.ts';
import { asSecretKey } from '../../src/core/encoding/bytes.ts';
import { decodeBase64, encodeBase64 } from '../../src/core/encoding/base64.ts';
import { decodeHex, encodeHex } from '../../src/core/encoding/hex.ts';
import { canonicalize } from '../../src/core/encoding/jcs.ts';

const N = 2 ** 14; // the minimum the format allows: keeps these tests fast
const secretKey = asSecretKey(decodeHex('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb'));
const passphrase = 'correct horse battery staple';
const base = { secretKey, principal: 'alice', name: 'Alice Moreau', passphrase, createdAt: '2026-03-18T10:04:05Z', n: N };

const clone = (f: KeyFile): KeyFile => JSON.parse(JSON.stringify(f)) as KeyFile;
let cached: Promise<KeyFile> | undefined;
const file = (): Promise<KeyFile> => (cached ??= encryptKeyFile(base));

describe('key/v1 round trip', () => {
  it('writes the documented shape', async () => {
    const f = await file();
    expect(Object.keys(f).sort()).toEqual(['cipher', 'countersign', 'created_at', 'kdf', 'name', 'principal', 'pub']);
    expect(f.countersign).toBe('key/v1');
    expect(f.pub).toBe(encodeBase64(getPublicKey(secretKey)));
    expect(f.kdf).toMatchObject({ name: 'scrypt', n: N, r: 8, p: 1 });
    expect(decodeBase64(f.kdf.salt).length).toBe(16);
    expect(f.cipher.name).toBe('aes-256-gcm');
    expect(decodeBase64(f.cipher.nonce).length).toBe(12);
    expect(decodeBase64(f.cipher.ciphertext).length).toBe(48);
    expect(parseKeyFile(JSON.stringify(f))).toEqual({ ok: true, file: f });
  });

  it('decrypts with the passphrase, from the object or from its JSON text, reporting progress', async () => {
    const f = await file();
    const progress: number[] = [];
    const r = await decryptKeyFile(f, passphrase, (x) => progress.push(x));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(encodeHex(r.secretKey)).toBe(encodeHex(secretKey));
    expect(encodeHex(r.publicKey)).toBe(encodeHex(getPublicKey(secretKey)));
    expect(r.principal).toBe('alice');
    expect(r.name).toBe('Alice Moreau');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((x) => x >= 0 && x <= 1)).toBe(true);
    expect((await decryptKeyFile(JSON.stringify(f, null, 2), passphrase)).ok).toBe(true);
  });

  it('normalises the passphrase to NFC', async () => {
    const f = await encryptKeyFile({ ...base, passphrase: 'caf\u00e9' }); // precomposed é
    expect((await decryptKeyFile(f, 'cafe\u0301')).ok).toBe(true); // e + combining acute
  });

  it('defaults created_at to now and n to 2^17', async () => {
    const f = await encryptKeyFile({ ...base, createdAt: undefined, n: undefined });
    expect(f.kdf.n).toBe(2 ** 17);
    expect(Math.abs(Date.parse(f.created_at) - Date.now())).toBeLessThan(60_000);
    expect((await decryptKeyFile(f, passphrase)).ok).toBe(true);
  });
});

describe('failures', () => {
  it('wrong passphrase -> KEY.passphrase', async () => {
    const r = await decryptKeyFile(await file(), 'Correct horse battery staple');
    expect(r).toEqual({ ok: false, code: 'KEY.passphrase', message: 'wrong passphrase, or the key file was altered' });
  });

  it('any altered field fails, because every field is in the AAD', async () => {
    const other = encodeBase64(getPublicKey(asSecretKey(new Uint8Array(32).fill(1))));
    const edits: [string, (f: KeyFile) => void][] = [
      ['name', (f) => (f.name = 'Mallory')],
      ['principal', (f) => (f.principal = 'mallory')],
      ['pub', (f) => (f.pub = other)],
      ['created_at', (f) => (f.created_at = '2026-03-18T10:04:06Z')],
      ['nonce', (f) => (f.cipher.nonce = encodeBase64(new Uint8Array(12)))],
      ['ciphertext', (f) => (f.cipher.ciphertext = encodeBase64(decodeBase64(f.cipher.ciphertext).map((b, i) => (i === 0 ? b ^ 1 : b))))],
    ];
    for (const [what, edit] of edits) {
      const f = clone(await file());
      edit(f);
      const r = await decryptKeyFile(f, passphrase);
      expect(r.ok, what).toBe(false);
      if (!r.ok) expect(r.code, what).toBe('KEY.passphrase');
    }
  });

  it('a file whose pub does not match its (authentic) seed -> KEY.mismatch', async () => {
    // Someone with the passphrase could write such a file; it must not be trusted either.
    const f = await encryptKeyFile(base);
    const other = encodeBase64(getPublicKey(asSecretKey(new Uint8Array(32).fill(1))));
    const forged = { ...f, pub: other };
    const { cipher, ...rest } = forged;
    const aad = new TextEncoder().encode(canonicalize({ ...rest, cipher: { name: cipher.name, nonce: cipher.nonce } }));
    const { scrypt } = await import('@noble/hashes/scrypt.js');
    const raw = scrypt(passphrase, decodeBase64(f.kdf.salt), { N, r: 8, p: 1, dkLen: 32 }) as Uint8Array<ArrayBuffer>;
    const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt']);
    const ct = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv: new Uint8Array(decodeBase64(cipher.nonce)), additionalData: aad },
      key,
      new Uint8Array(secretKey),
    );
    forged.cipher = { ...cipher, ciphertext: encodeBase64(new Uint8Array(ct)) };
    const r = await decryptKeyFile(forged, passphrase);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe('KEY.mismatch');
  });

  it('out-of-bounds KDF parameters -> KEY.format, before any scrypt work', async () => {
    const bad: [string, (f: KeyFile) => void, string][] = [
      ['n too small', (f) => (f.kdf.n = 2 ** 13), 'kdf.n must be a power of two in [2^14, 2^20]'],
      ['n too large', (f) => (f.kdf.n = 2 ** 21), 'kdf.n must be a power of two in [2^14, 2^20]'],
      ['n not a power of two', (f) => (f.kdf.n = 3 * 2 ** 14), 'kdf.n must be a power of two in [2^14, 2^20]'],
      ['n fractional', (f) => (f.kdf.n = 16384.5), 'kdf.n must be a power of two in [2^14, 2^20]'],
      ['n a string', (f) => ((f.kdf as { n: unknown }).n = '16384'), 'kdf.n must be a power of two in [2^14, 2^20]'],
      ['r zero', (f) => (f.kdf.r = 0), 'kdf.r must be an integer in [8, 16]'],
      ['r below the floor', (f) => (f.kdf.r = 1), 'kdf.r must be an integer in [8, 16]'],
      ['r too large', (f) => (f.kdf.r = 17), 'kdf.r must be an integer in [8, 16]'],
      ['p zero', (f) => (f.kdf.p = 0), 'kdf.p must be an integer in [1, 4]'],
      ['p too large', (f) => (f.kdf.p = 5), 'kdf.p must be an integer in [1, 4]'],
      ['memory over 1 GiB', (f) => ((f.kdf.n = 2 ** 20), (f.kdf.r = 16)), 'kdf.n * kdf.r needs more than 1 GiB of memory'],
      ['salt too short', (f) => (f.kdf.salt = encodeBase64(new Uint8Array(8))), 'kdf.salt must decode to 16 bytes, got 8'],
      ['other kdf', (f) => ((f.kdf as { name: string }).name = 'argon2id'), 'unsupported kdf "argon2id", want "scrypt"'],
    ];
    for (const [what, edit, message] of bad) {
      const f = clone(await file());
      edit(f);
      const t0 = Date.now();
      expect(await decryptKeyFile(f, passphrase), what).toEqual({ ok: false, code: 'KEY.format', message });
      expect(Date.now() - t0, what).toBeLessThan(1000);
    }
  });

  it('malformed files -> KEY.format with a precise message', async () => {
    const f = await file();
    const cases: [unknown, string | RegExp][] = [
      [null, 'key file must be a JSON object'],
      [[f], 'key file must be a JSON object'],
      ['not json', /^key file is not valid JSON: /],
      ['{"countersign":"key/v1","countersign":"key/v1"}', /^key file is not valid JSON: .*duplicate/i],
      [{ ...f, extra: 1 }, 'key file has unknown field "extra"'],
      [{ ...f, pub: undefined }, 'key file is missing field "pub"'],
      [{ ...f, countersign: 'key/v2' }, 'unsupported key file version "key/v2", want "key/v1"'],
      [{ ...f, principal: 'Alice' }, 'principal must match ^[a-z0-9][a-z0-9._@-]{0,63}$'],
      [{ ...f, name: '' }, 'name must be 1 to 256 characters without control characters'],
      [{ ...f, name: 'a\nb' }, 'name must be 1 to 256 characters without control characters'],
      [{ ...f, pub: f.pub.slice(0, -1) }, /^pub is not strict base64/],
      [{ ...f, pub: encodeBase64(new Uint8Array(33)) }, 'pub must decode to 32 bytes, got 33'],
      [{ ...f, created_at: '2026-03-18 10:04:05Z' }, 'created_at must be an RFC 3339 UTC time such as 2026-03-18T10:04:05Z'],
      [{ ...f, created_at: '2026-02-30T10:04:05Z' }, 'created_at must be an RFC 3339 UTC time such as 2026-03-18T10:04:05Z'],
      [{ ...f, created_at: '2026-03-18T10:04:05+01:00' }, 'created_at must be an RFC 3339 UTC time such as 2026-03-18T10:04:05Z'],
      [{ ...f, kdf: 'scrypt' }, 'kdf must be an object'],
      [{ ...f, kdf: { ...f.kdf, dkLen: 32 } }, 'kdf has unknown field "dkLen"'],
      [{ ...f, cipher: { ...f.cipher, name: 'aes-128-gcm' } }, 'unsupported cipher "aes-128-gcm", want "aes-256-gcm"'],
      [{ ...f, cipher: { ...f.cipher, nonce: encodeBase64(new Uint8Array(16)) } }, 'cipher.nonce must decode to 12 bytes, got 16'],
      [{ ...f, cipher: { ...f.cipher, ciphertext: encodeBase64(new Uint8Array(32)) } }, 'cipher.ciphertext must decode to 48 bytes, got 32'],
      [{ ...f, cipher: { name: 'aes-256-gcm', nonce: f.cipher.nonce } }, 'cipher is missing field "ciphertext"'],
    ];
    for (const [input, message] of cases) {
      const r = await decryptKeyFile(input, passphrase);
      expect(r.ok, String(message)).toBe(false);
      if (r.ok) continue;
      expect(r.code).toBe('KEY.format');
      if (typeof message === 'string') expect(r.message).toBe(message);
      else expect(r.message).toMatch(message);
    }
  });

  it('never throws on garbage', async () => {
    const garbage: unknown[] = [
      undefined,
      0,
      true,
      '',
      '{',
      '[]',
      '"key/v1"',
      'null',
      Symbol('x'),
      () => 1,
      new Uint8Array(4),
      { countersign: 'key/v1' },
      '\ud800',
    ];
    for (const g of garbage) {
      const r = await decryptKeyFile(g, passphrase);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.code).toBe('KEY.format');
    }
    for (const g of garbage) expect(checkKeyFile(g).ok).toBe(false);
    for (const g of garbage) expect(parseKeyFile(g as string).ok).toBe(false);
  });
});

describe('argument checks on encrypt', () => {
  it('throws TypeError / RangeError for bad arguments', async () => {
    await expect(encryptKeyFile({ ...base, secretKey: new Uint8Array(31) as never })).rejects.toThrow(RangeError);
    await expect(encryptKeyFile({ ...base, principal: 'Alice' })).rejects.toThrow(RangeError);
    await expect(encryptKeyFile({ ...base, name: '' })).rejects.toThrow(RangeError);
    await expect(encryptKeyFile({ ...base, name: 5 as never })).rejects.toThrow(TypeError);
    await expect(encryptKeyFile({ ...base, passphrase: '' })).rejects.toThrow(RangeError);
    await expect(encryptKeyFile({ ...base, passphrase: null as never })).rejects.toThrow(TypeError);
    await expect(encryptKeyFile({ ...base, createdAt: 'yesterday' })).rejects.toThrow(RangeError);
    await expect(encryptKeyFile({ ...base, n: 1000 })).rejects.toThrow(RangeError);
    await expect(encryptKeyFile({ ...base, n: 2 ** 21 })).rejects.toThrow(RangeError);
    await expect(decryptKeyFile(await file(), 42 as never)).rejects.toThrow(TypeError);
  });
});
