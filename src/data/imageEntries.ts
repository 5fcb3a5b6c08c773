// What both sides of imageFolder share: which files are images, the labels a
// folder layout implies, and the entry each listed file becomes.

import type { FromPixelsInput } from '../kernels/pixels/index.js';

/** A file found under a class folder: its path below the root, its label, and how to read its pixels. */
export interface ImageEntry {
  path: string;
  label: number;
  read: () => Promise<FromPixelsInput & { close?: () => void }>;
}

/** The formats read (as Keras lists them, less those without a pure-JS decoder here). */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'];

export function isImageFile(name: string): boolean {
  const lower = name.toLowerCase();
  return IMAGE_EXTENSIONS.some((e) => lower.endsWith(e));
}

/** Class names from the entries' first path segment, sorted; each entry's label is its class's index. */
export function inferLabels(paths: readonly string[], where: string): { classNames: string[]; labels: number[] } {
  const classOf = paths.map((p) => {
    const parts = p.split('/').filter((s) => s !== '');
    if (parts.length < 2) throw new Error(`${where}: ${JSON.stringify(p)} is not inside a class folder; put each image in a subfolder named after its class`);
    return parts[0];
  });
  const classNames = [...new Set(classOf)].sort();
  const index = new Map(classNames.map((c, i) => [c, i]));
  return { classNames, labels: classOf.map((c) => index.get(c)!) };
}
