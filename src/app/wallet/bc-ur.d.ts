// The part of `@ngraveio/bc-ur` the wallet uses (UR encoder and decoder for ur:bytes),
// mapped onto the import by src/app/tsconfig.json's `paths`. Declared here rather than taken
// from the package, whose `/// <reference types="node" />` would bring Node's types into the
// page (see qrcode.d.ts). The Buffer is the `buffer` package's, which qr.ts installs.
import type { Buffer } from 'buffer';

export class UR {
  static fromBuffer(buf: Buffer): UR;
  decodeCBOR(): Uint8Array;
  get type(): string;
}

export class UREncoder {
  constructor(ur: UR, maxFragmentLength?: number, firstSeqNum?: number, minFragmentLength?: number);
  get fragmentsLength(): number;
  nextPart(): string;
}

export class URDecoder {
  constructor();
  receivePart(part: string): boolean;
  expectedPartCount(): number;
  estimatedPercentComplete(): number;
  isComplete(): boolean;
  isSuccess(): boolean;
  isError(): boolean;
  resultError(): string;
  resultUR(): UR;
}
