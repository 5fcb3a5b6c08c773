// fromPixels on the CPU: a source's RGBA bytes (raw buffers and ImageData as
// they are; image sources drawn onto an OffscreenCanvas, or a canvas where
// there is none, and read with getImageData), then the first numChannels of
// each pixel (1: red, as TF.js does).

import type { Tensor } from '../../tensor.js';
import { cpuTensor } from '../../backend/cpu/storage.js';
import { type PixelSource, RawPixels, pixelSize } from './source.js';

type Ctx2d = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/** The RGBA bytes of a source, row-major, 4 a pixel. */
export function rgbaBytes(source: PixelSource): Uint8Array | Uint8ClampedArray {
  if (source instanceof RawPixels) return source.data;
  const { width, height } = pixelSize(source);
  let ctx: Ctx2d | null = null;
  if (typeof OffscreenCanvas !== 'undefined') {
    ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
  } else if (typeof document !== 'undefined') {
    const c = document.createElement('canvas');
    c.width = width;
    c.height = height;
    ctx = c.getContext('2d', { willReadFrequently: true });
  }
  if (!ctx) throw new Error('browser.fromPixels: no 2D canvas to draw the image on (needs OffscreenCanvas or a document)');
  ctx.drawImage(source as CanvasImageSource, 0, 0, width, height);
  return ctx.getImageData(0, 0, width, height).data;
}

/** The [height, width, numChannels] tensor of channel values 0-255 (float32 storage). */
export function fromPixelsCpu(source: PixelSource, numChannels: number): Tensor {
  const { width, height } = pixelSize(source);
  const bytes = rgbaBytes(source);
  const n = width * height;
  const out = new Float32Array(n * numChannels);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < numChannels; c++) out[i * numChannels + c] = bytes[i * 4 + c];
  }
  return cpuTensor(out, [height, width, numChannels]);
}
