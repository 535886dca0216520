// Reading an exchange file from QR codes: the camera (one code, or animated ur:bytes with a
// visible count of frames received), or a picture of a code.
import { useEffect, useRef, useState } from 'react';
import { isUrPart, urDecoder, type UrAssembler, type UrProgress } from './qr.ts';

type JsQr = typeof import('jsqr').default;
let jsqr: Promise<JsQr> | null = null;
export const loadJsQr = () => (jsqr ??= import('jsqr').then((m) => m.default));

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** The text a QR code carries: its raw bytes as UTF-8 (exchange files are UTF-8 in byte mode). */
function codeText(code: { binaryData: number[]; data: string }): string {
  return code.binaryData.length ? utf8.decode(Uint8Array.from(code.binaryData)) : code.data;
}

/** Collects scanned codes into one file: a whole file in one code, or UR parts until complete. */
export class ScanCollector {
  private ur: UrAssembler | null = null;
  private seen = new Set<string>();
  frames = 0;
  progress: UrProgress | null = null;

  /** Returns the file text when it is complete. */
  async feed(text: string): Promise<string | null> {
    const t = text.trim();
    if (isUrPart(t)) {
      const key = t.toLowerCase();
      if (this.seen.has(key)) return null;
      this.seen.add(key);
      this.frames++;
      this.ur ??= await urDecoder();
      this.progress = this.ur.receive(key);
      const bytes = this.progress.complete ? this.ur.result() : null;
      return bytes ? new TextDecoder('utf-8', { fatal: true }).decode(bytes) : null;
    }
    if (t.startsWith('{')) {
      this.frames++;
      return t;
    }
    return null;
  }
}

/** Decodes a QR code in a picture file. */
export async function decodeQrImage(file: Blob): Promise<{ ok: true; text: string } | { ok: false; message: string }> {
  const decode = await loadJsQr();
  let bmp: ImageBitmap;
  try {
    bmp = await createImageBitmap(file);
  } catch {
    return { ok: false, message: 'This file is not a picture the browser can read.' };
  }
  const scale = Math.min(1, 1600 / Math.max(bmp.width, bmp.height));
  const w = Math.max(1, Math.round(bmp.width * scale));
  const h = Math.max(1, Math.round(bmp.height * scale));
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(bmp, 0, 0, w, h);
  bmp.close();
  const img = ctx.getImageData(0, 0, w, h);
  const code = decode(img.data, w, h, { inversionAttempts: 'attemptBoth' });
  if (!code) return { ok: false, message: 'No QR code was found in this picture.' };
  const text = codeText(code);
  if (isUrPart(text)) {
    const c = new ScanCollector();
    const whole = await c.feed(text);
    if (whole) return { ok: true, text: whole };
    return { ok: false, message: 'This picture holds one frame of an animated code: scan the animation with the camera instead.' };
  }
  return { ok: true, text };
}

/**
 * Live camera scanning. Frames are read about ten times a second; animated ur:bytes parts are
 * counted as they arrive, and the result is handed over once the file is complete.
 */
export function CameraScanner({ onResult, onCancel, what }: { onResult: (text: string) => void; onCancel: () => void; what: string }) {
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<{ frames: number; progress: UrProgress | null; problem: string | null }>({ frames: 0, progress: null, problem: null });
  const [live, setLive] = useState(false);

  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setInterval> | undefined;
    let done = false;
    let busy = false;
    const collector = new ScanCollector();
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    (async () => {
      if (!navigator.mediaDevices?.getUserMedia) {
        setError('This browser gives no access to a camera here. Open the file or a picture of the code instead.');
        return;
      }
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment', width: { ideal: 1280 } }, audio: false });
      } catch (e) {
        const name = (e as DOMException).name;
        setError(
          name === 'NotAllowedError'
            ? 'Camera access was refused. Allow the camera for this page, or open the file instead.'
            : name === 'NotFoundError'
              ? 'No camera was found.'
              : `The camera could not be started (${name}).`,
        );
        return;
      }
      if (done) {
        stream.getTracks().forEach((t) => t.stop());
        return;
      }
      const v = video.current!;
      v.srcObject = stream;
      await v.play().catch(() => {});
      setLive(true);
      const decode = await loadJsQr();
      const diag = (k: string) => {
        const el = v.parentElement;
        if (el) el.dataset[k] = String(Number(el.dataset[k] ?? 0) + 1);
      };
      timer = setInterval(async () => {
        diag('ticks');
        // A video that did not start (or was paused by the browser) shows a frozen frame: nudge it.
        if (v.paused && !done) void v.play().catch(() => {});
        if (busy || done || v.readyState < 2 || !v.videoWidth) return;
        busy = true;
        diag('reads');
        try {
          const scale = Math.min(1, 800 / Math.max(v.videoWidth, v.videoHeight));
          const w = Math.round(v.videoWidth * scale);
          const h = Math.round(v.videoHeight * scale);
          if (canvas.width !== w || canvas.height !== h) {
            canvas.width = w;
            canvas.height = h;
          }
          ctx.drawImage(v, 0, 0, w, h);
          const code = decode(ctx.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: 'dontInvert' });
          if (code) {
            diag('codes');
            const whole = await collector.feed(codeText(code));
            setStatus({ frames: collector.frames, progress: collector.progress, problem: null });
            if (whole && !done) {
              done = true;
              onResult(whole);
            }
          }
        } catch (e) {
          setStatus({ frames: collector.frames, progress: collector.progress, problem: e instanceof Error ? e.message : String(e) });
        } finally {
          busy = false;
        }
      }, 90);
    })();
    return () => {
      done = true;
      if (timer) clearInterval(timer);
      stream?.getTracks().forEach((t) => t.stop());
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the camera starts once per mount; a new onResult must not restart it
  }, []);

  const p = status.progress;
  return (
    <div className="cs-scanner" role="group" aria-label={`Scan the ${what} QR code`}>
      <div className="cs-video-wrap">
        <video ref={video} muted playsInline aria-label="Camera view" />
        {!live && !error && <p className="cs-video-msg">Starting the camera…</p>}
      </div>
      {error ? (
        <p className="cs-error" role="alert">
          {error}
        </p>
      ) : (
        <p className="cs-scan-status" aria-live="polite">
          Frames received: <strong data-testid="frames-received">{status.frames}</strong>
          {p && (
            <>
              {' '}
              · animated code, {p.expected} parts, <strong>{Math.round(p.progress * 100)}%</strong> decoded
              {p.error ? ` · ${p.error}` : ''}
            </>
          )}
          {!p && status.frames === 0 && ' · hold the code in front of the camera'}
          {status.problem && <span className="cs-line-fail"> · could not read a code: {status.problem}</span>}
        </p>
      )}
      {p && (
        <progress max={1} value={p.progress} aria-label="Animated code decoded">
          {Math.round(p.progress * 100)}%
        </progress>
      )}
      <button type="button" onClick={onCancel}>
        Stop scanning
      </button>
    </div>
  );
}
