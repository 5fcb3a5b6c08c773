// The min, sum and L2-norm pooling layers and their global forms (issue 20;
// webcnn extras, no TF.js layer): configs in MaxPooling2D's Keras form, output
// shapes, errors naming the layer, gradients through wc.grad, save/load round
// trips in webcnn (TF.js's loadLayersModel refuses them), and training in fit.

import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as wc from '../../src/index.js';
import { expectClose, randomValues } from '../util/check.js';

const seeded = (seed: number) => wc.initializers.glorotUniform({ seed });
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
const rand = (s: number[], seed: number) => wc.tensor(randomValues(size(s), seed), s);

const WINDOWED = [
  ['minPooling2d', 'MinPooling2D', 'min_pooling2d', wc.layers.minPooling2d],
  ['sumPooling2d', 'SumPooling2D', 'sum_pooling2d', wc.layers.sumPooling2d],
  ['l2Pooling2d', 'L2Pooling2D', 'l2_pooling2d', wc.layers.l2Pooling2d],
] as const;
const GLOBAL = [
  ['globalMinPooling2d', 'GlobalMinPooling2D', 'global_min_pooling2d', wc.layers.globalMinPooling2d],
  ['globalSumPooling2d', 'GlobalSumPooling2D', 'global_sum_pooling2d', wc.layers.globalSumPooling2d],
  ['globalL2Pooling2d', 'GlobalL2Pooling2D', 'global_l2_pooling2d', wc.layers.globalL2Pooling2d],
] as const;

describe('min, sum and L2 pooling layers: construction', () => {
  it.each(WINDOWED)('%s: names, a config in MaxPooling2D\'s form, output shapes', (_f, className, prefix, make) => {
    const l = make({ poolSize: [3, 2], strides: 2, padding: 'same' });
    expect(l.className).toBe(className);
    expect(l.name).toMatch(new RegExp(`^${prefix}_\\d+$`));
    expect(l.getConfig()).toMatchObject({ name: l.name, trainable: true, poolSize: [3, 2], strides: [2, 2], padding: 'same', dataFormat: 'channelsLast' });
    expect(Object.keys(l.getConfig()).sort()).toEqual(Object.keys(wc.layers.maxPooling2d({ poolSize: [3, 2], strides: 2, padding: 'same' }).getConfig()).sort());
    expect(l.apply(wc.input({ shape: [7, 7, 2] })).shape).toEqual([null, 4, 4, 2]);
    expect(make().apply(wc.input({ shape: [7, 7, 2] })).shape).toEqual([null, 3, 3, 2]);
    expect(make({ poolSize: 3, strides: 2 }).apply(wc.input({ shape: [7, 8, 1] })).shape).toEqual([null, 3, 3, 1]);
    expect(l.countParams()).toBe(0);
  });

  it.each(GLOBAL)('%s: names, config, [n, h, w, c] -> [n, c]', (_f, className, prefix, make) => {
    const l = make();
    expect(l.className).toBe(className);
    expect(l.name).toMatch(new RegExp(`^${prefix}_\\d+$`));
    expect(l.getConfig()).toMatchObject({ name: l.name, dataFormat: 'channelsLast' });
    expect(l.apply(wc.input({ shape: [5, 6, 3] })).shape).toEqual([null, 3]);
  });

  it('refuses bad arguments and inputs, naming the layer', () => {
    expect(() => wc.layers.minPooling2d({ poolSize: 0, name: 'mp' })).toThrow(/^min_pooling2d 'mp': poolSize must be a positive integer or two positive integers, got 0/);
    expect(() => wc.layers.sumPooling2d({ strides: [1, -1], name: 'sp' })).toThrow(/^sum_pooling2d 'sp': strides must be/);
    expect(() => wc.layers.l2Pooling2d({ padding: 'full' as 'same', name: 'lp' })).toThrow(/^l2_pooling2d 'lp': padding must be one of 'valid', 'same', got "full"/);
    expect(() => wc.layers.l2Pooling2d({ dataFormat: 'channelsFirst' as 'channelsLast', name: 'lp2' })).toThrow(/^l2_pooling2d 'lp2'/);
    expect(() => wc.layers.minPooling2d({ poolSize: 4, name: 'big' }).apply(wc.input({ shape: [3, 3, 1] }))).toThrow(/MinPooling2D 'big'/);
    expect(() => wc.layers.globalSumPooling2d({ name: 'gs' }).apply(wc.input({ shape: [3, 3] }))).toThrow(/GlobalSumPooling2D 'gs'/);
  });
});

describe('min, sum and L2 pooling layers: forward and gradients', () => {
  const shape = [2, 5, 6, 3];
  const p = { poolSize: [3, 2] as [number, number], strides: [2, 2] as [number, number], padding: 'same' as const };
  const x = rand(shape, 1);
  const r = rand([2, 3, 3, 3], 2);
  const cases = [
    ['min', wc.layers.minPooling2d, () => wc.ops.minPool2d(x, p), () => wc.ops.minPool2dBackward(r, x, p)],
    ['sum', wc.layers.sumPooling2d, () => wc.ops.sumPool2d(x, p), () => wc.ops.sumPool2dBackward(r, shape, p)],
    ['l2', wc.layers.l2Pooling2d, () => wc.ops.l2Pool2d(x, p), () => wc.ops.l2Pool2dBackward(r, x, wc.ops.l2Pool2d(x, p), p)],
  ] as const;
  it.each(cases)('%s: the layer runs its kernels, and wc.grad through it is their backward', (_k, make, fwd, bwd) => {
    const layer = make(p);
    expectClose((layer.apply(x) as wc.Tensor).dataSync(), fwd().dataSync(), { atol: 0, rtol: 0 }, 'forward');
    const g = wc.grad((v: wc.Tensor) => wc.sum(wc.mul(layer.apply(v) as wc.Tensor, r)))(x);
    expectClose(g.dataSync(), bwd().dataSync(), { atol: 1e-6, rtol: 1e-6 }, 'gradient');
  });

  it('global forms are the windowed ones over the whole image, flattened to [n, c]', () => {
    const whole = { poolSize: [5, 6] as [number, number], strides: [5, 6] as [number, number], padding: 'valid' as const };
    const rg = rand([2, 3], 3);
    const pairs = [
      [wc.layers.globalMinPooling2d(), wc.ops.minPool2d(x, whole), wc.ops.minPool2dBackward(rg.reshape([2, 1, 1, 3]), x, whole)],
      [wc.layers.globalSumPooling2d(), wc.ops.sumPool2d(x, whole), wc.ops.sumPool2dBackward(rg.reshape([2, 1, 1, 3]), shape, whole)],
      [wc.layers.globalL2Pooling2d(), wc.ops.l2Pool2d(x, whole), wc.ops.l2Pool2dBackward(rg.reshape([2, 1, 1, 3]), x, wc.ops.l2Pool2d(x, whole), whole)],
    ] as const;
    for (const [layer, y, dx] of pairs) {
      const out = layer.apply(x) as wc.Tensor;
      expect(out.shape).toEqual([2, 3]);
      expectClose(out.dataSync(), y.dataSync(), { atol: 0, rtol: 0 }, `${layer.className} forward`);
      const g = wc.grad((v: wc.Tensor) => wc.sum(wc.mul(layer.apply(v) as wc.Tensor, rg)))(x);
      expectClose(g.dataSync(), dx.dataSync(), { atol: 1e-6, rtol: 1e-6 }, `${layer.className} gradient`);
    }
  });
});

/** A small CNN with one windowed and one global pool of the given kinds. */
function poolNet(pool: wc.Layer, global: wc.Layer): wc.LayersModel {
  return wc.sequential({
    layers: [
      wc.layers.conv2d({ inputShape: [6, 6, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: seeded(1) }),
      pool,
      wc.layers.conv2d({ filters: 4, kernelSize: 2, padding: 'same', kernelInitializer: seeded(2) }),
      global,
      wc.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: seeded(3) }),
    ],
  });
}

const NETS: [string, () => wc.LayersModel][] = [
  ['minPooling2d + globalSumPooling2d', () => poolNet(wc.layers.minPooling2d({ poolSize: 2 }), wc.layers.globalSumPooling2d())],
  ["sumPooling2d (3/2 'same') + globalL2Pooling2d", () => poolNet(wc.layers.sumPooling2d({ poolSize: 3, strides: 2, padding: 'same' }), wc.layers.globalL2Pooling2d())],
  ['l2Pooling2d + globalMinPooling2d', () => poolNet(wc.layers.l2Pooling2d({ poolSize: 2 }), wc.layers.globalMinPooling2d())],
];

/** Images whose label is whether the bright square sits in the top or the bottom half. */
function data(n: number): { x: wc.Tensor; y: wc.Tensor } {
  const xv = randomValues(n * 36, 7, 0, 0.2);
  const yv = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const top = i % 2 === 0;
    const r0 = top ? 0 : 3;
    const c0 = (i * 5) % 4;
    for (let r = r0; r < r0 + 2; r++) for (let c = c0; c < c0 + 2; c++) xv[i * 36 + r * 6 + c] += 1;
    yv[i * 2 + (top ? 0 : 1)] = 1;
  }
  return { x: wc.tensor(xv, [n, 6, 6, 1]), y: wc.tensor(yv, [n, 2]) };
}

describe('min, sum and L2 pooling layers: save/load and training', () => {
  it.each(NETS)('%s: a webcnn save/load round trip keeps the topology and the predictions', async (_name, build) => {
    const model = build();
    const x = rand([2, 6, 6, 1], 4);
    const expected = (model.predict(x) as wc.Tensor).dataSync();
    const artifacts = await wc.modelToArtifacts(model);
    const topology = JSON.stringify(artifacts.modelTopology);
    for (const cls of ['MinPooling2D', 'SumPooling2D', 'L2Pooling2D', 'GlobalMinPooling2D', 'GlobalSumPooling2D', 'GlobalL2Pooling2D']) {
      if (model.layers.some((l) => l.className === cls)) expect(topology).toContain(`"class_name":"${cls}"`);
    }
    expect(topology).toMatch(/"pool_size":\[\d,\d\]/);
    const again = await wc.loadModel(artifacts);
    expect(again.layers.map((l) => l.className)).toEqual(model.layers.map((l) => l.className));
    expect(again.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
    expectClose((again.predict(x) as wc.Tensor).dataSync(), expected, { atol: 0, rtol: 0 }, 'predictions after load');
  });

  it("TF.js's loadLayersModel cannot load them: it names the unknown class", async () => {
    await tf.setBackend('cpu');
    const artifacts = await wc.modelToArtifacts(NETS[0][1]());
    await expect(tf.loadLayersModel(tf.io.fromMemory(artifacts as unknown as tf.io.ModelArtifacts))).rejects.toThrow(/MinPooling2D/);
  });

  it.each(NETS)('%s: trains in fit (the loss falls)', async (_name, build) => {
    const model = build();
    model.compile({ optimizer: wc.optimizers.adam({ learningRate: 0.02 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const { x, y } = data(32);
    const h = await model.fit(x, y, { epochs: 12, batchSize: 8, shuffle: false });
    const loss = h.history.loss as number[];
    expect(loss.every(Number.isFinite)).toBe(true);
    expect(loss[loss.length - 1]).toBeLessThan(0.7 * loss[0]);
  });
});
