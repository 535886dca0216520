import { describe, expect, it } from 'vitest';
import jsQR from 'jsqr';
import { partQr, staticQr, urDecoder, urEncoder, isUrPart, type QrMatrix } from '../../src/app/wallet/qr.ts';

/** Renders a QR matrix to RGBA pixels (scale px per module, 4-module quiet zone). */
function render(m: QrMatrix, scale = 4) {
  const n = (m.size + 8) * scale;
  const px = new Uint8ClampedArray(n * n * 4).fill(255);
  for (let y = 0; y < m.size; y++)
    for (let x = 0; x < m.size; x++)
      if (m.modules[y * m.size + x])
        for (let dy = 0; dy < scale; dy++)
          for (let dx = 0; dx < scale; dx++) {
            const o = (((y + 4) * scale + dy) * n + (x + 4) * scale + dx) * 4;
            px[o] = px[o + 1] = px[o + 2] = 0;
          }
  return { px, n };
}

const text = (n: number) => JSON.stringify({ countersign: 'approval/v1', pad: 'é✓'.repeat(n) }) + '\n';

describe('QR and UR', () => {
  it('a small file is one static QR code in byte mode that decodes to the exact bytes', () => {
    const bytes = new TextEncoder().encode(text(100));
    const m = staticQr(bytes)!;
    expect(m).not.toBeNull();
    const { px, n } = render(m);
    const got = jsQR(px, n, n)!;
    expect(new Uint8Array(got.binaryData)).toEqual(bytes);
  });

  it('a file over the level-M capacity does not fit in one code', () => {
    expect(staticQr(new Uint8Array(2331).fill(0x41))).not.toBeNull();
    expect(staticQr(new Uint8Array(2332).fill(0x41))).toBeNull();
  });

  it('ur:bytes round trip: fountain parts, with frames missed, in any order, through QR codes', async () => {
    const bytes = new TextEncoder().encode(text(1500));
    const enc = await urEncoder(bytes, 200);
    expect(enc.fragments).toBeGreaterThan(10);
    const parts = Array.from({ length: enc.fragments * 3 }, () => enc.nextPart());
    expect(parts.every(isUrPart)).toBe(true);
    expect(parts[0]).toMatch(/^ur:bytes\/1-\d+\//);
    const dec = await urDecoder();
    let seen = 0;
    // drop every third frame, read the rest through a real QR render and decode (upper-case alphanumeric)
    for (const [i, p] of parts.entries()) {
      if (i % 3 === 1) continue;
      const m = partQr(p);
      const { px, n } = render(m, 3);
      const got = jsQR(px, n, n)!;
      expect(got.data.toLowerCase()).toBe(p);
      seen++;
      const pr = dec.receive(got.data);
      if (pr.complete) break;
    }
    expect(dec.result()).toEqual(bytes);
    expect(seen).toBeLessThan(parts.length);
  });

  it('a single-part UR and junk are handled', async () => {
    const bytes = new TextEncoder().encode('{"countersign":"approval/v1"}');
    const enc = await urEncoder(bytes, 1000);
    expect(enc.fragments).toBe(1);
    const dec = await urDecoder();
    expect(dec.receive(enc.nextPart()).complete).toBe(true);
    expect(dec.result()).toEqual(bytes);
    const bad = await urDecoder();
    expect(bad.receive('ur:bytes/1-3/notbytewords').complete).toBe(false);
    expect(bad.result()).toBeNull();
  });
});
