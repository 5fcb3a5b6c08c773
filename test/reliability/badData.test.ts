// Bad data given to fit / evaluate / predict / trainOnBatch: each call fails
// with an Error naming the method, what it expected and what it got, before
// any kernel runs, and the weights and optimizer state stay bit for bit.

import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { randomValues } from '../util/check.js';
import { captureState, expectCleanError, expectStateUnchanged, type ModelState } from './state.js';

const glorot = (seed: number) => wc.initializers.glorotUniform({ seed });

/** conv -> batch norm (moving statistics change in a training forward) -> dense softmax, Adam (two slots per weight). */
function cnn(): wc.Sequential {
  const model = wc.sequential({
    layers: [
      wc.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3, kernelInitializer: glorot(1) }),
      wc.layers.batchNormalization(),
      wc.layers.flatten(),
      wc.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: glorot(2) }),
    ],
  });
  model.compile({ optimizer: wc.optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

function oneHot(n: number, k: number): wc.Tensor {
  const v = new Float32Array(n * k);
  for (let i = 0; i < n; i++) v[i * k + (i % k)] = 1;
  return wc.tensor(v, [n, k]);
}

const images = (n: number, seed = 3, shape = [6, 6, 1]) => wc.tensor(randomValues(n * shape.reduce((a, b) => a * b, 1), seed), [n, ...shape]);

describe('bad data: a clear error and nothing lost', () => {
  let model: wc.Sequential;
  let before: ModelState;
  let denseName: string;
  let inputName: string;

  beforeAll(async () => {
    await wc.setBackend('cpu');
    model = cnn();
    // one real step first, so Adam's slots exist and hold non-zero values
    await model.fit(images(4), oneHot(4, 3), { batchSize: 4, epochs: 1 });
    denseName = model.layers[3].name;
    inputName = model.inputs[0].sourceLayer.name;
  });

  beforeEach(async () => {
    before = await captureState(model);
  });

  const calls = (x: unknown, y: unknown) => ({
    fit: () => model.fit(x as wc.Tensor, y as wc.Tensor, { batchSize: 2 }),
    evaluate: () => model.evaluate(x as wc.Tensor, y as wc.Tensor),
    trainOnBatch: () => model.trainOnBatch(x as wc.Tensor, y as wc.Tensor),
  });

  it('an input shape that does not match the model (fit, evaluate, trainOnBatch, predict)', async () => {
    const x = images(4, 3, [6, 6, 2]);
    for (const [name, call] of Object.entries(calls(x, oneHot(4, 3)))) {
      await expectCleanError(call, new RegExp(`Sequential\\.${name}: input 0 \\('${inputName}'\\) expects shape \\[null,6,6,1\\], got \\[4, 6, 6, 2\\]`));
    }
    await expectCleanError(() => model.predict(x), /Sequential\.predict: input 0 .* expects shape \[null,6,6,1\], got \[4, 6, 6, 2\]/);
    await expectCleanError(() => model.predict(images(4, 3, [36])), /Sequential\.predict: .*expects shape \[null,6,6,1\], got \[4, 36\]/);
    await expectStateUnchanged(model, before);
  });

  it('labels whose count does not match the inputs', async () => {
    for (const [name, call] of Object.entries(calls(images(4), oneHot(3, 3)))) {
      await expectCleanError(call, new RegExp(`Sequential\\.${name}: every x and y must have the same number of rows.*x \\[4, 6, 6, 1\\]; y \\[3, 3\\]`));
    }
    await expectStateUnchanged(model, before);
  });

  it('labels whose width does not match the output (and the loss)', async () => {
    for (const [name, call] of Object.entries(calls(images(4), oneHot(4, 5)))) {
      await expectCleanError(call, new RegExp(`Sequential\\.${name}: y for output '${denseName}' \\(loss 'categoricalCrossentropy'\\) must have shape \\[null,3\\], got \\[4, 5\\]`));
    }
    // class indices given to a one-hot loss
    await expectCleanError(() => model.fit(images(4), wc.tensor([0, 1, 2, 0], [4])), /must have shape \[null,3\], got \[4\]/);
    await expectStateUnchanged(model, before);
  });

  it('an empty batch (0 rows)', async () => {
    const x = wc.tensor([], [0, 6, 6, 1]);
    for (const [name, call] of Object.entries(calls(x, wc.tensor([], [0, 3])))) {
      await expectCleanError(call, new RegExp(`Sequential\\.${name}: expected at least one row of data, got 0 rows \\(shapes x \\[0, 6, 6, 1\\]; y \\[0, 3\\]\\)`));
    }
    await expectCleanError(() => model.predict(x), /Sequential\.predict: expected at least one row of data, got 0 rows/);
    await expectStateUnchanged(model, before);
  });

  it('NaN or Infinity in x (and in y), found before any step', async () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const values = randomValues(4 * 36, 5);
      values[1 * 36 + 2 * 6 + 3] = bad;
      const x = wc.tensor(values, [4, 6, 6, 1]);
      for (const [name, call] of Object.entries(calls(x, oneHot(4, 3)))) {
        await expectCleanError(call, new RegExp(`Sequential\\.${name}: x must hold finite numbers, got ${bad} at index \\[1, 2, 3, 0\\] of a tensor of shape \\[4, 6, 6, 1\\]`));
      }
      await expectCleanError(() => model.predict(x), new RegExp(`Sequential\\.predict: x must hold finite numbers, got ${bad} at index \\[1, 2, 3, 0\\]`));
    }
    const y = oneHot(4, 3);
    const yBad = wc.tensor([...(await y.data()).slice(0, 11), NaN], [4, 3]);
    await expectCleanError(() => model.fit(images(4), yBad), /Sequential\.fit: y must hold finite numbers, got NaN at index \[3, 2\]/);
    // a tensor a kernel made (no hint from wc.tensor) is scanned too
    const raw = randomValues(2 * 36, 6);
    raw[36 + 7] = NaN;
    const made = wc.ops.scale(wc.tensor(raw, [2, 6, 6, 1]), 2);
    expect(made.finiteHint).toBe(null);
    await expectCleanError(() => model.predict(made), /Sequential\.predict: x must hold finite numbers, got NaN at index \[1, 1, 1, 0\]/);
    await expectStateUnchanged(model, before);
  });

  it('validation data that does not fit fails before the first epoch', async () => {
    await expectCleanError(() => model.fit(images(4), oneHot(4, 3), { validationData: [images(2), oneHot(2, 4)] }),
      /Sequential\.fit \(validationData\): y for output .* must have shape \[null,3\], got \[2, 4\]/);
    const nanVal = wc.tensor([...randomValues(35, 1), NaN], [1, 6, 6, 1]);
    await expectCleanError(() => model.fit(images(4), oneHot(4, 3), { validationData: [nanVal, oneHot(1, 3)] }),
      /Sequential\.fit \(validationData\): x must hold finite numbers, got NaN at index \[0, 5, 5, 0\]/);
    await expectStateUnchanged(model, before);
  });

  it('things that are not tensors, disposed tensors and a wrong number of tensors', async () => {
    await expectCleanError(() => model.fit(new Float32Array(36) as never, oneHot(1, 3)), /Sequential\.fit: x must be a Tensor .*got Float32Array/);
    await expectCleanError(() => model.evaluate(images(1), null as never), /Sequential\.evaluate: y must be a Tensor or an array of Tensors, got null/);
    await expectCleanError(() => model.predict(undefined as never), /Sequential\.predict: x must be a Tensor .*got undefined/);
    const gone = images(2);
    gone.dispose();
    await expectCleanError(() => model.fit(gone, oneHot(2, 3)), /Sequential\.fit \(x\): tensor #\d+ of shape \[2, 6, 6, 1\] was used after dispose\(\)/);
    await expectCleanError(() => model.predict(gone), /Sequential\.predict \(x\): tensor #\d+ .* was used after dispose\(\)/);
    await expectCleanError(() => model.fit([images(2), images(2)], oneHot(2, 3)), /Sequential\.fit: the model has 1 input\(s\), got 2 tensor\(s\)/);
    await expectCleanError(() => model.fit(images(2), [oneHot(2, 3), oneHot(2, 3)]), /Sequential\.fit: the model has 1 output\(s\), got 2 y tensor\(s\)/);
    await expectCleanError(() => model.fit(images(2), oneHot(2, 3), { batchSize: 0 }), /Sequential\.fit: batchSize must be a positive integer, got 0/);
    await expectStateUnchanged(model, before);
  });

  it('sparse labels: class indices [n] or [n, 1], not one-hot rows', async () => {
    const sparse = wc.sequential({ layers: [wc.layers.dense({ inputShape: [4], units: 3, activation: 'softmax' })] });
    sparse.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    const state = await captureState(sparse);
    await expectCleanError(() => sparse.fit(wc.tensor(randomValues(8, 1), [2, 4]), oneHot(2, 3)),
      /Sequential\.fit: y for output .* \(loss 'sparseCategoricalCrossentropy'\) must have shape \[null\] or \[null,1\], got \[2, 3\]/);
    await expectStateUnchanged(sparse, state);
  });

  it('a functional model with two inputs names the input whose shape is wrong', async () => {
    const a = wc.input({ shape: [3], name: 'left' });
    const b = wc.input({ shape: [2], name: 'right' });
    const out = wc.layers.dense({ units: 1 }).apply(wc.layers.concatenate().apply([a, b]));
    const net = wc.model({ inputs: [a, b], outputs: out as wc.SymbolicTensor });
    net.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const state = await captureState(net);
    const y = wc.tensor([1, 2], [2, 1]);
    await expectCleanError(() => net.fit([wc.tensor(randomValues(6, 1), [2, 3]), wc.tensor(randomValues(6, 2), [2, 3])], y),
      /Model\.fit: input 1 \('right'\) expects shape \[null,2\], got \[2, 3\]/);
    await expectCleanError(() => net.fit(wc.tensor(randomValues(6, 1), [2, 3]), y), /Model\.fit: the model has 2 input\(s\), got 1 tensor\(s\)/);
    await expectStateUnchanged(net, state);
  });

  it('a sequential model without an input shape is not half-built by data of the wrong shape', async () => {
    const lazy = wc.sequential({ layers: [wc.layers.dense({ units: 4 }), wc.layers.conv2d({ filters: 1, kernelSize: 1 })] });
    // dense accepts [n, 5] but the conv then needs rank 4: refused before any layer builds weights
    await expectCleanError(() => lazy.predict(wc.tensor(randomValues(10, 1), [2, 5])),
      /Conv2D '.*': expected an input of rank 4 \(\[batch, height, width, channels\]\), got shape \[null,4\]/);
    expect(lazy.layers.every((l) => !l.built)).toBe(true);
    // the model still builds for data that fits, and then trains
    expect((lazy.predict(wc.tensor(randomValues(2 * 9 * 3, 1), [2, 3, 3, 3])) as wc.Tensor).shape).toEqual([2, 3, 3, 1]);
    lazy.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const h = await lazy.fit(wc.tensor(randomValues(2 * 9 * 3, 1), [2, 3, 3, 3]), wc.tensor(randomValues(2 * 9, 2), [2, 3, 3, 1]));
    expect(Number.isFinite(h.history.loss[0])).toBe(true);
  });
});
