// browser.fromPixels on the CPU backend (Node): raw RGBA buffers by hand,
// unaligned and Uint8ClampedArray views, each error naming the op, and the
// same values as the real TensorFlow.js's tf.browser.fromPixels on a
// { data: Uint8Array, width, height } object.

import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as wc from '../../src/index.js';
import { asInt32 } from '../../src/tensor.js';

/** A tensor of the given values marked int32 (webcnn has no cast; storage stays float32). */
const ints = (values: number[], shape: number[]) => asInt32(wc.tensor(values, shape));

beforeAll(async () => {
  await tf.setBackend('cpu');
  await wc.setBackend('cpu');
});

// 2 rows x 3 columns, RGBA: pixel k has channels 10k+1 .. 10k+4 (k = 0..5), the last pixel saturates.
const W = 3;
const H = 2;
const BYTES = Uint8Array.from([1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24, 31, 32, 33, 34, 41, 42, 43, 44, 255, 0, 128, 7]);

describe('browser.fromPixels (cpu)', () => {
  it('turns raw RGBA bytes into int32 [height, width, 3] by default (RGB, alpha dropped)', () => {
    const x = wc.browser.fromPixels({ data: BYTES, width: W, height: H });
    expect(x.shape).toEqual([2, 3, 3]);
    expect(x.dtype).toBe('int32');
    expect([...x.dataSync()]).toEqual([1, 2, 3, 11, 12, 13, 21, 22, 23, 31, 32, 33, 41, 42, 43, 255, 0, 128]);
  });

  it('takes 4 channels (RGBA) and 1 (red only, as TF.js)', () => {
    const px = { data: new Uint8ClampedArray(BYTES), width: W, height: H };
    const rgba = wc.browser.fromPixels(px, 4);
    expect(rgba.shape).toEqual([2, 3, 4]);
    expect([...rgba.dataSync()]).toEqual([...BYTES]);
    const red = wc.browser.fromPixels(px, 1);
    expect(red.shape).toEqual([2, 3, 1]);
    expect([...red.dataSync()]).toEqual([1, 11, 21, 31, 41, 255]);
  });

  it('reads an unaligned view of a larger buffer', () => {
    const big = new Uint8Array(BYTES.length + 1);
    big.set(BYTES, 1);
    const x = wc.browser.fromPixels({ data: big.subarray(1), width: W, height: H }, 4);
    expect([...x.dataSync()]).toEqual([...BYTES]);
  });

  it('is in wc.ops and runs inside tidy', () => {
    expect(wc.ops.fromPixels).toBe(wc.browser.fromPixels);
    const before = wc.memory().numTensors;
    const s = wc.tidy(() => wc.browser.fromPixels({ data: BYTES, width: W, height: H }).sum().dataSync()[0]);
    expect(s).toBe(1 + 2 + 3 + 11 + 12 + 13 + 21 + 22 + 23 + 31 + 32 + 33 + 41 + 42 + 43 + 255 + 128);
    expect(wc.memory().numTensors).toBe(before);
  });

  it('equals tf.browser.fromPixels on the same bytes for 1, 3 and 4 channels', async () => {
    const data = new Uint8Array(5 * 4 * 4);
    for (let i = 0; i < data.length; i++) data[i] = (i * 37 + 11) % 256;
    for (const c of [1, 3, 4]) {
      const ours = wc.browser.fromPixels({ data, width: 4, height: 5 }, c);
      const theirs = tf.browser.fromPixels({ data, width: 4, height: 5 }, c);
      expect(ours.shape).toEqual(theirs.shape);
      expect(ours.dtype).toBe(theirs.dtype);
      expect([...ours.dataSync()]).toEqual([...(await theirs.data())]);
      theirs.dispose();
    }
  });

  it('refuses bad arguments, naming browser.fromPixels', () => {
    const px = { data: BYTES, width: W, height: H };
    expect(() => wc.browser.fromPixels(px, 2)).toThrow('browser.fromPixels: numChannels must be 1, 3 or 4, got 2');
    expect(() => wc.browser.fromPixels(px, 5)).toThrow('browser.fromPixels: numChannels must be 1, 3 or 4, got 5');
    expect(() => wc.browser.fromPixels({ data: new Uint8Array(0), width: 0, height: 2 })).toThrow(
      'browser.fromPixels: the image is empty or its size is not a positive integer (width 0, height 2)');
    expect(() => wc.browser.fromPixels({ data: BYTES, width: 2, height: 2 })).toThrow(
      'browser.fromPixels: 2x2 RGBA pixels need 16 bytes (4 a pixel), got 24');
    expect(() => wc.browser.fromPixels({ data: new Float32Array(24), width: W, height: H } as never)).toThrow(
      /^browser\.fromPixels: expected ImageData, \{ data: Uint8ClampedArray \| Uint8Array, width, height \}, HTMLImageElement, .* got Object$/);
    expect(() => wc.browser.fromPixels(null as never)).toThrow(/^browser\.fromPixels: expected .* got null$/);
    expect(() => wc.browser.fromPixels('img.png' as never)).toThrow(/^browser\.fromPixels: expected .* got string$/);
  });
});

describe('browser.toPixels (cpu)', () => {
  it('packs gray, RGB and RGBA tensors into RGBA bytes as tf.browser.toPixels does', async () => {
    const cases: [number[], number[], 'float32' | 'int32'][] = [
      [[0, 0.25, 0.5, 1, 0.999, 0.002], [2, 3], 'float32'],
      [[0, 0.25, 0.5, 1, 0.999, 0.002], [2, 3, 1], 'float32'],
      [[0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 0.5], [2, 2, 3], 'float32'],
      [[0, 1, 2, 3, 100, 128, 200, 255], [1, 2, 4], 'int32'],
      [[7, 250, 0], [3, 1], 'int32'],
    ];
    for (const [values, shape, dtype] of cases) {
      const ours = await wc.browser.toPixels(dtype === 'int32' ? ints(values, shape) : wc.tensor(values, shape));
      const theirs = await tf.browser.toPixels(tf.tensor(values, shape, dtype) as unknown as tf.Tensor3D);
      expect(ours, `${shape} ${dtype}`).toBeInstanceOf(Uint8ClampedArray);
      expect([...ours], `${shape} ${dtype}`).toEqual([...theirs]);
    }
    expect([...await wc.browser.toPixels(wc.browser.fromPixels({ data: BYTES, width: W, height: H }, 4))]).toEqual([...BYTES]);
  });

  it('refuses what TF.js refuses, naming browser.toPixels', async () => {
    await expect(wc.browser.toPixels(wc.zeros([2]))).rejects.toThrow('browser.toPixels: only rank 2 or 3 tensors are supported, got rank 1');
    await expect(wc.browser.toPixels(wc.zeros([2, 2, 2]))).rejects.toThrow('browser.toPixels: only a depth of 1, 3 or 4 is supported, got 2');
    await expect(wc.browser.toPixels(wc.tensor([0.5, 1.5], [1, 2]))).rejects.toThrow(
      'browser.toPixels: the values of a float32 tensor must be in [0, 1], got 1.5 at element 1');
    await expect(wc.browser.toPixels(ints([3, 256], [1, 2]))).rejects.toThrow(
      'browser.toPixels: the values of a int32 tensor must be in [0, 255], got 256 at element 1');
  });
});
