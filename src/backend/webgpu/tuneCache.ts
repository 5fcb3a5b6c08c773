// Where tuned kernel choices outlive the page: IndexedDB, one record per
// adapter. Browsers only (Node has no indexedDB: the in-memory cache of
// kernelTuner.ts still serves every backend of the process). Failures to open
// or write the store only cost a re-measure, so they are swallowed.

import type { TunedChoice } from './kernelTuner.js';

type Stored = TunedChoice;

const DB = 'webcnn-autotune';
const STORE = 'gemm';
/** Bump when a tuned kernel changes in a way that could change which variant wins (2: conv algorithms; 3: tiled kernels; 4: Winograd dW). */
const VERSION = 4;

function open(): Promise<IDBDatabase | null> {
  if (typeof indexedDB === 'undefined') return Promise.resolve(null);
  return new Promise((resolve) => {
    const req = indexedDB.open(DB, VERSION);
    req.onupgradeneeded = () => {
      if (req.result.objectStoreNames.contains(STORE)) req.result.deleteObjectStore(STORE);
      req.result.createObjectStore(STORE);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => resolve(null);
    req.onblocked = () => resolve(null);
  });
}

export async function loadChoices(adapterKey: string): Promise<Stored[]> {
  const db = await open();
  if (!db) return [];
  try {
    return await new Promise<Stored[]>((resolve) => {
      const req = db.transaction(STORE, 'readonly').objectStore(STORE).get(adapterKey);
      req.onsuccess = () => resolve(Array.isArray(req.result) ? (req.result as Stored[]) : []);
      req.onerror = () => resolve([]);
    });
  } finally {
    db.close();
  }
}

export async function saveChoices(adapterKey: string, choices: readonly Stored[]): Promise<void> {
  const db = await open();
  if (!db) return;
  try {
    await new Promise<void>((resolve) => {
      const tx = db.transaction(STORE, 'readwrite');
      tx.objectStore(STORE).put([...choices], adapterKey);
      tx.oncomplete = () => resolve();
      tx.onerror = () => resolve();
      tx.onabort = () => resolve();
    });
  } finally {
    db.close();
  }
}
