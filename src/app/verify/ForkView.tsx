// The fork screen (docs/format.md §7.2): a remembered checkpoint that this bundle contradicts
// is the strongest evidence the verifier produces. It says so first, shows both checkpoints,
// and exports them as a fork-evidence/v1 file anyone can check.
import { useState } from 'react';
import type { Report } from '../../core/report/report.ts';
import { forkEvidence } from '../lib/verifier-client.ts';
import { downloadText } from '../wallet/ui.tsx';

function sizeOf(note: string): string {
  return note.split('\n')[1] ?? '?';
}

export function ForkView({ report }: { report: Report }) {
  const w = report.witness;
  const [status, setStatus] = useState<string | null>(null);
  if (!w || (!w.forks.length && !w.truncated)) return null;
  const fork = w.forks[0];
  const exportEvidence = async () => {
    setStatus(null);
    const r = await forkEvidence();
    if (!r.ok) {
      setStatus(r.message);
      return;
    }
    const base = (report.log ?? 'log').replace(/[^a-z0-9._-]+/gi, '-');
    downloadText(`${base}.fork-evidence.json`, r.value);
    setStatus('Saved. Anyone can check it with “countersign witness check-fork”.');
  };
  return (
    <section className="panel fork-panel" data-testid="fork" role="alert" aria-labelledby="fork-h">
      {fork ? (
        <>
          <h2 id="fork-h">✕ This gate signed two different histories</h2>
          <p>
            This browser remembers a checkpoint of <span className="mono">{report.log}</span> of size {fork.size}, from a bundle that verified. In this bundle,
            the first {fork.size} entries hash to another root. A gate that shows one history to you and another to someone else is hiding something from one of
            you: keep both checkpoints. {fork.conflicting ? 'Both carry the gate’s signature.' : ''}
          </p>
          <div className="fork-notes">
            <div>
              <h3>Remembered checkpoint (size {fork.size})</h3>
              <pre className="mono small" data-testid="fork-remembered">
                {fork.remembered}
              </pre>
            </div>
            <div>
              <h3>{fork.conflicting ? `This bundle’s checkpoint (size ${sizeOf(fork.conflicting)})` : 'This bundle'}</h3>
              {fork.conflicting ? (
                <pre className="mono small" data-testid="fork-conflicting">
                  {fork.conflicting}
                </pre>
              ) : (
                <p className="small">
                  No valid checkpoint of this bundle covers size {fork.size}, so the gate has not signed this second history; its entries still hash to another
                  root ({fork.rootAtSize}).
                </p>
              )}
            </div>
          </div>
          {fork.conflicting && (
            <div className="pin-row">
              <button type="button" onClick={() => void exportEvidence()} data-testid="export-fork">
                Export the fork evidence
              </button>
              <span className="small muted">A fork-evidence/v1 file: both signed checkpoints and an RFC 6962 proof linking them.</span>
            </div>
          )}
          {status && (
            <p className="small" role="status">
              {status}
            </p>
          )}
        </>
      ) : (
        <>
          <h2 id="fork-h">✕ Entries the gate signed before are missing</h2>
          <p>
            This browser remembers a checkpoint of <span className="mono">{report.log}</span> of size {w.truncated!.size}; this bundle holds only{' '}
            {w.truncated!.entries} entries.
          </p>
          <pre className="mono small">{w.truncated!.remembered}</pre>
        </>
      )}
    </section>
  );
}
