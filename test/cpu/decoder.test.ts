// The decoder kernels and ops on the CPU backend: upSampling2d (nearest and
// bilinear) and wc.conv2dTranspose, by hand, against TensorFlow.js (values
// and gradients, tf.image.resizeNearestNeighbor / resizeBilinear and
// tf.conv2dTranspose with the same dy), by finite differences, and their errors.
// TF.js 4.22's CPU resize gradients have two bugs, so the resize gradients are
// compared with its gradient kernels one image at a time: ResizeNearestNeighborGrad
// offsets dy by the image's batch stride (wrong past the first image), and
// ResizeBilinearGrad labels its result [n, w, h, c] (the values are laid out
// [n, h, w, c]; the tape refuses the shape of a non-square image).

import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as wc from '../../src/index.js';
import type { UpSampling2dParams } from '../../src/kernels/decoder/index.js';
import { expectClose, randomValues } from '../util/check.js';
import { checkGradient, t } from './gradcheck.js';

const { upSampling2d, upSampling2dBackward } = wc.ops;
const up = (sh: number, sw: number, interpolation: 'nearest' | 'bilinear'): UpSampling2dParams => ({ size: [sh, sw], interpolation });
const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
const SAME = { atol: 1e-5, rtol: 1e-5 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('upSampling2d (cpu): hand-computed answers', () => {
  const x = t([1, 2, 3, 4], [1, 2, 2, 1]);

  it('nearest repeats each pixel over its block', () => {
    expect([...upSampling2d(x, up(2, 3, 'nearest')).dataSync()]).toEqual([
      1, 1, 1, 2, 2, 2,
      1, 1, 1, 2, 2, 2,
      3, 3, 3, 4, 4, 4,
      3, 3, 3, 4, 4, 4,
    ]);
  });

  it('bilinear blends towards the next row and column, the last ones clamped (TF.js, no half-pixel centers)', () => {
    expect([...upSampling2d(x, up(2, 2, 'bilinear')).dataSync()]).toEqual([
      1, 1.5, 2, 2,
      2, 2.5, 3, 3,
      3, 3.5, 4, 4,
      3, 3.5, 4, 4,
    ]);
  });

  it('the backward of nearest sums each block; of bilinear, puts each dy back with its weights', () => {
    const dy = t(new Float32Array(16).fill(1), [1, 4, 4, 1]);
    expect([...upSampling2dBackward(dy, [1, 2, 2, 1], up(2, 2, 'nearest')).dataSync()]).toEqual([4, 4, 4, 4]);
    // rows: row 0 gets 1 + 0.5 (from output row 1), row 1 gets 0.5 + 1 + 1; likewise the columns
    expect([...upSampling2dBackward(dy, [1, 2, 2, 1], up(2, 2, 'bilinear')).dataSync()]).toEqual([1.5 * 1.5, 1.5 * 2.5, 2.5 * 1.5, 2.5 * 2.5]);
  });

  it('refuses bad sizes, interpolations and dy shapes, naming the op', () => {
    expect(() => upSampling2d(x, up(0, 2, 'nearest'))).toThrow(/^upSampling2d: size must be two positive integers/);
    expect(() => upSampling2d(x, { size: [2, 2], interpolation: 'bicubic' as 'nearest' })).toThrow(/^upSampling2d: interpolation must be 'nearest' or 'bilinear', got "bicubic"/);
    expect(() => upSampling2d(t([1, 2], [1, 2]), up(2, 2, 'nearest'))).toThrow(/^upSampling2d: expected x of rank 4/);
    expect(() => upSampling2dBackward(t(new Float32Array(9), [1, 3, 3, 1]), [1, 2, 2, 1], up(2, 2, 'nearest')))
      .toThrow(/^upSampling2dBackward: expected dy of shape \[1, 4, 4, 1\], got \[1, 3, 3, 1\]/);
  });
});

/** TF.js's resize gradient kernel run on each image alone, its values read in [h, w, c] order. */
function tfResizeGrad(interpolation: 'nearest' | 'bilinear', xv: Float32Array, shape: number[], dyv: Float32Array, outShape: number[]): Float32Array {
  const [n, h, w, c] = shape;
  const [, oh, ow] = outShape;
  const out = new Float32Array(xv.length);
  for (let b = 0; b < n; b++) {
    const images = tf.tensor4d(xv.subarray(b * h * w * c, (b + 1) * h * w * c), [1, h, w, c]);
    const dy = tf.tensor4d(dyv.subarray(b * oh * ow * c, (b + 1) * oh * ow * c), [1, oh, ow, c]);
    const name = interpolation === 'nearest' ? 'ResizeNearestNeighborGrad' : 'ResizeBilinearGrad';
    const g = tf.engine().runKernel(name, { images, dy }, { alignCorners: false, halfPixelCenters: false }) as tf.Tensor;
    out.set(g.dataSync(), b * h * w * c);
  }
  return out;
}

describe('upSampling2d (cpu) against TensorFlow.js', () => {
  const cases: [string, number[], [number, number]][] = [
    ['2x2 on 3x4, 2 channels, batch 2', [2, 3, 4, 2], [2, 2]],
    ['[3, 2] on 5x3, 3 channels', [1, 5, 3, 3], [3, 2]],
    ['[1, 4] on one row', [1, 1, 3, 1], [1, 4]],
    ['7 x 7 on 2x1', [1, 2, 1, 2], [7, 7]],
    ['3x3 on 4x4, 2 channels', [1, 4, 4, 2], [3, 3]],
  ];
  for (const interpolation of ['nearest', 'bilinear'] as const) {
    it.each(cases)(`${interpolation}: values and gradients, %s`, (_name, shape, factors) => {
      const xv = randomValues(size(shape), 3);
      const [n, h, w, c] = shape;
      const outShape = [n, h * factors[0], w * factors[1], c];
      const dyv = randomValues(size(outShape), 4);
      const resize = (im: tf.Tensor4D): tf.Tensor4D => (interpolation === 'nearest'
        ? tf.image.resizeNearestNeighbor(im, [outShape[1], outShape[2]])
        : tf.image.resizeBilinear(im, [outShape[1], outShape[2]]));
      const tx = tf.tensor4d(xv, shape as [number, number, number, number]);
      const tdy = tf.tensor4d(dyv, outShape as [number, number, number, number]);
      const expected = resize(tx).dataSync();
      const expectedDx = tfResizeGrad(interpolation, xv, shape, dyv, outShape);
      // where TF.js's gradient is right (one image, square), the tape's gradient is its kernel's
      if (n === 1 && (interpolation === 'nearest' || h === w)) {
        expectClose(tf.grad((a: tf.Tensor) => resize(a as tf.Tensor4D))(tx, tdy).dataSync(), expectedDx, SAME, 'TF.js tape');
      }
      const p = up(factors[0], factors[1], interpolation);
      expectClose(upSampling2d(t(xv, shape), p).dataSync(), expected, SAME, `${interpolation} forward`);
      expectClose(upSampling2dBackward(t(dyv, outShape), shape, p).dataSync(), expectedDx, SAME, `${interpolation} backward`);
    });
  }

  it.each(['nearest', 'bilinear'] as const)('%s: the backward passes finite differences', (interpolation) => {
    const shape = [2, 3, 2, 2];
    const p = up(2, 3, interpolation);
    const xv = randomValues(size(shape), 5);
    const outSize = size([2, 6, 6, 2]);
    checkGradient(`upSampling2d ${interpolation}`, xv, outSize, (v) => upSampling2d(t(v, shape), p).dataSync(),
      (r) => upSampling2dBackward(t(r, [2, 6, 6, 2]), shape, p).dataSync());
  });
});

describe('wc.conv2dTranspose (cpu)', () => {
  it('scatters each input pixel times the filter, stride apart (hand-computed)', () => {
    // x 2x2 (1 channel), filter 2x2 of ones, stride 2 'valid': each pixel fills its own 2x2 block
    const y = wc.conv2dTranspose(t([1, 2, 3, 4], [1, 2, 2, 1]), t([1, 1, 1, 1], [2, 2, 1, 1]), [1, 4, 4, 1], 2, 'valid');
    expect([...y.dataSync()]).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
    // stride 1 'valid' with a 2x2 filter [[1, 2], [3, 4]] on one pixel of value 2: the filter times 2
    const z = wc.conv2dTranspose(t([2], [1, 1, 1]), t([1, 2, 3, 4], [2, 2, 1, 1]), [2, 2, 1], 1, 'valid');
    expect(z.shape).toEqual([2, 2, 1]);
    expect([...z.dataSync()]).toEqual([2, 4, 6, 8]);
  });

  const cases: [string, number[], number[], number[], number | [number, number], 'valid' | 'same' | number][] = [
    ["3x3 stride 2 'same', 3 -> 2 channels", [2, 3, 4, 3], [3, 3, 2, 3], [2, 6, 8, 2], 2, 'same'],
    ["3x3 stride 2 'valid'", [1, 3, 3, 2], [3, 3, 4, 2], [1, 7, 7, 4], 2, 'valid'],
    ["4x4 stride 2 'same' (odd total pad)", [1, 3, 2, 1], [4, 4, 2, 1], [1, 6, 4, 2], 2, 'same'],
    ["2x3 strides [1, 2] 'valid'", [1, 4, 3, 2], [2, 3, 3, 2], [1, 5, 7, 3], [1, 2], 'valid'],
    ['3x3 stride 1 pad 1', [1, 4, 4, 2], [3, 3, 2, 2], [1, 4, 4, 2], 1, 1],
    ["2x2 stride 3 'valid' (gaps between blocks)", [1, 2, 2, 1], [2, 2, 1, 1], [1, 6, 6, 1], 3, 'valid'],
  ];
  it.each(cases)('agrees with tf.conv2dTranspose, values and gradients: %s', (_name, xShape, wShape, outShape, strides, pad) => {
    const xv = randomValues(size(xShape), 11);
    const wv = randomValues(size(wShape), 12);
    const dyv = randomValues(size(outShape), 13);
    const tx = tf.tensor4d(xv, xShape as [number, number, number, number]);
    const tw = tf.tensor4d(wv, wShape as [number, number, number, number]);
    const f = (a: tf.Tensor4D, b: tf.Tensor4D): tf.Tensor4D => tf.conv2dTranspose(a, b, outShape as [number, number, number, number], strides, pad);
    const expected = f(tx, tw).dataSync();
    const [edx, edw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => f(a as tf.Tensor4D, b as tf.Tensor4D))([tx, tw], tf.tensor4d(dyv, outShape as [number, number, number, number]));
    const g = (a: wc.Tensor, b: wc.Tensor): wc.Tensor => wc.conv2dTranspose(a, b, outShape, strides, pad);
    expectClose(g(t(xv, xShape), t(wv, wShape)).dataSync(), expected, SAME, 'forward');
    const [dx, dw] = wc.grads(g)([t(xv, xShape), t(wv, wShape)], t(dyv, outShape));
    expectClose(dx.dataSync(), edx.dataSync(), SAME, 'dx');
    expectClose(dw.dataSync(), edw.dataSync(), SAME, 'dw');
  });

  it('passes finite differences for x and the filter', () => {
    const xShape = [1, 3, 2, 2];
    const wShape = [3, 3, 2, 2];
    const outShape = [1, 6, 4, 2];
    const xv = randomValues(size(xShape), 21);
    const wv = randomValues(size(wShape), 22);
    const run = (a: Float32Array, b: Float32Array): Float32Array => wc.conv2dTranspose(t(a, xShape), t(b, wShape), outShape, 2, 'same').dataSync() as Float32Array;
    const gradsAt = (r: Float32Array) => wc.grads((a: wc.Tensor, b: wc.Tensor) => wc.conv2dTranspose(a, b, outShape, 2, 'same'))([t(xv, xShape), t(wv, wShape)], t(r, outShape));
    checkGradient('conv2dTranspose dx', xv, size(outShape), (v) => run(v, wv), (r) => gradsAt(r)[0].dataSync() as Float32Array);
    checkGradient('conv2dTranspose dfilter', wv, size(outShape), (v) => run(xv, v), (r) => gradsAt(r)[1].dataSync() as Float32Array);
  });

  it('takes one image (rank 3) and refuses mismatched shapes, naming the op', () => {
    const x = t(randomValues(12, 1), [2, 3, 2]);
    const w = t(randomValues(36, 2), [3, 3, 2, 2]);
    expect(wc.conv2dTranspose(x, w, [4, 6, 2], 2, 'same').shape).toEqual([4, 6, 2]);
    expect(() => wc.conv2dTranspose(x, w, [4, 6, 3], 2, 'same')).toThrow(/^conv2dTranspose: outputShape's depth \(3\) must match the filter's out depth/);
    expect(() => wc.conv2dTranspose(x, t(randomValues(27, 2), [3, 3, 3, 1]), [4, 6, 3], 2, 'same')).toThrow(/^conv2dTranspose: depth of input \(2\) must match/);
    expect(() => wc.conv2dTranspose(x, w, [5, 7, 2], 2, 'same')).toThrow(/^conv2dTranspose: x \[2, 3, 2\] does not fit outputShape \[5, 7, 2\]: a conv2d of that shape .* outputs \[1, 3, 4, 2\]/);
    expect(() => wc.conv2dTranspose(x, w, [4, 6], 2, 'same')).toThrow(/^conv2dTranspose: outputShape must be 3 positive integers/);
    expect(() => wc.conv2dTranspose(x, w, [4, 6, 2], 0, 'same')).toThrow(/^conv2dTranspose: strides must be a positive integer/);
    expect(() => wc.conv2dTranspose(x, w, [4, 6, 2], 2, 'full' as 'same')).toThrow(/^conv2dTranspose: pad must be/);
  });
});
