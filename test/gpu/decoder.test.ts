// The decoder kernels on WebGPU against the CPU reference: upSampling2d and
// its backward (nearest and bilinear) on NaN-dirty buffers; conv2dTranspose,
// upSampling2d and cropping2D composed, forward and gradients (so the
// convolution kernels in the transposed roles too); and the same composition
// under verification mode; and one fit step of a model of the three layers
// (the transposed convolution's kernel and bias gradients on WebGPU).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Wc from '../../src/index.js';
import * as wc from '../../src/index.js';
import { randomValues } from '../util/check.js';
import { GpuPage } from '../harness/gpu.js';
import { expectParity } from '../harness/tolerance.js';
import { T, callBoth } from '../harness/kernelCall.js';

type Gpu = import('../../src/backend/webgpu/index.js').WebGpuBackend;

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

describe('webgpu upSampling2d', () => {
  it.each([
    ['nearest', [2, 3, 5, 3], [2, 3]],
    ['bilinear', [1, 4, 3, 5], [3, 2]],
  ] as const)('%s, forward and backward', async (interpolation, shape, factors) => {
    const p = { size: [...factors], interpolation };
    const x = T(randomValues(size(shape), 1), [...shape]);
    const outShape = [shape[0], shape[1] * factors[0], shape[2] * factors[1], shape[3]];
    const dy = T(randomValues(size(outShape), 2), outShape);
    for (const [kernel, args] of [['upSampling2d', [x, p]], ['upSampling2dBackward', [dy, [...shape], p]]] as const) {
      const { gpu, cpu } = await callBoth(gp, kernel, args as unknown as unknown[]);
      expect(gpu.length).toBe(1);
      expectParity(gpu[0], cpu[0], `${kernel} ${interpolation}`);
    }
  });
});

/** conv2dTranspose (op), then the layers without weights; built from the wc it is given (Node and the page run the same source). */
function composition(w: typeof Wc): (x: Wc.Tensor, f: Wc.Tensor) => Wc.Tensor {
  const crop = w.layers.cropping2D({ cropping: [[1, 0], [0, 2]] });
  const up = w.layers.upSampling2d({ size: [2, 1], interpolation: 'bilinear' });
  const near = w.layers.upSampling2d({ size: [1, 2] });
  return (x, f) => near.apply(up.apply(crop.apply(w.conv2dTranspose(x, f, [2, 7, 9, 4], 2, 'valid')) as Wc.Tensor) as Wc.Tensor) as Wc.Tensor;
}

const X = [2, 3, 4, 3];
const F = [3, 3, 4, 3];

function cpuReference(): { x: number[]; f: number[]; dy: number[]; y: number[]; grads: number[][] } {
  return wc.tidy(() => {
    const x = Array.from(randomValues(size(X), 5));
    const f = Array.from(randomValues(size(F), 6));
    const g = composition(wc);
    const y = g(wc.tensor(x, X), wc.tensor(f, F));
    const dy = Array.from(randomValues(y.size, 7));
    const grads = wc.grads(g)([wc.tensor(x, X), wc.tensor(f, F)], wc.tensor(dy, y.shape));
    return { x, f, dy, y: Array.from(y.dataSync()), grads: grads.map((t) => Array.from(t.dataSync())) };
  });
}

async function onPage(page: GpuPage, ref: ReturnType<typeof cpuReference>): Promise<{ y: number[]; grads: number[][]; checked: number }> {
  return page.run(async ({ wc: pw, engine }, a) => {
    const be = engine.backend() as Gpu;
    const before = be.verifier?.checked ?? 0;
    const g = ((0, eval)(`(${a.composition})`) as typeof composition)(pw);
    const [x, f] = [pw.tensor(a.x, a.X), pw.tensor(a.f, a.F)];
    const y = g(x, f);
    const gs = pw.grads(g)([x, f], pw.tensor(a.dy, y.shape));
    const out = { y: Array.from(await y.data()), grads: await Promise.all(gs.map(async (t) => Array.from(await t.data()))) };
    return { ...out, checked: (be.verifier?.checked ?? 0) - before };
  }, { composition: composition.toString(), x: ref.x, f: ref.f, dy: ref.dy, X, F });
}

describe('webgpu decoder composition', () => {
  it('conv2dTranspose, cropping2D and upSampling2d: forward and gradients match the CPU', async () => {
    const ref = cpuReference();
    const r = await onPage(gp, ref);
    expectParity(r.y, ref.y, 'forward');
    expect(r.grads.length).toBe(2);
    expectParity(r.grads[0], ref.grads[0], 'dx');
    expectParity(r.grads[1], ref.grads[1], 'dfilter');
  });

  it('passes verification mode (every kernel also run on the CPU reference)', async () => {
    const ref = cpuReference();
    const vp = await GpuPage.open({ verify: true });
    try {
      const r = await onPage(vp, ref);
      // conv2dBackwardInput, the crop, two upSamplings; their backwards, conv2d and conv2dBackwardFilter
      expect(r.checked).toBeGreaterThanOrEqual(9);
      expectParity(r.y, ref.y, 'verified forward');
      expectParity(r.grads[1], ref.grads[1], 'verified dfilter');
    } finally {
      await vp.close();
    }
  });
});

/** A model of the three decoder layers with the given weights, compiled for plain SGD; built from the wc it is given. */
function decoderModel(w: typeof Wc, weights: number[][] | null): Wc.Sequential {
  const m = w.sequential({ layers: [
    w.layers.conv2dTranspose({ inputShape: [3, 4, 2], filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'sigmoid' }),
    w.layers.cropping2D({ cropping: [[1, 1], [0, 2]] }),
    w.layers.upSampling2d({ size: [2, 2], interpolation: 'bilinear' }),
    w.layers.conv2dTranspose({ filters: 1, kernelSize: 2, padding: 'valid' }),
  ] });
  if (weights) m.setWeights(m.getWeights().map((t, i) => w.tensor(weights[i], t.shape)));
  m.compile({ optimizer: w.optimizers.sgd({ learningRate: 0.5 }), loss: 'meanSquaredError' });
  return m;
}

describe('webgpu decoder layers in training', () => {
  it('one fit step of conv2dTranspose, cropping2D and upSampling2d updates the weights as on the CPU', async () => {
    const shapes = decoderModel(wc, null).getWeights().map((t) => [...t.shape]);
    const weights = shapes.map((s, i) => Array.from(randomValues(size(s), 30 + i, -0.5, 0.5)));
    const x = Array.from(randomValues(2 * 3 * 4 * 2, 40));
    const y = Array.from(randomValues(2 * 9 * 13 * 1, 41, 0, 1));
    const train = async (w: typeof Wc, a: { weights: number[][]; x: number[]; y: number[] }, build: typeof decoderModel) => {
      const m = build(w, a.weights);
      const h = await m.fit(w.tensor(a.x, [2, 3, 4, 2]), w.tensor(a.y, [2, 9, 13, 1]), { batchSize: 2, epochs: 1, shuffle: false });
      return { loss: h.history.loss as number[], weights: await Promise.all(m.getWeights().map(async (t) => Array.from(await t.data()))) };
    };
    const cpu = await train(wc, { weights, x, y }, decoderModel);
    const gpu = await gp.run(async ({ wc: pw }, a) => {
      const build = (0, eval)(`(${a.build})`) as typeof decoderModel;
      const t = (0, eval)(`(${a.train})`) as typeof train;
      return t(pw, a, build);
    }, { weights, x, y, build: decoderModel.toString(), train: train.toString() });
    expectParity(gpu.loss, cpu.loss, 'loss');
    cpu.weights.forEach((w, i) => expectParity(gpu.weights[i], w, `weight ${i} after the step`));
  });
});
