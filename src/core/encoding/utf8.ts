// UTF-8 without a BOM (docs/format.md "Bytes"). Decoding is fatal: invalid UTF-8 throws.

const encoder = new TextEncoder();
const fatalDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function encodeUtf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Decodes strict UTF-8; throws TypeError on invalid sequences. A BOM is kept as U+FEFF. */
export function decodeUtf8(bytes: Uint8Array): string {
  return fatalDecoder.decode(bytes);
}
