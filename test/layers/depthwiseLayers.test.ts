// DepthwiseConv2D and SeparableConv2D layers against TensorFlow.js: a model
// built in TF.js (MobileNet's depthwise-separable block: 'same' stride-2
// depthwise, batch norm, relu, pointwise) loads in webcnn and predicts the
// same; webcnn's saves load in TF.js; the layers' weight gradients equal
// TF.js's; fit trains them; configs round-trip.

import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as wc from '../../src/index.js';
import { expectClose, randomValues } from '../util/check.js';

beforeAll(async () => { await tf.setBackend('cpu'); });
const SAME = { atol: 1e-5, rtol: 1e-4 };

async function tfArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
  return saved!;
}

function tfBlock(): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.depthwiseConv2d({ inputShape: [9, 8, 3], kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 2, useBias: false }));
  m.add(tf.layers.batchNormalization({}));
  m.add(tf.layers.reLU({}));
  m.add(tf.layers.conv2d({ filters: 5, kernelSize: 1, activation: 'relu' }));
  m.add(tf.layers.separableConv2d({ filters: 4, kernelSize: 3, padding: 'same', depthMultiplier: 1, activation: 'tanh' }));
  m.add(tf.layers.depthwiseConv2d({ kernelSize: [2, 3], padding: 'valid', dilationRate: 1, activation: 'sigmoid' }));
  m.add(tf.layers.globalAveragePooling2d({}));
  m.setWeights(m.getWeights().map((w, i) => {
    const isVariance = i === m.getWeights().length - 1 - (m.getWeights().length - m.trainableWeights.length - 2);
    return tf.tensor(randomValues(w.size, 60 + i, -0.5, 0.5).map((v) => (isVariance ? Math.abs(v) + 0.5 : v)), w.shape);
  }));
  return m;
}

describe('DepthwiseConv2D and SeparableConv2D', () => {
  const x = randomValues(2 * 9 * 8 * 3, 3);

  it('a TF.js model with them loads in webcnn and predicts the same; webcnn saves it back for TF.js', async () => {
    const tfm = tfBlock();
    const expected = await (tfm.predict(tf.tensor(x, [2, 9, 8, 3])) as tf.Tensor).data();
    const model = await wc.loadModel(await tfArtifacts(tfm) as unknown as wc.ModelArtifacts);
    expect(model.layers.map((l) => l.className)).toEqual(['DepthwiseConv2D', 'BatchNormalization', 'ReLU', 'Conv2D', 'SeparableConv2D', 'DepthwiseConv2D', 'GlobalAveragePooling2D']);
    expect(model.getLayer(0).weights.map((w) => w.name.split('/')[1])).toEqual(['depthwise_kernel']);
    expect(model.getLayer(4).weights.map((w) => w.name.split('/')[1])).toEqual(['depthwise_kernel', 'pointwise_kernel', 'bias']);
    const got = await (model.predict(wc.tensor(x, [2, 9, 8, 3])) as wc.Tensor).data();
    expectClose(got, expected, SAME, 'TF.js -> webcnn');
    const back = await tf.loadLayersModel(tf.io.fromMemory(await wc.modelToArtifacts(model) as unknown as tf.io.ModelArtifacts));
    expectClose(await (back.predict(tf.tensor(x, [2, 9, 8, 3])) as tf.Tensor).data(), expected, SAME, 'webcnn -> TF.js');
    expect(model.countParams()).toBe(tfm.countParams());
  });

  it("the weights' gradients of a loss equal TF.js's", async () => {
    const tfm = tfBlock();
    const model = await wc.loadModel(await tfArtifacts(tfm) as unknown as wc.ModelArtifacts);
    const target = randomValues(2 * 4, 9);
    const tfLoss = () => tf.losses.meanSquaredError(tf.tensor(target, [2, 4]), tfm.apply(tf.tensor(x, [2, 9, 8, 3])) as tf.Tensor) as tf.Scalar;
    const tg = tf.variableGrads(tfLoss, tfm.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val));
    const wcLoss = () => wc.losses.meanSquaredError(wc.tensor(target, [2, 4]), model.apply(wc.tensor(x, [2, 9, 8, 3])) as wc.Tensor);
    const wg = wc.variableGrads(wcLoss, model.trainableWeights);
    const tfNames = Object.keys(tg.grads);
    model.trainableWeights.forEach((w, i) => expectClose(wg.grads[w.name].dataSync(), tg.grads[tfNames[i]].dataSync(), { atol: 1e-5, rtol: 1e-3 }, w.name));
  });

  it('trains in fit (the loss falls), and refuses bad arguments naming the layer', async () => {
    const model = wc.sequential({ layers: [
      wc.layers.separableConv2d({ inputShape: [6, 6, 2], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', depthMultiplier: 2 }),
      wc.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same' }),
      wc.layers.flatten(),
      wc.layers.dense({ units: 2, activation: 'softmax' }),
    ] });
    model.compile({ optimizer: wc.train.adam(0.02), loss: 'categoricalCrossentropy' });
    const xs = wc.tensor(randomValues(16 * 72, 11), [16, 6, 6, 2]);
    const ys = wc.tensor(Array.from({ length: 16 }, (_, i) => (i % 2 ? [0, 1] : [1, 0])).flat(), [16, 2]);
    const h = await model.fit(xs, ys, { epochs: 12, batchSize: 8 });
    const loss = h.history.loss as number[];
    expect(loss[11]).toBeLessThan(loss[0] * 0.7);
    expect(() => wc.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 0 })).toThrow(/depthwise_conv2d '.*': depthMultiplier must be a positive integer/);
    expect(() => wc.layers.separableConv2d({ kernelSize: 3 } as never)).toThrow(/separable_conv2d '.*': filters must be a positive integer/);
    expect(() => wc.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, dilationRate: 2 })).toThrow(/cannot both exceed 1/);
  });
});
