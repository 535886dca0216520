// QR codes for exchange files (docs/format.md "Exchange files"): the file's UTF-8 bytes in one QR code (byte
// mode, error correction M) when they fit, otherwise animated Uniform Resources of type
// `bytes` (BCR-2020-005): a CBOR byte string, fountain-coded, so a scanner that misses frames
// catches them on a later loop.
//
// Libraries: `qrcode` builds the matrix (we render it as SVG ourselves, crisp at any size);
// `@ngraveio/bc-ur` is the reference UR implementation. bc-ur is CommonJS written for Node
// and reads a global `Buffer` (cbor-sync tests `typeof Buffer` when it loads), so the global
// is set from the `buffer` package before bc-ur is imported, lazily, on first use.
import QRCode from 'qrcode';
import { Buffer } from 'buffer';

export interface QrMatrix {
  size: number;
  /** size*size, row-major, 1 = dark. */
  modules: Uint8Array;
  version: number;
}

function toMatrix(q: QRCode.QRCode): QrMatrix {
  return { size: q.modules.size, modules: Uint8Array.from(q.modules.data as ArrayLike<number>), version: q.version };
}

/** One QR code of `bytes` in byte mode at level M, or null when they do not fit (version 40 holds 2331 bytes). */
export function staticQr(bytes: Uint8Array): QrMatrix | null {
  try {
    return toMatrix(QRCode.create([{ data: bytes, mode: 'byte' }], { errorCorrectionLevel: 'M' }));
  } catch {
    return null;
  }
}

/**
 * A QR code of one UR part. Parts are upper-cased so they fit the denser alphanumeric mode,
 * as BCR-2020-005 recommends for QR; decoders compare case-insensitively.
 */
export function partQr(part: string): QrMatrix {
  return toMatrix(QRCode.create(part.toUpperCase(), { errorCorrectionLevel: 'L' }));
}

/** An SVG path of the dark modules (one unit per module), with a 4-module quiet zone offset. */
export function qrPath(m: QrMatrix, quiet = 4): string {
  let d = '';
  for (let y = 0; y < m.size; y++) {
    let x = 0;
    while (x < m.size) {
      if (m.modules[y * m.size + x]) {
        const start = x;
        while (x < m.size && m.modules[y * m.size + x]) x++;
        d += `M${start + quiet} ${y + quiet}h${x - start}v1h${start - x}z`;
      } else x++;
    }
  }
  return d;
}

type BcUr = typeof import('@ngraveio/bc-ur');
let bcur: Promise<BcUr> | null = null;

/** Loads bc-ur once, after giving it the `Buffer` global it expects. */
export function loadUr(): Promise<BcUr> {
  const g = globalThis as { Buffer?: unknown };
  if (g.Buffer === undefined) g.Buffer = Buffer;
  bcur ??= import('@ngraveio/bc-ur');
  return bcur;
}

export interface UrStream {
  /** Number of pure fragments: after these, parts are fountain mixes. */
  fragments: number;
  nextPart(): string;
}

export async function urEncoder(bytes: Uint8Array, maxFragmentLength: number): Promise<UrStream> {
  const { UR, UREncoder } = await loadUr();
  const enc = new UREncoder(UR.fromBuffer(Buffer.from(bytes)), maxFragmentLength, 0, 10);
  return { fragments: enc.fragmentsLength, nextPart: () => enc.nextPart() };
}

export interface UrProgress {
  /** Parts fed in that the decoder took (valid ur:bytes parts of this message). */
  accepted: number;
  /** Parts of the message (pure fragments). */
  expected: number;
  /** 0..1 */
  progress: number;
  complete: boolean;
  error: string | null;
}

export interface UrAssembler {
  receive(part: string): UrProgress;
  /** The message bytes once complete. */
  result(): Uint8Array | null;
}

export async function urDecoder(): Promise<UrAssembler> {
  const { URDecoder } = await loadUr();
  const dec = new URDecoder();
  let accepted = 0;
  let error: string | null = null;
  const progress = (): UrProgress => ({
    accepted,
    expected: dec.expectedPartCount(),
    progress: dec.isComplete() ? 1 : dec.estimatedPercentComplete(),
    complete: !!(dec.isComplete() && dec.isSuccess()),
    error: dec.isError() ? dec.resultError() : error,
  });
  return {
    receive(part) {
      try {
        if (dec.receivePart(part)) accepted++;
      } catch (e) {
        error = (e as Error).message;
      }
      if (dec.isComplete() && dec.isSuccess() && dec.resultUR().type !== 'bytes') error = `unexpected UR type "${dec.resultUR().type}"`;
      return progress();
    },
    result() {
      if (!dec.isComplete() || !dec.isSuccess()) return null;
      const ur = dec.resultUR();
      if (ur.type !== 'bytes') return null;
      return new Uint8Array(ur.decodeCBOR());
    },
  };
}

export function isUrPart(text: string): boolean {
  return /^ur:bytes\//i.test(text.trim());
}
