import { useId, useRef, useState } from 'react';
import { describeAnchor, parseAnchors, type PinnedAnchor } from '../lib/anchors.ts';

interface Props {
  pinned: PinnedAnchor[];
  typed: string;
  onTyped: (t: string) => void;
  onPin: (p: PinnedAnchor) => Promise<void>;
  onUnpin: (id: string) => Promise<void>;
  /** Re-verify the open file with the anchors as they are now (null while none is open or one runs). */
  onRecheck: (() => void) | null;
}

/** What the reviewer pins: whose log or whose key this is supposed to be, learned out of band. */
export function TrustPanel({ pinned, typed, onTyped, onPin, onUnpin, onRecheck }: Props) {
  const id = useId();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const pemRef = useRef<HTMLInputElement>(null);

  const pin = async () => {
    const parsed = parseAnchors(typed);
    if (!parsed.ok) {
      setError(parsed.message);
      return;
    }
    const label = name.trim() || `Anchor ${pinned.length + 1}`;
    setError(null);
    await onPin({
      id: crypto.randomUUID(),
      name: label,
      anchors: parsed.anchors.map((a) => ({ ...a, label })),
      addedAt: new Date().toISOString(),
    });
    setName('');
  };

  const typedCheck = typed.trim() ? parseAnchors(typed) : null;

  return (
    <section className="panel trust-panel no-print" aria-labelledby={`${id}-h`}>
      <div className="trust-entry">
        <h2 id={`${id}-h`}>Whose evidence is it?</h2>
        <p className="small muted trust-intro">
          A bundle proves it is intact; only an anchor you got from its owner, by another channel, says whose it is. Pinned anchors stay in this browser.
        </p>
        <label htmlFor={`${id}-a`} className="field-label">
          Trust anchor
        </label>
        <textarea
          id={`${id}-a`}
          className="mono anchor-input"
          rows={2}
          spellCheck={false}
          value={typed}
          placeholder="genesis:<hex>, key:<hex>, witness:<name>+<hash>+<key>, or a PEM public key"
          aria-describedby={`${id}-hint`}
          aria-invalid={typedCheck !== null && !typedCheck.ok}
          onChange={(e) => {
            onTyped(e.target.value);
            setError(null);
          }}
        />
        <p id={`${id}-hint`} className="small muted trust-hint">
          A typed anchor is used for the next check. Several keys (a governance set) can go in one anchor, separated by spaces. A witness anchor requires that
          witness’s cosignature on the last checkpoint.
        </p>
        {(error || (typedCheck && !typedCheck.ok)) && (
          <p className="small fail-text" role="alert">
            {error ?? (typedCheck && !typedCheck.ok ? typedCheck.message : '')}
          </p>
        )}
        <div className="pin-row">
          <label htmlFor={`${id}-n`} className="sr-only">
            Name for this anchor
          </label>
          <input id={`${id}-n`} type="text" placeholder="Name, e.g. ACME production" value={name} onChange={(e) => setName(e.target.value)} />
          <button type="button" onClick={pin} disabled={!typed.trim()}>
            Pin anchor
          </button>
        </div>
        <div className="pin-row">
          <button type="button" className="linklike" onClick={() => pemRef.current?.click()}>
            Load a PEM key file…
          </button>
          <input
            ref={pemRef}
            type="file"
            className="visually-hidden-input"
            tabIndex={-1}
            aria-label="Load a PEM key file"
            accept=".pem,.txt,application/x-pem-file,text/plain"
            onChange={async (e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (!f) return;
              const text = await f.text();
              onTyped(text.trim());
              if (!name.trim()) setName(f.name.replace(/\.pem$/i, ''));
            }}
          />
          {onRecheck && typed.trim() && (
            <button type="button" onClick={onRecheck} disabled={typedCheck !== null && !typedCheck.ok}>
              Check again with this anchor
            </button>
          )}
        </div>
      </div>
      <div className="trust-pinned">
        {pinned.length > 0 ? (
          <ul className="pinned-list" aria-label="Pinned anchors">
            {pinned.map((p) => (
              <li key={p.id}>
                <div>
                  <strong>{p.name}</strong>
                  <div className="mono small muted">{p.anchors.map(describeAnchor).join(' · ')}</div>
                </div>
                <button type="button" className="small-button" onClick={() => onUnpin(p.id)} aria-label={`Remove pinned anchor ${p.name}`}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="small muted">No anchors pinned yet.</p>
        )}
      </div>
    </section>
  );
}
