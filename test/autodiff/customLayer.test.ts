// A user's layer, written as TF.js's docs write one (build with addWeight,
// call in math ops, computeOutputShape, getConfig, static className), trains
// through autodiff in fit, matches TensorFlow.js's gradients on the same
// weights, and saves and loads once registered. Loss and metric functions in
// compile, and built-in layers inside gradient calls.

import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as wc from '../../src/index.js';
import { randomValues } from '../util/check.js';

/** y = x·w + b, then x ⊙ scale ... : a dense layer with a learned per-unit gain, written only in math ops. */
class GainDense extends wc.layers.Layer {
  static override className = 'GainDense';
  readonly units: number;
  w!: wc.LayerVariable;
  b!: wc.LayerVariable;
  gain!: wc.LayerVariable;
  constructor(config: wc.layers.LayerArgs & { units: number }) {
    super(config);
    this.units = config.units;
  }
  override build(inputShape: wc.layers.SymShape | wc.layers.SymShape[]): void {
    const s = inputShape as wc.layers.SymShape;
    this.w = this.addWeight('kernel', [s[s.length - 1] as number, this.units], 'float32', wc.initializers.glorotUniform({ seed: 3 }));
    this.b = this.addWeight('bias', [this.units], 'float32', 'zeros');
    this.gain = this.addWeight('gain', [this.units], undefined, 'ones');
  }
  override call(inputs: wc.Tensor | wc.Tensor[]): wc.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return wc.tanh(wc.matMul(x, this.w.read()).add(this.b.read())).mul(this.gain.read());
  }
  override computeOutputShape(inputShape: wc.layers.SymShape | wc.layers.SymShape[]): wc.layers.SymShape {
    const s = inputShape as wc.layers.SymShape;
    return [...s.slice(0, -1), this.units];
  }
  override getConfig(): wc.layers.LayerConfig {
    return { ...super.getConfig(), units: this.units };
  }
}

const t = (v: ArrayLike<number>, s: number[]) => wc.tensor(Float32Array.from(v), s);

describe('a user layer (wc.layers.Layer subclass)', () => {
  it('builds, names and lists its weights as TF.js does, and runs', () => {
    const layer = new GainDense({ units: 3, name: 'gd' });
    const y = layer.apply(t(randomValues(8, 1), [2, 4]));
    expect(y.shape).toEqual([2, 3]);
    expect(layer.className).toBe('GainDense');
    expect(layer.weights.map((v) => v.name)).toEqual(['gd/kernel', 'gd/bias', 'gd/gain']);
    expect(layer.countParams()).toBe(4 * 3 + 3 + 3);
    expect(layer.getConfig()).toMatchObject({ name: 'gd', units: 3, trainable: true });
    expect(new GainDense({ units: 2 }).name).toMatch(/^gain_dense_\d+$/);
  });

  it('gives the gradients TensorFlow.js gives for the same weights and loss', async () => {
    await tf.setBackend('cpu');
    const xv = randomValues(5 * 4, 2);
    const yv = randomValues(5 * 3, 3);
    const layer = new GainDense({ units: 3 });
    const model = wc.sequential({ layers: [wc.layers.dense({ inputShape: [4], units: 4, activation: 'relu', kernelInitializer: wc.initializers.glorotUniform({ seed: 4 }) }), layer] });
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    const shapes = model.getWeights().map((w) => [...w.shape]);
    // the same function in TF.js, by hand on the same weights
    const tw = weights.map((v, i) => tf.tensor(v, shapes[i]));
    const tfLoss = (...ws: tf.Tensor[]) => {
      const h = tf.relu(tf.matMul(tf.tensor(xv, [5, 4]), ws[0]).add(ws[1]));
      const out = tf.tanh(tf.matMul(h, ws[2]).add(ws[3])).mul(ws[4]);
      return tf.losses.meanSquaredError(tf.tensor(yv, [5, 3]), out) as tf.Scalar;
    };
    const tfGrads = tf.grads(tfLoss)(tw);
    // webcnn: through the model inside variableGrads-like grads over the weight tensors
    const wcGrads = wc.grads((...ws) => {
      void ws;
      const out = model.apply(t(xv, [5, 4])) as wc.Tensor;
      return wc.mean(wc.squaredDifference(out, t(yv, [5, 3])));
    })(model.getWeights());
    for (let i = 0; i < 5; i++) {
      const a = wcGrads[i].dataSync();
      const b = tfGrads[i].dataSync();
      for (let k = 0; k < b.length; k++) expect(a[k]).toBeCloseTo(b[k], 5);
    }
  });

  it('trains in fit through autodiff, with a loss function and a metric function', async () => {
    const n = 32;
    const xv = randomValues(n * 4, 5);
    const target = Array.from({ length: n }, (_, i) => Math.tanh(xv[4 * i] - 0.5 * xv[4 * i + 1]));
    const model = wc.sequential({ layers: [new GainDense({ units: 1, inputShape: [4] } as never)] });
    function meanAbs(yTrue: wc.Tensor, yPred: wc.Tensor): wc.Tensor {
      return wc.mean(wc.abs(wc.sub(yTrue, yPred)));
    }
    const sq = (yTrue: wc.Tensor, yPred: wc.Tensor) => wc.squaredDifference(yTrue, yPred).sum(-1);
    model.compile({ optimizer: wc.train.adam(0.05), loss: sq, metrics: [meanAbs] });
    const before = Array.from(model.getWeights()[0].dataSync());
    const h = await model.fit(t(xv, [n, 4]), t(target, [n, 1]), { batchSize: 8, epochs: 15, shuffle: false });
    const loss = h.history.loss as number[];
    expect(loss[14]).toBeLessThan(loss[0] / 3);
    expect(Object.keys(h.history)).toContain('meanAbs');
    expect(Array.from(model.getWeights()[0].dataSync())).not.toEqual(before);
    const [l] = await model.evaluate(t(xv, [n, 4]), t(target, [n, 1])) as number[];
    expect(l).toBeCloseTo(loss[14], 1);
  });

  it('saves and loads once registered; unregistered it is refused by name', async () => {
    const layer = new GainDense({ units: 2, inputShape: [3] } as never);
    const model = wc.sequential({ layers: [layer] });
    const x = t(randomValues(6, 7), [2, 3]);
    const y0 = Array.from((model.predict(x) as wc.Tensor).dataSync());
    const saved: { artifacts?: wc.ModelArtifacts } = {};
    await model.save({ save: async (a: wc.ModelArtifacts) => { saved.artifacts = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; } } as never);
    const load = () => wc.loadModel({ load: async () => saved.artifacts! } as never);
    await expect(load()).rejects.toThrow(/unknown layer class 'GainDense'.*registerClass/);
    wc.serialization.registerClass(GainDense);
    const back = await load();
    expect(back.layers[0].className).toBe('GainDense');
    expect(Array.from((back.predict(x) as wc.Tensor).dataSync())).toEqual(y0);
    expect(() => wc.serialization.registerClass(class extends wc.layers.Layer {})).toThrow(/static className/);
    expect(() => wc.serialization.registerClass({})).toThrow(/expected a class extending wc.layers.Layer/);
  });
});

describe('built-in layers inside gradient calls', () => {
  it('optimizer.minimize trains a model through model.apply, frozen batch norm included', () => {
    const model = wc.sequential({ layers: [
      wc.layers.conv2d({ inputShape: [5, 5, 1], filters: 2, kernelSize: 3, kernelInitializer: wc.initializers.glorotUniform({ seed: 1 }) }),
      wc.layers.batchNormalization({ trainable: false }),
      wc.layers.flatten(),
      wc.layers.dense({ units: 1, kernelInitializer: wc.initializers.glorotUniform({ seed: 2 }) }),
    ] });
    const x = t(randomValues(4 * 25, 9), [4, 5, 5, 1]);
    const y = t([1, -1, 0.5, 0], [4, 1]);
    const vars = model.trainableWeights.map((v) => v.read());
    const lossOf = () => wc.mean(wc.squaredDifference(model.apply(x) as wc.Tensor, y));
    const first = lossOf().dataSync()[0];
    const g = wc.grads(() => lossOf())(vars);
    expect(g.map((v) => v.shape)).toEqual(vars.map((v) => v.shape));
    // finite differences on one conv weight
    const w0 = model.trainableWeights[0];
    const vals = Array.from(w0.read().dataSync());
    const eps = 1e-2;
    const at = (d: number) => { const v = [...vals]; v[0] += d; w0.write(t(v, [...w0.shape])); return lossOf().dataSync()[0]; };
    const numeric = (at(eps) - at(-eps)) / (2 * eps);
    w0.write(t(vals, [...w0.shape]));
    expect(g[0].dataSync()[0]).toBeCloseTo(numeric, 2);
    expect(first).toBeGreaterThan(0);
  });
});

describe("a model's weights are variables, as in TF.js", () => {
  it('optimizer.minimize(() => loss(model.predict(x))) trains the model; variableGrads names its weights', async () => {
    const model = wc.sequential({ layers: [wc.layers.dense({ inputShape: [2], units: 1, kernelInitializer: 'zeros', name: 'minimized' })] });
    const x = t([1, 2, 3, 4], [2, 2]);
    const y = t([1, 3], [2, 1]);
    const loss = () => wc.mean(wc.squaredDifference(model.predict(x) as wc.Tensor, y));
    const { value, grads } = wc.variableGrads(loss);
    expect(Object.keys(grads).sort()).toEqual(['minimized/bias', 'minimized/kernel']);
    // d/dw mean((x·w + b - y)^2) at w = 0, b = 0: 2/n Σ (0 - y) x
    expect(Array.from(grads['minimized/kernel'].dataSync())).toEqual([-(1 * 1 + 3 * 3), -(1 * 2 + 3 * 4)]);
    expect(value.dataSync()[0]).toBe(5);
    const opt = wc.train.sgd(0.05);
    const before = value.dataSync()[0];
    for (let i = 0; i < 20; i++) opt.minimize(loss);
    expect(loss().dataSync()[0]).toBeLessThan(before / 10);
    // the same optimizer state serves fit afterwards
    model.compile({ optimizer: opt, loss: 'meanSquaredError' });
    await model.fit(x, y, { epochs: 2, batchSize: 2 });
    expect(opt.iterations).toBe(22);
    // a weight by its tensor; a frozen layer is left out (its backward makes no weight gradients)
    const named = wc.variableGrads(loss, [model.layers[0].weights[0].read()]);
    expect(Object.keys(named.grads)).toEqual(['minimized/kernel']);
    model.layers[0].trainable = false;
    expect(() => wc.variableGrads(loss)).toThrow(/cannot find a connection between any trainable variable and the result of f/);
    model.dispose();
  });

  it('a second layer of a taken name is listed with a suffix', () => {
    const a = wc.layers.dense({ units: 1, name: 'twin', inputShape: [1] });
    const b = wc.layers.dense({ units: 1, name: 'twin', inputShape: [1] });
    a.apply(t([1], [1, 1]));
    b.apply(t([1], [1, 1]));
    const x = t([2], [1, 1]);
    const { grads } = wc.variableGrads(() => wc.sum(wc.add(a.apply(x), b.apply(x))));
    expect(Object.keys(grads).sort()).toEqual(['twin/bias', 'twin/bias_1', 'twin/kernel', 'twin/kernel_1']);
  });
});
