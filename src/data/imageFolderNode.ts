// imageFolder in Node: the class folders listed with node:fs, and each image
// decoded to RGBA bytes by pngjs or jpeg-js (pure JS, no native code), chosen
// by the file's signature. Loaded only from Node (imageFolder imports it on
// use), so a browser bundle never pulls in node:fs or the decoders.

import { inferLabels, isImageFile, type ImageEntry } from './imageEntries.js';
import type { PixelData } from '../kernels/pixels/index.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

const startsWith = (b: Uint8Array, sig: readonly number[]) => sig.every((v, i) => b[i] === v);

/** RGBA bytes of a PNG or JPEG file's contents. */
export async function decodeImage(bytes: Uint8Array): Promise<PixelData> {
  if (startsWith(bytes, PNG_SIGNATURE)) {
    const { PNG } = await import('pngjs');
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength), width: png.width, height: png.height };
  }
  if (startsWith(bytes, JPEG_SIGNATURE)) {
    const { decode } = await import('jpeg-js');
    const jpg = decode(bytes, { useTArray: true, formatAsRGBA: true });
    return { data: jpg.data, width: jpg.width, height: jpg.height };
  }
  throw new Error('not a PNG or JPEG file (unknown signature)');
}

/** Every PNG/JPEG under each subfolder of `dir` (recursively), sorted by path, labelled by subfolder. */
export async function listImageFolder(dir: string, where: string): Promise<{ entries: ImageEntry[]; classNames: string[] }> {
  const [fs, path] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  const root = path.resolve(dir);
  const top = await fs.readdir(root, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    throw new Error(`${where}: cannot read the folder ${JSON.stringify(dir)}: ${err.code ?? err.message}`, { cause: err });
  });
  const files: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const d of await fs.readdir(path.join(root, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) await walk(child);
      else if (d.isFile() && isImageFile(d.name)) files.push(child);
    }
  };
  // images directly in the folder have no class: Keras ignores them, and so does this
  for (const d of top) if (d.isDirectory()) await walk(d.name);
  files.sort();
  if (files.length === 0) throw new Error(`${where}: no .png, .jpg or .jpeg images in subfolders of ${JSON.stringify(dir)}; expected one subfolder per class`);
  const { classNames, labels } = inferLabels(files, where);
  const entries = files.map((p, i) => ({
    path: p, label: labels[i],
    read: async () => decodeImage(await fs.readFile(path.join(root, ...p.split('/')))),
  }));
  return { entries, classNames };
}
