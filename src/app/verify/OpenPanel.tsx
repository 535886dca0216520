import { useEffect, useId, useState } from 'react';
import type { OpenedFile } from './VerifyScreen.tsx';

interface Props {
  onOpen: (o: OpenedFile) => void;
  compact: boolean;
  current: string | null;
  /** The demo's own anchor (demo/trust.txt), offered to the trust panel. */
  onDemoAnchor: (text: string) => void;
}

/** Where a bundle comes in: the file picker, paste, the demo, or a drop anywhere on the page. */
export function OpenPanel({ onOpen, compact, current, onDemoAnchor }: Props) {
  const inputId = useId();
  const pasteId = useId();
  const [demo, setDemo] = useState(false);
  const [pasted, setPasted] = useState('');
  const [pasteOpen, setPasteOpen] = useState(false);
  const [demoError, setDemoError] = useState<string | null>(null);
  const [demoHint, setDemoHint] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    fetch('./demo/bundle.jsonl', { method: 'HEAD', cache: 'no-store' })
      .then((r) => live && setDemo(r.ok))
      .catch(() => live && setDemo(false));
    return () => {
      live = false;
    };
  }, []);

  const openDemo = async () => {
    setDemoError(null);
    try {
      const r = await fetch('./demo/bundle.jsonl', { cache: 'no-store' });
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      const blob = await r.blob();
      const t = await fetch('./demo/trust.txt', { cache: 'no-store' }).then((x) => (x.ok ? x.text() : ''), () => '');
      const anchor = t.split(/\s+/).find((w) => /^(genesis|key):/.test(w));
      onOpen({ file: blob, name: 'demo/bundle.jsonl' });
      setDemoHint(anchor ?? null);
    } catch (e) {
      setDemoError(`The demo bundle could not be loaded (${e instanceof Error ? e.message : String(e)}).`);
    }
  };
  return (
    <section className={`panel open-panel no-print${compact ? ' open-panel--compact' : ''}`} aria-labelledby={`${inputId}-h`}>
      <h2 id={`${inputId}-h`} className={compact ? 'sr-only' : undefined}>
        Verify an audit bundle
      </h2>
      {!compact && (
        <p className="lead">
          Drop a Countersign bundle (<span className="mono">.jsonl</span>, <span className="mono">.jsonl.gz</span>) or a MakerChecker audit export (
          <span className="mono">.json</span>) anywhere on this page. It is checked here, in this browser: nothing is uploaded.
        </p>
      )}
      <div className="open-actions">
        <label htmlFor={inputId} className="button primary file-button">
          {compact ? 'Open another file…' : 'Choose a file…'}
        </label>
        <input
          id={inputId}
          className="visually-hidden-input"
          type="file"
          aria-label="Open audit bundle"
          accept=".jsonl,.gz,.json,application/json,application/gzip,application/x-ndjson,text/plain"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) onOpen({ file: f, name: f.name });
            e.target.value = '';
          }}
        />
        <button type="button" aria-expanded={pasteOpen} aria-controls={pasteId} onClick={() => setPasteOpen((v) => !v)}>
          Paste text…
        </button>
        {demo && (
          <button type="button" onClick={openDemo}>
            Try the demo bundle
          </button>
        )}
        {compact && current && (
          <span className="current-file" title={current}>
            <span className="muted">File:</span> <span className="mono">{current}</span>
          </span>
        )}
      </div>
      {demoError && (
        <p role="alert" className="small fail-text">
          {demoError}
        </p>
      )}
      {demoHint && (
        <p className="small demo-hint">
          The demo publishes its anchor in <span className="mono">demo/trust.txt</span>:{' '}
          <button type="button" className="linklike" onClick={() => onDemoAnchor(demoHint)}>
            put it in the trust anchor field
          </button>{' '}
          — in real use, get the anchor from the log’s owner by another channel.
        </p>
      )}
      {pasteOpen && (
        <div id={pasteId} className="paste-area">
          <label htmlFor={`${pasteId}-t`}>Paste bundle text</label>
          <textarea
            id={`${pasteId}-t`}
            rows={compact ? 3 : 5}
            spellCheck={false}
            value={pasted}
            placeholder={'{"countersign":"bundle/v1","log":"…"}\n{"entry":{…}}'}
            onChange={(e) => setPasted(e.target.value)}
          />
          <div>
            <button
              type="button"
              className="primary"
              disabled={!pasted.trim()}
              onClick={() => {
                onOpen({ file: new Blob([pasted]), name: 'pasted text' });
              }}
            >
              Verify pasted text
            </button>
          </div>
        </div>
      )}
      {!compact && (
        <p className="small muted">
          Or press <kbd>Ctrl</kbd>+<kbd>V</kbd> anywhere on the page to verify what is on the clipboard.
        </p>
      )}
    </section>
  );
}
