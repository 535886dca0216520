import { useMemo } from 'react';
import type { Finding } from '../../core/report/findings.ts';
import type { Report } from '../../core/report/report.ts';
import { int } from '../lib/format.ts';
import { checkSeverity, checkTitle } from '../../core/statements/checks.ts';

interface Props {
  report: Report;
  findingRows: Int32Array;
  onJump: (row: number) => void;
}

interface Group {
  code: string;
  severity: 'error' | 'warning';
  count: number;
  dropped: number;
  items: { f: Finding; row: number }[];
}

/** Findings grouped by code, errors first; each links to its row in the timeline. */
export function FindingsView({ report, findingRows, onJump }: Props) {
  const groups = useMemo(() => {
    const by = new Map<string, Group>();
    report.findings.forEach((f, i) => {
      let g = by.get(f.code);
      if (!g) {
        g = { code: f.code, severity: f.severity, count: report.counts[f.code] ?? 0, dropped: report.dropped[f.code] ?? 0, items: [] };
        by.set(f.code, g);
      }
      g.items.push({ f, row: findingRows[i] ?? -1 });
    });
    for (const [code, count] of Object.entries(report.counts))
      if (count && !by.has(code)) by.set(code, { code, severity: checkSeverity(code), count, dropped: report.dropped[code] ?? 0, items: [] });
    return [...by.values()].sort((a, b) => (a.severity === b.severity ? b.count - a.count : a.severity === 'error' ? -1 : 1));
  }, [report, findingRows]);

  if (!groups.length)
    return (
      <div className="panel">
        <p className="pass-text">
          <span aria-hidden="true">✓ </span>No findings: every check passed.
        </p>
      </div>
    );
  return (
    <div className="findings">
      {groups.map((g) => (
        <section key={g.code} className={`panel finding-group finding-group--${g.severity}`} aria-labelledby={`fg-${g.code}`}>
          {/* Plain words first; the code stays, smaller, for people who search for it. */}
          <h3 id={`fg-${g.code}`}>
            <span className={`sev sev--${g.severity}`}>{g.severity === 'error' ? '✕ Error' : '! Warning'}</span>{' '}
            <span className="finding-title">{checkTitle(g.code) || g.code}</span> <span className="muted">· {int(g.count)}</span>
          </h3>
          <p className="code-words">
            <span className="mono code-aside" data-testid="finding-code">
              {g.code}
            </span>
          </p>
          <ul className="finding-list">
            {g.items.map(({ f, row }, i) => (
              <li key={i}>
                {row >= 0 ? (
                  <button
                    type="button"
                    className="linklike where"
                    onClick={() => onJump(row)}
                    aria-label={`line ${f.line}${f.seq !== undefined ? ` · seq ${f.seq}` : ''}, show it in the timeline`}
                  >
                    line {f.line}
                    {f.seq !== undefined ? ` · seq ${f.seq}` : ''}
                  </button>
                ) : (
                  <span className="where muted">
                    {f.line ? `line ${f.line}` : f.seq !== undefined && !f.code.startsWith('TRUST.') ? `seq ${f.seq}` : 'whole file'}
                  </span>
                )}{' '}
                <span className="finding-message">{f.message}</span>
              </li>
            ))}
          </ul>
          {g.dropped > 0 && <p className="small muted">…and {int(g.dropped)} more of this code, counted but not listed.</p>}
        </section>
      ))}
    </div>
  );
}
