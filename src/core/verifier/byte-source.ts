// Byte plumbing shared by both verifiers: any async iterable of chunks (a web
// ReadableStream, a Node stream, a test array) in; gzip detected by its magic
// bytes (RFC 1952 §2.3.1: 1f 8b) and inflated with the platform's
// DecompressionStream; the raw bytes hashed and counted on the way.

import { createSha256 } from '../crypto/hash.ts';
import { encodeHex } from '../encoding/hex.ts';

export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export interface SourceStats {
  /** Bytes of the file as given (compressed if gzip). */
  bytes: number;
  /** Bytes after decompression. */
  decompressedBytes: number;
  gzip: boolean;
  /** SHA-256 of the file as given, hex; set once the source is exhausted. */
  sha256: string | null;
}

export class AbortError extends Error {
  constructor(message = 'verification cancelled') {
    super(message);
    this.name = 'AbortError';
  }
}

export function throwIfAborted(signal?: CoreAbortSignal): void {
  if (signal?.aborted) throw new AbortError();
}

/** Reads any ReadableStream-like or iterable source as an async iterable of Uint8Array. */
export async function* toChunks(source: ByteSource): AsyncGenerator<Uint8Array> {
  for await (const chunk of source as AsyncIterable<Uint8Array>) {
    if (!(chunk instanceof Uint8Array)) throw new TypeError('byte source must yield Uint8Array chunks');
    if (chunk.length) yield chunk;
  }
}

async function* hashed(source: AsyncIterable<Uint8Array>, stats: SourceStats, signal?: CoreAbortSignal) {
  const h = createSha256();
  for await (const chunk of source) {
    throwIfAborted(signal);
    h.update(chunk);
    stats.bytes += chunk.length;
    yield chunk;
  }
  stats.sha256 = encodeHex(h.digest());
}

async function* gunzip(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (typeof DecompressionStream !== 'function') throw new Error('this platform has no DecompressionStream for gzip');
  const ds = new DecompressionStream('gzip');
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  let pumpError: unknown = null;
  let stopped = false;
  // Feed and drain concurrently so back-pressure cannot deadlock.
  const pump = (async () => {
    try {
      for await (const chunk of source) {
        if (stopped) break;
        await writer.write(chunk as Uint8Array<ArrayBuffer>);
      }
      if (!stopped) await writer.close();
    } catch (e) {
      if (!stopped) pumpError = e;
      await writer.abort(e).catch(() => {});
    }
  })();
  let finished = false;
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      yield r.value;
    }
    finished = true;
  } catch (e) {
    throw pumpError ?? e;
  } finally {
    // The consumer may stop early (format detection said "not a bundle", or it
    // failed): cancel the readable so a write stuck on back-pressure rejects and
    // the pump ends. Merely releasing the lock left that write, and this await,
    // pending forever (issue 8, item 1).
    if (!finished) {
      stopped = true;
      await reader.cancel().catch(() => {});
    }
    reader.releaseLock();
    await pump;
  }
  if (pumpError) throw pumpError;
}

/**
 * Opens a source: hashes and counts the raw bytes, inflates gzip, and returns the
 * decompressed stream with its first bytes already peeked for format detection.
 */
export async function openSource(source: ByteSource, signal?: CoreAbortSignal): Promise<{ stats: SourceStats; chunks: AsyncGenerator<Uint8Array> }> {
  const stats: SourceStats = { bytes: 0, decompressedBytes: 0, gzip: false, sha256: null };
  const raw = hashed(toChunks(source), stats, signal);
  const first = await raw.next();
  const head: Uint8Array = first.done ? new Uint8Array(0) : first.value;
  async function* rest(): AsyncGenerator<Uint8Array> {
    if (head.length) yield head;
    for (;;) {
      const r = await raw.next();
      if (r.done) return;
      yield r.value;
    }
  }
  // RFC 1952 §2.3.1: ID1 = 0x1f, ID2 = 0x8b. A one-byte first chunk is rare
  // enough that we accept not sniffing gzip split across it.
  stats.gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  const inflated = stats.gzip ? gunzip(rest()) : rest();
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const c of inflated) {
      stats.decompressedBytes += c.length;
      yield c;
    }
  }
  return { stats, chunks: counted() };
}

export interface Line {
  /** 1-based line number. */
  number: number;
  /** The line without its terminator (`\n` or `\r\n`). Empty when `tooLong`. */
  bytes: Uint8Array;
  /** The line exceeded the limit; its bytes were skipped, not buffered. */
  tooLong: boolean;
  /** Byte length of the line as found (for progress and messages). */
  length: number;
}

/**
 * Splits a byte stream into lines at 0x0A, dropping a preceding 0x0D
 * (docs/format.md "Bundles": `\r\n` is accepted). A line longer than `maxLine` is not
 * buffered: it is reported as `tooLong` so memory stays bounded.
 */
export async function* splitLines(chunks: AsyncIterable<Uint8Array>, maxLine: number): AsyncGenerator<Line> {
  let parts: Uint8Array[] = [];
  let partLen = 0;
  let skipping = false;
  let skippedLen = 0;
  let n = 0;
  const emit = (tail: Uint8Array): Line => {
    n++;
    if (skipping) {
      const length = skippedLen + tail.length;
      skipping = false;
      skippedLen = 0;
      return { number: n, bytes: new Uint8Array(0), tooLong: true, length };
    }
    let bytes: Uint8Array;
    if (partLen === 0) bytes = tail;
    else {
      bytes = new Uint8Array(partLen + tail.length);
      let o = 0;
      for (const p of parts) {
        bytes.set(p, o);
        o += p.length;
      }
      bytes.set(tail, o);
      parts = [];
      partLen = 0;
    }
    let len = bytes.length;
    if (len && bytes[len - 1] === 0x0d) len--;
    if (len > maxLine) return { number: n, bytes: new Uint8Array(0), tooLong: true, length: len };
    return { number: n, bytes: len === bytes.length ? bytes : bytes.subarray(0, len), tooLong: false, length: len };
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) break;
      yield emit(chunk.subarray(start, nl));
      start = nl + 1;
    }
    if (start < chunk.length) {
      const tail = chunk.subarray(start);
      if (skipping) skippedLen += tail.length;
      else if (partLen + tail.length > maxLine + 1) {
        skipping = true;
        skippedLen = partLen + tail.length;
        parts = [];
        partLen = 0;
      } else {
        // Copy: the producer may reuse its chunk buffer.
        parts.push(tail.slice());
        partLen += tail.length;
      }
    }
  }
  if (partLen > 0 || skipping) yield emit(new Uint8Array(0));
}
