// Parity of im2col (conv2dColumns), the pooling, batch-norm, dropout, structure, locally-connected,
// loss/metric/penalty and optimizer kernels on WebGPU against the CPU
// reference, forward and backward, on shapes chosen to break tiled code.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LossKind, MetricKind, Pool2dParams } from '../../src/backend/types.js';
import { randomValues } from '../util/check.js';
import { GpuPage } from '../harness/gpu.js';
import { expectParity } from '../harness/tolerance.js';
import { I32, T, callBoth, type Arg, type KernelName } from '../harness/kernelCall.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);
const rand = (s: number[], seed: number, lo = -1, hi = 1) => T(randomValues(size(s), seed, lo, hi), s);

async function parity(label: string, method: KernelName, args: Arg[], mutated: number[] = []): Promise<void> {
  const { gpu, cpu } = await callBoth(gp, method, args, mutated);
  expect(gpu.length, `${label}: output count`).toBe(cpu.length);
  cpu.forEach((c, i) => expectParity(gpu[i], c, `${label} output ${i}`));
}

describe('webgpu pooling', () => {
  const cases: [string, number[], Pool2dParams][] = [
    ['2/2 valid, batch 3, 5 channels', [3, 7, 9, 5], { poolSize: [2, 2], strides: [2, 2], padding: 'valid' }],
    ["overlapping 3/2 'same' (odd total pad)", [1, 7, 9, 3], { poolSize: [3, 3], strides: [2, 2], padding: 'same' }],
    ['rectangular [2,3] strides [1,2] on 28x28', [1, 28, 28, 1], { poolSize: [2, 3], strides: [1, 2], padding: 'valid' }],
    ['global 7x9', [3, 7, 9, 3], { poolSize: [7, 9], strides: [7, 9], padding: 'valid' }],
    // c % 4 == 0: max pooling reads four channels as one vec4.
    ['2/2 valid, 8 channels (vec4 lanes)', [2, 6, 7, 8], { poolSize: [2, 2], strides: [2, 2], padding: 'valid' }],
    ["overlapping 3/2 'same', 4 channels (vec4 lanes)", [1, 7, 9, 4], { poolSize: [3, 3], strides: [2, 2], padding: 'same' }],
    // Disjoint windows (stride >= pool): the backward writes per window, gaps and uncovered edges included.
    ["2/3 'same' (gaps between windows), 2 channels", [2, 8, 7, 2], { poolSize: [2, 2], strides: [3, 3], padding: 'same' }],
    ["2/2 'same' on 7x9 (padding at the bottom and right), 4 channels", [2, 7, 9, 4], { poolSize: [2, 2], strides: [2, 2], padding: 'same' }],
    ['[1,3] strides [2,3] valid, 12 channels', [1, 9, 10, 12], { poolSize: [1, 3], strides: [2, 3], padding: 'valid' }],
  ];
  it.each(cases)('max and avg, forward and backward: %s', async (_name, shape, p) => {
    const x = rand(shape, 1);
    // Exact ties too: the first maximum must win on both backends.
    x.t = x.t.map((v, i) => (i % 11 === 0 ? 0.5 : v));
    await parity('maxPool2d', 'maxPool2d', [x, p]);
    const oh = outSize(shape[1], p.poolSize[0], p.strides[0], p.padding);
    const ow = outSize(shape[2], p.poolSize[1], p.strides[1], p.padding);
    const dy = rand([shape[0], oh, ow, shape[3]], 2);
    await parity('maxPool2dBackward', 'maxPool2dBackward', [dy, x, p]);
    await parity('avgPool2d', 'avgPool2d', [x, p]);
    await parity('avgPool2dBackward', 'avgPool2dBackward', [dy, shape, p]);
  });
});
function outSize(n: number, k: number, s: number, padding: 'valid' | 'same'): number {
  return padding === 'same' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1;
}

describe('webgpu conv2dColumns (im2col) on NaN-dirty buffers', () => {
  it.each([
    ["3x3 'same' (every border pixel has padded taps), 3 channels", [2, 5, 6, 3], [3, 3], 'same'],
    ['2x2 stride 2 valid, 8 channels (vec4)', [1, 7, 9, 8], [2, 2], 'valid'],
    ["5x5 'same' on 28x28, 1 channel", [1, 28, 28, 1], [5, 5], 'same'],
  ] as const)('%s', async (_name, shape, k, padding) => {
    await parity(`conv2dColumns ${shape} ${k}`, 'conv2dColumns', [rand([...shape], 7), [...k], { strides: k[0] === 2 ? [2, 2] : [1, 1], padding, dilations: [1, 1] }]);
  });
});

describe('webgpu batch norm and dropout', () => {
  it('training forward (mean, variance, invStd), inference, backward, moving average', async () => {
    // Rows 189 (three chunks of the two-stage reductions, the last one short), 16 (one chunk), and
    // 1,200 around 1000 with a spread of 1 (a variance that E[x^2] - E[x]^2 would lose in float32);
    // channels a float per invocation (5, 17, 6) and whole vec4s (8, 12: src/kernels/lanes.ts; around 100, where
    // float32's spacing leaves the normalized output inside the tolerance for every seed, as it does not at 1000).
    for (const [shape, lo, hi] of [
      [[3, 7, 9, 5], -2, 3], [[1, 4, 4, 17], -2, 3], [[3, 20, 20, 6], 999, 1001], [[3, 7, 9, 8], -2, 3], [[3, 20, 20, 12], 99, 101],
    ] as const) {
      const c = shape[3];
      const x = rand([...shape], 3, lo, hi);
      const gamma = rand([c], 4, 0.5, 1.5);
      const beta = rand([c], 5);
      await parity('batchNormTrain', 'batchNormTrain', [x, gamma, beta, 1e-3]);
      await parity('batchNormInference', 'batchNormInference', [x, gamma, beta, rand([c], 6), rand([c], 7, 0.5, 2), 1e-3]);
      const mean = T(Array.from({ length: c }, (_, k) => x.t.filter((_, i) => i % c === k).reduce((a, b) => a + b, 0) / (x.t.length / c)), [c]);
      await parity('batchNormBackward', 'batchNormBackward', [rand([...shape], 8), x, gamma, mean, rand([c], 9, 0.5, 2)]);
      await parity('movingAverageUpdate', 'movingAverageUpdate', [rand([c], 10), rand([c], 11), 0.99], [0]);
    }
  });

  it('dropout draws exactly the CPU mask, forward and backward', async () => {
    for (const [rate, seed] of [[0.25, 42], [0.5, 7], [0, 3], [0.1, 0xfffffff]] as const) {
      const x = rand([3, 7, 9, 5], 12);
      for (const method of ['dropout', 'dropoutBackward'] as const) {
        const { gpu, cpu } = await callBoth(gp, method, [x, rate, seed]);
        expect(gpu[0], `${method} rate ${rate} seed ${seed}`).toEqual(cpu[0]);
      }
    }
  });
});

describe('webgpu structure ops', () => {
  it('zero padding and its crop, concat and its split, gatherRows, sum, mul', async () => {
    const pads = [[1, 2], [0, 3]];
    const x = rand([3, 7, 9, 5], 13);
    await parity('zeroPad2d', 'zeroPad2d', [x, pads]);
    await parity('zeroPad2dBackward', 'zeroPad2dBackward', [rand([3, 10, 12, 5], 14), pads]);
    await parity('concat', 'concat', [[rand([2, 3, 1], 15), rand([2, 3, 4], 16), rand([2, 3, 17], 17)]]);
    await parity('concatBackward', 'concatBackward', [rand([2, 3, 22], 18), [1, 4, 17]]);
    await parity('gatherRows', 'gatherRows', [x, I32([2, 0, 2, 1])]);
    await parity('sum', 'sum', [rand([3, 7, 9, 5], 19)]);
    await parity('sum of a single element', 'sum', [T([4.5], [1])]);
    await parity('mul', 'mul', [rand([3, 7, 9, 5], 20), rand([3, 7, 9, 5], 21)]);
  });
});

describe('webgpu locally-connected', () => {
  it('forward (with and without bias), backward input and filter', async () => {
    for (const [xShape, k, s, cout] of [[[3, 7, 9, 3], [2, 3], [1, 2], 5], [[1, 7, 9, 1], [3, 3], [2, 2], 1]] as const) {
      const oh = Math.floor((xShape[1] - k[0]) / s[0]) + 1;
      const ow = Math.floor((xShape[2] - k[1]) / s[1]) + 1;
      const wShape = [oh * ow, k[0] * k[1] * xShape[3], cout];
      const p = { kernelSize: k, strides: s };
      const x = rand([...xShape], 20);
      const w = rand(wShape, 21);
      await parity('locallyConnected2d', 'locallyConnected2d', [x, w, rand([oh, ow, cout], 22), p]);
      await parity('locallyConnected2d no bias', 'locallyConnected2d', [x, w, null, p]);
      const dy = rand([xShape[0], oh, ow, cout], 23);
      await parity('locallyConnected2dBackwardInput', 'locallyConnected2dBackwardInput', [dy, w, [...xShape], p]);
      await parity('locallyConnected2dBackwardFilter', 'locallyConnected2dBackwardFilter', [x, dy, wShape, p]);
    }
  });
});

describe('webgpu losses, metrics, penalties', () => {
  const rows = 5;
  const k = 4;
  // Probabilities with an exact 0 and 1 (clipped), and a near-one-hot row.
  const probs = T([0.1, 0.2, 0.3, 0.4, 0, 1, 0, 0, 0.25, 0.25, 0.25, 0.25, 0.97, 0.01, 0.01, 0.01, 0.5, 0.3, 0.15, 0.05], [rows, k]);
  const oneHot = T([0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0], [rows, k]);
  const sparse = T([3, 1, 0, 0, 2], [rows]);
  const regression = rand([rows, k], 30, 0.1, 2);
  const target = rand([rows, k], 31, 0.1, 2);
  target.t[3] = regression.t[3]; // an exact zero difference: abs'(0) = -1 on both

  it('every loss and its gradient', async () => {
    const cases: [LossKind, Arg, Arg][] = [
      ['categoricalCrossentropy', oneHot, probs],
      ['sparseCategoricalCrossentropy', sparse, probs],
      ['binaryCrossentropy', oneHot, probs],
      ['meanSquaredError', target, regression],
      ['meanAbsoluteError', target, regression],
      ['meanAbsolutePercentageError', target, regression],
      ['meanSquaredLogarithmicError', target, regression],
    ];
    for (const [kind, t, p] of cases) {
      await parity(`loss ${kind}`, 'loss', [kind, t, p]);
      await parity(`lossBackward ${kind}`, 'lossBackward', [kind, t, p]);
    }
  });

  it('fused softmax cross-entropy gradient, dense and sparse, with saturated probabilities', async () => {
    await parity('softmaxCrossEntropyBackward dense', 'softmaxCrossEntropyBackward', [oneHot, probs, false]);
    await parity('softmaxCrossEntropyBackward sparse', 'softmaxCrossEntropyBackward', [sparse, probs, true]);
  });

  it('every metric, with an argmax tie', async () => {
    const tied = T([0.4, 0.4, 0.1, 0.1, 0, 1, 0, 0, 0.25, 0.25, 0.25, 0.25, 0.97, 0.01, 0.01, 0.01, 0.5, 0.3, 0.15, 0.05], [rows, k]);
    const cases: [MetricKind, Arg, Arg][] = [
      ['categoricalAccuracy', oneHot, tied],
      ['sparseCategoricalAccuracy', sparse, tied],
      ['binaryAccuracy', oneHot, tied],
      ['meanSquaredError', target, regression],
      ['meanAbsoluteError', target, regression],
    ];
    for (const [kind, t, p] of cases) await parity(`metric ${kind}`, 'metric', [kind, t, p]);
  });

  it('batches larger than a workgroup (130 rows): every row counted', async () => {
    const many = 130;
    const p = rand([many, 3], 33, 0.05, 1);
    const t = T(Array.from({ length: many * 3 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0)), [many, 3]);
    await parity('loss CE, 130 rows', 'loss', ['categoricalCrossentropy', t, p]);
    await parity('lossBackward CE, 130 rows', 'lossBackward', ['categoricalCrossentropy', t, p]);
    await parity('fused gradient, 130 rows', 'softmaxCrossEntropyBackward', [t, p, false]);
    await parity('accuracy, 130 rows', 'metric', ['categoricalAccuracy', t, p]);
  });

  it('penalty and its gradient, with an exact zero weight', async () => {
    const w = rand([3, 3, 2, 4], 32);
    w.t[0] = 0;
    await parity('penalty', 'penalty', [w, 0.01, 0.02]);
    await parity('penaltyBackward', 'penaltyBackward', [w, 0.01, 0.02]);
  });
});

describe('webgpu optimizer updates (in place)', () => {
  const shape = [17, 5];
  const w = rand(shape, 40);
  const g = rand(shape, 41);
  const slot = (seed: number) => rand(shape, seed, 0, 0.5);
  it('sgd, momentum, nesterov', async () => {
    await parity('sgd', 'sgdUpdate', [w, g, { learningRate: 0.1 }], [0]);
    await parity('momentum', 'momentumUpdate', [w, g, slot(42), { learningRate: 0.1, momentum: 0.9, nesterov: false }], [0, 2]);
    await parity('nesterov', 'momentumUpdate', [w, g, slot(42), { learningRate: 0.1, momentum: 0.9, nesterov: true }], [0, 2]);
  });
  it('adam, adamW', async () => {
    const p = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0, beta1Power: 0.9 ** 3, beta2Power: 0.999 ** 3 };
    await parity('adam', 'adamUpdate', [w, g, slot(43), slot(44), p], [0, 2, 3]);
    await parity('adamW', 'adamUpdate', [w, g, slot(43), slot(44), { ...p, weightDecay: 0.004 }], [0, 2, 3]);
  });
  it('rmsprop, plain and centered', async () => {
    const p = { learningRate: 0.01, rho: 0.9, momentum: 0.5, epsilon: 1e-7, centered: false };
    await parity('rmsprop', 'rmspropUpdate', [w, g, slot(45), slot(46), null, p], [0, 2, 3]);
    // Centered: ms large next to mg^2 keeps the (TF.js) denominator ms - mg^2 - eps positive.
    await parity('rmsprop centered', 'rmspropUpdate', [w, g, rand(shape, 47, 1, 2), slot(46), rand(shape, 48, -0.1, 0.1), { ...p, centered: true }], [0, 2, 3, 4]);
  });
  it('with a guard: a clear one steps, a set one leaves w and the slots as they were', async () => {
    const adamP = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0, beta1Power: 0.9, beta2Power: 0.999 };
    const rmsP = { learningRate: 0.01, rho: 0.9, momentum: 0.5, epsilon: 1e-7, centered: true };
    for (const [name, guard] of [['clear', T([0, 5, 0, 0], [4])], ['set', T([1, 2, 0.5, 0], [4])]] as const) {
      await parity(`sgd, guard ${name}`, 'sgdUpdate', [w, g, { learningRate: 0.1 }, guard], [0]);
      await parity(`nesterov, guard ${name}`, 'momentumUpdate', [w, g, slot(42), { learningRate: 0.1, momentum: 0.9, nesterov: true }, guard], [0, 2]);
      await parity(`adam, guard ${name}`, 'adamUpdate', [w, g, slot(43), slot(44), adamP, guard], [0, 2, 3]);
      await parity(`rmsprop centered, guard ${name}`, 'rmspropUpdate', [w, g, rand(shape, 47, 1, 2), slot(46), rand(shape, 48, -0.1, 0.1), rmsP, guard], [0, 2, 3, 4]);
      await parity(`movingAverage, guard ${name}`, 'movingAverageUpdate', [rand([7], 10), rand([7], 11), 0.99, guard], [0]);
      await parity(`guardedAccumulate, guard ${name}`, 'guardedAccumulate', [rand([3], 12), rand([3], 13), 64, guard], [0]);
    }
  });
});
