import { useCallback, useEffect, useRef, useState } from 'react';
import type { TrustAnchor } from '../../core/report/report.ts';
import { parseAnchors, type PinnedAnchor } from '../lib/anchors.ts';
import { onIncoming, takeIncoming } from '../lib/incoming.ts';
import { holdBusy } from '../lib/pwa.ts';
import { listPinned, listRemembered, rememberInBrowser, removePinned, savePinned } from '../lib/trust-store.ts';
import { rememberedFrom } from '../../core/log/remembered.ts';
import { decodeBase64 } from '../../core/encoding/base64.ts';
import { verifyFile } from '../lib/verifier-client.ts';
import type { VerifyOutcome, VerifyProgress } from '../../shared/verify-api.ts';
import { OpenPanel } from './OpenPanel.tsx';
import { TrustPanel } from './TrustPanel.tsx';
import { ProgressPanel } from './ProgressPanel.tsx';
import { ResultView } from './ResultView.tsx';
import './verify.css';

type Phase =
  | { phase: 'idle' }
  | { phase: 'running'; progress: VerifyProgress | null }
  | { phase: 'done'; outcome: VerifyOutcome; run: number; focus: boolean }
  | { phase: 'cancelled' }
  | { phase: 'error'; code: string; message: string };

export interface OpenedFile {
  file: Blob;
  name: string;
}

export default function VerifyScreen() {
  const [opened, setOpened] = useState<OpenedFile | null>(null);
  const [state, setState] = useState<Phase>({ phase: 'idle' });
  const [pinned, setPinned] = useState<PinnedAnchor[]>([]);
  const [typed, setTyped] = useState('');
  const [dragging, setDragging] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const runId = useRef(0);

  useEffect(() => {
    listPinned().then(setPinned, () => setPinned([]));
  }, []);

  // `focus`: the user asked for this check from elsewhere on the page (a new anchor), so the
  // verdict takes focus and scrolls into view when it arrives, instead of focus falling to the body.
  const run = useCallback(async (o: OpenedFile, pins: PinnedAnchor[], typedText: string, focus = false) => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    const id = ++runId.current;
    const anchors: TrustAnchor[] = pins.flatMap((p) => p.anchors.map((a) => ({ ...a, label: p.name })));
    if (typedText.trim()) {
      const t = parseAnchors(typedText, 'typed anchor');
      if (t.ok) anchors.push(...t.anchors);
    }
    setState({ phase: 'running', progress: null });
    // docs/format.md §7.2: held to every checkpoint this browser remembers.
    const remembered = await listRemembered().catch(() => []);
    const result = await verifyFile(
      o.file,
      anchors,
      controller.signal,
      (p) => {
        if (runId.current === id) setState((s) => (s.phase === 'running' ? { ...s, progress: p } : s));
      },
      remembered,
    );
    if (runId.current !== id) return;
    abort.current = null;
    if (result.ok) {
      const last = result.value.report.witness?.lastCheckpoint;
      if (result.value.report.verdict !== 'fail' && last) await rememberInBrowser(rememberedFrom(last.note, decodeBase64(last.key))).catch(() => {});
      setState({ phase: 'done', outcome: result.value, run: id, focus });
    } else if (result.code === 'INPUT.aborted') setState({ phase: 'cancelled' });
    else setState({ phase: 'error', code: result.code, message: result.message });
  }, []);

  const open = useCallback(
    (o: OpenedFile) => {
      setOpened(o);
      void run(o, pinned, typed);
    },
    [run, pinned, typed],
  );

  const recheck = useCallback(
    (pins: PinnedAnchor[], typedText: string) => {
      if (opened && state.phase !== 'running') void run(opened, pins, typedText, true);
    },
    [opened, run, state.phase],
  );

  const pin = useCallback(
    async (p: PinnedAnchor) => {
      await savePinned(p);
      const pins = await listPinned();
      setPinned(pins);
      setTyped('');
      recheck(pins, '');
    },
    [recheck],
  );

  /** The demo's anchor, in one click: fill the field and check again at once. */
  const applyDemoAnchor = useCallback(
    (text: string) => {
      setTyped(text);
      recheck(pinned, text);
    },
    [recheck, pinned],
  );

  const unpin = useCallback(
    async (id: string) => {
      await removePinned(id);
      const pins = await listPinned();
      setPinned(pins);
      recheck(pins, typed);
    },
    [recheck, typed],
  );

  // Drop anywhere on the page; paste a file or bundle text anywhere outside a text field.
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setDragging(true);
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const drop = (e: DragEvent) => {
      depth = 0;
      setDragging(false);
      const f = e.dataTransfer?.files?.[0];
      if (!f) return;
      e.preventDefault();
      open({ file: f, name: f.name });
    };
    const paste = (e: ClipboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.closest('input, textarea, [contenteditable]') || location.hash.startsWith('#/wallet'))) return;
      const f = e.clipboardData?.files?.[0];
      if (f) {
        e.preventDefault();
        open({ file: f, name: f.name || 'pasted file' });
        return;
      }
      const text = e.clipboardData?.getData('text/plain');
      if (text && text.trim()) {
        e.preventDefault();
        open({ file: new Blob([text]), name: 'pasted text' });
      }
    };
    addEventListener('dragenter', enter);
    addEventListener('dragleave', leave);
    addEventListener('dragover', over);
    addEventListener('drop', drop);
    addEventListener('paste', paste);
    return () => {
      removeEventListener('dragenter', enter);
      removeEventListener('dragleave', leave);
      removeEventListener('dragover', over);
      removeEventListener('drop', drop);
      removeEventListener('paste', paste);
    };
  }, [open]);

  // Bundles opened with or shared to the installed app (lib/incoming.ts).
  useEffect(() => {
    const take = () => {
      const f = takeIncoming('verify').at(-1);
      if (f) open({ file: f, name: f.name });
    };
    take();
    return onIncoming(take);
  }, [open]);

  useEffect(() => () => abort.current?.abort(), []);
  // An app update never swaps code under a running check (see lib/pwa.ts).
  useEffect(() => (state.phase === 'running' ? holdBusy('a verification') : undefined), [state.phase]);

  const compact = state.phase !== 'idle';
  return (
    <div className={`verify${compact ? ' verify--compact' : ''}`}>
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <div>Drop the audit bundle to verify it here, in this browser</div>
        </div>
      )}
      <OpenPanel
        onOpen={open}
        compact={compact}
        current={opened?.name ?? null}
        onDemoAnchor={applyDemoAnchor}
        anchorInUse={typed.trim() || null}
        passed={state.phase === 'done' && state.outcome.report.verdict === 'pass'}
      />
      <TrustPanel
        pinned={pinned}
        typed={typed}
        onTyped={setTyped}
        onPin={pin}
        onUnpin={unpin}
        onRecheck={opened && state.phase !== 'running' ? () => recheck(pinned, typed) : null}
      />
      <div className="verify-main">
        <div aria-live="polite" className="sr-only">
          {state.phase === 'done' ? `Verification finished: ${state.outcome.report.verdict}.` : state.phase === 'cancelled' ? 'Verification cancelled.' : ''}
        </div>
        {state.phase === 'running' && <ProgressPanel name={opened?.name ?? ''} progress={state.progress} onCancel={() => abort.current?.abort()} />}
        {state.phase === 'cancelled' && (
          <div className="panel notice" role="status" data-testid="cancelled">
            <strong>Verification cancelled.</strong> Nothing was concluded about <span className="mono">{opened?.name}</span>. Open it again to start over.
          </div>
        )}
        {state.phase === 'error' && (
          <div className="panel notice notice--fail" role="alert" data-testid="input-error" data-code={state.code}>
            <strong>{state.code === 'INPUT.not_bundle' ? '✕ This file is not an audit bundle.' : '✕ The file could not be verified.'}</strong> {state.message}
            <p className="muted small">
              Countersign reads Countersign bundles (<span className="mono">.jsonl</span>, <span className="mono">.jsonl.gz</span>) and MakerChecker audit
              exports (<span className="mono">.json</span>).
            </p>
          </div>
        )}
        {state.phase === 'done' && opened && (
          <ResultView key={state.run} name={opened.name} outcome={state.outcome} pinned={pinned} focusVerdict={state.focus} />
        )}
      </div>
    </div>
  );
}
