// indexeddb://name: a model is one record (model.json and its weight bytes)
// written in one transaction, so a save that fails leaves the previous record
// as it was. A request's success is not its transaction's commit: a save
// resolves only once the transaction completes.

import { modelJsonFor } from './artifacts.js';
import { clipped } from '../preview.js';
import type { ModelArtifacts, ModelJsonSource } from './types.js';

const DB = 'webcnn-models';
const STORE = 'models';

function openDb(where: string): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined') throw new Error(`${where}: indexeddb:// needs a browser with IndexedDB`);
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new Error(`${where}: could not open IndexedDB: ${req.error?.message}`, { cause: req.error }));
  });
}

/** Runs `op` in one transaction and resolves with its request's result once the transaction has committed. */
async function inTransaction<T>(where: string, mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb(where);
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = op(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      const failed = () => {
        const cause = tx.error ?? req.error;
        reject(new Error(`${where}: the IndexedDB transaction failed: ${cause ? clipped(cause.message) : 'it was aborted'}`, { cause }));
      };
      tx.onerror = failed;
      tx.onabort = failed;
    });
  } finally {
    db.close();
  }
}

/** The record's name: what follows indexeddb://, which may not be empty. */
export function recordName(url: string, where: string): string {
  const name = url.slice('indexeddb://'.length);
  if (!name) throw new Error(`${where}: indexeddb:// needs a model name (indexeddb://my-model)`);
  return name;
}

export async function saveToIndexedDb(artifacts: ModelArtifacts, url: string, where: string): Promise<{ url: string }> {
  const name = recordName(url, where);
  const record: ModelJsonSource = { modelJson: modelJsonFor(artifacts, ['weights.bin']), weightData: artifacts.weightData };
  await inTransaction(where, 'readwrite', (s) => s.put(record, name));
  return { url };
}

export async function loadFromIndexedDb(url: string, where: string): Promise<ModelJsonSource> {
  const name = recordName(url, where);
  const rec = await inTransaction<unknown>(where, 'readonly', (s) => s.get(name));
  if (rec === undefined) throw new Error(`${where}: no model named ${JSON.stringify(clipped(name))} in IndexedDB`);
  if (typeof rec !== 'object' || rec === null || !('modelJson' in rec) || !('weightData' in rec)) {
    throw new Error(`${where}: the IndexedDB record ${JSON.stringify(clipped(name))} is not a saved model`);
  }
  return rec as ModelJsonSource;
}
