// The fused epilogue on WebGPU against the CPU reference: conv2d and matmul
// with a bias and relu / relu6 applied in the kernel that computes them (the blocked
// GEMM, split-K's sum, the direct conv, the naive oracle), on NaN-dirty
// output buffers. Each case checks that relu zeroed values the linear
// result has negative, so a kernel that ignored the flag fails.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conv2dParams } from '../../src/backend/types.js';
import { randomValues } from '../util/check.js';
import { GpuPage } from '../harness/gpu.js';
import { callBoth, T } from '../harness/kernelCall.js';
import { expectParity } from '../harness/tolerance.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

type Pinned = { gemm?: 'blocked' | 'naive'; conv?: 'im2col' | 'direct' };

/** Pins the page's backend to a GEMM variant / conv algorithm (null: back to the defaults). */
async function pin(p: Pinned | null): Promise<void> {
  await gp.run(async ({ engine }, v) => {
    const be = engine.backend() as unknown as { useGemmVariant(x: string): Promise<void>; pinConvAlgorithm(x: string | null): void };
    await be.useGemmVariant(v?.gemm ?? 'blocked');
    be.pinConvAlgorithm(v?.conv ?? null);
  }, p);
}

/** The same call linear, with relu and with relu6: relu must zero what the linear result has negative, relu6 cap at 6, and both match the CPU. */
async function checkRelu(method: 'conv2d' | 'matmul', linearArgs: unknown[], reluArgs: unknown[], what: string): Promise<void> {
  const lin = await callBoth(gp, method, linearArgs);
  const rel = await callBoth(gp, method, reluArgs);
  expectParity(lin.gpu[0], lin.cpu[0], `${what} linear`);
  expectParity(rel.gpu[0], rel.cpu[0], `${what} relu`);
  const negatives = lin.cpu[0].filter((v) => v < 0).length;
  expect(negatives).toBeGreaterThan(0);
  expect(rel.gpu[0].filter((v) => v === 0).length).toBeGreaterThanOrEqual(negatives);
  expect(Math.min(...rel.gpu[0])).toBe(0);
  // relu6 on the first input scaled 10x, so that sums pass 6: clipped at both ends, as the CPU
  const scaled = reluArgs.map((a, i) => (i === 0 ? { ...(a as { t: number[]; s: number[] }), t: (a as { t: number[] }).t.map((v) => 10 * v) } : a));
  const six = await callBoth(gp, method, scaled.map((a, i) => (i === scaled.length - 1 ? 'relu6' : a)));
  expectParity(six.gpu[0], six.cpu[0], `${what} relu6`);
  expect(Math.min(...six.gpu[0])).toBe(0);
  expect(Math.max(...six.gpu[0])).toBe(6);
}

const conv = (n: number, hw: number, cin: number, cout: number, bias: boolean, seed: number) => ({
  x: T(randomValues(n * hw * hw * cin, seed), [n, hw, hw, cin]),
  w: T(randomValues(9 * cin * cout, seed + 1), [3, 3, cin, cout]),
  b: bias ? T(randomValues(cout, seed + 2), [cout]) : null,
});
const SAME: Conv2dParams = { strides: [1, 1], padding: 'same', dilations: [1, 1] };
const VALID: Conv2dParams = { strides: [1, 1], padding: 'valid', dilations: [1, 1] };

describe('fused bias + relu epilogue on webgpu', () => {
  const convCases: [string, Pinned, ReturnType<typeof conv>, Conv2dParams][] = [
    ['im2col + blocked GEMM, cin 4 -> 8', { conv: 'im2col' }, conv(2, 7, 4, 8, true, 10), SAME],
    ['direct, vec4 x (cin 8 -> 12)', { conv: 'direct' }, conv(3, 6, 8, 12, true, 20), VALID],
    ['direct, scalar x (cin 1 -> 8, no bias)', { conv: 'direct' }, conv(2, 9, 1, 8, false, 30), VALID],
    ['naive GEMM oracle, cin 3 -> 5', { gemm: 'naive' }, conv(2, 5, 3, 5, true, 40), SAME],
  ];
  for (const [name, pinned, c, p] of convCases) {
    it(`conv2d ${name}`, async () => {
      await pin(pinned);
      try {
        await checkRelu('conv2d', [c.x, c.w, c.b, p, 'linear'], [c.x, c.w, c.b, p, 'relu'], `conv2d ${name}`);
      } finally {
        await pin(null);
      }
    });
  }

  // [m, n, k]: block edges; a long k with a small C (split-K: the sum applies relu)
  const mmCases: [number, number, number, Pinned][] = [[17, 31, 33, {}], [8, 12, 3000, {}], [5, 3, 2999, {}], [17, 31, 33, { gemm: 'naive' }]];
  for (const [m, n, k, pinned] of mmCases) {
    it(`matmul [${m}x${k}] . [${k}x${n}] + bias${pinned.gemm ? ` (${pinned.gemm})` : ''}`, async () => {
      const a = T(randomValues(m * k, m + k), [m, k]);
      const b = T(randomValues(k * n, n + k), [k, n]);
      const bias = T(randomValues(n, 7, -2, 2), [n]);
      await pin(pinned);
      try {
        await checkRelu('matmul', [a, b, false, false, bias, 'linear'], [a, b, false, false, bias, 'relu'], `matmul ${m}x${n}x${k}`);
      } finally {
        await pin(null);
      }
    });
  }
});

describe('inference folds batch norm into the conv on webgpu', () => {
  it('predict of conv -> BN -> relu chains matches the CPU layers run one by one', async () => {
    const build = (w: typeof import('../../src/index.js')) => w.sequential({ layers: [
      w.layers.conv2d({ inputShape: [7, 7, 3], filters: 4, kernelSize: 3, useBias: false }),
      w.layers.batchNormalization(),
      w.layers.reLU(),
      w.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same' }),
      w.layers.batchNormalization(),
      w.layers.activation({ activation: 'relu' }),
      w.layers.flatten(),
      w.layers.dense({ units: 3 }),
    ] });
    const wcCpu = await import('../../src/index.js');
    const model = build(wcCpu);
    const weights = model.weights.map((v, i) => {
      const positive = /moving_variance|gamma/.test(v.name);
      return { t: Array.from(randomValues(v.shape.reduce((a, b) => a * b, 1), 60 + i, positive ? 0.2 : -1.5, positive ? 3 : 1.5)), s: [...v.shape] };
    });
    model.setWeights(weights.map((v) => wcCpu.tensor(v.t, v.s)));
    const x = Array.from(randomValues(2 * 7 * 7 * 3, 70));
    const gpu = await gp.run(async ({ wc }, a) => {
      const m = (0, eval)(`(${a.build})`)(wc);
      m.setWeights(a.weights.map((v: { t: number[]; s: number[] }) => wc.tensor(v.t, v.s)));
      return Array.from(await (m.predict(wc.tensor(a.x, [2, 7, 7, 3])) as { data(): Promise<Float32Array> }).data());
    }, { build: build.toString(), weights, x });
    let h = wcCpu.tensor(x, [2, 7, 7, 3]);
    for (const layer of model.layers) h = layer.apply(h) as typeof h;
    expectParity(gpu, Array.from(await h.data()), 'folded predict');
  });

  it('predict of MobileNet chains (pad -> depthwise -> BN -> relu6, conv -> BN -> relu6) matches the CPU layers run one by one', async () => {
    const build = (w: typeof import('../../src/index.js')) => w.sequential({ layers: [
      w.layers.conv2d({ inputShape: [9, 10, 3], filters: 8, kernelSize: 1, useBias: false }),
      w.layers.batchNormalization(),
      w.layers.reLU({ maxValue: 6 }),
      w.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]] }),
      w.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, useBias: false }),
      w.layers.batchNormalization(),
      w.layers.reLU({ maxValue: 6 }),
      w.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', depthMultiplier: 2 }),
      w.layers.batchNormalization(),
      w.layers.activation({ activation: 'relu6' }),
      w.layers.conv2d({ filters: 4, kernelSize: 1, useBias: false }),
      w.layers.batchNormalization(),
      w.layers.flatten(),
    ] });
    const wcCpu = await import('../../src/index.js');
    const model = build(wcCpu);
    const weights = model.weights.map((v, i) => {
      const positive = /moving_variance|gamma/.test(v.name);
      return { t: Array.from(randomValues(v.shape.reduce((a, b) => a * b, 1), 80 + i, positive ? 0.2 : -1.5, positive ? 3 : 1.5)), s: [...v.shape] };
    });
    model.setWeights(weights.map((v) => wcCpu.tensor(v.t, v.s)));
    const x = Array.from(randomValues(2 * 9 * 10 * 3, 90, -3, 3));
    const gpu = await gp.run(async ({ wc }, a) => {
      const m = (0, eval)(`(${a.build})`)(wc);
      m.setWeights(a.weights.map((v: { t: number[]; s: number[] }) => wc.tensor(v.t, v.s)));
      return Array.from(await (m.predict(wc.tensor(a.x, [2, 9, 10, 3])) as { data(): Promise<Float32Array> }).data());
    }, { build: build.toString(), weights, x });
    let h = wcCpu.tensor(x, [2, 9, 10, 3]);
    for (const layer of model.layers) h = layer.apply(h) as typeof h;
    expectParity(gpu, Array.from(await h.data()), 'folded predict');
  });
});
