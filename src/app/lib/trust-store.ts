// Pinned trust anchors and remembered checkpoints (docs/format.md §7.2), kept in this
// browser's IndexedDB (nothing leaves the device).
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { PinnedAnchor } from './anchors.ts';
import type { KeyFile } from '../../core/crypto/key-file.ts';
import { rememberCheckpoint, rememberedFrom, type RememberedCheckpoint } from '../../core/log/remembered.ts';
import { decodeBase64, encodeBase64 } from '../../core/encoding/base64.ts';

/** docs/format.md §7.2: what this browser remembers of one log, as remembered/v1 entries. */
export interface RememberedLog {
  origin: string;
  checkpoints: { note: string; key: string }[];
  updatedAt: string;
}

/** A witness key held by this browser: only the encrypted key/v1 file (the signer worker decrypts). */
export interface StoredWitnessKey {
  keyId: string;
  /** The C2SP verifier key text, to hand to verifiers as witness:<vkey>. */
  vkey: string;
  keyFile: KeyFile;
  addedAt: string;
}

interface TrustDB extends DBSchema {
  anchors: { key: string; value: PinnedAnchor };
  remembered: { key: string; value: RememberedLog };
  witnessKeys: { key: string; value: StoredWitnessKey };
}

let db: Promise<IDBPDatabase<TrustDB>> | null = null;
const open = () =>
  (db ??= openDB<TrustDB>('countersign-trust', 2, {
    upgrade(d, oldVersion) {
      if (oldVersion < 1) d.createObjectStore('anchors', { keyPath: 'id' });
      if (oldVersion < 2) {
        d.createObjectStore('remembered', { keyPath: 'origin' });
        d.createObjectStore('witnessKeys', { keyPath: 'keyId' });
      }
    },
  }));

/** Every remembered checkpoint of every log (a record that no longer parses is skipped, not lost). */
export async function listRemembered(): Promise<RememberedCheckpoint[]> {
  const logs = await (await open()).getAll('remembered');
  const out: RememberedCheckpoint[] = [];
  for (const l of logs)
    for (const c of l.checkpoints) {
      try {
        out.push(rememberedFrom(c.note, decodeBase64(c.key)));
      } catch {
        // kept in storage as it is; never used to judge
      }
    }
  return out;
}

/** Remembers `next` for its origin (remembered.ts decides what to keep). */
export async function rememberInBrowser(next: RememberedCheckpoint): Promise<void> {
  const d = await open();
  const tx = d.transaction('remembered', 'readwrite');
  const prev = await tx.store.get(next.origin);
  const mine: RememberedCheckpoint[] = [];
  for (const c of prev?.checkpoints ?? [])
    try {
      mine.push(rememberedFrom(c.note, decodeBase64(c.key)));
    } catch {
      /* unreadable: dropped from the new list only if it cannot be parsed at all */
    }
  const kept = rememberCheckpoint(mine, next);
  await tx.store.put({ origin: next.origin, checkpoints: kept.map((c) => ({ note: c.note, key: encodeBase64(c.key) })), updatedAt: new Date().toISOString() });
  await tx.done;
}

export async function listRememberedLogs(): Promise<RememberedLog[]> {
  return (await open()).getAll('remembered');
}

export async function listPinned(): Promise<PinnedAnchor[]> {
  const all = await (await open()).getAll('anchors');
  return all.sort((a, b) => a.addedAt.localeCompare(b.addedAt));
}

export async function savePinned(p: PinnedAnchor): Promise<void> {
  await (await open()).put('anchors', p);
}

export async function removePinned(id: string): Promise<void> {
  await (await open()).delete('anchors', id);
}

export async function listWitnessKeys(): Promise<StoredWitnessKey[]> {
  return (await (await open()).getAll('witnessKeys')).sort((a, b) => a.addedAt.localeCompare(b.addedAt));
}

export async function saveWitnessKey(k: StoredWitnessKey): Promise<void> {
  await (await open()).put('witnessKeys', k);
}
