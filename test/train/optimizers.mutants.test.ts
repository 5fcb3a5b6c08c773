// Optimizer objects and compile(): class names, defaults and configs as TF.js
// writes them, the learning-rate setter's checks, slot names and the step
// count in getWeights(), names resolved by compile() (optimizers, loss and
// metric aliases, 'accuracy' by output width and loss), and their errors.
// Written to kill StrykerJS mutants (docs/MUTATION.md).

import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';

const { sgd, momentum, adam, adamW, rmsprop } = wc.optimizers;

function denseModel(units = 1): wc.LayersModel {
  return wc.sequential({ layers: [wc.layers.dense({ units, inputShape: [1], kernelInitializer: 'ones', name: 'd' })] });
}

describe('optimizers: names, defaults, configs', () => {
  it('SGD without momentum is SGD; with momentum it is Momentum (Nesterov optional)', () => {
    const s = sgd();
    expect([s.className, s.learningRate, s.momentum, s.nesterov]).toEqual(['SGD', 0.01, 0, false]);
    expect(s.getConfig()).toEqual({ learningRate: 0.01 });
    const m = sgd({ learningRate: 0.2, momentum: 0.5, nesterov: true });
    expect(m.className).toBe('Momentum');
    expect(m.getConfig()).toEqual({ learningRate: 0.2, momentum: 0.5, useNesterov: true });
    expect(momentum().getConfig()).toEqual({ learningRate: 0.01, momentum: 0.9, useNesterov: false });
    expect(momentum({ learningRate: 0.3, momentum: 0.1, useNesterov: true }).getConfig()).toEqual({ learningRate: 0.3, momentum: 0.1, useNesterov: true });
  });

  it('Adam and AdamW: TF.js defaults; AdamW adds weightDecay 0.004 to its config', () => {
    const a = adam();
    expect(a.className).toBe('Adam');
    expect(a.getConfig()).toEqual({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect(a.weightDecay).toBe(0);
    const w = adamW();
    expect(w.className).toBe('AdamW');
    expect(w.getConfig()).toEqual({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.004 });
    expect(adamW({ weightDecay: 0 }).weightDecay).toBe(0);
    expect(adam({ learningRate: 0.5, beta1: 0, beta2: 0.5, epsilon: 0 }).getConfig()).toEqual({ learningRate: 0.5, beta1: 0, beta2: 0.5, epsilon: 0 });
  });

  it('RMSProp: rho (or TF.js\'s decay) 0.9, momentum 0, epsilon 1e-7, not centered', () => {
    const r = rmsprop();
    expect(r.className).toBe('RMSProp');
    expect(r.getConfig()).toEqual({ learningRate: 0.001, decay: 0.9, momentum: 0, epsilon: 1e-7, centered: false });
    expect(rmsprop({ decay: 0.5 }).rho).toBe(0.5);
    expect(rmsprop({ rho: 0.25, decay: 0.5 }).rho).toBe(0.25);
    expect(rmsprop({ rho: 1, centered: true }).getConfig()).toMatchObject({ decay: 1, centered: true });
  });

  it('range checks name the optimizer and the interval', () => {
    expect(() => sgd({ learningRate: -1 })).toThrow('optimizers.sgd: learningRate must be a number in [0, Infinity], got -1');
    expect(() => sgd({ momentum: -0.5 })).toThrow('optimizers.sgd: momentum must be a number in [0, Infinity], got -0.5');
    expect(() => adam({ beta1: 1 })).toThrow('optimizers.adam: beta1 must be a number in [0, 1), got 1');
    expect(() => adam({ beta2: 1 })).toThrow('optimizers.adam: beta2 must be a number in [0, 1), got 1');
    expect(() => adam({ epsilon: -1 })).toThrow('optimizers.adam: epsilon must be a number in [0, Infinity], got -1');
    expect(() => adamW({ weightDecay: -1 })).toThrow('optimizers.adamW: weightDecay must be a number in [0, Infinity], got -1');
    expect(() => adamW({ beta1: 1 })).toThrow('optimizers.adamW: beta1 must be a number in [0, 1), got 1');
    expect(() => rmsprop({ rho: 1.5 })).toThrow('optimizers.rmsprop: rho must be a number in [0, 1], got 1.5');
    expect(() => rmsprop({ momentum: -1 })).toThrow('optimizers.rmsprop: momentum must be a number in [0, Infinity], got -1');
    expect(() => rmsprop({ epsilon: -1 })).toThrow('optimizers.rmsprop: epsilon must be a number in [0, Infinity], got -1');
    expect(() => rmsprop({ learningRate: -1 })).toThrow('optimizers.rmsprop: learningRate must be a number in [0, Infinity], got -1');
  });

  it('the learningRate setter takes any finite rate >= 0 and names the class when refusing', () => {
    const a = adam();
    a.learningRate = 0;
    expect(a.learningRate).toBe(0);
    a.learningRate = 3;
    expect(a.learningRate).toBe(3);
    for (const bad of [-1, NaN, Infinity, '1']) {
      expect(() => { a.learningRate = bad as number; }).toThrow(`Adam: learningRate must be a finite number >= 0, got ${String(bad)}`);
    }
    expect(a.learningRate).toBe(3);
    const m = sgd({ momentum: 0.9 });
    expect(() => { m.learningRate = -2; }).toThrow('Momentum: learningRate must be a finite number >= 0, got -2');
  });
});

describe('optimizers: state', () => {
  async function stepOnce(opt: wc.optimizers.Optimizer, steps = 1): Promise<wc.LayersModel> {
    const model = denseModel();
    model.compile({ optimizer: opt, loss: 'meanSquaredError' });
    for (let i = 0; i < steps; i++) await model.trainOnBatch(wc.tensor([1], [1, 1]), wc.tensor([0], [1, 1]));
    return model;
  }

  async function state(opt: wc.optimizers.Optimizer): Promise<[string, number[]][]> {
    const named = await opt.getWeights();
    const out: [string, number[]][] = [];
    for (const n of named) out.push([n.name, [...(await n.tensor.data())]]);
    named[0].tensor.dispose();
    return out;
  }

  it("getWeights lists 'iter' (the step count) then each weight's slots by TF.js's names", async () => {
    const a = adam({ learningRate: 0.1 });
    expect(await state(a)).toEqual([['iter', [0]]]);
    const model = await stepOnce(a, 2);
    expect(a.iterations).toBe(2);
    const [k, b] = model.weights.map((v) => v.name);
    const names = (await state(a)).map(([n]) => n);
    expect(names).toEqual(['iter', `${k}/m`, `${k}/v`, `${b}/m`, `${b}/v`]);
    expect((await state(a))[0]).toEqual(['iter', [2]]);
  });

  it('slots start at zero: after one step Adam holds m = (1 - b1) g and v = (1 - b2) g^2', async () => {
    // p = w x + b = 1 at x = 1, y = 0: g_w = g_b = 2 (p - y) = 2
    const a = adam();
    await stepOnce(a);
    const s = await state(a);
    expect(s[1][1][0]).toBeCloseTo(0.2, 6);
    expect(s[2][1][0]).toBeCloseTo(0.004, 8);
  });

  it('RMSProp keeps rms and momentum, and mg when centered; plain SGD keeps nothing, momentum one slot', async () => {
    const slotNames = async (opt: wc.optimizers.Optimizer) => {
      const model = await stepOnce(opt);
      const k = model.weights[0].name;
      return (await state(opt)).map(([n]) => n).filter((n) => n.startsWith(`${k}/`)).map((n) => n.slice(k.length + 1));
    };
    expect(await slotNames(rmsprop())).toEqual(['rms', 'momentum']);
    expect(await slotNames(rmsprop({ centered: true }))).toEqual(['rms', 'momentum', 'mg']);
    expect(await slotNames(sgd())).toEqual([]);
    expect(await slotNames(sgd({ momentum: 0.5 }))).toEqual(['momentum']);
  });

  it('slots are made once and reused: momentum accumulates across steps', async () => {
    // w = 1, b = 0, x = 1, y = 0, lr 0.1, momentum 0.5: g_w = g_b = 2 (w + b)
    const opt = sgd({ learningRate: 0.1, momentum: 0.5 });
    const model = await stepOnce(opt, 2);
    // step 1: p = 1, g = 2, a = 2, w = 1 - 0.2 = 0.8, b = -0.2
    // step 2: p = 0.6, g = 1.2, a = 0.5 * 2 + 1.2 = 2.2, w = 0.8 - 0.22 = 0.58, b = -0.42
    const [w, b] = await Promise.all(model.getWeights().map((t) => t.data()));
    expect(w[0]).toBeCloseTo(0.58, 6);
    expect(b[0]).toBeCloseTo(-0.42, 6);
    expect((await state(opt))[1]).toEqual([`${model.weights[0].name}/momentum`, [expect.closeTo(2.2, 6)]]);
  });

  it('dispose frees the slots: getWeights is back to the step count alone', async () => {
    const a = adam();
    await stepOnce(a);
    a.dispose();
    expect(await state(a)).toEqual([['iter', [1]]]);
  });
});

describe('compile: names', () => {
  it.each([
    ['sgd', 'SGD', 0.01], ['SGD', 'SGD', 0.01], ['adam', 'Adam', 0.001], ['Adam', 'Adam', 0.001],
    ['adamw', 'AdamW', 0.001], ['AdamW', 'AdamW', 0.001], ['adamW', 'AdamW', 0.001],
    ['rmsprop', 'RMSProp', 0.001], ['RMSProp', 'RMSProp', 0.001],
  ] as const)("optimizer '%s' is %s with rate %s", (name, className, lr) => {
    const model = denseModel();
    model.compile({ optimizer: name, loss: 'mse' });
    expect(model.compiled!.optimizer.className).toBe(className);
    expect(model.compiled!.optimizer.learningRate).toBe(lr);
  });

  it('an optimizer object is used as given', () => {
    const opt = sgd({ learningRate: 0.7 });
    const model = denseModel();
    model.compile({ optimizer: opt, loss: 'mse' });
    expect(model.compiled!.optimizer).toBe(opt);
  });

  it('unknown optimizer names, own-property lookups included, list the valid ones', () => {
    const msg = (id: string) => `Sequential.compile: unknown optimizer ${JSON.stringify(id)}; expected one of 'sgd', 'adam', 'adamw', 'rmsprop' or a wc.optimizers.* object`;
    for (const id of ['adagrad', 'constructor', 'toString']) {
      expect(() => denseModel().compile({ optimizer: id as never, loss: 'mse' })).toThrow(msg(id));
    }
    expect(() => denseModel().compile({ optimizer: 3 as never, loss: 'mse' })).toThrow('Sequential.compile: unknown optimizer 3;');
  });

  it.each([
    ['mse', 'meanSquaredError'], ['MSE', 'meanSquaredError'], ['mean_squared_error', 'meanSquaredError'],
    ['mae', 'meanAbsoluteError'], ['MAE', 'meanAbsoluteError'], ['mean_absolute_error', 'meanAbsoluteError'],
    ['mape', 'meanAbsolutePercentageError'], ['MAPE', 'meanAbsolutePercentageError'], ['mean_absolute_percentage_error', 'meanAbsolutePercentageError'],
    ['msle', 'meanSquaredLogarithmicError'], ['MSLE', 'meanSquaredLogarithmicError'], ['mean_squared_logarithmic_error', 'meanSquaredLogarithmicError'],
    ['categorical_crossentropy', 'categoricalCrossentropy'], ['sparse_categorical_crossentropy', 'sparseCategoricalCrossentropy'],
    ['binary_crossentropy', 'binaryCrossentropy'], ['binaryCrossentropy', 'binaryCrossentropy'], ['meanSquaredError', 'meanSquaredError'],
  ])("loss '%s' is %s", (id, kind) => {
    const model = denseModel();
    model.compile({ optimizer: 'sgd', loss: id as never });
    expect(model.compiled!.losses).toEqual([kind]);
  });

  it('unknown losses list the kinds and the short names', () => {
    for (const id of ['hinge', 'constructor']) {
      expect(() => denseModel().compile({ optimizer: 'sgd', loss: id as never })).toThrow(
        `Sequential.compile: unknown loss ${JSON.stringify(id)}; expected one of 'categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy', 'meanSquaredError', 'meanAbsoluteError', 'meanAbsolutePercentageError', 'meanSquaredLogarithmicError' (or 'mse', 'mae', 'mape', 'msle')`);
    }
    expect(() => denseModel().compile({ optimizer: 'sgd' } as never)).toThrow("Sequential.compile: loss is required (e.g. 'categoricalCrossentropy')");
    expect(() => denseModel().compile(undefined as never)).toThrow("Sequential.compile: loss is required (e.g. 'categoricalCrossentropy')");
  });

  it("'accuracy' resolves by output width and loss, and is logged as 'acc'", () => {
    const kind = (units: number, loss: string, id = 'accuracy') => {
      const model = denseModel(units);
      model.compile({ optimizer: 'sgd', loss: loss as never, metrics: [id as never] });
      return [model.compiled!.metrics[0].kind, model.compiled!.metricKeys[0]];
    };
    expect(kind(1, 'mse')).toEqual(['binaryAccuracy', 'acc']);
    expect(kind(3, 'binaryCrossentropy')).toEqual(['binaryAccuracy', 'acc']);
    expect(kind(3, 'sparseCategoricalCrossentropy', 'acc')).toEqual(['sparseCategoricalAccuracy', 'acc']);
    expect(kind(3, 'categoricalCrossentropy')).toEqual(['categoricalAccuracy', 'acc']);
    expect(kind(3, 'mse')).toEqual(['categoricalAccuracy', 'acc']);
  });

  it('other metrics keep their name as the key; one name or a list', () => {
    const model = denseModel(2);
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mse', 'MAE', 'meanSquaredError', 'meanAbsoluteError', 'mae', 'MSE', 'categoricalAccuracy', 'sparseCategoricalAccuracy', 'binaryAccuracy'] });
    expect(model.compiled!.metrics.map((m) => [m.key, m.kind, m.output])).toEqual([
      ['mse', 'meanSquaredError', 0], ['MAE', 'meanAbsoluteError', 0], ['meanSquaredError', 'meanSquaredError', 0],
      ['meanAbsoluteError', 'meanAbsoluteError', 0], ['mae', 'meanAbsoluteError', 0], ['MSE', 'meanSquaredError', 0],
      ['categoricalAccuracy', 'categoricalAccuracy', 0], ['sparseCategoricalAccuracy', 'sparseCategoricalAccuracy', 0],
      ['binaryAccuracy', 'binaryAccuracy', 0],
    ]);
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: 'mae' });
    expect(model.compiled!.metricKeys).toEqual(['mae']);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    expect([model.compiled!.metrics, model.compiled!.metricKeys, model.compiled!.lossKeys]).toEqual([[], [], []]);
  });

  it('unknown metrics list the valid names', () => {
    for (const id of ['auc', 'toString']) {
      expect(() => denseModel().compile({ optimizer: 'sgd', loss: 'mse', metrics: [id as never] })).toThrow(
        `Sequential.compile: unknown metric ${JSON.stringify(id)}; expected one of 'accuracy', 'acc', 'mse', 'MSE', 'meanSquaredError', 'mae', 'MAE', 'meanAbsoluteError', 'categoricalAccuracy', 'sparseCategoricalAccuracy', 'binaryAccuracy', `
        + `'topKCategoricalAccuracy', 'top_k_categorical_accuracy', 'sparseTopKCategoricalAccuracy', 'sparse_top_k_categorical_accuracy', 'precision', 'recall'`);
    }
  });

  it('several outputs: one loss each (or one for all), keys prefixed with the output layer name', () => {
    const inp = wc.input({ shape: [2] });
    const a = wc.layers.dense({ units: 3, name: 'a' }).apply(inp) as wc.SymbolicTensor;
    const b = wc.layers.dense({ units: 1, name: 'b' }).apply(inp) as wc.SymbolicTensor;
    const model = wc.model({ inputs: inp, outputs: [a, b] });
    model.compile({ optimizer: 'sgd', loss: ['categoricalCrossentropy', 'mse'], metrics: ['accuracy'] });
    const c = model.compiled!;
    expect(c.losses).toEqual(['categoricalCrossentropy', 'meanSquaredError']);
    expect(c.lossKeys).toEqual(['a_loss', 'b_loss']);
    expect(c.metrics).toEqual([
      { key: 'a_acc', kind: 'categoricalAccuracy', fn: null, output: 0 },
      { key: 'b_acc', kind: 'binaryAccuracy', fn: null, output: 1 },
    ]);
    expect(c.metricKeys).toEqual(['a_acc', 'b_acc']);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    expect(model.compiled!.losses).toEqual(['meanSquaredError', 'meanSquaredError']);
    expect(() => model.compile({ optimizer: 'sgd', loss: ['mse'] })).toThrow('Model.compile: the model has 2 output(s), got 1 losses');
  });
});
