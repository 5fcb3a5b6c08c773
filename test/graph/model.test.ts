// Model structure: weight order and names, TF.js's layer order, graph
// errors, shared weights, frozen layers, and Sequential == functional.

import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { randomValues } from '../util/check.js';

const seeded = (seed: number) => wc.initializers.glorotUniform({ seed });

describe('model structure', () => {
  it('getWeights(): every trainable weight in layer order, then the non-trainable ones', () => {
    const conv = wc.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 3 });
    const bn = wc.layers.batchNormalization();
    const dense = wc.layers.dense({ units: 3 });
    const model = wc.sequential({ layers: [conv, bn, wc.layers.flatten(), dense] });
    const names = model.weights.map((w) => w.name);
    expect(names).toEqual([
      `${conv.name}/kernel`, `${conv.name}/bias`, `${bn.name}/gamma`, `${bn.name}/beta`,
      `${dense.name}/kernel`, `${dense.name}/bias`, `${bn.name}/moving_mean`, `${bn.name}/moving_variance`,
    ]);
    expect(model.getWeights().map((t) => t.shape)).toEqual([[3, 3, 1, 2], [2], [2], [2], [8, 3], [3], [2], [2]]);
    // a frozen layer's weights move to the non-trainable part, in layer order
    conv.trainable = false;
    expect(model.weights.map((w) => w.name)).toEqual([
      `${bn.name}/gamma`, `${bn.name}/beta`, `${dense.name}/kernel`, `${dense.name}/bias`,
      `${conv.name}/kernel`, `${conv.name}/bias`, `${bn.name}/moving_mean`, `${bn.name}/moving_variance`,
    ]);
    expect(() => model.setWeights(model.getWeights().slice(1))).toThrow(/setWeights: expected 8 tensors/);
    expect(model.countParams()).toBe(18 + 2 + 8 + 24 + 3);
  });

  it("orders a functional model's layers as TF.js does (depth, then first visit)", () => {
    const inp = wc.input({ shape: [3] });
    const d1 = wc.layers.dense({ units: 2 });
    const d2 = wc.layers.dense({ units: 2 });
    const cat = wc.layers.concatenate();
    const out = cat.apply([d2.apply(inp), d1.apply(inp)]);
    const model = wc.model({ inputs: inp, outputs: out });
    expect(model.layers.map((l) => l.name)).toEqual([inp.sourceLayer.name, d2.name, d1.name, cat.name]);
    expect(model.weights.map((w) => w.name)).toEqual([`${d2.name}/kernel`, `${d2.name}/bias`, `${d1.name}/kernel`, `${d1.name}/bias`]);
  });

  it('a shared layer has one set of weights', () => {
    const inp = wc.input({ shape: [3] });
    const d = wc.layers.dense({ units: 3 });
    const model = wc.model({ inputs: inp, outputs: d.apply(d.apply(inp)) });
    expect(model.weights.length).toBe(2);
    expect(model.countParams()).toBe(12);
  });

  it('throws on a disconnected graph, naming the missing input', () => {
    const a = wc.input({ shape: [3], name: 'in_a' });
    const b = wc.input({ shape: [3], name: 'in_b' });
    const out = wc.layers.add().apply([a, b]);
    expect(() => wc.model({ inputs: a, outputs: out })).toThrow(/graph disconnected: the outputs need input 'in_b'.*model's inputs \['in_a'\]/);
    const d = wc.layers.dense({ units: 2 }).apply(a);
    expect(() => wc.model({ inputs: d, outputs: d })).toThrow(/inputs\[0\] must come from wc.input\(\)/);
  });

  it('sequential add/pop and layers', () => {
    const m = wc.sequential();
    const d1 = wc.layers.dense({ units: 4, inputShape: [2] });
    const d2 = wc.layers.dense({ units: 1 });
    m.add(d1);
    m.add(d2);
    expect(m.layers).toEqual([d1, d2]);
    expect(m.outputs[0].shape).toEqual([null, 1]);
    m.pop();
    expect(m.layers).toEqual([d1]);
    expect(m.outputs[0].shape).toEqual([null, 4]);
    expect(() => m.add(wc.layers.dense({ units: 1, inputShape: [9] }))).toThrow(/only the first layer may have an inputShape/);
    // A later layer may state the shape it receives (a zoo model's layers behind augmentation layers).
    m.add(wc.layers.dense({ units: 3, inputShape: [4] }));
    expect(m.outputs[0].shape).toEqual([null, 3]);
    expect(() => m.add(wc.layers.dense({ units: 1, inputShape: [4] }))).toThrow(/only the first layer may have an inputShape/);
  });

  it('Sequential and the equivalent functional model give identical outputs and training trajectories', async () => {
    const build = (functional: boolean): wc.LayersModel => {
      const layers = [
        wc.layers.conv2d({ filters: 2, kernelSize: 3, activation: 'relu', kernelInitializer: seeded(1) }),
        wc.layers.batchNormalization(),
        wc.layers.flatten(),
        wc.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: seeded(2) }),
      ];
      if (!functional) return wc.sequential({ layers: [wc.layers.inputLayer({ inputShape: [5, 5, 1] }), ...layers] });
      const inp = wc.input({ shape: [5, 5, 1] });
      let h = inp;
      for (const l of layers) h = l.apply(h);
      return wc.model({ inputs: inp, outputs: h });
    };
    const x = wc.tensor(randomValues(6 * 25, 3), [6, 5, 5, 1]);
    const y = wc.tensor([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1], [6, 3]);
    const results = [];
    for (const functional of [false, true]) {
      const m = build(functional);
      m.compile({ optimizer: wc.optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      const before = await (m.predict(x) as wc.Tensor).data();
      const h = await m.fit(x, y, { epochs: 3, batchSize: 4, shuffle: false });
      const after = await (m.predict(x) as wc.Tensor).data();
      const weights = await Promise.all(m.getWeights().map((w) => w.data()));
      results.push({ before, after, loss: h.history.loss, weights });
    }
    expect(results[1].before).toEqual(results[0].before);
    expect(results[1].loss).toEqual(results[0].loss);
    expect(results[1].after).toEqual(results[0].after);
    expect(results[1].weights).toEqual(results[0].weights);
    expect(results[0].loss[2]).toBeLessThan(results[0].loss[0]);
  });
});
