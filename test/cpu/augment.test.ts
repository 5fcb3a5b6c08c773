// The augmentation kernels on the CPU (wc.image.transform / ops.transform,
// ops.displace, and their image gradients): hand-computed rotations and
// one-pixel shifts under each fill mode, the real TensorFlow.js
// tf.image.transform (CPU backend), central differences, and the errors.
// TF.js 4.22's CPU Transform returns after the first image (the others stay
// fillValue), so it is compared one image at a time.

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
const FILLS: wc.ops.FillMode[] = ['constant', 'reflect', 'wrap', 'nearest'];
type S4 = [number, number, number, number];

/** Rotation by theta about the image centre, output to input (as Keras builds it). */
function rotation(theta: number, h: number, w: number): number[] {
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  const xo = ((w - 1) - (c * (w - 1) - s * (h - 1))) / 2;
  const yo = ((h - 1) - (s * (w - 1) + c * (h - 1))) / 2;
  return [c, -s, xo, s, c, yo, 0, 0];
}

describe('transform (cpu): hand-computed answers', () => {
  const img3 = t([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);

  it('a 90-degree rotation of a 3x3 image is numpy rot90 (output (x, y) reads input (2 - y, x))', () => {
    const y = wc.image.transform(img3, t([0, -1, 2, 1, 0, 0, 0, 0], [1, 8]));
    expect([...y.dataSync()]).toEqual([3, 6, 9, 2, 5, 8, 1, 4, 7]);
  });

  it('a rotation by pi/2 about the centre of a 4x4 image built from cos and sin is exact (positions snapped)', () => {
    const x = Float32Array.from({ length: 16 }, (_, i) => i);
    for (const interp of ['nearest', 'bilinear'] as const) {
      const y = wc.image.transform(t(x, [1, 4, 4, 1]), t(rotation(Math.PI / 2, 4, 4), [1, 8]), interp, 'constant', -1);
      // out[i][j] = in[j][3 - i]
      expect([...y.dataSync()], interp).toEqual([3, 7, 11, 15, 2, 6, 10, 14, 1, 5, 9, 13, 0, 4, 8, 12]);
    }
  });

  const row = t([1, 2, 3, 4], [1, 1, 4, 1]);
  const shift = (dx: number) => t([1, 0, dx, 0, 1, 0, 0, 0], [1, 8]);
  const cases: [wc.ops.FillMode, number, number[]][] = [
    ['constant', 1, [2, 3, 4, 9]], ['reflect', 1, [2, 3, 4, 4]], ['wrap', 1, [2, 3, 4, 1]], ['nearest', 1, [2, 3, 4, 4]],
    ['constant', -1, [9, 1, 2, 3]], ['reflect', -1, [1, 1, 2, 3]], ['wrap', -1, [4, 1, 2, 3]], ['nearest', -1, [1, 1, 2, 3]],
    ['reflect', 2, [3, 4, 4, 3]], ['wrap', 2, [3, 4, 1, 2]], ['reflect', -6, [3, 4, 4, 3]],
  ];
  for (const [mode, dx, expected] of cases) {
    it(`a shift by ${dx} pixel(s), fillMode '${mode}' (fillValue 9)`, () => {
      for (const interp of ['nearest', 'bilinear'] as const) {
        expect([...wc.image.transform(row, shift(dx), interp, mode, 9).dataSync()], interp).toEqual(expected);
      }
    });
  }

  it('bilinear half-pixel shift averages neighbours; the tap past the edge weighs on the fill value', () => {
    expectClose(wc.image.transform(row, shift(0.5), 'bilinear', 'constant', 10).dataSync(), [1.5, 2.5, 3.5, 7], TOL);
    expectClose(wc.image.transform(row, shift(0.5), 'bilinear', 'nearest').dataSync(), [1.5, 2.5, 3.5, 4], TOL);
    // nearest rounds half up
    expect([...wc.image.transform(row, shift(0.5), 'nearest', 'constant', 10).dataSync()]).toEqual([2, 3, 4, 10]);
  });

  it('a projective transform divides by c0 x + c1 y + 1; where that is 0 the output is fillValue', () => {
    // k = 1 - x / 2: x = 0 reads 0, x = 1 reads 1 / 0.5 = 2, x = 2 has k = 0, x = 3 reads 3 / -0.5 (outside)
    const y = wc.image.transform(row, t([1, 0, 0, 0, 1, 0, -0.5, 0], [1, 8]), 'nearest', 'constant', 7);
    expect([...y.dataSync()]).toEqual([1, 3, 7, 7]);
  });

  it('outputShape sets the output size; one transform serves every image; channels move together', () => {
    const x = t([1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60], [2, 1, 3, 2]);
    const y = wc.image.transform(x, shift(1), 'nearest', 'constant', 0, [2, 2]);
    expect(y.shape).toEqual([2, 2, 2, 2]);
    expect([...y.dataSync()]).toEqual([2, 20, 3, 30, 0, 0, 0, 0, 5, 50, 6, 60, 0, 0, 0, 0]);
  });
});

describe('transform (cpu) agrees with TF.js tf.image.transform', () => {
  const shapes: S4[] = [[1, 5, 7, 2], [1, 6, 4, 1], [1, 1, 5, 3], [1, 4, 1, 1], [3, 7, 5, 3]];
  const transforms = (n: number, seed: number): number[] => {
    const r = randomValues(n * 3, seed);
    return Array.from({ length: n }, (_, b) => {
      const m = rotation(r[3 * b] * 1.2, 6, 6);
      m[2] += 3 * r[3 * b + 1];
      m[5] += 3 * r[3 * b + 2];
      if (b % 2 === 1) { m[6] = 0.02; m[7] = -0.03; }
      return m;
    }).flat();
  };
  for (const [si, shape] of shapes.entries()) {
    for (const interp of ['nearest', 'bilinear'] as const) {
      for (const mode of FILLS) {
        it(`${shape.join('x')} ${interp} ${mode}`, () => {
          const xv = randomValues(size(shape), 10 + si);
          const tv = transforms(shape[0], 20 + si);
          const ours = wc.image.transform(t(xv, shape), t(tv, [shape[0], 8]), interp, mode, 0.25);
          const per = size(shape) / shape[0];
          for (let b = 0; b < shape[0]; b++) {
            const img = tf.tensor4d(xv.slice(b * per, (b + 1) * per), [1, ...shape.slice(1)] as S4);
            const theirs = tf.image.transform(img, tf.tensor2d(tv.slice(8 * b, 8 * b + 8), [1, 8]), interp, mode, 0.25);
            expectClose(ours.dataSync().slice(b * per, (b + 1) * per), theirs.dataSync(), TOL, `image ${b}`);
          }
        });
      }
    }
  }

  it('with outputShape larger than the input', () => {
    const xv = randomValues(4 * 5 * 2, 3);
    const tv = rotation(0.3, 4, 5);
    const ours = wc.image.transform(t(xv, [1, 4, 5, 2]), t(tv, [1, 8]), 'bilinear', 'reflect', 0, [6, 3]);
    const theirs = tf.image.transform(tf.tensor4d(xv, [1, 4, 5, 2]), tf.tensor2d(tv, [1, 8]), 'bilinear', 'reflect', 0, [6, 3]);
    expect(ours.shape).toEqual(theirs.shape);
    expectClose(ours.dataSync(), theirs.dataSync(), TOL);
  });
});

describe('transform and displace (cpu): gradients with respect to the image', () => {
  const shape: S4 = [2, 5, 4, 2];
  const xv = randomValues(size(shape), 5);
  const tv = [...rotation(0.4, 5, 4), ...rotation(-0.7, 5, 4).map((v, i) => (i === 2 ? v + 1.3 : v))];
  for (const interp of ['nearest', 'bilinear'] as const) {
    for (const mode of FILLS) {
      it(`transformBackward is the adjoint: ${interp}, ${mode}`, () => {
        const p: wc.ops.TransformParams = { interpolation: interp, fillMode: mode, fillValue: 0.5, outputShape: [3, 6] };
        const tt = t(tv, [2, 8]);
        checkGradient(`${interp} ${mode}`, xv, 2 * 3 * 6 * 2, (probe) => wc.ops.transform(t(probe, shape), tt, p).dataSync(),
          (r) => wc.ops.transformBackward(t(r, [2, 3, 6, 2]), tt, shape, p).dataSync());
      });
      it(`displaceBackward is the adjoint: ${interp}, ${mode}`, () => {
        const p: wc.ops.SampleParams = { interpolation: interp, fillMode: mode, fillValue: -0.5 };
        const flow = t(randomValues(2 * 5 * 4 * 2, 8, -2.3, 2.3), [2, 5, 4, 2]);
        checkGradient(`${interp} ${mode}`, xv, size(shape), (probe) => wc.ops.displace(t(probe, shape), flow, p).dataSync(),
          (r) => wc.ops.displaceBackward(t(r, shape), flow, shape, p).dataSync());
      });
    }
  }

  it('wc.grad of wc.image.transform is transformBackward (one transform for the batch)', () => {
    const tt = t(rotation(0.9, 5, 4), [1, 8]);
    const dy = t(randomValues(size(shape), 6), shape);
    const g = wc.grad((x: wc.Tensor) => wc.image.transform(x, tt, 'bilinear', 'wrap').mul(dy).sum())(t(xv, shape));
    const p: wc.ops.TransformParams = { interpolation: 'bilinear', fillMode: 'wrap', fillValue: 0, outputShape: [5, 4] };
    expectClose(g.dataSync(), wc.ops.transformBackward(dy, tt, shape, p).dataSync(), TOL);
  });
});

describe('displace (cpu): hand-computed answers', () => {
  const x = t([1, 2, 3, 4, 5, 6], [1, 2, 3, 1]);
  const p: wc.ops.SampleParams = { interpolation: 'bilinear', fillMode: 'constant', fillValue: 0 };
  it('a zero field is the identity; a field of (0, 1) everywhere is a shift by one column', () => {
    expect([...wc.ops.displace(x, wc.zeros([1, 2, 3, 2]), p).dataSync()]).toEqual([1, 2, 3, 4, 5, 6]);
    const f = t([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1], [1, 2, 3, 2]);
    expect([...wc.ops.displace(x, f, p).dataSync()]).toEqual([2, 3, 0, 5, 6, 0]);
    expect([...wc.ops.displace(x, f, { ...p, fillMode: 'wrap' }).dataSync()]).toEqual([2, 3, 1, 5, 6, 4]);
  });
  it('a field of (0.5, 0) averages the rows', () => {
    const f = t([0.5, 0, 0.5, 0, 0.5, 0, 0.5, 0, 0.5, 0, 0.5, 0], [1, 2, 3, 2]);
    expectClose(wc.ops.displace(x, f, { ...p, fillMode: 'nearest' }).dataSync(), [2.5, 3.5, 4.5, 4, 5, 6], TOL);
  });
});

describe('transform and displace: errors', () => {
  const x = t(new Float32Array(12), [1, 3, 4, 1]);
  it('names the op and the bad argument', () => {
    expect(() => wc.image.transform(t(new Float32Array(12), [3, 4, 1]), t(new Float32Array(8), [1, 8]))).toThrow(/^transform: images must be rank 4/);
    expect(() => wc.image.transform(x, t(new Float32Array(6), [1, 6]))).toThrow(/^transform: transforms must be of shape \[1, 8\] or \[1, 8\]/);
    expect(() => wc.image.transform(x, t(new Float32Array(16), [2, 8]))).toThrow(/transforms must be of shape/);
    expect(() => wc.image.transform(x, t(new Float32Array(8), [1, 8]), 'bicubic' as 'nearest')).toThrow(/^transform: interpolation must be 'bilinear' or 'nearest', got "bicubic"/);
    expect(() => wc.image.transform(x, t(new Float32Array(8), [1, 8]), 'nearest', 'mirror' as 'wrap')).toThrow(/^transform: fillMode must be one of 'constant', 'reflect', 'wrap', 'nearest', got "mirror"/);
    expect(() => wc.image.transform(x, t(new Float32Array(8), [1, 8]), 'nearest', 'constant', 0, [0, 2])).toThrow(/^transform: outputShape must be two positive integers/);
    expect(() => wc.ops.displace(x, wc.zeros([1, 3, 4, 3]), { interpolation: 'nearest', fillMode: 'constant', fillValue: 0 })).toThrow(/^displace: flow must be of shape \[1, height, width, 2\]/);
  });
});
