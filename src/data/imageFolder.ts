// wc.data.imageFolder: a labelled image dataset from a folder with one
// subfolder per class (Keras's image_dataset_from_directory with labels
// 'inferred'): class names sorted, their index the label. In Node the folder
// is a path, read with node:fs and decoded by pngjs and jpeg-js (pure JS);
// in a browser it is the File list of an <input webkitdirectory>, decoded by
// createImageBitmap. Images are decoded one at a time as the dataset is read,
// resized (bilinear, half-pixel centers as Keras's) to `size`, and handed out
// as { xs: [h, w, channels] values 0-255, ys: the label }.

import type { Tensor } from '../tensor.js';
import { tidy } from '../tensor.js';
import { tensor } from '../engine.js';
import { fromPixels } from '../kernels/pixels/index.js';
import { resizeBilinear } from '../kernels/image/ops.js';
import { nextSeed, seededRandom } from '../random.js';
import { Dataset } from './dataset.js';
import { DataIterator, type DataResult } from './iterators.js';
import { IMAGE_EXTENSIONS, inferLabels, isImageFile, type ImageEntry } from './imageEntries.js';

export interface ImageFolderOptions {
  /** [height, width] every image is resized to. */
  size: [number, number];
  /** 'inferred': one subfolder per class, classes in sorted order (the only mode). */
  labels?: 'inferred';
  /** 'int' (default): ys is the class index, a scalar; 'categorical': a one-hot vector. */
  labelMode?: 'int' | 'categorical';
  /** 1 (the red channel, the gray value of a grayscale image), 3 (RGB, default) or 4 (RGBA). */
  channels?: 1 | 3 | 4;
  /** Shuffle the files, anew on each pass (default true, as in Keras); false keeps sorted order. */
  shuffle?: boolean;
  seed?: number;
}

/** One labelled image element. */
export interface ImageElement {
  [key: string]: Tensor;
  xs: Tensor;
  ys: Tensor;
}

/** The dataset imageFolder returns: its class names (index = label) and files (sorted by class, then path). */
export class ImageFolderDataset extends Dataset<ImageElement> {
  constructor(
    make: () => DataIterator<ImageElement>, size: number,
    readonly classNames: readonly string[],
    readonly files: readonly string[],
  ) {
    super(make, size);
  }
}

const WHERE = 'data.imageFolder';
interface Checked { size: [number, number]; channels: 1 | 3 | 4; categorical: boolean; shuffle: boolean; seed: number }

function checkOptions(o: ImageFolderOptions | undefined): Checked {
  if (!o || !Array.isArray(o.size) || o.size.length !== 2 || !o.size.every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(`${WHERE}: options.size must be [height, width] of positive integers, got ${o?.size === undefined ? 'nothing' : JSON.stringify(o.size)}`);
  }
  if (o.labels !== undefined && o.labels !== 'inferred') throw new Error(`${WHERE}: labels must be 'inferred' (one subfolder per class), got ${JSON.stringify(o.labels)}`);
  if (o.labelMode !== undefined && o.labelMode !== 'int' && o.labelMode !== 'categorical') throw new Error(`${WHERE}: labelMode must be 'int' or 'categorical', got ${JSON.stringify(o.labelMode)}`);
  const channels = o.channels ?? 3;
  if (channels !== 1 && channels !== 3 && channels !== 4) throw new Error(`${WHERE}: channels must be 1, 3 or 4, got ${String(o.channels)}`);
  return { size: [o.size[0], o.size[1]], channels, categorical: o.labelMode === 'categorical', shuffle: o.shuffle ?? true, seed: o.seed ?? nextSeed() };
}

class ImageIterator extends DataIterator<ImageElement> {
  private at = 0;
  constructor(private readonly entries: readonly ImageEntry[], private readonly order: Int32Array, private readonly o: Checked, private readonly classes: number) { super(); }
  protected async pull(): Promise<DataResult<ImageElement>> {
    if (this.at >= this.order.length) return { value: null, done: true };
    const e = this.entries[this.order[this.at++]];
    let pixels: Awaited<ReturnType<ImageEntry['read']>>;
    try {
      pixels = await e.read();
    } catch (err) {
      throw new Error(`${WHERE}: could not read ${e.path}: ${(err as Error).message}`, { cause: err });
    }
    try {
      const { size, channels, categorical } = this.o;
      const value = tidy(() => {
        const img = fromPixels(pixels, channels);
        const same = img.shape[0] === size[0] && img.shape[1] === size[1];
        const xs = same ? img.reshape(img.shape) : resizeBilinear(img, size, false, true);
        xs.dtype = 'float32';
        const ys = categorical
          ? tensor(Float32Array.from({ length: this.classes }, (_, k) => (k === e.label ? 1 : 0)))
          : tensor(e.label);
        if (!categorical) ys.dtype = 'int32';
        return { xs, ys };
      });
      return { value, done: false };
    } finally {
      pixels.close?.();
    }
  }
}

/** The dataset over found entries (imageFolderNode.ts and the browser path below make them). */
export function datasetOf(entries: readonly ImageEntry[], classNames: readonly string[], options: ImageFolderOptions | undefined): ImageFolderDataset {
  const o = checkOptions(options);
  const seeds = seededRandom(o.seed);
  const make = () => {
    const order = Int32Array.from(entries, (_, i) => i);
    if (o.shuffle) {
      const rand = seededRandom(Math.floor(seeds() * 4294967296));
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
    }
    return new ImageIterator(entries, order, o, classNames.length);
  };
  return new ImageFolderDataset(make, entries.length, classNames, entries.map((e) => e.path));
}

const inNode = (): boolean => typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';

/** The browser's File of a folder upload: webkitRelativePath is "folder/class/.../name.png". */
function fromFiles(files: readonly File[], options: ImageFolderOptions | undefined): ImageFolderDataset {
  checkOptions(options);
  if (typeof createImageBitmap !== 'function') throw new Error(`${WHERE}: File objects need createImageBitmap (a browser or a worker)`);
  const images = files.filter((f) => isImageFile(f.name));
  const relative = images.map((f) => {
    const p = f.webkitRelativePath;
    if (!p) throw new Error(`${WHERE}: ${JSON.stringify(f.name)} has no webkitRelativePath; choose the folder with <input type="file" webkitdirectory> so that each file keeps its class folder`);
    // below the chosen folder: drop its name
    return p.split('/').slice(1).join('/');
  });
  const order = relative.map((_, i) => i).sort((a, b) => (relative[a] < relative[b] ? -1 : relative[a] > relative[b] ? 1 : 0));
  const { classNames, labels } = inferLabels(order.map((i) => relative[i]), WHERE);
  const entries: ImageEntry[] = order.map((i, k) => ({ path: relative[i], label: labels[k], read: () => createImageBitmap(images[i]) }));
  if (entries.length === 0) throw new Error(`${WHERE}: none of the ${files.length} files is a ${IMAGE_EXTENSIONS.join(', ')} image`);
  return datasetOf(entries, classNames, options);
}

/**
 * A dataset of { xs, ys } images from a folder with one subfolder per class:
 * a path in Node, the File list of a folder upload in a browser.
 * `await wc.data.imageFolder('photos', { size: [96, 96] })` then `.batch(32)`.
 */
export async function imageFolder(source: string | readonly File[] | FileList, options: ImageFolderOptions): Promise<ImageFolderDataset> {
  if (typeof source === 'string') {
    if (!inNode()) throw new Error(`${WHERE}: a folder path works in Node; in a browser pass the File list of an <input type="file" webkitdirectory>`);
    const { listImageFolder } = await import('./imageFolderNode.js');
    const { entries, classNames } = await listImageFolder(source, WHERE);
    return datasetOf(entries, classNames, options);
  }
  if (source && typeof (source as ArrayLike<File>).length === 'number') return fromFiles(Array.from(source as ArrayLike<File>), options);
  throw new Error(`${WHERE}: expected a folder path (Node) or a list of File objects (browser), got ${source === null ? 'null' : typeof source}`);
}
