// Models over HTTP, as TF.js's tf.io.http does it: a save POSTs one
// multipart/form-data request (model.json and model.weights.bin); a load
// fetches model.json, then its weight files, which must lie beside it or below
// (same origin, same folder) and whose sizes are checked as they arrive.

import { checkArtifacts, declaredBytes, modelJsonFor, parseModelJson } from './artifacts.js';
import { clipped } from '../preview.js';
import { checkWeightPath, manifestPlace } from './containment.js';
import type { ModelArtifacts } from './types.js';

/** The weights file a save names in its model.json, as TF.js's http handler does. */
const WEIGHTS_FILE = 'model.weights.bin';

export async function saveOverHttp(artifacts: ModelArtifacts, url: string, where: string): Promise<{ url: string; responses: Response[] }> {
  const form = new FormData();
  const json = JSON.stringify(modelJsonFor(artifacts, [`./${WEIGHTS_FILE}`]));
  form.append('model_json', new Blob([json], { type: 'application/json' }), 'model.json');
  form.append('model_weights_bin', new Blob([artifacts.weightData], { type: 'application/octet-stream' }), WEIGHTS_FILE);
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', body: form });
  } catch (err) {
    throw new Error(`${where}: could not send the model to ${clipped(url)}: ${clipped((err as Error).message)}`, { cause: err });
  }
  if (!res.ok) throw new Error(`${where}: ${clipped(url)} answered HTTP ${res.status} to the upload; the model was not saved`);
  return { url, responses: [res] };
}

async function get(url: URL | string, what: string, where: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new Error(`${where}: could not fetch ${what}: ${clipped((err as Error).message)}`, { cause: err });
  }
  if (!res.ok) throw new Error(`${where}: could not fetch ${what}: HTTP ${res.status}`);
  return res;
}

/** `p` resolved against model.json's URL, refused unless it stays in model.json's folder on the same origin. */
function weightUrl(p: string, base: URL, at: string, where: string): URL {
  checkWeightPath(p, at, where);
  const u = new URL(p, base);
  const folder = base.pathname.slice(0, base.pathname.lastIndexOf('/') + 1);
  if (u.origin !== base.origin || !u.pathname.startsWith(folder)) {
    throw new Error(`${where}: ${at} ${clipped(p)} resolves outside the model's folder ${clipped(base.origin + folder)}; weight paths must be relative paths to files inside it`);
  }
  return u;
}

export async function loadOverHttp(source: string, where: string): Promise<ModelArtifacts> {
  const base = new URL(source, typeof location !== 'undefined' ? location.href : undefined);
  const m = parseModelJson(await (await get(base, clipped(source), where)).text(), where);
  const urls = m.weightsManifest.flatMap((g, i) => g.paths.map((p, j) => weightUrl(p, base, manifestPlace(i, j), where)));
  const specs = m.weightsManifest.flatMap((g) => g.weights);
  const needed = declaredBytes(specs);
  const tooMuch = (held: number) => new Error(`${where}: the weight files hold ${held} bytes or more but the manifest's ${specs.length} weights need ${needed} (truncated or mismatched .bin files?)`);
  const responses = await Promise.all(urls.map((u) => get(u, `weights ${clipped(u.pathname)}`, where)));
  // declared lengths first: a mismatch is refused before any body is read
  const lengths = responses.map((r) => r.headers.get('content-length'));
  if (lengths.every((l) => l !== null)) {
    const total = lengths.reduce((s, l) => s + Number(l), 0);
    if (total !== needed) {
      await Promise.all(responses.map((r) => r.body?.cancel()));
      throw new Error(`${where}: the weight files hold ${total} bytes but the manifest's ${specs.length} weights need ${needed} (truncated or mismatched .bin files?)`);
    }
  }
  // collected, not preallocated: without lengths, the declared size is not yet known to be real
  const parts: Uint8Array[] = [];
  let held = 0;
  for (const [i, r] of responses.entries()) {
    const b = new Uint8Array(await r.arrayBuffer());
    held += b.byteLength;
    if (held > needed) {
      await Promise.all(responses.slice(i + 1).map((rest) => rest.body?.cancel()));
      throw tooMuch(held);
    }
    parts.push(b);
  }
  if (held !== needed) throw new Error(`${where}: the weight files hold ${held} bytes but the manifest's ${specs.length} weights need ${needed} (truncated or mismatched .bin files?)`);
  const data = new Uint8Array(needed);
  let offset = 0;
  for (const b of parts) { data.set(b, offset); offset += b.byteLength; }
  return checkArtifacts({ ...m, weightSpecs: specs, weightData: data.buffer }, where);
}
