// Where models are saved to and loaded from: memory (TF.js's ModelArtifacts
// or an IOHandler with save/load), indexeddb://name and downloads://name in a
// browser, a directory or file:// URL in Node, an http(s) URL to model.json.

import {
  type ModelArtifacts, decodeWeights, modelJsonFor, parseModelJson, shardNames, shards,
} from './artifacts.js';

/** TF.js-style IO handler: anything with save() and/or load(). */
export interface IOHandler {
  save?(artifacts: ModelArtifacts): Promise<unknown>;
  load?(): Promise<ModelArtifacts>;
}

export type SaveTarget = string | IOHandler;
export type LoadSource = string | IOHandler | ModelArtifacts;

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

/** Reads model.json plus its shards through `read` (relative paths resolved by the caller). */
async function fromModelJson(text: string, read: (path: string) => Promise<ArrayBuffer>, where: string): Promise<ModelArtifacts> {
  const json = parseModelJson(text, where);
  const paths = json.weightsManifest.flatMap((g) => g.paths);
  const data = concat(await Promise.all(paths.map(read)));
  return { modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData: data, format: json.format, generatedBy: json.generatedBy, convertedBy: json.convertedBy };
}

/** TF.js 4 may hand weightData as a list of buffers (one per shard). */
function normalize(a: ModelArtifacts): ModelArtifacts {
  const data = a.weightData as ArrayBuffer | ArrayBuffer[] | undefined;
  return Array.isArray(data) ? { ...a, weightData: concat(data) } : a;
}

function isArtifacts(v: unknown): v is ModelArtifacts {
  return typeof v === 'object' && v !== null && 'modelTopology' in v;
}

export async function readArtifacts(source: LoadSource, where: string): Promise<ModelArtifacts> {
  let artifacts: ModelArtifacts;
  if (isArtifacts(source)) artifacts = normalize(source);
  else if (typeof source !== 'string') {
    if (!source.load) throw new Error(`${where}: the IO handler has no load()`);
    artifacts = normalize(await source.load());
  } else if (source.startsWith('indexeddb://')) {
    const name = source.slice('indexeddb://'.length);
    const rec = await idb<{ modelJson: unknown; weightData: ArrayBuffer } | undefined>(where, 'readonly', (s) => s.get(name));
    if (!rec) throw new Error(`${where}: no model named '${name}' in IndexedDB`);
    artifacts = await fromModelJson(JSON.stringify(rec.modelJson), async () => rec.weightData, where);
  } else if (/^https?:/.test(source) || !inNode()) {
    const res = await fetch(source);
    if (!res.ok) throw new Error(`${where}: could not fetch ${source}: HTTP ${res.status}`);
    const base = new URL(source, typeof location !== 'undefined' ? location.href : undefined);
    artifacts = await fromModelJson(await res.text(), async (p) => {
      const r = await fetch(new URL(p, base));
      if (!r.ok) throw new Error(`${where}: could not fetch weights ${p}: HTTP ${r.status}`);
      return r.arrayBuffer();
    }, where);
  } else {
    const { readFile, stat } = await import('node:fs/promises');
    const { dirname, join } = await import('node:path');
    let file = nodePath(source);
    if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, 'model.json');
    const text = await readFile(file, 'utf8').catch((e: Error) => { throw new Error(`${where}: could not read ${file}: ${e.message}`); });
    artifacts = await fromModelJson(text, async (p) => {
      const b = await readFile(join(dirname(file), p)).catch((e: Error) => { throw new Error(`${where}: could not read weights ${p}: ${e.message}`); });
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    }, where);
  }
  if (artifacts.weightSpecs && artifacts.weightData) decodeWeights(artifacts.weightSpecs, artifacts.weightData, where);
  return artifacts;
}
