// The wallet's IndexedDB (idb). Secret keys are stored only as encrypted key/v1 files;
// log profiles as their raw text (re-verified on every load); the history append-only and
// hash-chained (history.ts), appended inside one transaction so two tabs cannot fork it.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { KeyFile } from '../../core/crypto/key-file.ts';
import { nextHistoryRecord, type HistoryRecord } from '../../core/wallet/history.ts';
import type { Envelope } from '../../core/statements/schemas.ts';

export interface IdentityRecord {
  keyId: string;
  principal: string;
  name: string;
  pub: string;
  /** The encrypted key/v1 file: the only form the secret key is stored in. */
  keyFile: KeyFile;
  createdAt: string;
  /** When a backup was last restored into this wallet (createdAt stays the key's own date). */
  restoredAt?: string;
  source: 'created' | 'imported';
  backupDownloadedAt: string | null;
  backupVerifiedAt: string | null;
  enrollmentExportedAt: string | null;
}

export interface ProfileRecord {
  origin: string;
  text: string;
  genesisDigest: string;
  importedAt: string;
}

export interface ExportRecord {
  seq: number;
  at: string;
  how: 'download' | 'copy' | 'qr';
}

interface WalletDB extends DBSchema {
  identities: { key: string; value: IdentityRecord };
  profiles: { key: string; value: ProfileRecord };
  history: { key: number; value: HistoryRecord };
  exports: { key: number; value: ExportRecord };
  settings: { key: string; value: unknown };
}

let db: Promise<IDBPDatabase<WalletDB>> | null = null;
const open = () =>
  (db ??= openDB<WalletDB>('countersign-wallet', 1, {
    upgrade(d) {
      d.createObjectStore('identities', { keyPath: 'keyId' });
      d.createObjectStore('profiles', { keyPath: 'origin' });
      d.createObjectStore('history', { keyPath: 'seq' });
      d.createObjectStore('exports', { keyPath: 'seq' });
      d.createObjectStore('settings');
    },
  }));

export async function listIdentities(): Promise<IdentityRecord[]> {
  const all = await (await open()).getAll('identities');
  return all.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export async function putIdentity(r: IdentityRecord): Promise<void> {
  await (await open()).put('identities', r);
}

export async function updateIdentity(keyId: string, patch: Partial<IdentityRecord>): Promise<void> {
  const d = await open();
  const tx = d.transaction('identities', 'readwrite');
  const cur = await tx.store.get(keyId);
  if (cur) await tx.store.put({ ...cur, ...patch, keyId });
  await tx.done;
}

export async function deleteIdentity(keyId: string): Promise<void> {
  await (await open()).delete('identities', keyId);
}

export async function listProfiles(): Promise<ProfileRecord[]> {
  return (await open()).getAll('profiles');
}

export async function putProfile(r: ProfileRecord): Promise<void> {
  await (await open()).put('profiles', r);
}

export async function deleteProfile(origin: string): Promise<void> {
  await (await open()).delete('profiles', origin);
}

export async function listHistory(): Promise<HistoryRecord[]> {
  return (await open()).getAll('history');
}

/** Appends one signed approval to the chain, atomically. */
export async function appendHistory(args: { at: string; pub: string; envelope: Envelope }): Promise<HistoryRecord> {
  const d = await open();
  const tx = d.transaction('history', 'readwrite');
  const cursor = await tx.store.openCursor(null, 'prev');
  const last = cursor ? cursor.value : null;
  const rec = nextHistoryRecord(last, args);
  await tx.store.add(rec);
  await tx.done;
  return rec;
}

export async function listExports(): Promise<ExportRecord[]> {
  return (await open()).getAll('exports');
}

export async function markExported(seq: number, how: ExportRecord['how']): Promise<void> {
  const d = await open();
  if (!(await d.get('exports', seq))) await d.put('exports', { seq, at: new Date().toISOString(), how });
}

export async function getSetting<T>(key: string, fallback: T): Promise<T> {
  const v = await (await open()).get('settings', key);
  return v === undefined ? fallback : (v as T);
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await (await open()).put('settings', value, key);
}
