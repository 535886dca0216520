// The human summary of a report/v1 for a terminal.
import type { Report } from '../core/report/report.ts';
import { checkTitle } from '../core/statements/checks.ts';
import type { GovernanceReport } from '../core/governance/replay.ts';

const paint = (on: boolean) => (code: string, s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

export function formatReport(r: Report, name: string, color: boolean): string {
  const c = paint(color);
  const out: string[] = [];
  const kind = r.format === 'countersign-bundle/v1' ? 'Countersign bundle' : `MakerChecker ${r.makerchecker?.bundleKind ?? ''} bundle`;
  out.push(`${c('1', kind)}  ${r.log ?? '(no origin)'}`);
  out.push(`  file        ${name}  ${r.bundle.bytes.toLocaleString('en-US')} bytes${r.bundle.gzip ? ' (gzip)' : ''}`);
  out.push(`  sha256      ${r.bundle.sha256}`);
  out.push(
    `  contents    ${r.entries.toLocaleString('en-US')} ${r.format === 'countersign-bundle/v1' ? 'entries' : 'events'}, ${r.checkpoints} checkpoints, ${r.timings.signatures.toLocaleString('en-US')} signatures checked (${r.timings.signatureBackend}) in ${r.timings.totalMs} ms`,
  );
  if (r.genesis) out.push(`  genesis     ${r.genesis}`);
  out.push(`  trust       ${r.trust.status}${r.trust.matched ? ` (${r.trust.matched})` : ''}`);
  if (r.trust.status !== 'pinned' && r.signers.length) {
    out.push('  keys to compare out of band:');
    for (const s of r.signers.slice(0, 12))
      out.push(`    ${s.fingerprint}  ${s.principal ?? ''}${s.name ? ` (${s.name})` : ''}${s.roles?.length ? ` — ${s.roles.join(', ')}` : ''}${s.spkiSha256 ? `  spki-sha256:${s.spkiSha256}` : ''}`);
  }
  const label = r.verdict === 'pass' ? c('1;32', 'PASS') : r.verdict === 'warn' ? c('1;33', 'WARN') : c('1;31', 'FAIL');
  out.push('');
  out.push(`Verdict: ${label}`);
  for (const p of r.trust.proves) out.push(`  proven:      ${p}`);
  for (const p of r.trust.doesNotProve) out.push(`  not proven:  ${p}`);
  const total = Object.values(r.counts).reduce((a, b) => a + b, 0);
  if (total) {
    out.push('');
    out.push(`Findings (${total}${Object.keys(r.dropped).length ? `, ${Object.values(r.dropped).reduce((a, b) => a + b, 0)} not listed` : ''}):`);
    for (const f of r.findings) {
      const sev = f.severity === 'error' ? c('31', 'error  ') : c('33', 'warning');
      const where = `line ${f.line}${f.seq !== undefined ? `, seq ${f.seq}` : ''}`;
      out.push(`  ${sev} ${f.code.padEnd(24)} ${where.padEnd(18)} ${f.message}`);
    }
    for (const [code, n] of Object.entries(r.dropped)) out.push(`  … ${n} more ${code} not listed`);
    // What each code means, in the registry's words (statements/checks.ts; docs/checks.md).
    out.push('');
    out.push('What the findings mean:');
    for (const code of Object.keys(r.counts).filter((k) => (r.counts[k] ?? 0) > 0)) out.push(`  ${code.padEnd(24)} ${checkTitle(code)}`);
  }
  const g = r.governance as GovernanceReport | { kind?: string } | undefined;
  if (g && g.kind === 'countersign-replay') {
    const gr = g as GovernanceReport;
    const t = gr.totals;
    out.push('');
    out.push(
      `Governance: ${gr.requests.length + gr.requestsDropped} requests — ${t.executed} executed, ${t.failed} failed, ${t.denied} denied, ${t.closed} closed, ${t.pending} pending, ${t.allowed} allowed not run, ${t.undecided} undecided`,
    );
    for (const q of gr.requests.slice(0, 20)) {
      const ok = q.approvals.filter((a) => a.counted).map((a) => a.approver);
      const refused = q.refusals.map((x) => `${x.approver} (${x.code})`);
      out.push(
        `  ${q.id.padEnd(12)} ${`${q.skill}@${q.skillVersion}`.padEnd(24)} ${(q.riskTier ?? '?').padEnd(8)} by ${q.requester.id.padEnd(10)} ${q.status.padEnd(9)}` +
          (ok.length ? ` approved: ${ok.join(', ')}` : '') +
          (refused.length ? `; refused: ${refused.join(', ')}` : '') +
          (q.findings.length ? c('31', `  [${q.findings.join(', ')}]`) : ''),
      );
    }
    if (gr.requests.length > 20) out.push(`  … ${gr.requests.length - 20} more (use --json)`);
  }
  return out.join('\n');
}
