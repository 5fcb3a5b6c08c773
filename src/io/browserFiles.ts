// tf.io.browserFiles: a model picked with <input type="file" multiple> or
// dropped on the page, as File objects: model.json and its weight files.

import { checkArtifacts, declaredBytes, parseModelJson } from './artifacts.js';
import { clipped, listed } from '../preview.js';
import type { IOHandler, ModelArtifacts } from './types.js';

const WHERE = 'io.browserFiles';
const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/**
 * An IO handler that loads a model from File objects (a browser's File, or
 * Node's): exactly one `.json` file (model.json as TF.js writes it) and the
 * weight files its manifest names, matched by file name (their folders in the
 * manifest are ignored, as TF.js does). For `wc.loadModel(io.browserFiles(files))`.
 */
export function browserFiles(files: readonly File[]): IOHandler {
  if (!Array.isArray(files) || files.length === 0) throw new Error(`${WHERE}: expected a non-empty list of files (model.json and its weight files), got ${Array.isArray(files) ? 'an empty list' : typeof files}`);
  return {
    async load(): Promise<ModelArtifacts> {
      const jsons = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
      if (jsons.length !== 1) {
        throw new Error(`${WHERE}: expected exactly one .json file (model.json) among the files, got ${jsons.length ? listed(jsons.map((f) => clipped(f.name))) : 'none'} in ${listed(files.map((f) => clipped(f.name)))}`);
      }
      const m = parseModelJson(await jsons[0].text(), WHERE);
      const byName = new Map(files.filter((f) => f !== jsons[0]).map((f) => [f.name, f]));
      const paths = m.weightsManifest.flatMap((g) => g.paths);
      const missing = paths.filter((p) => !byName.has(baseName(p)));
      if (missing.length) {
        throw new Error(`${WHERE}: ${jsons[0].name} names weight file(s) ${listed(missing.map((p) => clipped(p)))} that are not among the files given (${listed([...byName.keys()].map((n) => clipped(n))) || 'none'}); pick model.json together with all its .bin files`);
      }
      const parts = await Promise.all(paths.map((p) => byName.get(baseName(p))!.arrayBuffer()));
      const specs = m.weightsManifest.flatMap((g) => g.weights);
      const total = parts.reduce((s, b) => s + b.byteLength, 0);
      const needed = declaredBytes(specs);
      if (total !== needed) throw new Error(`${WHERE}: the weight files hold ${total} bytes but the manifest's ${specs.length} weights need ${needed} (truncated or mismatched .bin files?)`);
      const data = new Uint8Array(total);
      let offset = 0;
      for (const b of parts) { data.set(new Uint8Array(b), offset); offset += b.byteLength; }
      return checkArtifacts({ ...m, weightSpecs: specs, weightData: data.buffer }, WHERE);
    },
  };
}
