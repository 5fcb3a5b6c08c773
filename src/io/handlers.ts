// Where models are saved to and loaded from: memory (TF.js's ModelArtifacts
// or an IOHandler with save/load), indexeddb://name and downloads://name in a
// browser, a directory or file:// URL in Node, an http(s) URL to model.json.

import {
  type ModelArtifacts, type ModelJson, checkArtifacts, checkModelJson, kindOf, modelJsonFor, parseModelJson, shardNames, shards,
} from './artifacts.js';

/** TF.js-style IO handler: anything with save() and/or load(). */
export interface IOHandler {
  save?(artifacts: ModelArtifacts): Promise<unknown>;
  load?(): Promise<ModelArtifacts>;
}

/**
 * model.json in memory, as text or parsed, with the bytes of its weight files:
 * one ArrayBuffer (the shards concatenated in manifest order) or one per path.
 * It is also what indexeddb:// stores.
 */
export interface ModelJsonSource {
  modelJson: string | ModelJson;
  weightData: ArrayBuffer | ArrayBuffer[];
}

export type SaveTarget = string | IOHandler;
export type LoadSource = string | IOHandler | ModelArtifacts | ModelJsonSource;

const inNode = (): boolean => typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';
const IDB = 'webcnn-models';
const STORE = 'models';

function openDb(where: string): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined') throw new Error(`${where}: indexeddb:// needs a browser with IndexedDB`);
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(IDB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new Error(`${where}: could not open IndexedDB: ${req.error?.message}`));
  });
}

async function idb<T>(where: string, mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb(where);
  try {
    return await new Promise<T>((resolve, reject) => {
      const req = op(db.transaction(STORE, mode).objectStore(STORE));
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(new Error(`${where}: IndexedDB request failed: ${req.error?.message}`));
    });
  } finally {
    db.close();
  }
}

function nodePath(target: string): string {
  return target.startsWith('file://') ? decodeURIComponent(new URL(target).pathname) : target;
}

export async function writeArtifacts(artifacts: ModelArtifacts, target: SaveTarget, where: string): Promise<unknown> {
  if (typeof target !== 'string') {
    if (!target.save) throw new Error(`${where}: the IO handler has no save()`);
    return target.save(artifacts);
  }
  if (target.startsWith('indexeddb://')) {
    const name = target.slice('indexeddb://'.length);
    await idb(where, 'readwrite', (s) => s.put({ modelJson: modelJsonFor(artifacts, ['weights.bin']), weightData: artifacts.weightData }, name));
    return { url: target };
  }
  if (target.startsWith('downloads://')) {
    if (typeof document === 'undefined') throw new Error(`${where}: downloads:// needs a browser page`);
    const name = target.slice('downloads://'.length) || 'model';
    const json = modelJsonFor(artifacts, [`${name}.weights.bin`]);
    const click = (blob: Blob, file: string): void => {
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = file;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    };
    click(new Blob([JSON.stringify(json)], { type: 'application/json' }), `${name}.json`);
    click(new Blob([artifacts.weightData], { type: 'application/octet-stream' }), `${name}.weights.bin`);
    return { url: target };
  }
  if (!inNode()) throw new Error(`${where}: unknown save target '${target}'; in a browser use indexeddb://name, downloads://name or an IO handler`);
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const dir = nodePath(target);
  await mkdir(dir, { recursive: true });
  const parts = shards(artifacts.weightData);
  const names = shardNames(parts.length);
  await Promise.all(parts.map((p, i) => writeFile(join(dir, names[i]), new Uint8Array(p))));
  await writeFile(join(dir, 'model.json'), JSON.stringify(modelJsonFor(artifacts, names)));
  return { url: dir };
}

function concat(buffers: readonly ArrayBuffer[]): ArrayBuffer {
  const total = buffers.reduce((s, b) => s + b.byteLength, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const b of buffers) { out.set(new Uint8Array(b), o); o += b.byteLength; }
  return out.buffer;
}

/** model.json (text or parsed) plus its shards, read by `readShards` (relative paths resolved by the caller). */
async function fromModelJson(json: string | unknown, readShards: (paths: string[]) => Promise<ArrayBuffer>, where: string): Promise<ModelArtifacts> {
  const m = typeof json === 'string' ? parseModelJson(json, where) : checkModelJson(json, where);
  const data = await readShards(m.weightsManifest.flatMap((g) => g.paths));
  return checkArtifacts({ modelTopology: m.modelTopology, weightSpecs: m.weightsManifest.flatMap((g) => g.weights), weightData: data, format: m.format, generatedBy: m.generatedBy, convertedBy: m.convertedBy }, where);
}

/** The in-memory form's bytes: one buffer for all shards, or one per manifest path. */
function inMemoryShards(data: unknown, where: string): (paths: string[]) => Promise<ArrayBuffer> {
  return async (paths) => {
    if (data instanceof ArrayBuffer) return data;
    if (Array.isArray(data) && data.every((d) => d instanceof ArrayBuffer)) {
      if (data.length !== paths.length && data.length !== 1) {
        throw new Error(`${where}: model.json's weightsManifest names ${paths.length} weight file(s), got ${data.length} buffers`);
      }
      return concat(data);
    }
    throw new Error(`${where}: weightData must be an ArrayBuffer or a list of ArrayBuffers, got ${kindOf(data)}`);
  };
}

const has = (v: unknown, key: string): boolean => typeof v === 'object' && v !== null && key in v;

export async function readArtifacts(source: LoadSource, where: string): Promise<ModelArtifacts> {
  let artifacts: ModelArtifacts;
  if (typeof source !== 'string' && (typeof source !== 'object' || source === null)) {
    throw new Error(`${where}: expected a path or URL to model.json, an IO handler, model artifacts or { modelJson, weightData }, got ${kindOf(source)}`);
  }
  if (has(source, 'modelTopology')) artifacts = checkArtifacts(source, where);
  else if (has(source, 'modelJson')) {
    const s = source as ModelJsonSource;
    artifacts = await fromModelJson(s.modelJson, inMemoryShards(s.weightData, where), where);
  } else if (typeof source !== 'string') {
    const handler = source as IOHandler;
    if (typeof handler.load !== 'function') throw new Error(`${where}: expected an IO handler with load(), model artifacts (modelTopology, ...) or { modelJson, weightData }; got an object with keys ${Object.keys(source).join(', ') || 'none'}`);
    artifacts = checkArtifacts(await handler.load(), where);
  } else if (source.startsWith('indexeddb://')) {
    const name = source.slice('indexeddb://'.length);
    const rec = await idb<{ modelJson: unknown; weightData: ArrayBuffer } | undefined>(where, 'readonly', (s) => s.get(name));
    if (!rec) throw new Error(`${where}: no model named '${name}' in IndexedDB`);
    artifacts = await fromModelJson(rec.modelJson, inMemoryShards(rec.weightData, where), where);
  } else if (/^https?:/.test(source) || !inNode()) {
    const res = await fetch(source);
    if (!res.ok) throw new Error(`${where}: could not fetch ${source}: HTTP ${res.status}`);
    const base = new URL(source, typeof location !== 'undefined' ? location.href : undefined);
    artifacts = await fromModelJson(await res.text(), async (paths) => concat(await Promise.all(paths.map(async (p) => {
      const r = await fetch(new URL(p, base));
      if (!r.ok) throw new Error(`${where}: could not fetch weights ${p}: HTTP ${r.status}`);
      return r.arrayBuffer();
    }))), where);
  } else {
    const { readFile, stat } = await import('node:fs/promises');
    const { dirname, join } = await import('node:path');
    let file = nodePath(source);
    if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, 'model.json');
    const text = await readFile(file, 'utf8').catch((e: Error) => { throw new Error(`${where}: could not read ${file}: ${e.message}`); });
    artifacts = await fromModelJson(text, async (paths) => concat(await Promise.all(paths.map(async (p) => {
      const b = await readFile(join(dirname(file), p)).catch((e: Error) => { throw new Error(`${where}: could not read weights ${p}: ${e.message}`); });
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    }))), where);
  }
  return artifacts;
}
