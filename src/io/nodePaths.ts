// Local paths in Node: what a save target or load source string names, and
// whether a path a model.json names stays inside the model's folder. Node's
// modules are imported on use, so a browser bundle never loads them.

import { PREVIEW_CHARS, clipped, preview } from '../preview.js';
import { checkWeightPath } from './containment.js';

export async function nodeModules() {
  const [fs, path, url] = await Promise.all([import('node:fs/promises'), import('node:path'), import('node:url')]);
  return { fs, path, url };
}

/** The folder-free rule for one URL path segment: percent-decoding may not add a '..' or a separator. */
function segmentProblem(raw: string): string | null {
  let s: string;
  try {
    s = decodeURIComponent(raw);
  } catch {
    return 'is not valid percent-encoding';
  }
  if (s === '..') return "has a '..' segment";
  if (/[\\/]/.test(s)) return 'has an encoded path separator';
  if (s.includes('\0')) return 'contains a NUL character';
  return null;
}

/**
 * A string target or source as a local path. A plain path is taken as the
 * file system takes it. A file:// URL is read as Node's fileURLToPath reads
 * it, except TF.js's relative form `file://./model`, which is ./model under
 * the working directory. A file URL names its folder exactly: a '..' segment
 * (spelled or percent-encoded) or an encoded separator is refused, so the
 * path used is the path written.
 */
export async function localPath(target: string, where: string): Promise<string> {
  const { path, url } = await nodeModules();
  if (!/^file:\/\//i.test(target)) return path.resolve(target);
  const rest = target.slice('file://'.length);
  const relative = rest === '.' || rest.startsWith('./');
  // the path part as written, before the URL parser folds '..' segments away
  const pathPart = (relative ? rest : rest.slice(Math.max(rest.indexOf('/'), 0))).replace(/[?#].*$/s, '');
  for (const segment of pathPart.split('/')) {
    const problem = segmentProblem(segment);
    if (problem) throw new Error(`${where}: the file URL ${preview(target)} ${problem}; a file URL must name its folder exactly`);
  }
  if (relative) return path.resolve(decodeURIComponent(pathPart));
  try {
    return path.resolve(url.fileURLToPath(target));
  } catch (err) {
    throw new Error(`${where}: ${preview(target)} is not a file URL Node can use (${clipped((err as Error).message)}); write file:///absolute/path or file://./relative/path`, { cause: err });
  }
}

/** A file system error for a message: its text, bounded (it repeats the path, which may come from a file). */
export const fsReason = (err: unknown): string => clipped(err instanceof Error ? err.message : String(err), 2 * PREVIEW_CHARS);

/** Whether `child` is `dir` itself or below it. */
export function isInside(path: typeof import('node:path'), dir: string, child: string): boolean {
  const rel = path.relative(dir, child);
  return rel !== '' && !rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel);
}

/**
 * The real path of weight file `p` of the model in `dir` (whose real path is
 * `realDir`), refused unless both the path as written and the file it leads to
 * (through symbolic links) are inside the folder.
 */
export async function containedFile(dir: string, realDir: string, p: string, at: string, where: string): Promise<string> {
  const { fs, path } = await nodeModules();
  checkWeightPath(p, at, where);
  const full = path.resolve(dir, p);
  if (!isInside(path, dir, full)) throw new Error(`${where}: ${at} ${preview(p)} is outside the model's folder ${clipped(dir)}; weight paths must be relative paths to files inside it`);
  let real: string;
  try {
    real = await fs.realpath(full);
  } catch (err) {
    throw new Error(`${where}: could not read weights ${preview(p)}: ${fsReason(err)}`, { cause: err });
  }
  if (!isInside(path, realDir, real)) throw new Error(`${where}: ${at} ${preview(p)} leads outside the model's folder ${clipped(dir)} (through a symbolic link); weight files must be inside it`);
  return real;
}
