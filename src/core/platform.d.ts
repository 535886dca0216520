// The few Web-platform globals that src/core relies on. They exist with the same
// shape in browsers, workers and Node >= 20, so core declares them itself instead
// of pulling in the DOM or Node type libraries (which would let `window` or `fs` in).

declare class TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}

interface CoreCryptoKey {
  readonly type: string;
}
interface CoreSubtleCrypto {
  importKey(format: 'raw', keyData: Uint8Array, algorithm: string | { name: string }, extractable: boolean, usages: string[]): Promise<CoreCryptoKey>;
  verify(algorithm: string | { name: string }, key: CoreCryptoKey, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
  encrypt(algorithm: { name: string; iv: Uint8Array; additionalData?: Uint8Array }, key: CoreCryptoKey, data: Uint8Array): Promise<ArrayBuffer>;
  decrypt(algorithm: { name: string; iv: Uint8Array; additionalData?: Uint8Array }, key: CoreCryptoKey, data: Uint8Array): Promise<ArrayBuffer>;
}
declare var crypto: {
  getRandomValues<T extends Uint8Array>(array: T): T;
  readonly subtle: CoreSubtleCrypto;
};

interface CoreTransformStream {
  readonly writable: {
    getWriter(): {
      write(chunk: Uint8Array): Promise<void>;
      close(): Promise<void>;
      abort(reason?: unknown): Promise<void>;
      releaseLock(): void;
    };
  };
  readonly readable: {
    getReader(): {
      read(): Promise<{ done: true; value?: undefined } | { done: false; value: Uint8Array }>;
      cancel(reason?: unknown): Promise<void>;
      releaseLock(): void;
    };
  };
}
declare var DecompressionStream: (new (format: 'gzip' | 'deflate' | 'deflate-raw') => CoreTransformStream) | undefined;

declare function setTimeout(handler: () => void, ms?: number): unknown;
declare var performance: { now(): number } | undefined;

interface CoreAbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
}
