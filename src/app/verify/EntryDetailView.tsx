import { useEffect, useMemo, useState } from 'react';
import type { Report } from '../../core/report/report.ts';
import { fingerprintOf } from '../../core/crypto/ed25519.ts';
import { entryDetail } from '../lib/verifier-client.ts';
import { bytes, int } from '../lib/format.ts';
import type { EntryDetail, TimelineIndex } from '../../shared/verify-api.ts';
import { checkTitle } from '../../core/statements/checks.ts';

interface Props {
  report: Report;
  index: TimelineIndex;
  row: number | null;
  marks: string[];
}

const SIG_WORDS = {
  valid: { icon: '✓', text: 'signature verifies', cls: 'pass-text' },
  invalid: { icon: '✕', text: 'signature does NOT verify', cls: 'fail-text' },
  unknown: { icon: '?', text: 'key is in no roster of this log: not checked', cls: 'fail-text' },
} as const;

/** One row, re-read from the file and decoded on demand. */
export function EntryDetailView({ report, index, row, marks }: Props) {
  const [detail, setDetail] = useState<EntryDetail | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (row === null) return;
    let live = true;
    // Short debounce so holding an arrow key does not queue a read per row.
    const t = setTimeout(async () => {
      const r = await entryDetail(row);
      if (!live) return;
      if (r.ok) {
        setDetail(r.value);
        setError(null);
      } else {
        setDetail(null);
        setError(r.message);
      }
    }, 60);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [row]);

  const findings = useMemo(() => report.findings.filter((_, i) => row !== null && index.findingRows[i] === row), [report, index, row]);
  const signers = useMemo(() => new Map(report.signers.map((s) => [s.keyId, s])), [report]);

  if (row === null)
    return (
      <aside className="panel entry-detail" aria-label="Entry detail">
        <p className="muted">Select a row (click, or the arrow keys in the list) to see its decoded statement, signer and signature.</p>
      </aside>
    );
  const d = detail && detail.row === row ? detail : null;
  const typeName = index.types[index.type[row]!] ?? '';
  return (
    <aside className="panel entry-detail" aria-label="Entry detail" data-testid="entry-detail" aria-busy={!d}>
      <h3>
        {index.kind === 'makerchecker' ? `Event ${int(row + 1)}` : `Line ${int(row + 1)}`}
        {index.seq[row]! >= 0 ? ` · seq ${index.seq[row]}` : ''} · <span className="ttype">{typeName}</span>
      </h3>
      {error && (
        <p role="alert" className="fail-text small">
          {error}
        </p>
      )}
      {findings.length > 0 ? (
        <ul className="detail-findings">
          {findings.map((f, i) => (
            <li key={i} className={f.severity === 'error' ? 'fail-text' : 'warn-text'}>
              <span aria-hidden="true">{f.severity === 'error' ? '✕' : '!'}</span> <strong>{checkTitle(f.code) || f.code}</strong>
              <div className="small">
                {f.message} <span className="mono code-aside">{f.code}</span>
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <p className="small muted">{marks.length ? '' : 'No finding at this row.'}</p>
      )}
      {!d && !error && <p className="muted small">Reading…</p>}
      {d && (
        <>
          {d.signatures && d.signatures.length > 0 && (
            <div className="detail-block">
              <h4>Signatures</h4>
              <ul className="sig-list">
                {d.signatures.map((s) => {
                  const who = signers.get(s.keyId);
                  const w = SIG_WORDS[s.status];
                  return (
                    <li key={s.keyId}>
                      <span className={w.cls}>
                        <span aria-hidden="true">{w.icon}</span> {w.text}
                      </span>
                      <div>
                        {who ? (
                          <>
                            <strong>{who.name ?? who.principal}</strong> {who.principal && <span className="muted small">({who.principal})</span>}
                          </>
                        ) : (
                          <span className="muted">unnamed key</span>
                        )}{' '}
                        <span className="mono small">key {safeFingerprint(s.keyId)}</span>
                      </div>
                    </li>
                  );
                })}
              </ul>
              <p className="small muted">
                Whether the key was in force for this signer at this point of the log is judged by the replay: see the findings above.
              </p>
            </div>
          )}
          {d.hash && (
            <div className="detail-block">
              <h4>Event hash</h4>
              <p className={d.hash.matches ? 'pass-text' : 'fail-text'}>
                <span aria-hidden="true">{d.hash.matches ? '✓' : '✕'}</span>{' '}
                {d.hash.matches ? 'The stored hash recomputes.' : 'The stored hash does NOT recompute.'}
              </p>
              <p className="mono small break">stored {d.hash.stored}</p>
              {!d.hash.matches && <p className="mono small break">computed {d.hash.computed}</p>}
              <p className="small muted">MakerChecker events are not signed one by one: the manifest signature covers the chain of event hashes.</p>
            </div>
          )}
          {d.problem && <pre className="detail-problem small">{d.problem}</pre>}
          {d.digest && (
            <p className="small">
              <span className="muted">Statement digest</span> <span className="mono break">{d.digest}</span>
            </p>
          )}
          {(d.statement !== undefined || d.payloadText) && (
            <div className="detail-block">
              <h4>{d.kind === 'entry' ? 'Decoded statement' : d.kind === 'checkpoint' ? 'Checkpoint note' : d.kind === 'event' ? 'Event' : 'Content'}</h4>
              <pre className="json">{d.payloadText ?? (typeof d.statement === 'string' ? d.statement : JSON.stringify(d.statement, null, 2))}</pre>
            </div>
          )}
          <details className="detail-block">
            <summary>
              Raw bytes as stored{' '}
              <span className="muted small">
                ({bytes(d.length)} at offset {int(d.offset)})
              </span>
            </summary>
            <pre className="json raw">
              {d.raw}
              {d.rawTruncated ? '\n…' : ''}
            </pre>
          </details>
        </>
      )}
    </aside>
  );
}

function safeFingerprint(keyId: string): string {
  try {
    return fingerprintOf(keyId);
  } catch {
    return keyId.slice(0, 32);
  }
}
