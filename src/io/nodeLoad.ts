// Reading a saved model from the local file system in Node: model.json, then
// its weight files, each checked to lie inside the model's folder and their
// sizes checked against the manifest before any of them is read.

import { checkArtifacts, declaredBytes, parseModelJson } from './artifacts.js';
import { clipped } from '../preview.js';
import { manifestPlace } from './containment.js';
import { containedFile, fsReason, localPath, nodeModules } from './nodePaths.js';
import type { ModelArtifacts } from './types.js';

export async function loadFromFiles(source: string, where: string): Promise<ModelArtifacts> {
  const { fs, path } = await nodeModules();
  let file = await localPath(source, where);
  if ((await fs.stat(file).catch(() => null))?.isDirectory()) file = path.join(file, 'model.json');
  const text = await fs.readFile(file, 'utf8').catch((err: unknown) => {
    throw new Error(`${where}: could not read ${clipped(file)}: ${fsReason(err)}`, { cause: err });
  });
  const m = parseModelJson(text, where);
  const dir = path.dirname(file);
  const realDir = await fs.realpath(dir);
  const files: string[] = [];
  for (const [i, g] of m.weightsManifest.entries()) {
    for (const [j, p] of g.paths.entries()) files.push(await containedFile(dir, realDir, p, manifestPlace(i, j), where));
  }
  const specs = m.weightsManifest.flatMap((g) => g.weights);
  const needed = declaredBytes(specs);
  let held = 0;
  for (const f of files) {
    const st = await fs.stat(f);
    if (!st.isFile()) throw new Error(`${where}: the weight file ${clipped(path.relative(dir, f))} is not a regular file`);
    held += st.size;
  }
  if (held !== needed) {
    throw new Error(`${where}: the weight files hold ${held} bytes but the manifest's ${specs.length} weights need ${needed} (truncated or mismatched .bin files?); none was read`);
  }
  const data = new Uint8Array(needed);
  let offset = 0;
  for (const f of files) {
    const b = await fs.readFile(f);
    // a file that grew after the size check is still refused here, not read past the declared size
    if (offset + b.byteLength > needed) throw new Error(`${where}: the weight file ${clipped(path.relative(dir, f))} changed while it was read`);
    data.set(b, offset);
    offset += b.byteLength;
  }
  return checkArtifacts({ ...m, weightSpecs: specs, weightData: data.buffer }, where);
}
