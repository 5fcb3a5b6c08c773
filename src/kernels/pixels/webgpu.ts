// fromPixels on WebGPU. Image sources (canvas, OffscreenCanvas, ImageBitmap,
// image element, video, VideoFrame) go through copyExternalImageToTexture
// into an rgba8unorm texture and one kernel reads it into the NHWC buffer: no
// CPU round trip. Raw bytes (ImageData, { data, width, height }) are uploaded
// as they are (4 bytes a pixel, one u32) and one kernel unpacks them on the GPU.

import type { Tensor } from '../../tensor.js';
import { buf, type GpuContext } from '../../backend/webgpu/context.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import fromPixelsCode from '../../../shaders/fromPixels.wgsl?raw';
import fromPixelsTextureCode from '../../../shaders/fromPixelsTexture.wgsl?raw';
import { type PixelSource, RawPixels, pixelSize } from './source.js';

const bytesUniforms = { n: 'u32', channels: 'u32' } as const;
const bytesSpec: PipelineSpec<typeof bytesUniforms> = { name: 'fromPixels', code: fromPixelsCode, uniforms: bytesUniforms };
const textureUniforms = { n: 'u32', channels: 'u32', width: 'u32' } as const;
const textureSpec: PipelineSpec<typeof textureUniforms> = { name: 'fromPixelsTexture', code: fromPixelsTextureCode, uniforms: textureUniforms };

export const pipelines: readonly PipelineSpec[] = [bytesSpec, textureSpec];

/** The bytes as whole u32 words (a copy when the view is not 4-byte aligned). */
function words(data: Uint8Array | Uint8ClampedArray): Uint32Array {
  if (data.byteOffset % 4 === 0) return new Uint32Array(data.buffer, data.byteOffset, data.length / 4);
  return new Uint32Array(Uint8Array.from(data).buffer);
}

export function fromPixelsGpu(ctx: GpuContext, source: PixelSource, numChannels: number): Tensor {
  const { width, height } = pixelSize(source);
  const y = ctx.output([height, width, numChannels], 'fromPixels');
  const n = width * height * numChannels;
  if (source instanceof RawPixels) {
    const packed = ctx.scratchFrom(words(source.data), 'fromPixels RGBA bytes');
    ctx.run1d(bytesSpec, { n, channels: numChannels }, [packed, buf(y)], n);
    ctx.release(packed);
  } else {
    const texture = ctx.externalImage(source, width, height, 'fromPixels image');
    ctx.run1d(textureSpec, { n, channels: numChannels, width }, [texture.createView(), buf(y)], n);
    ctx.scheduler.retire(texture);
  }
  return y;
}
