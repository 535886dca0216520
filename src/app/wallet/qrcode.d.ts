// The part of the `qrcode` package the wallet uses (create a symbol, read its modules),
// mapped onto the `qrcode` import by src/app/tsconfig.json's `paths`. Declared here rather
// than taken from @types/qrcode, whose `/// <reference types="node" />` would bring Node's
// types into the page and let `import 'node:fs'` typecheck in src/app. (The tests, which
// run in Node, use @types/qrcode.)
export type QRCodeErrorCorrectionLevel = 'L' | 'M' | 'Q' | 'H';
export interface QRCodeSegment {
  data: string | Uint8Array;
  mode: 'numeric' | 'alphanumeric' | 'byte' | 'kanji';
}
export interface QRCodeOptions {
  errorCorrectionLevel?: QRCodeErrorCorrectionLevel;
  version?: number;
}
export interface QRCode {
  modules: { size: number; data: Uint8Array };
  version: number;
}
export function create(text: string | QRCodeSegment[], options?: QRCodeOptions): QRCode;
