// Saving to a folder in Node without ever leaving it unloadable. The new
// weight files are written under temporary names and renamed to names the
// current model.json does not use; renaming the new model.json over the old
// one is the commit point. Before it, a failure removes what this save wrote
// and the old model still loads; after it, the old model's weight files that
// the new one does not use are removed.

import { modelJsonFor, shards } from './artifacts.js';
import { MAX_JSON_DEPTH, jsonDepth } from './bounded.js';
import { clipped } from '../preview.js';
import { weightPathProblem } from './containment.js';
import { fsReason, isInside, localPath, nodeModules } from './nodePaths.js';
import type { ModelArtifacts } from './types.js';

type Node = Awaited<ReturnType<typeof nodeModules>>;

/**
 * The weight files the folder's current model.json names, as paths inside the
 * folder: read leniently (any model.json TF.js could load counts), and only
 * paths that the containment rule allows, so a hostile file cannot make a
 * save delete anything outside the folder.
 */
async function inUse({ fs, path }: Node, dir: string): Promise<Set<string>> {
  const used = new Set<string>();
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8'));
  } catch {
    return used;
  }
  if (jsonDepth(raw) > MAX_JSON_DEPTH) return used;
  const manifest = (raw as { weightsManifest?: unknown } | null)?.weightsManifest;
  if (!Array.isArray(manifest)) return used;
  for (const g of manifest) {
    const paths = (g as { paths?: unknown } | null)?.paths;
    if (!Array.isArray(paths)) continue;
    for (const p of paths) {
      if (typeof p !== 'string' || weightPathProblem(p)) continue;
      const full = path.resolve(dir, p);
      if (isInside(path, dir, full) && full !== path.join(dir, 'model.json')) used.add(full);
    }
  }
  return used;
}

/** TF.js's shard names, or the first numbered variant of them that the current model.json does not use. */
function freshNames({ path }: Node, dir: string, count: number, used: ReadonlySet<string>): string[] {
  for (let k = 0; ; k++) {
    const names = Array.from({ length: count }, (_, i) => `group1-shard${i + 1}of${count}${k ? `.${k}` : ''}.bin`);
    if (!names.some((n) => used.has(path.join(dir, n)))) return names;
  }
}

/** A save target's folder: created if missing, refused if it is a file. */
async function targetFolder({ fs, path }: Node, target: string, where: string): Promise<string> {
  if (target === '') throw new Error(`${where}: the save target is an empty string; expected a folder path or a file:// URL`);
  const dir = await localPath(target, where);
  const st = await fs.stat(dir).catch(() => null);
  if (st && !st.isDirectory()) {
    throw new Error(`${where}: ${clipped(dir)} exists and is not a folder; save writes model.json and its weight files into a folder (a new or an existing one)`);
  }
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (err) {
    throw new Error(`${where}: could not create the folder ${clipped(dir)}: ${fsReason(err)}`, { cause: err });
  }
  // a rename replaces a file whatever its mode: a model.json made read-only is refused here, as writing it in place would be
  const json = path.join(dir, 'model.json');
  const writable = await fs.access(json, fs.constants.W_OK).then(() => null, (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : err));
  if (writable) throw new Error(`${where}: could not replace ${clipped(json)}: ${fsReason(writable)}; the folder's previous model is unchanged`, { cause: writable });
  return dir;
}

export async function saveToFolder(artifacts: ModelArtifacts, target: string, where: string): Promise<{ url: string }> {
  const node = await nodeModules();
  const { fs, path } = node;
  const dir = await targetFolder(node, target, where);
  const used = await inUse(node, dir);
  const parts = shards(artifacts.weightData);
  const names = freshNames(node, dir, parts.length, used);
  const tag = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  const temp = (name: string) => path.join(dir, `.${name}.${tag}.tmp`);
  const written = new Set<string>();
  let step = '';
  try {
    for (const [i, part] of parts.entries()) {
      step = `write ${temp(names[i])}`;
      written.add(temp(names[i]));
      await fs.writeFile(temp(names[i]), new Uint8Array(part), { flag: 'wx' });
    }
    for (const name of names) {
      step = `rename ${temp(name)} to ${path.join(dir, name)}`;
      await fs.rename(temp(name), path.join(dir, name));
      written.delete(temp(name));
      written.add(path.join(dir, name));
    }
    const json = temp('model.json');
    step = `write ${json}`;
    written.add(json);
    await fs.writeFile(json, JSON.stringify(modelJsonFor(artifacts, names)), { flag: 'wx' });
    step = `rename ${json} to ${path.join(dir, 'model.json')}`;
    await fs.rename(json, path.join(dir, 'model.json'));
  } catch (err) {
    // none of these is a file the current model.json uses (freshNames), so the old model stays whole
    await Promise.all([...written].map((f) => fs.rm(f, { force: true }).catch(() => undefined)));
    throw new Error(`${where}: could not ${clipped(step, 300)}: ${fsReason(err)}; the folder's previous model, if any, is unchanged`, { cause: err });
  }
  const kept = new Set(names.map((n) => path.join(dir, n)));
  // committed: the old weight files are garbage now; one that cannot be removed costs only space
  await Promise.all([...used].filter((f) => !kept.has(f)).map((f) => fs.rm(f, { force: true }).catch(() => undefined)));
  return { url: dir };
}
