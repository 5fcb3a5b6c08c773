// Sparse labels (sparseCategoricalCrossentropy, sparseCategoricalAccuracy)
// are class indices: integers in [0, classes), classes being the output's
// last axis. fit, evaluate and trainOnBatch refuse anything else before any
// kernel runs, naming the call, the first bad value in row order and its row;
// the weights and the optimizer state stay bit for bit. The value hint that
// lets wc.tensor-made labels be judged without a device read agrees with a
// scan of the values. (test/gpu/labels.test.ts: the same on WebGPU.)

import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { firstNonClass, firstNonClassIn, summarizeValues } from '../../src/valueHint.js';
import { randomValues } from '../util/check.js';
import { captureState, expectCleanError, expectStateUnchanged, type ModelState } from './state.js';

/** dense -> batch norm -> dense softmax over 10 classes, Adam. */
function classifier(metrics: ('accuracy' | 'sparseCategoricalAccuracy')[] = ['accuracy']): wc.Sequential {
  const model = wc.sequential({
    layers: [
      wc.layers.dense({ inputShape: [3], units: 4, kernelInitializer: wc.initializers.glorotUniform({ seed: 7 }) }),
      wc.layers.batchNormalization(),
      wc.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: wc.initializers.glorotUniform({ seed: 8 }) }),
    ],
  });
  model.compile({ optimizer: wc.optimizers.adam({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy', metrics });
  return model;
}

const x = () => wc.tensor(randomValues(4 * 3, 41), [4, 3]);
const labelsWith = (bad: number, row = 3) => [0, 9, 4, 2].map((v, i) => (i === row ? bad : v));

const calls = (model: wc.Sequential) => ({
  fit: (y: wc.Tensor) => model.fit(x(), y, { batchSize: 2 }),
  evaluate: (y: wc.Tensor) => model.evaluate(x(), y),
  trainOnBatch: (y: wc.Tensor) => model.trainOnBatch(x(), y),
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('sparse labels out of range or not integers', () => {
  let model: wc.Sequential;
  let before: ModelState;

  beforeAll(async () => {
    await wc.setBackend('cpu');
    model = classifier();
    // one real step first, so Adam's slots exist and hold non-zero values
    await model.fit(x(), wc.tensor([1, 2, 3, 4]), { batchSize: 4 });
  });
  beforeEach(async () => {
    before = await captureState(model);
  });

  for (const bad of [10, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY, 1e9]) {
    for (const method of ['fit', 'evaluate', 'trainOnBatch'] as const) {
      for (const shape of [[4], [4, 1]]) {
        it(`${bad} (${method}, y of shape [${shape}]) is refused, naming the call, the value and its row; nothing changes`, async () => {
          const y = wc.tensor(labelsWith(bad), shape);
          await expectCleanError(() => calls(model)[method](y), new RegExp(
            `^Sequential\\.${method}: y holds class indices for output 'dense_\\d+' \\(loss 'sparseCategoricalCrossentropy'\\), so every label must be an integer in \\[0, 10\\) `
            + `\\(the output has 10 classes\\); got ${escape(String(bad))} at row 3 of a tensor of shape \\[${shape.join(', ')}\\]$`));
          await expectStateUnchanged(model, before);
        });
      }
    }
  }

  it('the first bad label in row order is named', async () => {
    await expectCleanError(() => model.fit(x(), wc.tensor([0, 12, -1, 2.5])), /got 12 at row 1 /);
    await expectCleanError(() => model.fit(x(), wc.tensor([0, 3, -1, 12])), /got -1 at row 2 /);
    await expectCleanError(() => model.fit(x(), wc.tensor([0.5, 12, -1, 3])), /got 0\.5 at row 0 /);
    await expectStateUnchanged(model, before);
  });

  it('labels a kernel made (no value hint) are checked too', async () => {
    const y = wc.ops.gatherRows(wc.tensor([0, 1, 10, 3]), Int32Array.from([3, 2, 1, 0]));
    expect(y.valueHint).toBe(null);
    await expectCleanError(() => model.trainOnBatch(x(), y), /^Sequential\.trainOnBatch: .*got 10 at row 1 /);
    await expectStateUnchanged(model, before);
  });

  it('validationData labels are checked before the first step', async () => {
    await expectCleanError(() => model.fit(x(), wc.tensor([0, 1, 2, 3]), { validationData: [x(), wc.tensor(labelsWith(10, 2))] }),
      /^Sequential\.fit \(validationData\): y holds class indices .* got 10 at row 2 /);
    await expectStateUnchanged(model, before);
  });

  it('the largest and smallest class indices (9 and 0, -0 too) train', async () => {
    const h = await classifier().fit(x(), wc.tensor([9, 0, -0, 5]), { batchSize: 2 });
    expect(h.history.loss.every(Number.isFinite)).toBe(true);
  });
});

describe('what makes labels class indices', () => {
  beforeAll(async () => {
    await wc.setBackend('cpu');
  });

  it('a sparseCategoricalAccuracy metric alone (a one-unit output under mean squared error): only 0 is a class', async () => {
    const model = wc.sequential({ layers: [wc.layers.dense({ inputShape: [3], units: 1, kernelInitializer: 'ones' })] });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError', metrics: ['sparseCategoricalAccuracy'] });
    const state = await captureState(model);
    await expectCleanError(() => model.fit(x(), wc.tensor([0, 0, 1, 0], [4, 1])),
      /^Sequential\.fit: y holds class indices for output 'dense_\d+' \(metric 'sparseCategoricalAccuracy'\), so every label must be an integer in \[0, 1\) \(the output has 1 classes\); got 1 at row 2 /);
    await expectStateUnchanged(model, state);
    // without the sparse metric the same targets are plain regression targets
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await model.fit(x(), wc.tensor([0, 0, 1, 0], [4, 1]));
  });

  it('several outputs: the y of the sparse one is named by its index', async () => {
    const inp = wc.input({ shape: [3] });
    const a = wc.layers.dense({ units: 2 }).apply(inp) as wc.SymbolicTensor;
    const b = wc.layers.dense({ units: 4, activation: 'softmax' }).apply(inp) as wc.SymbolicTensor;
    const model = wc.model({ inputs: inp, outputs: [a, b] });
    model.compile({ optimizer: 'sgd', loss: ['meanSquaredError', 'sparseCategoricalCrossentropy'] });
    const state = await captureState(model);
    // the regression targets may be anything finite; the class indices may not
    await expectCleanError(() => model.fit(x(), [wc.tensor(randomValues(8, 2), [4, 2]), wc.tensor([0, 3, 4, 1])]),
      /^Model\.fit: y\[1\] holds class indices for output 'dense_\d+' \(loss 'sparseCategoricalCrossentropy'\), so every label must be an integer in \[0, 4\) .*got 4 at row 2 /);
    await expectStateUnchanged(model, state);
    await model.fit(x(), [wc.tensor(randomValues(8, 2), [4, 2]), wc.tensor([0, 3, 2, 1])]);
  });
});

describe("wc.tensor's value hint", () => {
  beforeAll(async () => {
    await wc.setBackend('cpu');
  });

  it('names the same first bad label as a scan of the values, for any class count, or says it cannot tell', () => {
    let cannotTell = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const n = 1 + (seed % 40);
      const r = randomValues(n, seed);
      // integers around [0, 12), now and then a fraction, a negative, NaN, an infinity or a long ascending run
      const values = Float32Array.from(r, (v, i) => {
        const k = Math.floor((v + 1) * 6);
        if (seed % 7 === 0 && i === n - 1) return [2.5, -1, Number.NaN, Number.POSITIVE_INFINITY][seed % 4];
        return seed % 11 === 0 ? i : k;
      });
      const hint = summarizeValues(values);
      for (const classes of [1, 3, 10, 12, 100]) {
        const byHint = firstNonClass(hint, classes);
        if (byHint === undefined) cannotTell++;
        else expect(byHint, `seed ${seed}, ${classes} classes`).toEqual(firstNonClassIn(values, classes));
      }
    }
    expect(cannotTell).toBe(0);
  });

  it('past its list of running maxima (sorted values), it cannot tell, unless an earlier value already fails', () => {
    const ascending = Float32Array.from({ length: 1000 }, (_, i) => i);
    const hint = summarizeValues(ascending);
    expect(firstNonClass(hint, 100)).toEqual({ at: 100, value: 100 });
    expect(firstNonClass(hint, 1000)).toBe(undefined);
    ascending[10] = -1;
    expect(firstNonClass(summarizeValues(ascending), 1000)).toEqual({ at: 10, value: -1 });
  });

  it('is what the CPU backend counts: sparseLabelCheck is the number of non-class values', async () => {
    const values = [0, 9, 10, -1, 2.5, Number.NaN, Number.NEGATIVE_INFINITY, -0, 3];
    const count = wc.ops.sparseLabelCheck(wc.tensor(values), 10);
    expect(count.shape).toEqual([]);
    expect(Array.from(await count.data())).toEqual([5]);
  });

  it('reshape views keep it; what kernels write has none', () => {
    const t = wc.tensor([0, 1, 2, 30], [4]);
    expect(t.reshape([4, 1]).valueHint).toBe(t.valueHint);
    expect(firstNonClass(t.valueHint!, 10)).toEqual({ at: 3, value: 30 });
    expect(wc.ops.gatherRows(t, Int32Array.from([0])).valueHint).toBe(null);
  });
});
