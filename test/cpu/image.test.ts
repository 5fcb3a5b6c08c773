// wc.image (resizeBilinear, resizeNearestNeighbor, cropAndResize) and their
// kernels on the CPU: hand-computed answers, the real TensorFlow.js (CPU
// backend) for values and gradients, central differences, and the errors.
// TF.js 4.22's CPU resize gradients ignore halfPixelCenters, give the bilinear
// gradient a transposed shape ([n, w, h, c]) and read the nearest one's dy
// from the first image for every image; its gradients are compared where they
// are right (one image, square for bilinear, halfPixelCenters false) and
// central differences cover the rest. TF.js has no cropAndResize gradient:
// ours is the adjoint, checked by central differences.

import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as wc from '../../src/index.js';
import { expectClose, randomValues } from '../util/check.js';
import { checkGradient, t } from './gradcheck.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await wc.setBackend('cpu');
});

const TOL = { atol: 1e-5, rtol: 1e-4 };
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
type S4 = [number, number, number, number];

describe('wc.image resize (cpu): hand-computed answers', () => {
  it('bilinear 2x2 to 3x3 with alignCorners: the corners kept, the middles averaged', () => {
    const y = wc.image.resizeBilinear(t([0, 2, 4, 6], [1, 2, 2, 1]), [3, 3], true);
    expectClose(y.dataSync(), [0, 1, 2, 2, 3, 4, 4, 5, 6], TOL, 'alignCorners');
  });

  it('bilinear 1x2 to 1x4: source columns 0, 0.5, 1, 1.5 (clamped)', () => {
    const y = wc.image.resizeBilinear(t([10, 20], [1, 1, 2, 1]), [1, 4]);
    expectClose(y.dataSync(), [10, 15, 20, 20], TOL, 'plain');
    const h = wc.image.resizeBilinear(t([10, 20], [1, 1, 2, 1]), [1, 4], false, true);
    // halfPixelCenters: sources -0.25, 0.25, 0.75, 1.25
    expectClose(h.dataSync(), [10, 12.5, 17.5, 20], TOL, 'halfPixelCenters');
  });

  it('nearest 1x3 to 1x2 and to 1x5', () => {
    const x = t([1, 2, 3], [1, 1, 3, 1]);
    expectClose(wc.image.resizeNearestNeighbor(x, [1, 2]).dataSync(), [1, 2], TOL, 'floor(1.5 k)');
    expectClose(wc.image.resizeNearestNeighbor(x, [1, 2], true).dataSync(), [1, 3], TOL, 'alignCorners');
    expectClose(wc.image.resizeNearestNeighbor(x, [1, 5], false, true).dataSync(), [1, 1, 2, 3, 3], TOL, 'halfPixelCenters');
  });

  it('a rank-3 image is a batch of one and keeps rank 3', () => {
    const xv = randomValues(3 * 4 * 2, 1);
    const y3 = wc.image.resizeBilinear(t(xv, [3, 4, 2]), [5, 2]);
    expect(y3.shape).toEqual([5, 2, 2]);
    expect([...y3.dataSync()]).toEqual([...wc.image.resizeBilinear(t(xv, [1, 3, 4, 2]), [5, 2]).dataSync()]);
    const g = wc.grad((x: wc.Tensor) => wc.image.resizeNearestNeighbor(x, [2, 7]))(t(xv, [3, 4, 2]));
    expect(g.shape).toEqual([3, 4, 2]);
  });
});

const resizeCases: [string, S4, [number, number], boolean, boolean][] = [
  ['upsample', [2, 3, 4, 2], [7, 9], false, false],
  ['downsample', [2, 7, 6, 3], [3, 4], false, false],
  ['alignCorners up', [1, 3, 5, 2], [8, 7], true, false],
  ['alignCorners down', [2, 6, 7, 1], [4, 3], true, false],
  ['halfPixelCenters up', [2, 3, 4, 2], [7, 10], false, true],
  ['halfPixelCenters down', [1, 9, 7, 2], [4, 3], false, true],
  ['to one pixel, alignCorners', [1, 4, 3, 2], [1, 1], true, false],
  ['from one pixel', [2, 1, 1, 3], [3, 2], true, false],
  ['mixed', [1, 5, 2, 1], [2, 6], false, false],
];

describe('wc.image resize vs TensorFlow.js: values', () => {
  for (const [label, shape, sz, ac, hp] of resizeCases) {
    it(label, () => {
      const xv = randomValues(size(shape), shape[1] * 13 + sz[0]);
      const wb = wc.image.resizeBilinear(t(xv, shape), sz, ac, hp);
      const tb = tf.image.resizeBilinear(tf.tensor4d(xv, shape), sz, ac, hp);
      expect(wb.shape).toEqual(tb.shape);
      expectClose(wb.dataSync(), tb.dataSync() as Float32Array, TOL, `${label}: bilinear`);
      const wn = wc.image.resizeNearestNeighbor(t(xv, shape), sz, ac, hp);
      const tn = tf.image.resizeNearestNeighbor(tf.tensor4d(xv, shape), sz, ac, hp);
      expectClose(wn.dataSync(), tn.dataSync() as Float32Array, TOL, `${label}: nearest`);
    });
  }
});

describe('wc.image resize vs TensorFlow.js: gradients (one image; square for bilinear; halfPixelCenters false)', () => {
  const cases: [string, S4, [number, number], boolean][] = [
    ['up', [1, 4, 4, 2], [7, 9], false],
    ['down', [1, 6, 6, 3], [4, 3], false],
    ['alignCorners up', [1, 3, 3, 2], [8, 5], true],
    ['alignCorners down', [1, 7, 7, 1], [3, 4], true],
  ];
  for (const [label, shape, sz, ac] of cases) {
    it(label, () => {
      const xv = randomValues(size(shape), 5);
      const dyv = randomValues(shape[0] * sz[0] * sz[1] * shape[3], 6);
      const dyShape = [shape[0], sz[0], sz[1], shape[3]];
      for (const m of ['bilinear', 'nearest'] as const) {
        const wf = m === 'bilinear' ? wc.image.resizeBilinear : wc.image.resizeNearestNeighbor;
        const tfn = m === 'bilinear' ? tf.image.resizeBilinear : tf.image.resizeNearestNeighbor;
        const wg = wc.grad((x: wc.Tensor) => wf(x, sz, ac))(t(xv, shape), t(dyv, dyShape));
        const tg = tf.grad((x: tf.Tensor) => tfn(x as tf.Tensor4D, sz, ac))(tf.tensor4d(xv, shape), tf.tensor(dyv, dyShape));
        expect(wg.shape).toEqual(shape);
        expectClose(wg.dataSync(), tg.dataSync() as Float32Array, TOL, `${label}: ${m} gradient`);
      }
    });
  }
});

describe('resizeBackward (cpu): central differences, every case (batches, non-square, halfPixelCenters)', () => {
  for (const [label, shape, sz, ac, hp] of resizeCases) {
    for (const method of ['bilinear', 'nearest'] as const) {
      it(`${label}, ${method}`, () => {
        const p = { size: sz, method, alignCorners: ac, halfPixelCenters: hp };
        const xv = randomValues(size(shape), 3);
        const yShape = [shape[0], sz[0], sz[1], shape[3]];
        checkGradient(label, xv, size(yShape), (probe) => wc.ops.resize(t(probe, shape), p).dataSync(),
          (r) => wc.ops.resizeBackward(t(r, yShape), shape, p).dataSync());
      });
    }
  }
});

const boxes = [
  [0, 0, 1, 1],
  [0.125, 0.25, 0.75, 0.875],
  [0.875, 0.625, 0.25, 0.125], // flipped
  [-0.375, 0.5, 0.5, 1.375], // partly outside: extrapolated
  [0.25, 0.5, 0.25, 0.5], // one point
];
const boxInd = [0, 1, 1, 0, 1];
const cropCases: [string, S4, [number, number], 'bilinear' | 'nearest', number][] = [
  ['bilinear 3x4', [2, 5, 6, 2], [3, 4], 'bilinear', 0],
  ['nearest 4x3, extrapolation -1', [2, 6, 5, 3], [4, 3], 'nearest', -1],
  ['bilinear 1x1 (box centres)', [2, 4, 4, 1], [1, 1], 'bilinear', 0.5],
  ['bilinear 5x2', [2, 3, 7, 2], [5, 2], 'bilinear', 2],
];

describe('wc.image.cropAndResize vs TensorFlow.js: values', () => {
  it('hand-computed: the whole image at its own size is the image; a half box averages', () => {
    const x = t([0, 2, 4, 6], [1, 2, 2, 1]);
    expectClose(wc.image.cropAndResize(x, [[0, 0, 1, 1]], [0], [2, 2]).dataSync(), [0, 2, 4, 6], TOL, 'whole');
    expectClose(wc.image.cropAndResize(x, [[0.5, 0.5, 0.5, 0.5]], [0], [1, 1]).dataSync(), [3], TOL, 'centre');
    expectClose(wc.image.cropAndResize(x, [[0, 0, 2, 1]], [0], [3, 1], 'bilinear', 9).dataSync(), [1, 5, 9], TOL, 'extrapolated');
  });

  for (const [label, shape, crop, method, ext] of cropCases) {
    it(label, () => {
      const xv = randomValues(size(shape), 8);
      const w = wc.image.cropAndResize(t(xv, shape), boxes, boxInd, crop, method, ext);
      const r = tf.image.cropAndResize(tf.tensor4d(xv, shape), tf.tensor2d(boxes), tf.tensor1d(boxInd, 'int32'), crop, method, ext);
      expect(w.shape).toEqual(r.shape);
      expectClose(w.dataSync(), r.dataSync() as Float32Array, TOL, label);
    });
  }

  it('differs from TF.js where float32 boxes land within rounding of a half pixel: taken as the half pixel (nearest rounds it up)', () => {
    // H = 6, box rows 0.1 .. 0.7, 4 samples: rows 0.5, 1.5, 2.5, 3.5, which TF.js
    // computes from the float32 0.1 and 0.7 as 0.50000001, 1.4999999, 2.4999999, 3.4999999.
    const xv = Float32Array.from({ length: 6 }, (_, i) => i);
    const w = wc.image.cropAndResize(t(xv, [1, 6, 1, 1]), [[0.1, 0, 0.7, 0]], [0], [4, 1], 'nearest');
    const r = tf.image.cropAndResize(tf.tensor4d(xv, [1, 6, 1, 1]), tf.tensor2d([[0.1, 0, 0.7, 0]]), tf.tensor1d([0], 'int32'), [4, 1], 'nearest');
    expect([...w.dataSync()]).toEqual([1, 2, 3, 4]);
    expect([...r.dataSync()]).toEqual([1, 1, 2, 3]);
  });

  it('a box whose index is past the batch is all zeros, as TF.js', () => {
    const xv = randomValues(2 * 3 * 3, 2);
    const w = wc.image.cropAndResize(t(xv, [2, 3, 3, 1]), [[0, 0, 1, 1]], [2], [2, 2], 'bilinear', 5);
    const r = tf.image.cropAndResize(tf.tensor4d(xv, [2, 3, 3, 1]), tf.tensor2d([[0, 0, 1, 1]]), tf.tensor1d([2], 'int32'), [2, 2], 'bilinear', 5);
    expectClose(w.dataSync(), r.dataSync() as Float32Array, TOL, 'past the batch');
    expect([...w.dataSync()]).toEqual([0, 0, 0, 0]);
  });
});

describe('cropAndResizeBackward (cpu): central differences (the image gradient)', () => {
  for (const [label, shape, crop, method, ext] of cropCases) {
    it(label, () => {
      const p = { cropSize: crop, method, extrapolationValue: ext };
      const xv = randomValues(size(shape), 4);
      const yShape = [boxes.length, crop[0], crop[1], shape[3]];
      const b = t(boxes.flat(), [boxes.length, 4]);
      const bi = t(boxInd, [boxInd.length]);
      checkGradient(label, xv, size(yShape), (probe) => wc.ops.cropAndResize(t(probe, shape), b, bi, p).dataSync(),
        (r) => wc.ops.cropAndResizeBackward(t(r, yShape), b, bi, shape, p).dataSync());
    });
  }

  it('wc.grad of cropAndResize is cropAndResizeBackward', () => {
    const shape: S4 = [2, 4, 5, 2];
    const xv = randomValues(size(shape), 9);
    const dyv = randomValues(boxes.length * 3 * 3 * 2, 10);
    const g = wc.grad((x: wc.Tensor) => wc.image.cropAndResize(x, boxes, boxInd, [3, 3]))(t(xv, shape), t(dyv, [boxes.length, 3, 3, 2]));
    const p = { cropSize: [3, 3] as [number, number], method: 'bilinear' as const, extrapolationValue: 0 };
    const k = wc.ops.cropAndResizeBackward(t(dyv, [boxes.length, 3, 3, 2]), t(boxes.flat(), [5, 4]), t(boxInd, [5]), shape, p);
    expect([...g.dataSync()]).toEqual([...k.dataSync()]);
  });
});

describe('wc.image: invalid arguments name the op', () => {
  it('resize', () => {
    const x = t(randomValues(8, 1), [1, 2, 2, 2]);
    expect(() => wc.image.resizeBilinear(t([1, 2], [2]), [2, 2])).toThrow(/resizeBilinear: images must be rank 4/);
    expect(() => wc.image.resizeBilinear(x, [2, 0])).toThrow(/resizeBilinear: size must be two positive integers/);
    expect(() => wc.image.resizeNearestNeighbor(x, [2.5, 2] as [number, number])).toThrow(/resizeNearestNeighbor: size/);
    expect(() => wc.image.resizeBilinear(x, [3, 3], true, true)).toThrow(/resizeBilinear: if halfPixelCenters is true, alignCorners must be false/);
    expect(() => wc.ops.resizeBackward(t(randomValues(4, 1), [1, 2, 2, 1]), [1, 2, 2, 2], { size: [2, 2], method: 'bilinear', alignCorners: false, halfPixelCenters: false }))
      .toThrow(/resizeBackward: expected dy of shape \[1, 2, 2, 2\]/);
  });

  it('cropAndResize', () => {
    const x = t(randomValues(8, 1), [1, 2, 2, 2]);
    expect(() => wc.image.cropAndResize(t(randomValues(4, 1), [2, 2]), boxes, boxInd, [2, 2])).toThrow(/cropAndResize: image must be rank 4/);
    expect(() => wc.image.cropAndResize(x, [[0, 0, 1]], [0], [2, 2])).toThrow(/cropAndResize: boxes must be of shape \[numBoxes, 4\]/);
    expect(() => wc.image.cropAndResize(x, [[0, 0, 1, 1]], [0, 0], [2, 2])).toThrow(/cropAndResize: boxInd must be of shape \[1\]/);
    expect(() => wc.image.cropAndResize(x, [[0, 0, 1, 1]], [0], [0, 2])).toThrow(/cropAndResize: cropSize must be two positive integers/);
    expect(() => wc.image.cropAndResize(x, [[0, 0, 1, 1]], [0], [2, 2], 'bicubic' as 'nearest')).toThrow(/cropAndResize: method must be 'bilinear' or 'nearest'/);
  });
});
