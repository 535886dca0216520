// The wallet's state as the screens see it: loaded from IndexedDB, re-verified on load
// (profiles and history), and refreshed after every change.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { checkLogProfileText, type ProfileCheck, type TrustedProfile } from '../../core/wallet/profile.ts';
import { verifyHistory, type HistoryRecord, type HistoryStatus } from '../../core/wallet/history.ts';
import type { PriorVote } from '../../core/wallet/packet.ts';
import {
  getSetting,
  listExports,
  listHistory,
  listIdentities,
  listProfiles,
  setSetting,
  type ExportRecord,
  type IdentityRecord,
  type ProfileRecord,
} from './db.ts';
import { call, signer, testHooks } from './signer.ts';

export interface ProfileEntry {
  record: ProfileRecord;
  check: ProfileCheck;
}

export interface WalletApi {
  loaded: boolean;
  identities: IdentityRecord[];
  selected: IdentityRecord | null;
  profiles: ProfileEntry[];
  trusted: TrustedProfile[];
  history: HistoryRecord[];
  historyStatus: HistoryStatus;
  prior: PriorVote[];
  exported: Map<number, ExportRecord>;
  /** keyId → ms until the session locks. */
  sessions: Map<string, number>;
  idleMs: number;
  now: number;
  storage: { supported: boolean; persisted: boolean | null };
  testMode: { scryptN?: number; idleMs?: number } | null;
  reload(): Promise<void>;
  refreshSessions(): Promise<void>;
  select(keyId: string): Promise<void>;
  setIdleMs(ms: number): Promise<void>;
  requestPersistence(): Promise<void>;
}

export const IDLE_CHOICES = [
  { ms: 60_000, label: '1 minute' },
  { ms: 2 * 60_000, label: '2 minutes' },
  { ms: 5 * 60_000, label: '5 minutes' },
  { ms: 15 * 60_000, label: '15 minutes' },
  { ms: 60 * 60_000, label: '1 hour' },
];

export function useWallet(): WalletApi {
  const hooks = testHooks();
  const [loaded, setLoaded] = useState(false);
  const [identities, setIdentities] = useState<IdentityRecord[]>([]);
  const [selectedKeyId, setSelectedKeyId] = useState<string | null>(null);
  const [profiles, setProfiles] = useState<ProfileEntry[]>([]);
  const [history, setHistory] = useState<HistoryRecord[]>([]);
  const [exported, setExported] = useState<Map<number, ExportRecord>>(new Map());
  const [sessions, setSessions] = useState<Map<string, number>>(new Map());
  const [idleMs, setIdle] = useState(hooks?.idleMs ?? 5 * 60_000);
  const [now, setNow] = useState(() => Date.now());
  const [storage, setStorage] = useState<WalletApi['storage']>({ supported: !!navigator.storage?.persisted, persisted: null });

  const refreshSessions = useCallback(async () => {
    try {
      const st = await signer().status();
      setSessions(new Map(st.map((s) => [s.keyId, s.remainingMs])));
    } catch {
      setSessions(new Map());
    }
  }, []);

  const reload = useCallback(async () => {
    const [ids, profs, hist, exps, sel, idle] = await Promise.all([
      listIdentities(),
      listProfiles(),
      listHistory(),
      listExports(),
      getSetting<string | null>('selectedKeyId', null),
      getSetting<number>('idleMs', 5 * 60_000),
    ]);
    setIdentities(ids);
    setProfiles(profs.map((record) => ({ record, check: checkLogProfileText(record.text) })));
    setHistory(hist.sort((a, b) => a.seq - b.seq));
    setExported(new Map(exps.map((e) => [e.seq, e])));
    setSelectedKeyId(sel && ids.some((i) => i.keyId === sel) ? sel : (ids[0]?.keyId ?? null));
    const effectiveIdle = hooks?.idleMs ?? idle;
    setIdle(effectiveIdle);
    await call(async (s) => {
      await s.configure({ idleMs: effectiveIdle });
      return { ok: true, value: null };
    });
    await refreshSessions();
    setLoaded(true);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `hooks` is read once at load: the test knobs are fixed for the page's life
  }, [refreshSessions]);

  useEffect(() => {
    void reload();
    if (navigator.storage?.persisted) void navigator.storage.persisted().then((p) => setStorage({ supported: true, persisted: p }));
    // Start the signer now, so that signing works even if the network goes away later.
    signer();
    const t = setInterval(() => {
      setNow(Date.now());
      void refreshSessions();
    }, 1000);
    return () => clearInterval(t);
  }, [reload, refreshSessions]);

  const select = useCallback(async (keyId: string) => {
    await setSetting('selectedKeyId', keyId);
    setSelectedKeyId(keyId);
  }, []);

  const setIdleMs = useCallback(
    async (ms: number) => {
      await setSetting('idleMs', ms);
      setIdle(ms);
      await signer().configure({ idleMs: ms });
      await refreshSessions();
    },
    [refreshSessions],
  );

  const requestPersistence = useCallback(async () => {
    if (!navigator.storage?.persist) return;
    const p = await navigator.storage.persist().catch(() => false);
    setStorage({ supported: true, persisted: p });
  }, []);

  const trusted = useMemo(() => profiles.flatMap((p) => (p.check.ok ? [p.check.profile] : [])), [profiles]);
  const historyStatus = useMemo(() => verifyHistory(history), [history]);
  const prior = useMemo<PriorVote[]>(() => history.map((r) => ({ requestDigest: r.request, keyId: r.key, vote: r.vote, at: r.at, seq: r.seq })), [history]);
  const selected = identities.find((i) => i.keyId === selectedKeyId) ?? null;
  return {
    loaded,
    identities,
    selected,
    profiles,
    trusted,
    history,
    historyStatus,
    prior,
    exported,
    sessions,
    idleMs,
    now,
    storage,
    testMode:
      hooks && (hooks.scryptN || hooks.idleMs)
        ? { ...(hooks.scryptN ? { scryptN: hooks.scryptN } : {}), ...(hooks.idleMs ? { idleMs: hooks.idleMs } : {}) }
        : null,
    reload,
    refreshSessions,
    select,
    setIdleMs,
    requestPersistence,
  };
}
