// The human summary of a report/v1 for a terminal.
import type { Report } from '../core/report/report.ts';
import { checkTitle } from '../core/statements/checks.ts';
import type { GovernanceReport } from '../core/report/request-summaries.ts';
import { escapeTerminal as esc } from './terminal.ts';

const paint = (on: boolean) => (code: string, s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

export function formatReport(r: Report, name: string, color: boolean): string {
  const c = paint(color);
  const out: string[] = [];
  const kind =
    r.format === 'countersign-bundle/v1'
      ? 'Countersign bundle'
      : r.format === 'countersign-disclosure/v1'
        ? 'Countersign disclosure packet'
        : r.format === 'tlog-proof/v1'
          ? 'C2SP tlog-proof (one entry)'
          : `MakerChecker ${esc(String(r.makerchecker?.bundleKind ?? ''))} bundle`;
  out.push(`${c('1', kind)}  ${r.log !== undefined && r.log !== null ? esc(r.log) : '(no origin)'}`);
  out.push(`  file        ${esc(name)}  ${r.bundle.bytes.toLocaleString('en-US')} bytes${r.bundle.gzip ? ' (gzip)' : ''}`);
  out.push(`  sha256      ${r.bundle.sha256}`);
  out.push(
    `  contents    ${r.entries.toLocaleString('en-US')} ${r.format === 'makerchecker-aapr/v1' ? 'events' : r.format === 'countersign-bundle/v1' ? 'entries' : r.entries === 1 ? 'disclosed entry' : 'disclosed entries'}, ${r.checkpoints} checkpoint${r.checkpoints === 1 ? '' : 's'}, ${r.timings.signatures.toLocaleString('en-US')} signatures checked (${r.timings.signatureBackend}) in ${r.timings.totalMs} ms`,
  );
  if (r.genesis) out.push(`  genesis     ${r.genesis}`);
  out.push(`  trust       ${r.trust.status}${r.trust.matched ? ` (${esc(r.trust.matched)})` : ''}`);
  if (r.trust.status !== 'pinned' && r.signers.length) {
    out.push('  keys to compare out of band:');
    for (const s of r.signers.slice(0, 12))
      out.push(
        `    ${s.fingerprint}  ${esc(s.principal ?? '')}${s.name ? ` (${esc(s.name)})` : ''}${s.roles?.length ? ` — ${esc(s.roles.join(', '))}` : ''}${s.spkiSha256 ? `  spki-sha256:${esc(s.spkiSha256)}` : ''}`,
      );
  }
  const w = r.witness;
  if (w && (w.cosignatures.length || w.witnesses.length)) {
    out.push(
      `  witnesses   ${w.witnesses.length ? `${w.quorum} of ${w.witnesses.length} required` : 'none given'}; cosignatures on the last valid checkpoint:`,
    );
    if (!w.cosignatures.length) out.push('    (none)');
    const word = { valid: c('32', 'checked, valid'), invalid: c('31', 'checked, INVALID'), unchecked: 'not checked (unknown witness)' } as const;
    for (const x of w.cosignatures)
      out.push(`    ${esc(x.name)}  ${word[x.status]}${x.time ? `  cosigned ${x.time}` : x.timestamp ? `  time ${x.timestamp}` : ''}`);
  }
  if (w && w.remembered.length) out.push(`  remembered  checked at size${w.remembered.length > 1 ? 's' : ''} ${w.remembered.join(', ')}`);
  for (const f of w?.forks ?? []) {
    out.push(c('1;31', `  FORK        this gate signed two different histories: at size ${f.size} this bundle's root is ${f.rootAtSize},`));
    out.push(
      c('1;31', `              the remembered checkpoint says otherwise${f.conflicting ? '; both are signed (export them with --fork-evidence OUT)' : ''}`),
    );
  }
  const label = r.verdict === 'pass' ? c('1;32', 'PASS') : r.verdict === 'warn' ? c('1;33', 'WARN') : c('1;31', 'FAIL');
  out.push('');
  out.push(`Verdict: ${label}`);
  // On a fail these are what was checked, not what holds (as the page labels them).
  const provenLabel = r.verdict === 'fail' ? 'checked:    ' : 'proven:     ';
  for (const p of r.trust.proves) out.push(`  ${provenLabel} ${esc(p)}`);
  for (const p of r.trust.doesNotProve) out.push(`  not proven:  ${esc(p)}`);
  const total = Object.values(r.counts).reduce((a, b) => a + b, 0);
  if (total) {
    out.push('');
    out.push(`Findings (${total}${Object.keys(r.dropped).length ? `, ${Object.values(r.dropped).reduce((a, b) => a + b, 0)} not listed` : ''}):`);
    for (const f of r.findings) {
      const sev = f.severity === 'error' ? c('31', 'error  ') : c('33', 'warning');
      const where = f.line === 0 && f.seq !== undefined ? `seq ${f.seq}` : `line ${f.line}${f.seq !== undefined ? `, seq ${f.seq}` : ''}`;
      out.push(`  ${sev} ${esc(f.code).padEnd(24)} ${where.padEnd(18)} ${esc(f.message)}`);
    }
    for (const [code, n] of Object.entries(r.dropped)) out.push(`  … ${n} more ${esc(code)} not listed`);
    // What each code means, in the registry's words (statements/checks.ts; docs/checks.md).
    out.push('');
    out.push('What the findings mean:');
    for (const code of Object.keys(r.counts).filter((k) => (r.counts[k] ?? 0) > 0)) out.push(`  ${esc(code).padEnd(24)} ${checkTitle(code)}`);
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
      const ok = q.approvals.filter((a) => a.counted).map((a) => esc(a.approver));
      const refused = q.refusals.map((x) => `${esc(x.approver)} (${esc(x.code)})`);
      out.push(
        `  ${esc(q.id).padEnd(12)} ${esc(`${q.skill}@${q.skillVersion}`).padEnd(24)} ${esc(q.riskTier ?? '?').padEnd(8)} by ${esc(q.requester.id).padEnd(10)} ${esc(q.status).padEnd(9)}` +
          (ok.length ? ` approved: ${ok.join(', ')}` : '') +
          (refused.length ? `; refused: ${refused.join(', ')}` : '') +
          (q.findings.length ? c('31', `  [${esc(q.findings.join(', '))}]`) : ''),
      );
    }
    if (gr.requests.length > 20) out.push(`  … ${gr.requests.length - 20} more (use --json)`);
    const d = (g as { disclosure?: { size: number; entries: { seq: number; type: string; proven: boolean; request?: string }[]; cosignatures: number } })
      .disclosure;
    if (d) {
      out.push('');
      out.push(
        `Disclosed: ${d.entries.length} entries of a log of ${d.size.toLocaleString('en-US')}, checkpoint with ${d.cosignatures} cosignature${d.cosignatures === 1 ? '' : 's'}`,
      );
      const w = Math.max(8, ...d.entries.map((e) => (e.request ?? '').length));
      for (const e of d.entries)
        out.push(
          `  seq ${String(e.seq).padStart(8)}  ${esc(e.type).padEnd(10)} ${esc(e.request ?? '').padEnd(w)}  ${e.proven ? 'proven' : c('31', 'NOT proven')}`,
        );
    }
  }
  return out.join('\n');
}
