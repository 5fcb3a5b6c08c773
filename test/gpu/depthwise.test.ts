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

  it('a separable layer trains under verification mode (every kernel checked against the CPU)', async () => {
    const vp = await GpuPage.open({ verify: true });
    try {
      const losses = await vp.run(async ({ wc }) => {
        const model = wc.sequential({ layers: [
          wc.layers.separableConv2d({ inputShape: [5, 5, 2], filters: 3, kernelSize: 3, padding: 'same', depthMultiplier: 2, activation: 'relu' }),
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
