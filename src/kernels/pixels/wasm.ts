// fromPixels on the wasm backend: the source's RGBA bytes (as the CPU
// reference gets them: raw bytes as they are, image sources drawn on a
// canvas) copied into scratch, then turned into channels by
// src/backend/wasm/assembly/pixels.ts.

import type { WasmContext } from '../../backend/wasm/context.js';
import type { Tensor } from '../../tensor.js';
import { rgbaBytes } from './cpu.js';
import { type PixelSource, pixelSize } from './source.js';

export function fromPixels(ctx: WasmContext, source: PixelSource, numChannels: number): Tensor {
  const { width, height } = pixelSize(source);
  const bytes = rgbaBytes(source);
  const y = ctx.output([height, width, numChannels], 'fromPixels');
  const rgba = ctx.scratch(bytes.length);
  new Uint8Array(ctx.f32().buffer, rgba, bytes.length).set(bytes);
  ctx.exports.rgbaToChannels(rgba, ctx.ptr(y), width * height, numChannels);
  return y;
}
