// Whole-model gradients against central finite differences of the model's
// own training loss: the layers' backwards, the graph's accumulation at
// fan-outs and shared layers, and the fused softmax + cross-entropy.

import { describe, it } from 'vitest';
import * as wc from '../../src/index.js';
import type { LayersModel } from '../../src/model/layersModel.js';
import { lossAndGradients } from '../../src/train/step.js';
import { expectClose, numericGradient, randomValues } from '../util/check.js';

function lossOf(model: LayersModel, xs: wc.Tensor[], ys: wc.Tensor[]): number {
  return wc.tidy(() => lossAndGradients(model, xs, ys).values[0].dataSync()[0]);
}

/** Every trainable weight's analytic gradient against finite differences of the loss. */
function checkGradients(model: LayersModel, xs: wc.Tensor[], ys: wc.Tensor[]): void {
  const analytic = new Map<string, Float32Array>();
  wc.tidy(() => {
    for (const [v, g] of lossAndGradients(model, xs, ys).grads) analytic.set(v.name, g.dataSync());
  });
  for (const v of model.trainableWeights) {
    const original = v.value.dataSync();
    const f = (w: Float32Array): number => {
      wc.tidy(() => v.write(wc.tensor(w, v.shape)));
      return lossOf(model, xs, ys);
    };
    // eps 1e-3: small enough not to cross ReLU/max-pool kinks often, large
    // enough that float32 rounding of a loss near 1 (~1e-7) stays ~1e-4 here.
    const numeric = numericGradient(f, original, 1e-3);
    wc.tidy(() => v.write(wc.tensor(original, v.shape)));
    const got = analytic.get(v.name);
    if (!got) throw new Error(`no gradient for ${v.name}`);
    expectClose(got, numeric, { atol: 1e-3, rtol: 2e-2 }, v.name);
  }
}

describe('model gradients match finite differences', () => {
  it('conv -> BN -> relu -> maxPool -> flatten -> dense softmax, categorical cross-entropy (fused)', () => {
    const model = wc.sequential({
      layers: [
        wc.layers.conv2d({ inputShape: [6, 6, 2], filters: 3, kernelSize: 3, padding: 'same', kernelInitializer: wc.initializers.glorotUniform({ seed: 1 }), biasInitializer: wc.initializers.randomNormal({ seed: 2, stddev: 0.1 }) }),
        wc.layers.batchNormalization({ gammaInitializer: wc.initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed: 3 }) }),
        wc.layers.reLU(),
        wc.layers.maxPooling2d({ poolSize: 2 }),
        wc.layers.flatten(),
        wc.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: wc.initializers.glorotUniform({ seed: 4 }), kernelRegularizer: wc.regularizers.l1l2({ l1: 0.01, l2: 0.02 }) }),
      ],
    });
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    const x = wc.tensor(randomValues(3 * 6 * 6 * 2, 5), [3, 6, 6, 2]);
    const y = wc.tensor([1, 0, 0, 0, 0, 1, 0, 1, 0], [3, 3]);
    checkGradients(model, [x], [y]);
  });

  it('functional: a shared dense layer, residual add, concatenate, two outputs with two losses', () => {
    const inp = wc.input({ shape: [4] });
    const shared = wc.layers.dense({ units: 4, activation: 'tanh', kernelInitializer: wc.initializers.glorotUniform({ seed: 6 }), biasInitializer: wc.initializers.randomNormal({ seed: 7, stddev: 0.1 }) });
    const h1 = shared.apply(inp);
    const h2 = shared.apply(h1);
    const s = wc.layers.add().apply([h1, h2]);
    const c = wc.layers.concatenate().apply([s, inp]);
    const out1 = wc.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: wc.initializers.glorotUniform({ seed: 8 }) }).apply(c);
    const out2 = wc.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: wc.initializers.glorotUniform({ seed: 9 }) }).apply(s);
    const model = wc.model({ inputs: inp, outputs: [out1, out2] });
    model.compile({ optimizer: 'sgd', loss: ['sparseCategoricalCrossentropy', 'binaryCrossentropy'] });
    const x = wc.tensor(randomValues(5 * 4, 10), [5, 4]);
    const y1 = wc.tensor([0, 2, 1, 1, 0], [5, 1]);
    const y2 = wc.tensor([1, 0, 0, 1, 1], [5, 1]);
    checkGradients(model, [x], [y1, y2]);
  });

  it('locallyConnected2d, zeroPadding2d, avgPool, globalMaxPool, leakyReLU, elu, dense on rank 3, MSE', () => {
    const inp = wc.input({ shape: [5, 5, 2] });
    let h = wc.layers.zeroPadding2d({ padding: [[1, 0], [0, 1]] }).apply(inp);
    h = wc.layers.locallyConnected2d({ filters: 3, kernelSize: 2, strides: 1, kernelInitializer: wc.initializers.glorotUniform({ seed: 11 }), biasInitializer: wc.initializers.randomNormal({ seed: 12, stddev: 0.1 }) }).apply(h);
    h = wc.layers.leakyReLU({ alpha: 0.2 }).apply(h);
    const a = wc.layers.averagePooling2d({ poolSize: 3, strides: 2 }).apply(h);
    const b = wc.layers.conv2d({ filters: 2, kernelSize: 2, dilationRate: 2, activation: 'elu', kernelInitializer: wc.initializers.heNormal({ seed: 13 }) }).apply(h);
    const g = wc.layers.globalMaxPooling2d().apply(b);
    const r = wc.layers.dense({ units: 2, kernelInitializer: wc.initializers.glorotUniform({ seed: 14 }) }).apply(wc.layers.reshape({ targetShape: [4, 3] }).apply(a));
    const out = wc.layers.concatenate().apply([wc.layers.flatten().apply(r), g]);
    const model = wc.model({ inputs: inp, outputs: out });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const x = wc.tensor(randomValues(2 * 5 * 5 * 2, 15), [2, 5, 5, 2]);
    const y = wc.tensor(randomValues(2 * 10, 16), [2, 10]);
    checkGradients(model, [x], [y]);
  });
});
