import type { VerifyProgress } from '../../shared/verify-api.ts';
import { bytes, duration, int } from '../lib/format.ts';

interface Props {
  name: string;
  progress: VerifyProgress | null;
  onCancel: () => void;
}

export function ProgressPanel({ name, progress: p, onCancel }: Props) {
  const fraction = p && p.totalBytes > 0 ? Math.min(1, p.bytes / p.totalBytes) : 0;
  const seconds = p ? p.elapsedMs / 1000 : 0;
  const rate = p && seconds > 0.2 ? p.entries / seconds : 0;
  const byteRate = p && seconds > 0.2 ? p.bytes / seconds : 0;
  const left = p && byteRate > 0 ? ((p.totalBytes - p.bytes) / byteRate) * 1000 : NaN;
  return (
    <section className="panel progress-panel" aria-labelledby="progress-h" data-testid="progress">
      <div className="progress-head">
        <h2 id="progress-h">
          Verifying <span className="mono">{name}</span>…
        </h2>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <progress max={1} value={fraction} aria-label="Bytes read">
        {Math.round(fraction * 100)}%
      </progress>
      <dl className="progress-stats">
        <div>
          <dt>Read</dt>
          <dd>
            {p ? `${bytes(p.bytes)} of ${bytes(p.totalBytes)}` : 'starting…'} <span className="muted">({Math.round(fraction * 100)}%)</span>
          </dd>
        </div>
        <div>
          <dt>Entries checked</dt>
          <dd data-testid="progress-entries">{p ? int(p.entries) : '0'}</dd>
        </div>
        <div>
          <dt>Speed</dt>
          <dd>{rate ? `${int(rate)} entries/s` : '—'}</dd>
        </div>
        <div>
          <dt>Time left</dt>
          <dd>{Number.isFinite(left) ? `about ${duration(left)}` : '—'}</dd>
        </div>
      </dl>
      <p className="small muted">The page stays usable while the worker reads; signature checks run on {navigator.hardwareConcurrency || 'several'} threads.</p>
    </section>
  );
}
