import { useEffect, useId, useState } from 'react';
import type { OpenedFile } from './VerifyScreen.tsx';

interface Props {
  onOpen: (o: OpenedFile) => void;
  compact: boolean;
  current: string | null;
  /** The demo's own anchor (demo/trust.txt): put in the trust panel and checked again at once. */
  onDemoAnchor: (text: string) => void;
  /** The anchor typed in the trust panel now, to tell whether the demo's is in use. */
  anchorInUse: string | null;
  /** The last check passed: the demo's loop is complete, nothing is left to do. */
  passed: boolean;
}

/** Where a bundle comes in: the file picker, paste, the demo, or a drop anywhere on the page. */
export function OpenPanel({ onOpen, compact, current, onDemoAnchor, anchorInUse, passed }: Props) {
  const inputId = useId();
  const pasteId = useId();
  const [demo, setDemo] = useState(false);
  const [pasted, setPasted] = useState('');
  const [pasteOpen, setPasteOpen] = useState(false);
  const [demoError, setDemoError] = useState<string | null>(null);
  const [demoHint, setDemoHint] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    // A GET of the small trust.txt, not a HEAD: the service worker keeps the demo's files it has
    // seen, so the demo stays on offer offline once it was loaded.
    fetch('./demo/trust.txt', { cache: 'no-cache' })
      .then((r) => live && setDemo(r.ok))
      .catch(() => live && setDemo(false));
    return () => {
      live = false;
    };
  }, []);

  const openDemo = async () => {
    setDemoError(null);
    try {
      const r = await fetch('./demo/bundle.jsonl', { cache: 'no-cache' });
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      const blob = await r.blob();
      const t = await fetch('./demo/trust.txt', { cache: 'no-cache' }).then(
        (x) => (x.ok ? x.text() : ''),
        () => '',
      );
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
        <label className="button primary file-button">
          {compact ? 'Open another file…' : 'Choose a file…'}
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
        </label>
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
      {demoHint && current === 'demo/bundle.jsonl' && anchorInUse !== demoHint && (
        <p className="small demo-hint" data-testid="demo-hint">
          The demo publishes its trust anchor in <span className="mono">demo/trust.txt</span>.{' '}
          <button type="button" className="primary small-button" onClick={() => onDemoAnchor(demoHint)}>
            Use the demo’s anchor and check again
          </button>{' '}
          In real use, get the anchor from the log’s owner by another channel.
        </p>
      )}
      {demoHint && current === 'demo/bundle.jsonl' && anchorInUse === demoHint && passed && (
        <p className="small demo-hint" data-testid="demo-next">
          The demo’s anchor is in the trust anchor field. PASS: the request you signed was carried out by the demo gate, and the whole log verifies. That is the
          loop, end to end.
        </p>
      )}
      {demoHint && current === 'demo/bundle.jsonl' && anchorInUse === demoHint && !passed && (
        <p className="small demo-hint" data-testid="demo-next">
          The demo’s anchor is in the trust anchor field and is used for every check. Next: one demo request waits for one more approval. Sign it as its
          approver in the <a href="#/wallet">Signing wallet</a> (press <strong>Try the demo</strong> there), then come back here and try the demo bundle again.
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
