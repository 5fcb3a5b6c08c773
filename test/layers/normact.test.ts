// Issue 20's normalization and activation layers on the CPU: PReLU,
// ThresholdedReLU and Softmax over any axis against TF.js's own layers
// (predictions, gradients, one SGD step of fit, files both ways);
// LocalResponseNormalization (webcnn's, over tf.localResponseNormalization)
// and Maxout (TensorFlow Addons') against their TF.js computations; saving
// and loading; errors that name the layer.

import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as wc from '../../src/index.js';
import { expectClose, randomValues } from '../util/check.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await wc.setBackend('cpu');
});

const SAME = { atol: 1e-5, rtol: 1e-4 };
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

async function tfArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
  return saved!;
}

/** Random weights (PReLU's alphas too), so nothing rests on initial values. */
function randomize(m: tf.LayersModel): void {
  m.setWeights(m.getWeights().map((w, i) => tf.tensor(randomValues(w.size, 200 + i, -0.6, 0.6), w.shape)));
}

/**
 * A TF.js model with the three layers TF.js has: PReLU (shared over h, w and
 * not), ThresholdedReLU, Softmax (TF.js's softmax runs on the last axis only:
 * axis 3 of images, and its default axis 1 of rows).
 */
function tfActivations(threshold: boolean): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [4, 4, 2], filters: 3, kernelSize: 3, padding: 'same' }));
  m.add(tf.layers.prelu({ sharedAxes: [1, 2] }));
  // TF.js's ThresholdedReLU has no gradient (Greater has none there): it sits out the gradient comparisons
  if (threshold) m.add(tf.layers.thresholdedReLU({ theta: 0.05 }));
  m.add(tf.layers.softmax({ axis: 3 }));
  m.add(tf.layers.conv2d({ filters: 2, kernelSize: 2 }));
  m.add(tf.layers.prelu({ alphaRegularizer: tf.regularizers.l2({ l2: 0.05 }) }));   // its penalty joins fit's loss in both
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 3 }));
  m.add(tf.layers.prelu({ alphaInitializer: 'ones' }));
  m.add(tf.layers.softmax());
  return m;
}

describe('PReLU, ThresholdedReLU and Softmax(axis) agree with TF.js', () => {
  const xShape = [3, 4, 4, 2];
  const xv = randomValues(size(xShape), 7, -1, 1);

  it('TF.js -> webcnn: the same predictions; input gradients and weights after one SGD step as TF.js', async () => {
    for (const threshold of [true, false]) {
      const tfm = tfActivations(threshold);
      randomize(tfm);
      const model = await wc.loadModel(await tfArtifacts(tfm) as unknown as wc.ModelArtifacts);
      expect(model.layers.map((l) => l.className)).toEqual(tfm.layers.map((l) => l.getClassName()));
      expect(model.getWeights().map((w) => w.shape)).toEqual(tfm.getWeights().map((w) => w.shape));
      const expected = (tfm.predict(tf.tensor(xv, xShape)) as tf.Tensor).dataSync();
      expectClose((model.predict(wc.tensor(xv, xShape)) as wc.Tensor).dataSync(), expected as Float32Array, SAME, 'predict');
      if (threshold) continue;

      // input gradients: through each layer's backward (wc.grad over model.apply) and tf.grad
      const r = randomValues(3 * 3, 9);
      const wdx = wc.grad((x: wc.Tensor) => wc.sum(wc.mul(model.apply(x) as wc.Tensor, wc.tensor(r, [3, 3]))))(wc.tensor(xv, xShape));
      const tdx = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tfm.apply(x) as tf.Tensor, tf.tensor(r, [3, 3]))))(tf.tensor(xv, xShape));
      expectClose(wdx.dataSync(), tdx.dataSync() as Float32Array, SAME, 'input gradient');

      // one full-batch SGD step: every weight (the alphas included) moves the same
      const yv = randomValues(3 * 3, 10);
      tfm.compile({ optimizer: tf.train.sgd(0.5), loss: 'meanSquaredError' });
      model.compile({ optimizer: wc.optimizers.sgd({ learningRate: 0.5 }), loss: 'meanSquaredError' });
      await tfm.fit(tf.tensor(xv, xShape), tf.tensor(yv, [3, 3]), { batchSize: 3, epochs: 1, shuffle: false });
      await model.fit(wc.tensor(xv, xShape), wc.tensor(yv, [3, 3]), { batchSize: 3, epochs: 1, shuffle: false });
      const tw = tfm.getWeights();
      model.getWeights().forEach((w, i) => expectClose(w.dataSync(), tw[i].dataSync() as Float32Array, SAME, `weight ${i} after a step`));
    }
  });

  it("ThresholdedReLU's gradient is dy where x > theta (Keras's; TF.js has none)", () => {
    const xv = Float32Array.from([-1, 0.2, 0.5, 0.7, 2, 0.5]);
    const dy = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const layer = wc.layers.thresholdedReLU({ theta: 0.5 });
    // x * (x > theta), as TF.js: -1 gives -0
    expect([...(layer.apply(wc.tensor(xv, [2, 3])) as wc.Tensor).dataSync()].map((v) => v + 0)).toEqual([0, 0, 0, xv[3], 2, 0]);
    const g = wc.grad((x: wc.Tensor) => layer.apply(x) as wc.Tensor)(wc.tensor(xv, [2, 3]), wc.tensor(dy, [2, 3]));
    expect([...g.dataSync()].map((v) => v + 0)).toEqual([0, 0, 0, 4, 5, 0]);
  });

  it('webcnn -> TF.js: the model file loads in tf.loadLayersModel and predicts the same', async () => {
    const model = wc.sequential({ layers: [
      wc.layers.conv2d({ inputShape: [4, 4, 2], filters: 3, kernelSize: 3, padding: 'same' }),
      wc.layers.prelu({ sharedAxes: [1, 2], alphaInitializer: wc.initializers.randomUniform({ minval: -1, maxval: 1, seed: 4 }) }),
      wc.layers.thresholdedReLU({ theta: 0.1 }),
      wc.layers.softmax({ axis: 3 }),
      wc.layers.flatten(),
      wc.layers.dense({ units: 4 }),
      wc.layers.prelu({ alphaInitializer: 'ones' }),
      wc.layers.softmax(),
    ] });
    const artifacts = await wc.modelToArtifacts(model);
    const tfm = await tf.loadLayersModel(tf.io.fromMemory(artifacts as unknown as tf.io.ModelArtifacts));
    expect(tfm.layers.map((l) => l.getClassName())).toEqual(model.layers.map((l) => l.className));
    const expected = (model.predict(wc.tensor(xv, xShape)) as wc.Tensor).dataSync();
    expectClose((tfm.predict(tf.tensor(xv, xShape)) as tf.Tensor).dataSync() as Float32Array, expected, SAME, 'predict');
    const cfg = tfm.layers[1].getConfig();
    expect(cfg.sharedAxes).toEqual([1, 2]);
    expect(tfm.layers[2].getConfig().theta).toBe(0.1);
    expect(tfm.layers[3].getConfig().axis).toBe(3);
  });

  it('layer configs as TF.js writes them; defaults as Keras (alpha zeros, theta 1, axis -1)', () => {
    const p = wc.layers.prelu();
    expect(p.getConfig()).toMatchObject({ alphaInitializer: { className: 'Zeros' }, alphaRegularizer: null, alphaConstraint: null, sharedAxes: null });
    expect(wc.layers.prelu({ sharedAxes: 1 }).getConfig().sharedAxes).toEqual([1]);
    expect(wc.layers.thresholdedReLU().getConfig().theta).toBe(1);
    expect(wc.layers.softmax().getConfig().axis).toBe(-1);
    const tp = tf.layers.prelu({});
    expect(Object.keys(p.getConfig()).filter((k) => !['name', 'trainable', 'dtype'].includes(k)).sort())
      .toEqual(Object.keys(tp.getConfig()).filter((k) => !['name', 'trainable', 'dtype'].includes(k)).sort());
  });

  it('softmax over an inner axis (TF.js runs only the last): exp(x - logSumExp(x, axis)) in TF.js, values and gradients', () => {
    for (const [shape, axis] of [[[2, 3, 2], 1], [[2, 3, 4, 2], 2], [[2, 3, 4, 2], -3]] as const) {
      const s = [...shape];
      const xv = randomValues(size(s), 3 + axis, -2, 2);
      const layer = wc.layers.softmax({ axis });
      const y = layer.apply(wc.tensor(xv, s)) as wc.Tensor;
      const ref = (x: tf.Tensor) => tf.exp(tf.sub(x, tf.logSumExp(x, axis, true)));
      expectClose(y.dataSync(), ref(tf.tensor(xv, s)).dataSync() as Float32Array, SAME, `axis ${axis}: value`);
      const dyv = randomValues(size(s), 4);
      const wg = wc.grad((x: wc.Tensor) => layer.apply(x) as wc.Tensor)(wc.tensor(xv, s), wc.tensor(dyv, s));
      const tg = tf.grad(ref)(tf.tensor(xv, s), tf.tensor(dyv, s));
      expectClose(wg.dataSync(), tg.dataSync() as Float32Array, SAME, `axis ${axis}: gradient`);
    }
  });

  it("softmax over several axes is TF.js's Softmax layer with a list (exp(x - logSumExp(x, axes))): values, gradients, files both ways", async () => {
    for (const axis of [[1, 2], [-1, 1], [2]]) {
      const s = [2, 3, 4, 2];
      const xv = randomValues(size(s), 40 + axis.length, -2, 2);
      const layer = wc.layers.softmax({ axis });
      const tl = tf.layers.softmax({ axis: axis as unknown as number });
      const y = layer.apply(wc.tensor(xv, s)) as wc.Tensor;
      const ref = (x: tf.Tensor) => (axis.length > 1 ? tl.apply(x) as tf.Tensor : tf.exp(tf.sub(x, tf.logSumExp(x, axis, true))));
      expectClose(y.dataSync(), ref(tf.tensor(xv, s)).dataSync() as Float32Array, SAME, `axis ${axis}: value`);
      const dyv = randomValues(size(s), 41);
      const wg = wc.grad((x: wc.Tensor) => layer.apply(x) as wc.Tensor)(wc.tensor(xv, s), wc.tensor(dyv, s));
      const tg = tf.grad(ref)(tf.tensor(xv, s), tf.tensor(dyv, s));
      expectClose(wg.dataSync(), tg.dataSync() as Float32Array, SAME, `axis ${axis}: gradient`);
      expect(layer.getConfig().axis).toEqual(axis);
    }
    const model = wc.sequential({ layers: [wc.layers.conv2d({ inputShape: [3, 3, 2], filters: 2, kernelSize: 1 }), wc.layers.softmax({ axis: [1, 3] })] });
    const tfm = await tf.loadLayersModel(tf.io.fromMemory(await wc.modelToArtifacts(model) as unknown as tf.io.ModelArtifacts));
    expect(tfm.layers[1].getConfig().axis).toEqual([1, 3]);
    const xv = randomValues(2 * 18, 42);
    expectClose((tfm.predict(tf.tensor(xv, [2, 3, 3, 2])) as tf.Tensor).dataSync() as Float32Array, (model.predict(wc.tensor(xv, [2, 3, 3, 2])) as wc.Tensor).dataSync(), SAME, 'predict');
    const back = await wc.loadModel(await tfArtifacts(tfm) as unknown as wc.ModelArtifacts);
    expect(back.layers[1].getConfig().axis).toEqual([1, 3]);
    // trains in fit: the multi-axis backward
    back.compile({ optimizer: wc.optimizers.sgd({ learningRate: 1 }), loss: 'meanSquaredError' });
    const h = await back.fit(wc.tensor(xv, [2, 3, 3, 2]), wc.tensor(randomValues(36, 43, 0, 0.2), [2, 3, 3, 2]), { epochs: 4, batchSize: 2 });
    expect(h.history.loss[3]).toBeLessThan(h.history.loss[0]);
  });

  it('a softmax over the last axis fuses with cross-entropy; an inner one trains in fit', async () => {
    expect(wc.layers.softmax().endsWithSoftmax()).toBe(true);
    const m = wc.sequential({ layers: [wc.layers.dense({ inputShape: [4], units: 6 }), wc.layers.reshape({ targetShape: [3, 2] }), wc.layers.softmax({ axis: 1 }), wc.layers.flatten()] });
    expect(m.layers[2].endsWithSoftmax()).toBe(false);
    const last = wc.sequential({ layers: [wc.layers.dense({ inputShape: [4], units: 3 }), wc.layers.softmax({ axis: 1 })] });
    expect(last.layers[1].endsWithSoftmax()).toBe(true);
    m.compile({ optimizer: wc.optimizers.sgd({ learningRate: 0.5 }), loss: 'meanSquaredError' });
    const h = await m.fit(wc.tensor(randomValues(12, 5), [3, 4]), wc.tensor(randomValues(18, 6, 0, 1), [3, 6]), { epochs: 4, batchSize: 3 });
    expect(h.history.loss[3]).toBeLessThan(h.history.loss[0]);
  });
});

describe('LocalResponseNormalization layer', () => {
  it('is tf.localResponseNormalization with its config; its backward is the op gradient; saves and loads', async () => {
    const shape = [2, 3, 3, 6];
    const xv = randomValues(size(shape), 21, -2, 2);
    const layer = wc.layers.localResponseNormalization({ depthRadius: 2, bias: 2, alpha: 0.3, beta: 0.75 });
    const y = layer.apply(wc.tensor(xv, shape)) as wc.Tensor;
    const ty = tf.localResponseNormalization(tf.tensor4d(xv, shape as [number, number, number, number]), 2, 2, 0.3, 0.75);
    expectClose(y.dataSync(), ty.dataSync() as Float32Array, SAME, 'value');
    const dyv = randomValues(size(shape), 22);
    const wg = wc.grad((x: wc.Tensor) => layer.apply(x) as wc.Tensor)(wc.tensor(xv, shape), wc.tensor(dyv, shape));
    const tg = tf.grad((x: tf.Tensor) => tf.localResponseNormalization(x as tf.Tensor4D, 2, 2, 0.3, 0.75))(tf.tensor4d(xv, shape as [number, number, number, number]), tf.tensor(dyv, shape));
    expectClose(wg.dataSync(), tg.dataSync() as Float32Array, SAME, 'gradient');

    const lrn = wc.layers.localResponseNormalization();
    expect(lrn.getConfig()).toMatchObject({ depthRadius: 5, bias: 1, alpha: 1, beta: 0.5 });
    const model = wc.sequential({ layers: [
      wc.layers.conv2d({ inputShape: [3, 3, 2], filters: 6, kernelSize: 1 }),
      wc.layers.localResponseNormalization({ depthRadius: 1, bias: 1.5, alpha: 0.2, beta: 0.6 }),
      wc.layers.flatten(), wc.layers.dense({ units: 2 }),
    ] });
    const artifacts = await wc.modelToArtifacts(model);
    const layersJson = JSON.stringify(artifacts.modelTopology);
    expect(layersJson).toContain('"class_name":"LocalResponseNormalization"');
    expect(layersJson).toContain('"depth_radius":1');
    const back = await wc.loadModel(artifacts);
    expect(back.layers[1].getConfig()).toMatchObject({ depthRadius: 1, bias: 1.5, alpha: 0.2, beta: 0.6 });
    const x = wc.tensor(randomValues(2 * 18, 23), [2, 3, 3, 2]);
    expectClose((back.predict(x) as wc.Tensor).dataSync(), (model.predict(x) as wc.Tensor).dataSync(), SAME, 'round trip');
    // trains in fit (the layer's backward in the fit path)
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const h = await model.fit(x, wc.tensor(randomValues(4, 24), [2, 2]), { epochs: 2, batchSize: 2 });
    expect(h.history.loss.every((l) => Number.isFinite(l))).toBe(true);
  });
});

/** TensorFlow Addons' Maxout.call, in TF.js ops. */
function tfaMaxout(x: tf.Tensor, units: number, axis: number): tf.Tensor {
  const shape = [...x.shape];
  const expand = [...shape];
  expand[axis] = units;
  expand.splice(axis, 0, shape[axis] / units);
  return tf.max(tf.reshape(x, expand), axis);
}

describe('Maxout layer (TensorFlow Addons semantics)', () => {
  it('values, input gradients, output shapes, axis -1 and 1; saves and loads; trains in fit', async () => {
    for (const [shape, units, axis] of [[[2, 3, 2, 6], 3, -1], [[2, 4, 2, 3], 2, 1]] as const) {
      const s = [...shape];
      const a = axis < 0 ? axis + s.length : axis;
      const xv = randomValues(size(s), 31 + a);
      const layer = wc.layers.maxout({ numUnits: units, axis });
      expect(layer.computeOutputShape([null, ...s.slice(1)])).toEqual([null, ...s.slice(1).map((d, i) => (i + 1 === a ? units : d))]);
      const y = layer.apply(wc.tensor(xv, s)) as wc.Tensor;
      const ty = tfaMaxout(tf.tensor(xv, s), units, a);
      expect(y.shape).toEqual(ty.shape);
      expectClose(y.dataSync(), ty.dataSync() as Float32Array, SAME, 'value');
      const dyv = randomValues(y.size, 33);
      const wg = wc.grad((x: wc.Tensor) => layer.apply(x) as wc.Tensor)(wc.tensor(xv, s), wc.tensor(dyv, [...y.shape]));
      const tg = tf.grad((x: tf.Tensor) => tfaMaxout(x, units, a))(tf.tensor(xv, s), tf.tensor(dyv, ty.shape));
      expectClose(wg.dataSync(), tg.dataSync() as Float32Array, SAME, 'gradient');
    }
    const model = wc.sequential({ layers: [
      wc.layers.dense({ inputShape: [5], units: 8 }), wc.layers.maxout({ numUnits: 4 }), wc.layers.dense({ units: 2 }),
    ] });
    expect(model.countParams()).toBe(5 * 8 + 8 + 4 * 2 + 2);
    const artifacts = await wc.modelToArtifacts(model);
    expect(JSON.stringify(artifacts.modelTopology)).toContain('"class_name":"Maxout","config":{');
    const back = await wc.loadModel(artifacts);
    expect(back.layers[1].getConfig()).toMatchObject({ numUnits: 4, axis: -1 });
    // a Keras model with TensorFlow Addons' Maxout names the class 'Addons>Maxout' (its registered package)
    const keras = { ...artifacts, modelTopology: JSON.parse(JSON.stringify(artifacts.modelTopology).replace('"class_name":"Maxout"', '"class_name":"Addons>Maxout"')) };
    expect(JSON.stringify(keras.modelTopology)).toContain('Addons>Maxout');
    expect((await wc.loadModel(keras)).layers[1].className).toBe('Maxout');
    const x = wc.tensor(randomValues(15, 34), [3, 5]);
    expectClose((back.predict(x) as wc.Tensor).dataSync(), (model.predict(x) as wc.Tensor).dataSync(), SAME, 'round trip');
    model.compile({ optimizer: wc.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    const h = await model.fit(x, wc.tensor(randomValues(6, 35), [3, 2]), { epochs: 5, batchSize: 3 });
    expect(h.history.loss[4]).toBeLessThan(h.history.loss[0]);
  });
});

describe('bad arguments name the layer', () => {
  it('each layer', () => {
    expect(() => wc.layers.localResponseNormalization({ name: 'n1', depthRadius: 1.5 })).toThrow(/localResponseNormalization 'n1': depthRadius must be a non-negative integer, got 1.5/);
    expect(() => wc.layers.localResponseNormalization({ name: 'n2', beta: Infinity })).toThrow(/localResponseNormalization 'n2': beta must be a finite number/);
    expect(() => wc.sequential({ layers: [wc.layers.localResponseNormalization({ name: 'n3', inputShape: [4] })] }))
      .toThrow(/LocalResponseNormalization 'n3': expected an input of rank 4/);
    expect(() => wc.layers.prelu({ name: 'p1', sharedAxes: [0] })).toThrow(/prelu 'p1': sharedAxes must be an axis or a list of axes >= 1/);
    expect(() => wc.sequential({ layers: [wc.layers.prelu({ name: 'p2', inputShape: [3, 2], sharedAxes: [3] })] })).toThrow(/prelu 'p2': sharedAxes/);
    expect(() => wc.layers.thresholdedReLU({ name: 't1', theta: 'a' as unknown as number })).toThrow(/thresholdedReLU 't1': theta must be a finite number/);
    expect(() => wc.layers.softmax({ name: 's1', axis: 0.5 })).toThrow(/softmax 's1': axis must be an integer/);
    expect(() => wc.layers.softmax({ name: 's3', axis: [] })).toThrow(/softmax 's3': axis must be an integer or a non-empty list/);
    expect(() => wc.sequential({ layers: [wc.layers.softmax({ name: 's4', inputShape: [3, 2], axis: [1, -2] })] })).toThrow(/softmax 's4': .*repeats an axis/);
    expect(() => wc.sequential({ layers: [wc.layers.softmax({ name: 's2', inputShape: [3], axis: 2 })] })).toThrow(/softmax 's2': axis 2 is out of range/);
    expect(() => wc.layers.maxout({ name: 'm1' } as never)).toThrow(/maxout 'm1': numUnits is required/);
    expect(() => wc.sequential({ layers: [wc.layers.maxout({ name: 'm2', inputShape: [6], numUnits: 4 })] }))
      .toThrow(/maxout 'm2': the number of features \(6, axis 1 of \[null,6\]\) must be a multiple of numUnits \(4\)/);
    expect(() => wc.sequential({ layers: [wc.layers.maxout({ name: 'm3', inputShape: [6], numUnits: 2, axis: 0 })] })).toThrow(/maxout 'm3': axis 0 must name a non-batch axis/);
  });
});
