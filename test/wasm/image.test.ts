// The wasm image kernels (resize, cropAndResize and their backwards) against
// the CPU reference: every method and flag, up- and down-scaling, channels
// past and short of four, boxes partly outside the image, flipped, off the
// batch and stacked on one image. They interpolate in f64 in the CPU's order
// and add into dx in its order, so they are bit-exact.

import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { cpuTensor } from '../../src/backend/cpu/storage.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import * as image from '../../src/kernels/image/index.js';
import type { CropAndResizeParams, ResizeParams } from '../../src/kernels/image/index.js';
import { randomValues } from '../util/check.js';
import { wasmBackend } from './harness.js';
import { EXACT, expectWasmMatch } from './tight.js';

let be: WasmBackend;
beforeAll(async () => { be = await wasmBackend(); });

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const random = (shape: number[], seed: number) => cpuTensor(randomValues(size(shape), seed), shape);

const FLAGS = [
  { alignCorners: false, halfPixelCenters: false },
  { alignCorners: true, halfPixelCenters: false },
  { alignCorners: false, halfPixelCenters: true },
];

// [x shape, output size]: up, down, mixed, unchanged, to one pixel (alignCorners with one output).
const RESIZES: [number[], [number, number]][] = [
  [[2, 5, 7, 3], [9, 4]],
  [[1, 3, 5, 8], [7, 11]],
  [[2, 6, 3, 6], [1, 1]],
  [[1, 4, 4, 5], [4, 4]],
  [[1, 9, 8, 4], [4, 3]],
];

describe('image kernels (wasm)', () => {
  it('runs resize, cropAndResize and their backwards in wasm', () => {
    const fallback = wc.backendInfo().wasm?.fallbackKernels ?? [];
    for (const k of ['resize', 'resizeBackward', 'cropAndResize', 'cropAndResizeBackward']) expect(fallback).not.toContain(k);
  });

  it('resizes by hand: bilinear with aligned corners, nearest, and the gradient', () => {
    const x = wc.tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    expect([...wc.image.resizeBilinear(x, [3, 3], true).dataSync()]).toEqual([1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4]);
    expect([...wc.image.resizeNearestNeighbor(x, [4, 4]).dataSync()]).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
    // Each corner gathers 1 + 0.5 + 0.5 + 0.25 from a 3x3 dy of ones.
    const p: ResizeParams = { size: [3, 3], method: 'bilinear', alignCorners: true, halfPixelCenters: false };
    expect([...wc.ops.resizeBackward(wc.ones([1, 3, 3, 1]), [1, 2, 2, 1], p).dataSync()]).toEqual([2.25, 2.25, 2.25, 2.25]);
  });

  it('crops by hand: whole image, a quarter, a box half outside, and the gradient', () => {
    const x = wc.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const boxes = [[0, 0, 1, 1], [0, 0, 0.5, 0.5], [0.5, 0.5, 1.5, 1.5]];
    const y = wc.image.cropAndResize(x, boxes, [0, 0, 0], [2, 2], 'bilinear', -1);
    expect([...y.dataSync()]).toEqual([1, 3, 7, 9, 1, 2, 4, 5, 5, -1, -1, -1]);
    const p: CropAndResizeParams = { cropSize: [2, 2], method: 'bilinear', extrapolationValue: -1 };
    const dx = wc.ops.cropAndResizeBackward(wc.ones([3, 2, 2, 1]), wc.tensor(boxes.flat(), [3, 4]), wc.tensor([0, 0, 0], [3]), [1, 3, 3, 1], p);
    expect([...dx.dataSync()]).toEqual([2, 1, 1, 1, 2, 0, 1, 0, 1]);
  });

  for (const [shape, outSize] of RESIZES) {
    for (const method of ['bilinear', 'nearest'] as const) {
      it(`resize and its backward, ${method}: [${shape}] -> ${outSize}`, () => {
        const x = random(shape, 1);
        const dy = random([shape[0], outSize[0], outSize[1], shape[3]], 2);
        for (const flags of FLAGS) {
          const p: ResizeParams = { size: outSize, method, ...flags };
          const label = `${method} ${JSON.stringify(flags)}`;
          expectWasmMatch(be, image.resizeKernel, [x, p], EXACT, `resize ${label}`);
          expectWasmMatch(be, image.resizeBackwardKernel, [dy, shape, p], EXACT, `resizeBackward ${label}`);
        }
      });
    }
  }

  // Whole, inside, partly outside on every side, flipped, a point, one off the batch (index 2 of 2,
  // and -1), and three boxes on image 1 so its dx sums several boxes in order.
  const BOXES = [
    [0, 0, 1, 1], [0.2, 0.1, 0.7, 0.9], [-0.3, 0.4, 0.6, 1.4], [0.9, 1.2, -0.2, -0.1],
    [0.5, 0.5, 0.5, 0.5], [0.1, 0.1, 0.9, 0.9], [0, 0, 1, 1], [0.25, -0.5, 1.75, 0.5], [0.3, 0.3, 0.6, 0.6],
  ];
  const BOX_IND = [0, 1, 1, 0, 1, 2, -1, 1, 0];
  const CROPS: [number[], [number, number]][] = [
    [[2, 6, 7, 5], [3, 4]],
    [[2, 5, 5, 8], [1, 1]],
    [[2, 4, 9, 3], [6, 1]],
    [[2, 7, 6, 4], [8, 9]],
  ];

  for (const [shape, cropSize] of CROPS) {
    for (const method of ['bilinear', 'nearest'] as const) {
      it(`cropAndResize and its backward, ${method}: [${shape}] crops ${cropSize}`, () => {
        const x = random(shape, 3);
        const boxes = cpuTensor(Float32Array.from(BOXES.flat()), [BOXES.length, 4]);
        const boxInd = cpuTensor(Float32Array.from(BOX_IND), [BOX_IND.length]);
        const dy = random([BOXES.length, cropSize[0], cropSize[1], shape[3]], 4);
        // 0.1 is no float32: the fill is rounded once, as the CPU's Float32Array does.
        for (const extrapolationValue of [0, -2.5, 0.1]) {
          const p: CropAndResizeParams = { cropSize, method, extrapolationValue };
          expectWasmMatch(be, image.cropAndResizeKernel, [x, boxes, boxInd, p], EXACT, `cropAndResize ${method} ${extrapolationValue}`);
        }
        const p: CropAndResizeParams = { cropSize, method, extrapolationValue: 0 };
        expectWasmMatch(be, image.cropAndResizeBackwardKernel, [dy, boxes, boxInd, shape, p], EXACT, `cropAndResizeBackward ${method}`);
      });
    }
  }

  it('resizes and crops images whose values are far apart (the f64 interpolation matters)', () => {
    const shape = [1, 4, 5, 6];
    const v = randomValues(size(shape), 7).map((a, i) => (i % 3 === 0 ? a * 1e6 : a * 1e-3));
    const x = cpuTensor(Float32Array.from(v), shape);
    const p: ResizeParams = { size: [7, 3], method: 'bilinear', alignCorners: false, halfPixelCenters: true };
    expectWasmMatch(be, image.resizeKernel, [x, p], EXACT, 'resize');
    const boxes = cpuTensor(Float32Array.of(0.13, 0.07, 0.91, 0.77), [1, 4]);
    const c: CropAndResizeParams = { cropSize: [5, 7], method: 'bilinear', extrapolationValue: 0 };
    expectWasmMatch(be, image.cropAndResizeKernel, [x, boxes, cpuTensor(Float32Array.of(0), [1]), c], EXACT, 'cropAndResize');
  });
});
