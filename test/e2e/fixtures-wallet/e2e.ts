// Node-side helpers for the wallet's end-to-end tests: key files, QR pictures, a .y4m video
// of QR frames for Chromium's fake camera, and reading a PNG screenshot of a QR code.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import QRCode from 'qrcode';
import jsQR from 'jsqr';
import { encryptKeyFile } from '../../../src/core/crypto/key-file.ts';
import type { SecretKey } from '../../../src/core/encoding/bytes.ts';

const require = createRequire(import.meta.url);
// pngjs comes with qrcode (its PNG writer); used here only to read screenshots.
const { PNG } = require('pngjs') as { PNG: { sync: { read(b: Buffer): { width: number; height: number; data: Buffer } } } };

export async function keyFileText(secretKey: SecretKey, principal: string, name: string, passphrase: string, n = 2 ** 14): Promise<string> {
  return JSON.stringify(await encryptKeyFile({ secretKey, principal, name, passphrase, n }), null, 2) + '\n';
}

/** The QR code in a PNG (screenshot), as UTF-8 text of its raw bytes. */
export function decodePng(png: Buffer): string | null {
  const img = PNG.sync.read(png);
  const code = jsQR(new Uint8ClampedArray(img.data), img.width, img.height);
  return code ? Buffer.from(code.binaryData).toString('utf8') : null;
}

/** A PNG picture of one QR code (byte mode, level M) holding `text`. */
export async function qrPng(text: string): Promise<Buffer> {
  return QRCode.toBuffer([{ data: Buffer.from(text, 'utf8'), mode: 'byte' }], { errorCorrectionLevel: 'M', scale: 4, margin: 4 });
}

type Matrix = { size: number; data: Uint8Array };

export function qrMatrixOf(text: string | Buffer, level: 'L' | 'M' = 'M'): Matrix {
  const q =
    typeof text === 'string'
      ? QRCode.create(text, { errorCorrectionLevel: level })
      : QRCode.create([{ data: text, mode: 'byte' }], { errorCorrectionLevel: level });
  return { size: q.modules.size, data: Uint8Array.from(q.modules.data as ArrayLike<number>) };
}

/**
 * YUV4MPEG2 (.y4m) video for Chromium's --use-file-for-fake-video-capture: each matrix drawn
 * black on white, centred, `repeat` frames each, 4:2:0 chroma at neutral grey. Chromium loops it.
 */
export function writeY4m(
  path: string,
  matrices: Matrix[],
  opts: { width: number; height: number; fps: number; repeat: number },
): { frames: number; bytes: number } {
  const { width: w, height: h, fps, repeat } = opts;
  const header = Buffer.from(`YUV4MPEG2 W${w} H${h} F${fps}:1 Ip A1:1 C420jpeg\n`, 'ascii');
  const frameHeader = Buffer.from('FRAME\n', 'ascii');
  const ySize = w * h;
  const cSize = (w / 2) * (h / 2);
  const chunks: Buffer[] = [header];
  for (const m of matrices) {
    const y = Buffer.alloc(ySize, 235);
    const total = m.size + 8;
    const scale = Math.floor(Math.min(w, h) / total);
    const ox = Math.floor((w - total * scale) / 2) + 4 * scale;
    const oy = Math.floor((h - total * scale) / 2) + 4 * scale;
    for (let r = 0; r < m.size; r++)
      for (let c = 0; c < m.size; c++)
        if (m.data[r * m.size + c])
          for (let dy = 0; dy < scale; dy++) y.fill(16, (oy + r * scale + dy) * w + ox + c * scale, (oy + r * scale + dy) * w + ox + (c + 1) * scale);
    const uv = Buffer.alloc(cSize * 2, 128);
    for (let i = 0; i < repeat; i++) chunks.push(frameHeader, y, uv);
  }
  const out = Buffer.concat(chunks);
  writeFileSync(path, out);
  return { frames: matrices.length * repeat, bytes: out.length };
}
