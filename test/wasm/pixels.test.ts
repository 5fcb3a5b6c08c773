// browser.fromPixels on the wasm backend: raw RGBA bytes by hand for 1, 3 and
// 4 channels (int32 tensors on the wasm backend), and parity with the CPU
// reference on pixel counts that leave a scalar tail, every byte value, and
// unaligned Uint8ClampedArray views.

import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import { RawPixels, fromPixelsKernel } from '../../src/kernels/pixels/index.js';
import { wasmBackend } from './harness.js';
import { EXACT, expectWasmMatch } from './tight.js';

let be: WasmBackend;
beforeAll(async () => { be = await wasmBackend(); });

// 2 rows x 3 columns, RGBA: pixel k has channels 10k+1 .. 10k+4 (k = 0..4), the last pixel saturates.
const BYTES = Uint8Array.from([1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24, 31, 32, 33, 34, 41, 42, 43, 44, 255, 0, 128, 7]);

describe('browser.fromPixels (wasm)', () => {
  it('runs fromPixels in wasm', () => {
    expect(wc.backendInfo().wasm?.fallbackKernels).not.toContain('fromPixels');
  });

  it('turns raw RGBA bytes into int32 [height, width, channels] on the wasm backend', () => {
    const px = { data: BYTES, width: 3, height: 2 };
    const rgb = wc.browser.fromPixels(px);
    expect(rgb.backend.name).toBe('wasm');
    expect(rgb.dtype).toBe('int32');
    expect(rgb.shape).toEqual([2, 3, 3]);
    expect([...rgb.dataSync()]).toEqual([1, 2, 3, 11, 12, 13, 21, 22, 23, 31, 32, 33, 41, 42, 43, 255, 0, 128]);
    expect([...wc.browser.fromPixels(px, 4).dataSync()]).toEqual([...BYTES]);
    expect([...wc.browser.fromPixels(px, 1).dataSync()]).toEqual([1, 11, 21, 31, 41, 255]);
  });

  // Pixel counts: under four (tail only), four, and odd sizes past several steps.
  for (const [width, height] of [[1, 1], [3, 1], [2, 2], [7, 5], [16, 9]]) {
    it(`matches the CPU reference on ${width}x${height} pixels of every byte value`, () => {
      const data = new Uint8ClampedArray(width * height * 4 + 1);
      for (let i = 0; i < data.length; i++) data[i] = (i * 97 + 13) % 256;
      // An unaligned view: the bytes start one past the buffer's start.
      const source = new RawPixels(data.subarray(1), width, height);
      for (const channels of [1, 3, 4]) expectWasmMatch(be, fromPixelsKernel, [source, channels], EXACT, `fromPixels ${channels}`);
    });
  }
});
