// The rule for the weight paths a model.json names: each is a relative path
// to a file in the model's own folder (or below it). Checked on the text
// before any file or URL is touched; the Node reader also checks the resolved
// and the real path (symbolic links), the HTTP reader the resolved URL.

import { preview } from '../preview.js';
import type { WeightsManifestGroup } from './types.js';

/** Percent-decoded, or the text as is where it is not valid percent-encoding. */
function decoded(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

/** Why `p` is not a plain relative path inside the folder, or null when it is. */
export function weightPathProblem(p: string): string | null {
  if (p === '') return 'is empty';
  for (const form of new Set([p, decoded(p)])) {
    if (form.includes('\0')) return 'contains a NUL character';
    if (/^[\\/]/.test(form) || /^[A-Za-z]:/.test(form)) return 'is absolute';
    if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(form)) return 'is a URL';
    if (form.split(/[\\/]/).some((s) => s === '..')) return "has a '..' segment";
    if (/^[.\\/]*$/.test(form)) return 'names the folder, not a file';
  }
  return null;
}

/** Where path `p` sits in the manifest, for messages. */
export const manifestPlace = (group: number, index: number): string => `weightsManifest[${group}].paths[${index}]`;

/** Refuses a weight path that could name a file outside the model's folder, naming it and the rule. */
export function checkWeightPath(p: string, at: string, where: string): void {
  const problem = weightPathProblem(p);
  if (problem) {
    throw new Error(`${where}: ${at} ${preview(p)} ${problem}; weight paths must be relative paths to files inside the model's folder`);
  }
}

/** The path as a file name relative to the folder: './a/b.bin' and 'a//b.bin' are 'a/b.bin'. */
const normal = (p: string): string => p.split(/[\\/]/).filter((s) => s !== '' && s !== '.').join('/');

/** Refuses a manifest that lists one weight file twice, in one group or across groups. */
export function checkDistinctPaths(manifest: readonly WeightsManifestGroup[], where: string): void {
  const seen = new Map<string, string>();
  manifest.forEach((g, i) => g.paths.forEach((p, j) => {
    const key = normal(p);
    const first = seen.get(key);
    if (first !== undefined) throw new Error(`${where}: ${manifestPlace(i, j)} ${preview(p)} names the same weight file as ${first}; each file may be listed once`);
    seen.set(key, manifestPlace(i, j));
  }));
}
