// browser.toPixels as TF.js's tf.browser.toPixels(img, canvas?): a [height,
// width] or [height, width, depth] tensor (depth 1: gray, 3: RGB, 4: RGBA;
// float32 in [0, 1], int32 in [0, 255]) to RGBA bytes, drawn on the canvas if
// one is given. Not a kernel: it reads the tensor back (as TF.js does) and
// packs the bytes on the CPU.

import type { Tensor } from '../../tensor.js';

const OP = 'browser.toPixels';

/** The RGBA bytes of img (4 a pixel, alpha 255 unless depth is 4); with a canvas, also resized to img and drawn on it. */
export async function toPixels(img: Tensor, canvas?: HTMLCanvasElement | OffscreenCanvas): Promise<Uint8ClampedArray> {
  if (img.rank !== 2 && img.rank !== 3) {
    throw new Error(`${OP}: only rank 2 or 3 tensors are supported, got rank ${img.rank}`);
  }
  const [height, width] = img.shape;
  const depth = img.rank === 2 ? 1 : img.shape[2];
  if (depth !== 1 && depth !== 3 && depth !== 4) {
    throw new Error(`${OP}: only a depth of 1, 3 or 4 is supported, got ${depth}`);
  }
  const isFloat = img.dtype === 'float32';
  const multiplier = isFloat ? 255 : 1;
  const data = await img.data();
  const bytes = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < height * width; i++) {
    const rgba = [0, 0, 0, 255];
    for (let d = 0; d < depth; d++) {
      const value = data[i * depth + d];
      if (isFloat ? value < 0 || value > 1 : value < 0 || value > 255) {
        throw new Error(`${OP}: the values of a ${img.dtype} tensor must be in [0, ${isFloat ? 1 : 255}], got ${value} at element ${i * depth + d}`);
      }
      if (depth === 1) rgba[0] = rgba[1] = rgba[2] = value * multiplier;
      else rgba[d] = value * multiplier;
    }
    for (let k = 0; k < 4; k++) bytes[i * 4 + k] = Math.round(rgba[k]);
  }
  if (canvas) {
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
    if (!ctx) throw new Error(`${OP}: the canvas has no 2D context (is it already used for WebGL or WebGPU?)`);
    ctx.putImageData(new ImageData(bytes, width, height), 0, 0);
  }
  return bytes;
}
