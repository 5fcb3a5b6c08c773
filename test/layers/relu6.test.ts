// ReLU with Keras's and TF.js's arguments (maxValue, threshold, negativeSlope)
// and the relu6 activation: hand values, TF.js's values, gradients and files,
// and finite differences where TF.js has no such layer.

import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as wc from '../../src/index.js';
import { expectClose, randomValues } from '../util/check.js';
import { checkGradient } from '../cpu/gradcheck.js';

beforeAll(async () => { await tf.setBackend('cpu'); });
const SAME = { atol: 1e-5, rtol: 1e-4 };

describe('ReLU layer arguments and relu6', () => {
  const x = [-3, -1, 0, 0.5, 2, 5.9, 6, 7.5];

  it('by hand: maxValue, threshold and negativeSlope as Keras computes them', () => {
    const run = (args: wc.layers.ReLUArgs) => Array.from((wc.layers.reLU(args).apply(wc.tensor(x, [1, 8])) as wc.Tensor).dataSync());
    expect(run({})).toEqual([0, 0, 0, 0.5, 2, 5.9, 6, 7.5].map(Math.fround));
    expect(run({ maxValue: 6 })).toEqual([0, 0, 0, 0.5, 2, 5.9, 6, 6].map(Math.fround));
    expect(run({ maxValue: 1, threshold: 0.5 })).toEqual([0, 0, 0, 0.5, 1, 1, 1, 1]);
    expect(run({ negativeSlope: 0.5, threshold: 1 })).toEqual([-2, -1, -0.5, -0.25, 2, 5.9, 6, 7.5].map(Math.fround));
    expect(wc.layers.reLU({ maxValue: 6, negativeSlope: 0.1 }).getConfig()).toMatchObject({ maxValue: 6, negativeSlope: 0.1 });
    expect(() => wc.layers.reLU({ maxValue: -1 })).toThrow(/reLU '.*': maxValue/);
  });

  it('relu6: the layer and the activation equal TF.js in values and gradients, and files move both ways', async () => {
    const tfm = tf.sequential();
    tfm.add(tf.layers.dense({ inputShape: [4], units: 5, activation: 'relu6', kernelInitializer: tf.initializers.randomUniform({ minval: -4, maxval: 4, seed: 1 }) }));
    tfm.add(tf.layers.reLU({ maxValue: 6 }));
    tfm.add(tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.randomUniform({ minval: -4, maxval: 4, seed: 2 }) }));
    tfm.add(tf.layers.reLU({ maxValue: 6 }));
    const xv = randomValues(6 * 4, 3, -3, 3);
    let saved: tf.io.ModelArtifacts | null = null;
    await tfm.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
    const model = await wc.loadModel(saved! as unknown as wc.ModelArtifacts);
    expectClose((model.predict(wc.tensor(xv, [6, 4])) as wc.Tensor).dataSync(), (tfm.predict(tf.tensor(xv, [6, 4])) as tf.Tensor).dataSync(), SAME, 'predict');
    const back = await tf.loadLayersModel(tf.io.fromMemory(await wc.modelToArtifacts(model) as unknown as tf.io.ModelArtifacts));
    expectClose((back.predict(tf.tensor(xv, [6, 4])) as tf.Tensor).dataSync(), (tfm.predict(tf.tensor(xv, [6, 4])) as tf.Tensor).dataSync(), SAME, 'webcnn -> TF.js');
    const target = randomValues(6 * 3, 4);
    const tg = tf.variableGrads(() => tf.losses.meanSquaredError(tf.tensor(target, [6, 3]), tfm.apply(tf.tensor(xv, [6, 4])) as tf.Tensor) as tf.Scalar);
    const wg = wc.variableGrads(() => wc.losses.meanSquaredError(wc.tensor(target, [6, 3]), model.apply(wc.tensor(xv, [6, 4])) as wc.Tensor), model.trainableWeights);
    const tfNames = Object.keys(tg.grads);
    model.trainableWeights.forEach((w, i) => expectClose(wg.grads[w.name].dataSync(), tg.grads[tfNames[i]].dataSync(), SAME, w.name));
    // and in fit, through the layers' own backward
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const h = await model.fit(wc.tensor(xv, [6, 4]), wc.tensor(target, [6, 3]), { epochs: 3, batchSize: 6 });
    expect((h.history.loss as number[]).every(Number.isFinite)).toBe(true);
  });

  it('finite differences through threshold and negativeSlope (which TF.js does not have)', () => {
    const layer = wc.layers.reLU({ maxValue: 4, threshold: 0.5, negativeSlope: 0.3 });
    const xs = Float32Array.from([-2.1, -0.7, 0.2, 1.3, 2.7, 3.6, 4.4, 5.2]);
    const f = (v: Float32Array) => (layer.apply(wc.tensor(v, [2, 4])) as wc.Tensor).dataSync() as Float32Array;
    checkGradient('reLU', xs, 8, f, (r) => wc.grad((t) => layer.apply(t) as wc.Tensor)(wc.tensor(xs, [2, 4]), wc.tensor(r, [2, 4])).dataSync() as Float32Array);
    // in fit, a model with it trains through the tape
    const model = wc.sequential({ layers: [wc.layers.dense({ inputShape: [2], units: 3 }), wc.layers.reLU({ negativeSlope: 0.2, threshold: -0.1 }), wc.layers.dense({ units: 1 })] });
    model.compile({ optimizer: wc.train.adam(0.05), loss: 'meanSquaredError' });
    return model.fit(wc.tensor([0, 1, 1, 0, 1, 1, 0, 0], [4, 2]), wc.tensor([1, 1, 0, 0], [4, 1]), { epochs: 30, batchSize: 4 }).then((h) => {
      const loss = h.history.loss as number[];
      expect(loss[29]).toBeLessThan(loss[0]);
    });
  });
});
