// The signing history: every vote this wallet signed, hash-chained; export and check.
import { useState } from 'react';
import { exportHistory, verifyHistoryExport, type HistoryStatus } from '../../core/wallet/history.ts';
import { ApprovalExport, VoteBadge } from './DecisionBar.tsx';
import type { WalletApi } from './state.ts';
import { downloadText, FileField, Notice, readSmallFile, SafeText, when } from './ui.tsx';

function ChainStatus({ s, what }: { s: HistoryStatus; what: string }) {
  return s.ok ? (
    <Notice tone="pass" title={`${what}: chain intact`} role="status">
      <p>
        {s.count} record{s.count === 1 ? '' : 's'}, each linked to the one before by its SHA-256 and signed by its key. Head{' '}
        <span className="mono">{s.head.slice(0, 16)}…</span>
      </p>
    </Notice>
  ) : (
    <Notice tone="fail" title={`${what}: chain broken`} role="alert">
      <ul>
        {s.problems.slice(0, 10).map((p, i) => (
          <li key={i}>
            {p.seq >= 0 ? `Record ${p.seq}: ` : ''}
            {p.message}
          </li>
        ))}
      </ul>
    </Notice>
  );
}

export function HistorySection({ w }: { w: WalletApi }) {
  const [open, setOpen] = useState<number | null>(null);
  const [checked, setChecked] = useState<{ name: string; status: HistoryStatus } | null>(null);
  const rows = [...w.history].reverse();
  return (
    <section aria-labelledby="cs-hist-h">
      <h2 id="cs-hist-h">Signing history</h2>
      <p className="muted">Everything this wallet signed, approve or reject, in order. Records are only ever added.</p>
      <ChainStatus s={w.historyStatus} what="This wallet's history" />
      <div className="cs-row">
        <button
          type="button"
          disabled={w.history.length === 0}
          onClick={() =>
            downloadText(`countersign-wallet-history-${new Date().toISOString().slice(0, 10)}.jsonl`, exportHistory(w.history), 'application/x-ndjson')
          }
        >
          Export history
        </button>
      </div>
      <FileField
        label="Check a history file"
        accept=".jsonl,.json,text/plain"
        onFile={async (f) => {
          try {
            setChecked({ name: f.name, status: verifyHistoryExport(await readSmallFile(f, 32 << 20)) });
          } catch (e) {
            setChecked({ name: f.name, status: { ok: false, count: 0, head: '', problems: [{ seq: -1, message: (e as Error).message }] } });
          }
        }}
      />
      {checked && <ChainStatus s={checked.status} what={checked.name} />}
      {rows.length === 0 ? (
        <p className="muted">Nothing signed yet.</p>
      ) : (
        <div className="cs-table-wrap">
          <table className="stack cs-table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Signed</th>
                <th scope="col">Vote</th>
                <th scope="col">Skill and request</th>
                <th scope="col">Sent back</th>
                <th scope="col">
                  <span className="cs-sr">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((h) => {
                const ex = w.exported.get(h.seq);
                const identity = w.identities.find((i) => i.keyId === h.key);
                return (
                  <tr key={h.seq}>
                    <td data-label="#">{h.seq}</td>
                    <td data-label="Signed">
                      {when(h.at)}
                      <div className="muted small">{identity ? `${identity.name} (${identity.principal})` : h.key.slice(0, 8)}</div>
                    </td>
                    <td data-label="Vote">
                      <VoteBadge vote={h.vote} />
                    </td>
                    <td data-label="Skill and request">
                      <span className="mono">{h.skill}</span> · <SafeText text={h.request_id} />
                      <div className="muted small mono">{h.log}</div>
                    </td>
                    <td data-label="Sent back">{ex ? `${ex.how}, ${when(ex.at)}` : <span className="cs-line-warn">not yet</span>}</td>
                    <td data-label="">
                      <button type="button" onClick={() => setOpen(open === h.seq ? null : h.seq)} aria-expanded={open === h.seq}>
                        {open === h.seq ? 'Hide' : 'Export again…'}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {open !== null && w.history.find((h) => h.seq === open) && (
        <div className="panel">
          <h3>Record {open}</h3>
          <ApprovalExport w={w} record={w.history.find((h) => h.seq === open)!} />
        </div>
      )}
    </section>
  );
}
