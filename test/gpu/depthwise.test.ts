// The depthwise convolution's three kernels on WebGPU against the CPU
// reference (NaN-dirty output buffers), on shapes that break window code:
// stride 2 'same' with an odd size, depth multipliers, dilation, explicit pads,
// long images for the filter gradient's workgroup sum; and a separable layer
// training under verification mode.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conv2dParams } from '../../src/backend/types.js';
import { randomValues } from '../util/check.js';
import { GpuPage } from '../harness/gpu.js';
import { expectParity } from '../harness/tolerance.js';
import { T, callBoth, type Arg, type KernelName } from '../harness/kernelCall.js';
import { depthwiseGeometry } from '../../src/kernels/depthwise/geometry.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
async function parity(label: string, method: KernelName, args: Arg[]): Promise<void> {
  const { gpu, cpu } = await callBoth(gp, method, args);
  cpu.forEach((c, i) => expectParity(gpu[i], c, `${label} output ${i}`));
}

describe('webgpu depthwiseConv2d', () => {
  const cases: [string, number[], number[], Conv2dParams][] = [
    ["3x3 stride 2 'same' on 7x9, 4 channels", [2, 7, 9, 4], [3, 3, 4, 1], { strides: [2, 2], padding: 'same', dilations: [1, 1] }],
    ['multiplier 3, valid, rectangular window', [1, 6, 5, 2], [2, 3, 2, 3], { strides: [1, 2], padding: 'valid', dilations: [1, 1] }],
    ['dilation 2, same', [1, 7, 7, 3], [3, 3, 3, 2], { strides: [1, 1], padding: 'same', dilations: [2, 2] }],
    ['explicit uneven padding', [2, 5, 4, 2], [3, 3, 2, 1], { strides: [1, 1], padding: [[1, 0], [0, 2]], dilations: [1, 1] }],
    ['a long image for the filter sum (more pixels than lanes)', [3, 17, 13, 2], [3, 3, 2, 1], { strides: [1, 1], padding: 'same', dilations: [1, 1] }],
  ];
  it.each(cases)('forward, input gradient and filter gradient: %s', async (_name, xs, fs, p) => {
    const x = T(randomValues(size(xs), 1), xs);
    const f = T(randomValues(size(fs), 2), fs);
    const g = depthwiseGeometry('test', xs, fs, p);
    const dy = T(randomValues(g.n * g.oh * g.ow * g.c * g.m, 3), [g.n, g.oh, g.ow, g.c * g.m]);
    await parity('forward', 'depthwiseConv2d', [x, f, p]);
    await parity('input gradient', 'depthwiseConv2dBackwardInput', [dy, f, xs, p]);
    await parity('filter gradient', 'depthwiseConv2dBackwardFilter', [x, dy, fs, p]);
  });

  // The row sweeps (3x3, multiplier 1, channels % 4 == 0): rows longer than a run, odd sizes, stride 2,
  // row dilation, pads the mirrored dx cannot take (the per-element path), one output row (dW without slices).
  const sweepCases: [string, number[], Conv2dParams][] = [
    ["stride 1 'same', rows longer than a run", [2, 5, 19, 8], { strides: [1, 1], padding: 'same', dilations: [1, 1] }],
    ["stride 2 'same' on odd sizes", [1, 9, 11, 4], { strides: [2, 2], padding: 'same', dilations: [1, 1] }],
    ["stride 2 'valid' (MobileNet's after ZeroPadding2D)", [2, 10, 9, 12], { strides: [2, 2], padding: 'valid', dilations: [1, 1] }],
    ['rows stride 1, columns stride 2', [1, 6, 13, 4], { strides: [1, 2], padding: 'same', dilations: [1, 1] }],
    ['row dilation 2', [1, 9, 10, 8], { strides: [1, 1], padding: 'same', dilations: [2, 1] }],
    ['explicit pads wider than the window', [1, 6, 7, 4], { strides: [1, 1], padding: [[3, 0], [1, 3]], dilations: [1, 1] }],
    ['many channels, one row (a single dW slice)', [1, 1, 5, 1024], { strides: [1, 1], padding: 'same', dilations: [1, 1] }],
  ];
  it.each(sweepCases)('row sweeps: forward, input gradient and filter gradient: %s', async (_name, xs, p) => {
    const fs = [3, 3, xs[3], 1];
    const x = T(randomValues(size(xs), 4), xs);
    const f = T(randomValues(size(fs), 5), fs);
    const g = depthwiseGeometry('test', xs, fs, p);
    const dy = T(randomValues(g.n * g.oh * g.ow * g.c, 6), [g.n, g.oh, g.ow, g.c]);
    await parity('forward', 'depthwiseConv2d', [x, f, p]);
    await parity('input gradient', 'depthwiseConv2dBackwardInput', [dy, f, xs, p]);
    await parity('filter gradient', 'depthwiseConv2dBackwardFilter', [x, dy, fs, p]);
  });

  const fusedCases: [string, number[], number[], Conv2dParams, 'relu' | 'relu6'][] = [
    ['row sweep with relu6', [1, 7, 10, 8], [3, 3, 8, 1], { strides: [2, 2], padding: 'same', dilations: [1, 1] }, 'relu6'],
    ['per-element path with relu6 (multiplier 2)', [1, 5, 6, 3], [3, 3, 3, 2], { strides: [1, 1], padding: 'same', dilations: [1, 1] }, 'relu6'],
    ['row sweep with relu', [1, 6, 9, 4], [3, 3, 4, 1], { strides: [1, 1], padding: 'valid', dilations: [1, 1] }, 'relu'],
  ];
  it.each(fusedCases)('forward with bias and fused activation: %s', async (_name, xs, fs, p, act) => {
    // values spread past 6 so that both ends of relu6 are reached
    const x = T(randomValues(size(xs), 7).map((v) => 8 * v), xs);
    const f = T(randomValues(size(fs), 8), fs);
    const bias = T(randomValues(fs[2] * fs[3], 9).map((v) => 3 * v), [fs[2] * fs[3]]);
    const { gpu, cpu } = await callBoth(gp, 'depthwiseConv2d', [x, f, p, bias, act]);
    expectParity(gpu[0], cpu[0], 'fused forward');
    const clipped = Array.from(cpu[0]);
    expect(Math.min(...clipped)).toBe(0);
    if (act === 'relu6') expect(Math.max(...clipped)).toBe(6);
  });

  it('a separable layer trains under verification mode (every kernel checked against the CPU)', async () => {
    const vp = await GpuPage.open({ verify: true });
    try {
      const losses = await vp.run(async ({ wc }) => {
        const model = wc.sequential({ layers: [
          wc.layers.separableConv2d({ inputShape: [5, 5, 2], filters: 3, kernelSize: 3, padding: 'same', depthMultiplier: 2, activation: 'relu' }),
          wc.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same' }),
          // 4 channels: the row sweeps at stride 1 and 2
          wc.layers.conv2d({ filters: 4, kernelSize: 1 }),
          wc.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', activation: 'relu6' }),
          wc.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same' }),
          wc.layers.flatten(),
          wc.layers.dense({ units: 2 }),
        ] });
        model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
        const x = wc.tensor(Float32Array.from({ length: 4 * 50 }, (_, i) => Math.sin(i)), [4, 5, 5, 2]);
        const y = wc.tensor([1, 0, 0, 1, 1, 1, 0, 0], [4, 2]);
        const h = await model.fit(x, y, { epochs: 2, batchSize: 4 });
        return h.history.loss as number[];
      }, {});
      expect(losses.length).toBe(2);
      expect(losses.every(Number.isFinite)).toBe(true);
    } finally {
      await vp.close();
    }
  });
});
