// Small building blocks of the wallet screens.
import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { identityHue } from '../../core/wallet/format.ts';
import { fingerprintOf } from '../../core/crypto/ed25519.ts';
import { scanText, segmentText, type TextIssue } from '../../core/wallet/text-safety.ts';
import { partQr, qrPath, staticQr, urEncoder, type QrMatrix, type UrStream } from './qr.ts';

// ---------------------------------------------------------------------------------------------
// Text that may hide something

const KIND_WORD: Record<TextIssue['kind'], string> = {
  bidi: 'direction control',
  invisible: 'invisible',
  control: 'control',
  confusable: 'lookalike',
};

/**
 * Renders untrusted text with every bidi, invisible, control or lookalike character replaced
 * by (or wrapped in) a visible marker. Direction controls are never put in the DOM, so they
 * cannot reorder what is shown.
 */
export function SafeText({ text, issues }: { text: string; issues?: TextIssue[] }) {
  const segs = useMemo(() => segmentText(text, issues ?? scanText(text)), [text, issues]);
  return (
    <bdi className="cs-safe" dir="ltr">
      {segs.map((s, i) => {
        if (!s.issue) return <span key={i}>{s.text}</span>;
        const code = 'U+' + s.issue.codePoint.toString(16).toUpperCase().padStart(4, '0');
        if (s.issue.kind === 'confusable')
          return (
            <mark key={i} className="cs-mark cs-mark-confusable" title={`${s.issue.label}: ${s.issue.explanation}`}>
              {s.text === '\u00a0' || /\s/.test(s.text) ? '␣' : s.text}
              <span className="cs-mark-tag" aria-hidden="true">
                ?
              </span>
              <span className="cs-sr"> (lookalike character {code})</span>
            </mark>
          );
        return (
          <mark key={i} className={`cs-mark cs-mark-${s.issue.kind}`} title={`${s.issue.label}: ${s.issue.explanation}`}>
            <span aria-hidden="true">⟦{code}⟧</span>
            <span className="cs-sr">
              {' '}
              ({KIND_WORD[s.issue.kind]} character {s.issue.label}){' '}
            </span>
          </mark>
        );
      })}
    </bdi>
  );
}

/** The list of what was found in one string, for people (shown under a flagged field). */
export function IssueList({ issues }: { issues: TextIssue[] }) {
  const unique = new Map<string, TextIssue & { count: number }>();
  for (const i of issues) {
    const k = i.label;
    const cur = unique.get(k);
    if (cur) cur.count++;
    else unique.set(k, { ...i, count: 1 });
  }
  return (
    <ul className="cs-issues">
      {[...unique.values()].map((i) => (
        <li key={i.label}>
          <strong>
            {i.label}
            {i.count > 1 ? ` ×${i.count}` : ''}
          </strong>{' '}
          — {i.explanation}
        </li>
      ))}
    </ul>
  );
}

// ---------------------------------------------------------------------------------------------
// Identities

export function IdentityBadge({ keyId, name, principal, compact }: { keyId: string; name: string; principal: string; compact?: boolean }) {
  const hue = identityHue(keyId);
  const initials = name
    .split(/\s+/)
    .map((w) => w[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
  return (
    <span className={`cs-identity${compact ? ' compact' : ''}`}>
      <span className="cs-swatch" style={{ background: `hsl(${hue} 55% 30%)` }} aria-hidden="true">
        {initials}
      </span>
      <span className="cs-identity-text">
        <span className="cs-identity-name">
          <SafeText text={name} /> <span className="muted">({principal})</span>
        </span>
        {!compact && <span className="mono cs-fp">{fingerprintOf(keyId)}</span>}
      </span>
    </span>
  );
}

// ---------------------------------------------------------------------------------------------
// Files

export function downloadText(filename: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** Reads a picked or dropped file as UTF-8 text; refuses anything large. */
export async function readSmallFile(file: Blob, max = 4 << 20): Promise<string> {
  if (file.size > max) throw new Error(`the file is ${Math.round(file.size / 1024)} KiB; exchange files are small (at most ${max >> 20} MiB)`);
  return new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());
}

/**
 * A file picker that looks like the verifier's: a button-styled label around a hidden input,
 * so the focus ring is drawn on the button itself and no "No file chosen" text appears.
 */
export function FileField({
  label,
  accept,
  onFile,
  hint,
  disabled,
  button = 'Choose a file…',
}: {
  label: string;
  accept?: string;
  onFile: (f: File) => void;
  hint?: ReactNode;
  disabled?: boolean;
  button?: string;
}) {
  const id = useId();
  return (
    <div className="cs-field">
      <span className="cs-field-label" aria-hidden="true">
        {label}
      </span>
      <label className={`button file-button${disabled ? ' file-button--disabled' : ''}`}>
        {button}
        <input
          id={id}
          type="file"
          className="visually-hidden-input"
          aria-label={label}
          accept={accept}
          disabled={disabled}
          aria-describedby={hint ? `${id}-hint` : undefined}
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (f) onFile(f);
          }}
        />
      </label>
      {hint && (
        <span id={`${id}-hint`} className="cs-hint">
          {hint}
        </span>
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Notices

export function Notice({
  tone,
  title,
  children,
  role,
}: {
  tone: 'pass' | 'warn' | 'fail' | 'info';
  title: ReactNode;
  children?: ReactNode;
  role?: 'alert' | 'status';
}) {
  const icon = { pass: '✓', warn: '!', fail: '✕', info: 'i' }[tone];
  return (
    <div className={`cs-notice cs-notice-${tone}`} role={role}>
      <span className="cs-notice-icon" aria-hidden="true">
        {icon}
      </span>
      <div>
        <p className="cs-notice-title">{title}</p>
        {children}
      </div>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// QR codes

export function QrSvg({ matrix, label }: { matrix: QrMatrix; label: string }) {
  const n = matrix.size + 8;
  return (
    <svg className="cs-qr" viewBox={`0 0 ${n} ${n}`} role="img" aria-label={label} shapeRendering="crispEdges">
      <rect width={n} height={n} fill="#fff" />
      <path d={qrPath(matrix)} fill="#000" />
    </svg>
  );
}

const DENSITY = [
  { label: 'Low', bytes: 100 },
  { label: 'Medium', bytes: 200 },
  { label: 'High', bytes: 400 },
];
const SPEED = [2, 4, 8];

/**
 * A file as a QR code: one static code (byte mode, level M) when it fits, else animated
 * ur:bytes parts with density and speed controls. A static code can be shown animated too,
 * for cameras that cannot read a dense code.
 */
export function QrPanel({ text, what }: { text: string; what: string }) {
  const bytes = useMemo(() => new TextEncoder().encode(text), [text]);
  const st = useMemo(() => staticQr(bytes), [bytes]);
  const [animated, setAnimated] = useState(st === null);
  const [density, setDensity] = useState(1);
  const [speed, setSpeed] = useState(4);
  const [paused, setPaused] = useState(false);
  const [frame, setFrame] = useState<{ m: QrMatrix; n: number; fragments: number } | null>(null);
  const enc = useRef<UrStream | null>(null);
  const ids = useId();

  useEffect(() => setAnimated(st === null), [st]);

  const [encoderReady, setEncoderReady] = useState(0);
  const count = useRef(0);
  const show = () => {
    const e = enc.current;
    if (!e) return;
    count.current++;
    setFrame({ m: partQr(e.nextPart()), n: count.current, fragments: e.fragments });
  };

  // A new fountain encoder when the file or the density changes.
  useEffect(() => {
    if (!animated) return;
    let alive = true;
    enc.current = null;
    count.current = 0;
    void urEncoder(bytes, DENSITY[density]!.bytes).then((e) => {
      if (!alive) return;
      enc.current = e;
      show();
      setEncoderReady((k) => k + 1);
    });
    return () => {
      alive = false;
    };
  }, [animated, bytes, density]);

  // The frame clock.
  useEffect(() => {
    if (!animated || paused || !enc.current) return;
    const timer = setInterval(show, 1000 / speed);
    return () => clearInterval(timer);
  }, [animated, paused, speed, encoderReady]);

  return (
    <div className="cs-qr-panel">
      {!animated && st && <QrSvg matrix={st} label={`QR code of the ${what} (one code, version ${st.version})`} />}
      {animated && frame && <QrSvg matrix={frame.m} label={`Animated QR code of the ${what}: frame ${frame.n}`} />}
      {animated && !frame && <div className="cs-qr cs-qr-wait">Preparing…</div>}
      <div className="cs-qr-info">
        {!animated && st && (
          <p className="muted">
            The whole file ({bytes.length} bytes) fits in this one code: scan it once.{' '}
            <span className="small">(QR version {st.version}, error correction level M: a code of this size still reads with a few modules smudged.)</span>
          </p>
        )}
        {animated && (
          <p className="muted" aria-live="off">
            The file ({bytes.length} bytes) is too big for one code, so it is shown as a loop of codes
            {frame ? ` (frame ${frame.n}; ${frame.fragments} parts a loop)` : ''}. Keep the camera on it until the scanner says it is complete; missed frames
            come round again. <span className="small">(Format: animated ur:bytes.)</span>
          </p>
        )}
        {animated && (
          <div className="cs-qr-controls">
            <label htmlFor={`${ids}-d`}>Density</label>
            <select id={`${ids}-d`} value={density} onChange={(e) => setDensity(Number(e.currentTarget.value))}>
              {DENSITY.map((d, i) => (
                <option key={d.label} value={i}>
                  {d.label} ({d.bytes} bytes a frame)
                </option>
              ))}
            </select>
            <label htmlFor={`${ids}-s`}>Speed</label>
            <select id={`${ids}-s`} value={speed} onChange={(e) => setSpeed(Number(e.currentTarget.value))}>
              {SPEED.map((s) => (
                <option key={s} value={s}>
                  {s} frames a second
                </option>
              ))}
            </select>
            <button type="button" onClick={() => setPaused((p) => !p)}>
              {paused ? 'Play' : 'Pause'}
            </button>
          </div>
        )}
        {st && (
          <button type="button" className="linklike" onClick={() => setAnimated((a) => !a)}>
            {animated ? 'Show as one code' : 'Show as animated codes (easier for some cameras)'}
          </button>
        )}
      </div>
    </div>
  );
}

/** A padlock, open or shut (drawn, so it needs no emoji font). */
export function LockIcon({ open }: { open: boolean }) {
  return (
    <svg className="cs-lock" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <path d={open ? 'M5 7V4.5a3 3 0 0 1 5.8-1' : 'M5 7V4.5a3 3 0 0 1 6 0V7'} fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
      <rect x="3" y="7" width="10" height="7.5" rx="1.5" fill="currentColor" />
    </svg>
  );
}

/** mm:ss */
export function clock(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
}
