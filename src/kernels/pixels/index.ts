// browser.fromPixels as TF.js's tf.browser.fromPixels(pixels, numChannels = 3):
// an image, a canvas, a video frame or raw RGBA bytes to an int32 tensor
// [height, width, numChannels] of values 0-255 (float32 storage, as every
// int32 tensor here). One kernel, 'fromPixels': the CPU reference reads the
// bytes (getImageData for image sources); WebGPU copies image sources into a
// texture on the GPU (see webgpu.ts); wasm converts the same bytes as the CPU
// in WebAssembly (see wasm.ts). The kernel runs on the selected backend.

import { asInt32, type Tensor } from '../../tensor.js';
import { backend } from '../../engine.js';
import { defineKernel } from '../kernel.js';
import { fromPixelsCpu } from './cpu.js';
import { fromPixelsGpu } from './webgpu.js';
import { fromPixels as fromPixelsWasm } from './wasm.js';
import { type FromPixelsInput, type PixelSource, checkPixels, pixelSource } from './source.js';

export { pipelines } from './webgpu.js';
export { RawPixels, type FromPixelsInput, type ImageSource, type PixelData, type PixelSource } from './source.js';

export const fromPixelsKernel = defineKernel({
  name: 'fromPixels',
  check(source: PixelSource, numChannels: number) {
    checkPixels(source, numChannels);
  },
  cpu(source: PixelSource, numChannels: number): Tensor {
    return fromPixelsCpu(source, numChannels);
  },
  webgpu(ctx, source: PixelSource, numChannels: number): Tensor {
    return fromPixelsGpu(ctx, source, numChannels);
  },
  wasm: fromPixelsWasm,
});

/**
 * The pixels of an image source or of raw RGBA bytes as an int32 tensor
 * [height, width, numChannels] (1: red; 3: RGB; 4: RGBA), values 0-255, on
 * the selected backend.
 */
export function fromPixels(pixels: FromPixelsInput, numChannels = 3): Tensor {
  const source = pixelSource(pixels);
  fromPixelsKernel.check(source, numChannels);
  return asInt32(backend().run(fromPixelsKernel, [source, numChannels]));
}
