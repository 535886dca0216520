// The page workers' WebAssembly SHA-256 (workers/wasm-sha256.ts) gives @noble/hashes' digests
// exactly: one-shot, for text (lone surrogates included), and in pieces with several hashers
// open at once (they share one instance). Where WebAssembly is refused, nothing changes.
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { encodeHex } from '../../src/core/encoding/hex.ts';

const enc = new TextEncoder();

async function fresh() {
  vi.resetModules(); // a new core hash.ts, hash-wasm and installer for each test
  const hash = await import('../../src/core/crypto/hash.ts');
  const { installWasmSha256 } = await import('../../workers/wasm-sha256.ts');
  return { hash, installWasmSha256 };
}

describe('installWasmSha256', () => {
  afterEach(() => vi.restoreAllMocks());

  it('installs, and gives the same digests as @noble/hashes one-shot, for text, and in interleaved pieces', async () => {
    const { hash, installWasmSha256 } = await fresh();
    expect(await installWasmSha256()).toBe(true);
    expect(await installWasmSha256()).toBe(true); // once per worker
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (a, b, cutA, cutB) => {
        expect(encodeHex(hash.sha256(a))).toBe(encodeHex(nobleSha256(a)));
        // Two hashers open at once, updates interleaved, a one-shot in between.
        const ha = hash.createSha256();
        const hb = hash.createSha256();
        const ca = cutA % (a.length + 1);
        const cb = cutB % (b.length + 1);
        ha.update(a.subarray(0, ca));
        hb.update(b.subarray(0, cb));
        hash.sha256(b);
        ha.update(a.subarray(ca));
        hb.update(b.subarray(cb));
        expect(encodeHex(hb.digest())).toBe(encodeHex(nobleSha256(b)));
        expect(encodeHex(ha.digest())).toBe(encodeHex(nobleSha256(a)));
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 50 }), (s, t) => {
        // TextEncoder writes U+FFFD for a lone surrogate, as encodeUtf8 does.
        const text = s + '\ud800' + t;
        expect(hash.sha256HexOfUtf8(text)).toBe(encodeHex(nobleSha256(enc.encode(text))));
      }),
      { numRuns: 300 },
    );
    // A digest of 64 KiB pieces, as the file hash sees them.
    const big = new Uint8Array(1 << 20).map((_, i) => (i * 31) & 0xff);
    const h = hash.createSha256();
    for (let o = 0; o < big.length; o += 65536) h.update(big.subarray(o, o + 65536));
    expect(encodeHex(h.digest())).toBe(encodeHex(nobleSha256(big)));
  });

  it('leaves @noble/hashes in place where WebAssembly is refused (a CSP without wasm-unsafe-eval)', async () => {
    const { hash, installWasmSha256 } = await fresh();
    vi.spyOn(WebAssembly, 'compile').mockRejectedValue(new WebAssembly.CompileError('Refused to compile: wasm-unsafe-eval is not allowed'));
    vi.spyOn(WebAssembly, 'instantiate').mockRejectedValue(new WebAssembly.CompileError('Refused to compile: wasm-unsafe-eval is not allowed'));
    expect(await installWasmSha256()).toBe(false);
    expect(encodeHex(hash.sha256(enc.encode('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const h = hash.createSha256();
    h.update(enc.encode('ab'));
    h.update(enc.encode('c'));
    expect(encodeHex(h.digest())).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
