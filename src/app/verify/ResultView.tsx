import { lazy, Suspense, useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { Report } from '../../core/report/report.ts';
import { matchedPinned, type PinnedAnchor } from '../lib/anchors.ts';
import { bytes, duration, grouped, int } from '../lib/format.ts';
import type { VerifyOutcome } from '../../shared/verify-api.ts';
import { reportFile } from '../lib/verifier-client.ts';
import { FindingsView } from './FindingsView.tsx';
import { ForkView } from './ForkView.tsx';
import { WitnessPanel } from './WitnessPanel.tsx';
import { GovernanceView } from './GovernanceView.tsx';
import { checkSeverity } from '../../core/statements/checks.ts';
import { backendWords } from './words.ts';

const TimelineView = lazy(() => import('./TimelineView.tsx'));

interface Props {
  name: string;
  outcome: VerifyOutcome;
  pinned: PinnedAnchor[];
  /** Move focus to the verdict (and scroll it into view) when it appears: a re-check the user asked for. */
  focusVerdict?: boolean;
}

type Tab = 'findings' | 'governance' | 'timeline' | 'signers';

export function ResultView({ name, outcome, pinned, focusVerdict = false }: Props) {
  const { report, index, pool, requests } = outcome;
  const [tab, setTab] = useState<Tab>('findings');
  const [selected, setSelected] = useState<number | null>(null);
  // Panels are built when first shown (or for printing), so a large result paints its verdict at once.
  const [visited, setVisited] = useState<Set<Tab>>(() => new Set(['findings']));
  useEffect(() => {
    setVisited((v) => (v.has(tab) ? v : new Set(v).add(tab)));
  }, [tab]);
  useEffect(() => {
    const all = () => setVisited(new Set(['findings', 'governance', 'signers']));
    addEventListener('beforeprint', all);
    return () => removeEventListener('beforeprint', all);
  }, []);
  const id = useId();
  const tabs = useRef<Record<Tab, HTMLButtonElement | null>>({ findings: null, governance: null, timeline: null, signers: null });

  const jump = useCallback((row: number) => {
    setSelected(row);
    setTab('timeline');
  }, []);

  const governanceCount = requests ? requests.total : governanceSize(report);
  const order: Tab[] = ['findings', 'governance', 'timeline', 'signers'];
  const labels: Record<Tab, string> = {
    findings: `Findings (${int(report.findings.length + Object.values(report.dropped).reduce((a, b) => a + b, 0))})`,
    governance: `Governance${governanceCount !== null ? ` (${int(governanceCount)})` : ''}`,
    timeline: `Timeline (${int(index.count)})`,
    signers: `Signers (${report.signers.length})`,
  };
  const onTabKey = (e: KeyboardEvent) => {
    const i = order.indexOf(tab);
    let next: Tab | null = null;
    if (e.key === 'ArrowRight') next = order[(i + 1) % order.length]!;
    else if (e.key === 'ArrowLeft') next = order[(i + order.length - 1) % order.length]!;
    else if (e.key === 'Home') next = order[0]!;
    else if (e.key === 'End') next = order[order.length - 1]!;
    if (next) {
      e.preventDefault();
      setTab(next);
      tabs.current[next]?.focus();
    }
  };

  return (
    <div className="result">
      <h1 className="print-only print-title">
        Verification report: <span className="mono">{name}</span>
      </h1>
      <ForkView report={report} />
      <VerdictBanner report={report} pinned={pinned} focus={focusVerdict} />
      <WitnessPanel report={report} />
      <section className="panel summary" aria-labelledby={`${id}-sum`}>
        <div className="summary-head">
          <h2 id={`${id}-sum`}>Summary</h2>
          <div className="export no-print">
            <button type="button" onClick={() => void downloadReport(name)}>
              Download report (JSON)
            </button>
            <button
              type="button"
              onClick={() => {
                setVisited(new Set(['findings', 'governance', 'signers']));
                setTimeout(() => print(), 50);
              }}
            >
              Print report
            </button>
          </div>
        </div>
        <Summary report={report} name={name} pool={pool} />
      </section>
      <div className="tabs no-print" role="tablist" aria-label="Result details" onKeyDown={onTabKey}>
        {order.map((t) => (
          <button
            key={t}
            ref={(el) => {
              tabs.current[t] = el;
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${t}`}
            aria-selected={tab === t}
            aria-controls={`${id}-panel-${t}`}
            tabIndex={tab === t ? 0 : -1}
            onClick={() => setTab(t)}
          >
            {labels[t]}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`${id}-panel-findings`}
        aria-labelledby={`${id}-tab-findings`}
        className={tab === 'findings' ? 'tabpanel' : 'tabpanel tabpanel--hidden'}
      >
        <FindingsView report={report} findingRows={index.findingRows} onJump={jump} />
      </div>
      <div
        role="tabpanel"
        id={`${id}-panel-governance`}
        aria-labelledby={`${id}-tab-governance`}
        className={tab === 'governance' ? 'tabpanel' : 'tabpanel tabpanel--hidden'}
      >
        {visited.has('governance') && <GovernanceView report={report} facets={requests} index={index} onJump={jump} />}
      </div>
      {tab === 'timeline' && (
        <div role="tabpanel" id={`${id}-panel-timeline`} aria-labelledby={`${id}-tab-timeline`} className="tabpanel no-print">
          <Suspense fallback={<p className="muted">Loading the timeline…</p>}>
            <TimelineView report={report} index={index} selected={selected} onSelect={setSelected} />
          </Suspense>
        </div>
      )}
      <div
        role="tabpanel"
        id={`${id}-panel-signers`}
        aria-labelledby={`${id}-tab-signers`}
        className={tab === 'signers' ? 'tabpanel' : 'tabpanel tabpanel--hidden'}
      >
        {visited.has('signers') && <SignersView report={report} />}
      </div>
      <p className="print-only small" data-testid="print-footer">
        Verified with {report.verifier.name} {report.verifier.version} · bundle SHA-256 <span className="mono">{report.bundle.sha256}</span> · printed{' '}
        {new Date().toISOString().replace('T', ' ').slice(0, 19)} UTC
      </p>
    </div>
  );
}

function governanceSize(report: Report): number | null {
  const g = report.governance as { gates?: unknown[]; gatesDropped?: number } | undefined;
  return Array.isArray(g?.gates) ? g.gates.length + (g.gatesDropped ?? 0) : null;
}

/** The full report comes from the worker (the page holds a light copy). */
async function downloadReport(name: string) {
  const r = await reportFile();
  if (!r.ok) {
    alert(r.message);
    return;
  }
  const blob = r.value;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  const base = name.replace(/^.*\//, '').replace(/\.(jsonl\.gz|jsonl|json|gz)$/i, '') || 'bundle';
  a.download = `${base}.report.json`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

const VERDICT_ICON = { pass: '✓', warn: '!', fail: '✕' } as const;

function headline(report: Report): { title: string; text: string } {
  const errors = Object.entries(report.counts).filter(([c, n]) => n > 0 && checkSeverity(c) === 'error');
  const onlyTrust = (code: string) => Object.keys(report.counts).every((c) => c === code || !report.counts[c]);
  const total = Object.values(report.counts).reduce((a, b) => a + b, 0);
  const unit = report.format === 'makerchecker-aapr/v1' ? 'events' : report.format === 'countersign-disclosure/v1' ? 'disclosed entries' : 'entries';
  if (report.verdict === 'pass' && report.format === 'countersign-disclosure/v1')
    return {
      title: 'Verified: these entries are in the anchored log',
      text: `All ${int(report.entries)} ${unit} passed every check against one checkpoint of the log your anchor names. The rest of the log is not in this packet.`,
    };
  if (report.verdict === 'pass')
    return {
      title: 'Verified: intact and anchored',
      text: `All ${int(report.entries)} ${unit} passed every check, and the bundle matches a trust anchor you gave.`,
    };
  if (report.verdict === 'warn') {
    if (onlyTrust('TRUST.unpinned'))
      return {
        title: 'Intact, but not anchored',
        text: `All ${int(report.entries)} ${unit} passed every check, but no trust anchor was given, so nothing here says whose ${report.format === 'makerchecker-aapr/v1' ? 'instance' : 'log'} this is. Compare the fingerprints below with its owner.`,
      };
    return { title: 'Intact, with warnings', text: `No errors, ${int(total)} warning${total === 1 ? '' : 's'}. Read them before relying on this evidence.` };
  }
  if (onlyTrust('TRUST.mismatch'))
    return {
      title: 'Not the pinned log',
      text: 'The file is internally consistent, but it does not match the trust anchors in use. It may be another log, or a substitute.',
    };
  const n = errors.reduce((a, [, c]) => a + c, 0);
  return { title: 'Does not verify', text: `${int(n)} error${n === 1 ? '' : 's'} found. This evidence cannot be relied on as it is: see the findings.` };
}

function VerdictBanner({ report, pinned, focus }: { report: Report; pinned: PinnedAnchor[]; focus: boolean }) {
  const h = headline(report);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!focus || !ref.current) return;
    ref.current.focus({ preventScroll: true });
    ref.current.scrollIntoView({ block: 'start', behavior: 'instant' as ScrollBehavior });
  }, [focus]);
  const matches = matchedPinned(report, pinned);
  const word = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' }[report.verdict];
  return (
    <section
      ref={ref}
      tabIndex={-1}
      className={`verdict verdict--${report.verdict}`}
      data-testid="verdict"
      data-verdict={report.verdict}
      aria-labelledby="verdict-h"
    >
      <div className="verdict-head">
        <span className="verdict-icon" aria-hidden="true">
          {VERDICT_ICON[report.verdict]}
        </span>
        <div>
          <h2 id="verdict-h">
            <span className="verdict-word">{word}</span> {h.title}
          </h2>
          <p>{h.text}</p>
        </div>
      </div>
      <TrustLine report={report} matches={matches} />
      <div className="proves">
        <div>
          <h3>{report.verdict === 'fail' ? 'What was checked (the findings say what failed)' : 'What this check establishes'}</h3>
          <ul>
            {report.trust.proves.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
        <div>
          <h3>What it does not establish</h3>
          <ul>
            {report.trust.doesNotProve.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}

function TrustLine({ report, matches }: { report: Report; matches: PinnedAnchor[] }) {
  const t = report.trust;
  if (t.status === 'pinned') {
    const names = matches.map((m) => `“${m.name}”`).join(', ');
    return (
      <p className="trust-line" data-testid="trust-line">
        <strong>Anchor:</strong>{' '}
        {names ? (
          <>matches your pinned anchor {names}.</>
        ) : (
          <>
            matches the anchor typed for this check (<span className="mono">{t.matched}</span>).
          </>
        )}
      </p>
    );
  }
  const mc = report.format === 'makerchecker-aapr/v1';
  const keys = report.signers.filter((s) => (mc ? true : s.roles?.includes('governance') || s.roles?.includes('gate')));
  return (
    <div className="trust-line" data-testid="trust-line">
      <p>
        <strong>{t.status === 'mismatch' ? 'Anchor does not match.' : 'No anchor.'}</strong> Compare these fingerprints with the{' '}
        {mc ? 'instance’s operator' : 'log’s owner'}, by phone or another channel you already rely on:
      </p>
      <dl className="fingerprints">
        {!mc && report.genesis && (
          <div>
            <dt>Genesis digest</dt>
            <dd className="mono">genesis:{report.genesis}</dd>
          </div>
        )}
        {keys.map((s) => (
          <div key={s.keyId}>
            <dt>
              {s.name ?? s.principal ?? 'Key'} <span className="muted small">({(s.roles ?? []).join(', ') || 'signer'})</span>
            </dt>
            <dd className="mono">
              {mc && s.spkiSha256 ? (
                <>
                  SPKI SHA-256 {grouped(s.spkiSha256)}
                  <br />
                  key id {grouped(s.keyId, 32)}…
                </>
              ) : (
                <>fingerprint {s.fingerprint}</>
              )}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function Summary({ report, name, pool }: { report: Report; name: string; pool: VerifyOutcome['pool'] }) {
  const mc = report.format === 'makerchecker-aapr/v1';
  const b = report.bundle;
  return (
    <dl className="summary-grid">
      <div>
        <dt>File</dt>
        <dd className="mono break">{name}</dd>
      </div>
      <div>
        <dt>Format</dt>
        <dd>
          {mc
            ? `MakerChecker AAPR v1 (${report.makerchecker?.bundleKind ?? '?'} bundle)`
            : report.format === 'countersign-disclosure/v1'
              ? 'Countersign disclosure packet (one request, not the whole log)'
              : report.format === 'tlog-proof/v1'
                ? 'C2SP tlog-proof (one entry)'
                : 'Countersign bundle v1'}
        </dd>
      </div>
      <div>
        <dt>{mc ? 'Instance' : 'Log'}</dt>
        <dd className="mono break">{report.log ?? '—'}</dd>
      </div>
      {mc && report.makerchecker?.runId && (
        <div>
          <dt>Run</dt>
          <dd className="mono break">{report.makerchecker.runId}</dd>
        </div>
      )}
      <div>
        <dt>{mc ? 'Events' : 'Entries'}</dt>
        <dd data-testid="summary-entries">{int(report.entries)}</dd>
      </div>
      {!mc && (
        <div>
          <dt>Checkpoints</dt>
          <dd>
            {int(report.checkpoints)}
            {report.checkpoint ? <span className="muted"> · last covers {int(report.checkpoint.size)}</span> : null}
          </dd>
        </div>
      )}
      <div>
        <dt>Signatures checked</dt>
        <dd>
          {int(report.timings.signatures)} <span className="muted">({backendWords(report.timings.signatureBackend, pool.workers)})</span>
        </dd>
      </div>
      <div>
        <dt>Size</dt>
        <dd>
          {bytes(b.bytes)}
          {b.gzip ? <span className="muted"> gzip · {bytes(b.decompressedBytes)} inflated</span> : null}
          <span className="muted"> · {int(b.lines)} lines</span>
        </dd>
      </div>
      <div>
        <dt>Time</dt>
        <dd>
          {duration(report.timings.totalMs)} <span className="muted">· {int(report.timings.entriesPerSecond)} entries/s</span>
        </dd>
      </div>
      <div className="wide">
        <dt>SHA-256 of the file</dt>
        <dd className="mono break" data-testid="summary-sha256">
          {b.sha256}
        </dd>
      </div>
      <div>
        <dt>Verifier</dt>
        <dd>
          {report.verifier.name} {report.verifier.version}
        </dd>
      </div>
    </dl>
  );
}

function SignersView({ report }: { report: Report }) {
  if (!report.signers.length) return <p className="panel muted">No signature verified under a known key.</p>;
  return (
    <div className="panel table-wrap">
      <table className="stack data">
        <caption className="sr-only">Keys that signed this bundle</caption>
        <thead>
          <tr>
            <th scope="col">Signer</th>
            <th scope="col">Role</th>
            <th scope="col">Fingerprint</th>
            <th scope="col" className="num">
              Signatures
            </th>
          </tr>
        </thead>
        <tbody>
          {report.signers.map((s) => (
            <tr key={s.keyId}>
              <td data-label="Signer">
                {s.name ?? s.principal ?? '—'}
                {s.principal && s.name ? <span className="muted small"> ({s.principal})</span> : null}
              </td>
              <td data-label="Role">{(s.roles ?? []).join(', ') || '—'}</td>
              <td data-label="Fingerprint" className="mono small">
                {s.fingerprint}
                {s.spkiSha256 ? (
                  <>
                    <br />
                    SPKI {grouped(s.spkiSha256)}
                  </>
                ) : null}
              </td>
              <td data-label="Signatures" className="num">
                {s.signatures !== undefined ? int(s.signatures) : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
