// Pinned trust anchors, kept in this browser's IndexedDB (nothing leaves the device).
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { PinnedAnchor } from './anchors.ts';

interface TrustDB extends DBSchema {
  anchors: { key: string; value: PinnedAnchor };
}

let db: Promise<IDBPDatabase<TrustDB>> | null = null;
const open = () =>
  (db ??= openDB<TrustDB>('countersign-trust', 1, {
    upgrade(d) {
      d.createObjectStore('anchors', { keyPath: 'id' });
    },
  }));

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
