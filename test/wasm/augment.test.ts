// The wasm augmentation kernels (transform, displace and their backwards)
// against the CPU reference: both interpolations, every fill mode, one shared
// transform and one per image, projections that reach 0, positions on exact
// half pixels (nearest's ties) and within float32's error of them (the snap),
// far outside the image (reflect's and wrap's periods), one-pixel-wide
// images, and a fill value that is no float32. Positions, weights and sums
// are the CPU's f64 arithmetic in its order, so they are bit-exact.

import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { cpuTensor } from '../../src/backend/cpu/storage.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import * as augment from '../../src/kernels/augment/index.js';
import type { FillMode, SampleParams, TransformParams } from '../../src/kernels/augment/index.js';
import { randomValues } from '../util/check.js';
import { wasmBackend } from './harness.js';
import { EXACT, expectWasmMatch } from './tight.js';

let be: WasmBackend;
beforeAll(async () => { be = await wasmBackend(); });

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const random = (shape: number[], seed: number, lo = -1, hi = 1) => cpuTensor(randomValues(size(shape), seed, lo, hi), shape);
const FILLS: FillMode[] = ['constant', 'reflect', 'wrap', 'nearest'];
const INTERPOLATIONS = ['nearest', 'bilinear'] as const;

/** Rotation by theta about the image centre, output to input (as Keras builds it). */
function rotation(theta: number, h: number, w: number): number[] {
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  const xo = ((w - 1) - (c * (w - 1) - s * (h - 1))) / 2;
  const yo = ((h - 1) - (s * (w - 1) + c * (h - 1))) / 2;
  return [c, -s, xo, s, c, yo, 0, 0];
}

/** Every interpolation and fill mode: the forward at each, the backward at each. */
function everyMode(label: string, run: (p: SampleParams, tag: string) => void): void {
  for (const interpolation of INTERPOLATIONS) {
    for (const fillMode of FILLS) run({ interpolation, fillMode, fillValue: 0.7 }, `${label} ${interpolation} ${fillMode}`);
  }
}

describe('augmentation kernels (wasm)', () => {
  it('runs transform, displace and their backwards in wasm', () => {
    const fallback = wc.backendInfo().wasm?.fallbackKernels ?? [];
    for (const k of ['transform', 'transformBackward', 'displace', 'displaceBackward']) expect(fallback).not.toContain(k);
  });

  it('transforms and displaces by hand, with their gradients', () => {
    // A 90-degree rotation of a 3x3 image: output (x, y) reads input (2 - y, x).
    const img = wc.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    expect([...wc.image.transform(img, wc.tensor([0, -1, 2, 1, 0, 0, 0, 0], [1, 8])).dataSync()]).toEqual([3, 6, 9, 2, 5, 8, 1, 4, 7]);
    // A shift by one column: output x reads input x + 1; the last column is the fill, and gets no gradient back.
    const row = wc.tensor([1, 2, 3, 4], [1, 1, 4, 1]);
    const shift = wc.tensor([1, 0, 1, 0, 1, 0, 0, 0], [1, 8]);
    expect([...wc.image.transform(row, shift, 'bilinear', 'constant', 9).dataSync()]).toEqual([2, 3, 4, 9]);
    expect([...wc.image.transform(row, shift, 'nearest', 'wrap').dataSync()]).toEqual([2, 3, 4, 1]);
    const tp: TransformParams = { interpolation: 'bilinear', fillMode: 'constant', fillValue: 9, outputShape: [1, 4] };
    expect([...wc.ops.transformBackward(wc.tensor([1, 2, 3, 4], [1, 1, 4, 1]), shift, [1, 1, 4, 1], tp).dataSync()]).toEqual([0, 1, 2, 3]);
    // A field of (0, 1) is the same shift; (0.5, 0) averages the rows under 'nearest' fill.
    const x = wc.tensor([1, 2, 3, 4, 5, 6], [1, 2, 3, 1]);
    const p: SampleParams = { interpolation: 'bilinear', fillMode: 'constant', fillValue: 0 };
    const right = wc.tensor([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1], [1, 2, 3, 2]);
    expect([...wc.ops.displace(x, right, p).dataSync()]).toEqual([2, 3, 0, 5, 6, 0]);
    const down = wc.tensor([0.5, 0, 0.5, 0, 0.5, 0, 0.5, 0, 0.5, 0, 0.5, 0], [1, 2, 3, 2]);
    expect([...wc.ops.displace(x, down, { ...p, fillMode: 'nearest' }).dataSync()]).toEqual([2.5, 3.5, 4.5, 4, 5, 6]);
    // Each output spreads half its dy to its own row and half to the next (clamped to the last).
    expect([...wc.ops.displaceBackward(wc.ones([1, 2, 3, 1]), down, [1, 2, 3, 1], { ...p, fillMode: 'nearest' }).dataSync()])
      .toEqual([0.5, 0.5, 0.5, 1.5, 1.5, 1.5]);
  });

  // [image shape, transforms [k, 8], output shape]
  const TRANSFORMS: [string, number[], number[][], [number, number]][] = [
    ['a rotation about the centre', [2, 5, 6, 3], [rotation(0.3, 5, 6)], [5, 6]],
    ['a rotation by pi/2 (positions within float32 error of whole pixels)', [1, 4, 4, 5], [rotation(Math.PI / 2, 4, 4)], [4, 4]],
    ['a half-pixel shift (nearest ties) and a scale outward, per image', [2, 5, 7, 4],
      [[1, 0, 0.5, 0, 1, -0.5, 0, 0], [2.5, 0.3, -4, -0.2, 1.7, -3, 0, 0]], [6, 9]],
    ['a projective warp whose projection reaches 0 at column 1', [1, 6, 5, 8], [[0.9, 0.2, 0.3, -0.1, 1.1, 0.2, -1, 0]], [7, 4]],
    ['a projective warp far outside (several periods)', [2, 4, 3, 6], [[3, 1, -20, 0.5, 4, 11, 0.02, -0.03]], [5, 5]],
    ['a one-pixel-wide image', [1, 5, 1, 2], [[1, 0, 0.4, 0.3, 1.2, -1, 0, 0]], [6, 3]],
    ['a one-pixel-high image', [2, 1, 6, 7], [[1.3, 0, -2, 0, 1, 0.6, 0, 0]], [2, 7]],
  ];

  for (const [what, shape, ts, outputShape] of TRANSFORMS) {
    it(`transform and its backward: ${what}`, () => {
      const x = random(shape, 1);
      const transforms = cpuTensor(Float32Array.from(ts.flat()), [ts.length, 8]);
      const dy = random([shape[0], outputShape[0], outputShape[1], shape[3]], 2);
      everyMode('transform', (s, tag) => {
        const p: TransformParams = { ...s, outputShape };
        expectWasmMatch(be, augment.transformKernel, [x, transforms, p], EXACT, tag);
        expectWasmMatch(be, augment.transformBackwardKernel, [dy, transforms, shape, p], EXACT, `${tag} backward`);
      });
    });
  }

  /** A field of random displacements in [lo, hi), every `halfEvery`-th value a whole or half pixel (ties, snapped). */
  function field(shape: number[], seed: number, lo: number, hi: number, halfEvery = 0) {
    const v = randomValues(size(shape), seed, lo, hi);
    if (halfEvery > 0) for (let i = 0; i < v.length; i += halfEvery) v[i] = Math.round(2 * v[i]) / 2 + (i % 3 === 0 ? 1e-7 : 0);
    return cpuTensor(v, shape);
  }

  // [image shape, flow height and width, displacement range, half-pixel stride]
  const FIELDS: [number[], [number, number], number, number][] = [
    [[2, 5, 6, 3], [5, 6], 2.5, 3],
    [[1, 7, 4, 8], [6, 9], 1.2, 2],
    [[2, 4, 5, 5], [4, 5], 25, 0],
    [[1, 1, 5, 4], [3, 5], 3, 4],
  ];

  for (const [shape, [fh, fw], range, halfEvery] of FIELDS) {
    it(`displace and its backward: [${shape}] through a ${fh}x${fw} field of up to ${range} pixels`, () => {
      const x = random(shape, 3);
      const flow = field([shape[0], fh, fw, 2], 4, -range, range, halfEvery);
      const dy = random([shape[0], fh, fw, shape[3]], 5);
      everyMode('displace', (p, tag) => {
        expectWasmMatch(be, augment.displaceKernel, [x, flow, p], EXACT, tag);
        expectWasmMatch(be, augment.displaceBackwardKernel, [dy, flow, shape, p], EXACT, `${tag} backward`);
      });
    });
  }
});
