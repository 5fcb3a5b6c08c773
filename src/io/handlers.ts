// Where models are saved to and loaded from: memory (TF.js's ModelArtifacts
// or an IOHandler with save/load), indexeddb://name and downloads://name in a
// browser, a folder or file:// URL in Node, an http(s) URL (a load fetches
// model.json; a save POSTs the files as TF.js's http handler does).

import { checkArtifacts, checkModelJson, kindOf, modelJsonFor, parseModelJson } from './artifacts.js';
import { listed, preview } from '../preview.js';
import { loadOverHttp, saveOverHttp } from './http.js';
import { loadFromIndexedDb, saveToIndexedDb } from './indexedDb.js';
import type { IOHandler, LoadSource, ModelArtifacts, ModelJsonSource, SaveTarget } from './types.js';

const inNode = (): boolean => typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';
/** A URL scheme (two letters or more, so a Windows drive letter is not one). */
const schemeOf = (s: string): string | null => /^([A-Za-z][A-Za-z0-9+.-]+):\/\//.exec(s)?.[1].toLowerCase() ?? null;
const SAVE_TARGETS = 'a folder path or file:// URL (Node), indexeddb://name or downloads://name (browser), an http(s):// URL to POST to, or an IO handler with save()';

function download(artifacts: ModelArtifacts, target: string, where: string): { url: string } {
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

export async function writeArtifacts(artifacts: ModelArtifacts, target: SaveTarget, where: string): Promise<unknown> {
  if (typeof target !== 'string') {
    if (typeof target !== 'object' || target === null) throw new Error(`${where}: expected ${SAVE_TARGETS}; got ${kindOf(target)}`);
    if (typeof target.save !== 'function') throw new Error(`${where}: the IO handler has no save() (an object with keys ${listed(Object.keys(target)) || 'none'}); expected ${SAVE_TARGETS}`);
    return target.save(artifacts);
  }
  if (target === '') throw new Error(`${where}: the save target is an empty string; expected ${SAVE_TARGETS}`);
  const scheme = schemeOf(target);
  if (scheme === 'indexeddb') return saveToIndexedDb(artifacts, target, where);
  if (scheme === 'downloads') return download(artifacts, target, where);
  if (scheme === 'http' || scheme === 'https') return saveOverHttp(artifacts, target, where);
  if (!inNode()) throw new Error(`${where}: unknown save target ${preview(target)}; in a browser use indexeddb://name, downloads://name, an http(s):// URL or an IO handler`);
  if (scheme !== null && scheme !== 'file') throw new Error(`${where}: unknown URL scheme '${scheme}://' in ${preview(target)}; expected ${SAVE_TARGETS}`);
  const { saveToFolder } = await import('./nodeSave.js');
  return saveToFolder(artifacts, target, where);
}

function concat(buffers: readonly ArrayBuffer[]): ArrayBuffer {
  const total = buffers.reduce((s, b) => s + b.byteLength, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const b of buffers) { out.set(new Uint8Array(b), o); o += b.byteLength; }
  return out.buffer;
}

/** model.json (text or parsed) in memory, with its weight bytes: one buffer for all shards, or one per manifest path. */
function fromMemory(source: ModelJsonSource, where: string): ModelArtifacts {
  const m = typeof source.modelJson === 'string' ? parseModelJson(source.modelJson, where) : checkModelJson(source.modelJson, where);
  const paths = m.weightsManifest.flatMap((g) => g.paths);
  const data: unknown = source.weightData;
  let bytes: ArrayBuffer;
  if (data instanceof ArrayBuffer) bytes = data;
  else if (Array.isArray(data) && data.every((d) => d instanceof ArrayBuffer)) {
    if (data.length !== paths.length && data.length !== 1) {
      throw new Error(`${where}: model.json's weightsManifest names ${paths.length} weight file(s), got ${data.length} buffers`);
    }
    bytes = concat(data);
  } else throw new Error(`${where}: weightData must be an ArrayBuffer or a list of ArrayBuffers, got ${kindOf(data)}`);
  return checkArtifacts({ ...m, weightSpecs: m.weightsManifest.flatMap((g) => g.weights), weightData: bytes }, where);
}

const has = (v: unknown, key: string): boolean => typeof v === 'object' && v !== null && key in v;

export async function readArtifacts(source: LoadSource, where: string): Promise<ModelArtifacts> {
  if (typeof source !== 'string' && (typeof source !== 'object' || source === null)) {
    throw new Error(`${where}: expected a path or URL to model.json, an IO handler, model artifacts or { modelJson, weightData }, got ${kindOf(source)}`);
  }
  if (has(source, 'modelTopology')) return checkArtifacts(source, where);
  if (has(source, 'modelJson')) return fromMemory(source as ModelJsonSource, where);
  if (typeof source !== 'string') {
    const handler = source as IOHandler;
    if (typeof handler.load !== 'function') throw new Error(`${where}: expected an IO handler with load(), model artifacts (modelTopology, ...) or { modelJson, weightData }; got an object with keys ${listed(Object.keys(source)) || 'none'}`);
    return checkArtifacts(await handler.load(), where);
  }
  if (source === '') throw new Error(`${where}: the source is an empty string; expected a path or URL to model.json`);
  const scheme = schemeOf(source);
  if (scheme === 'indexeddb') return fromMemory(await loadFromIndexedDb(source, where), where);
  if (scheme === 'http' || scheme === 'https' || !inNode()) return loadOverHttp(source, where);
  if (scheme !== null && scheme !== 'file') throw new Error(`${where}: unknown URL scheme '${scheme}://' in ${preview(source)}; expected a path, a file://, http(s):// or indexeddb:// URL`);
  const { loadFromFiles } = await import('./nodeLoad.js');
  return loadFromFiles(source, where);
}
