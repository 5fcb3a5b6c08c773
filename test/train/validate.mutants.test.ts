// The data checks of fit / evaluate / predict / trainOnBatch word for word
// (what was given, described; every shape listed; sparse targets' two
// accepted shapes), evaluate in inference mode with per-output losses, and
// the non-finite loss message of trainOnBatch, on the identity model p = x.
// Written to kill StrykerJS mutants (docs/MUTATION.md).

import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';

const column = (values: number[]) => wc.tensor(values, [values.length, 1]);

function identity(): wc.LayersModel {
  const model = wc.sequential({ layers: [wc.layers.dense({ units: 1, inputShape: [1], kernelInitializer: 'ones' })] });
  model.compile({ optimizer: wc.optimizers.sgd({ learningRate: 0 }), loss: 'mse' });
  return model;
}

function twoOutputs(): wc.LayersModel {
  const inp = wc.input({ shape: [1] });
  const a = wc.layers.dense({ units: 1, kernelInitializer: 'ones', name: 'a' }).apply(inp) as wc.SymbolicTensor;
  const b = wc.layers.dense({ units: 1, kernelInitializer: 'zeros', name: 'b' }).apply(inp) as wc.SymbolicTensor;
  const model = wc.model({ inputs: inp, outputs: [a, b] });
  model.compile({ optimizer: wc.optimizers.sgd({ learningRate: 0 }), loss: 'mse', metrics: ['mae'] });
  return model;
}

describe('what was given instead of a tensor', () => {
  it('x: the wc.tensor hint; y: none; each value described', async () => {
    const m = identity();
    await expect(m.fit(new Float32Array(2) as never, column([0, 0]))).rejects.toThrow(
      'Sequential.fit: x must be a Tensor (wc.tensor(values, shape)) or an array of Tensors, got Float32Array');
    await expect(m.fit(column([1, 2]), 5 as never)).rejects.toThrow('Sequential.fit: y must be a Tensor or an array of Tensors, got number');
    expect(() => m.predict(null as never)).toThrow('Sequential.predict: x must be a Tensor (wc.tensor(values, shape)) or an array of Tensors, got null');
    expect(() => m.predict(undefined as never)).toThrow('got undefined');
    expect(() => m.predict('x' as never)).toThrow('Sequential.predict: x must be a Tensor (wc.tensor(values, shape)) or an array of Tensors, got string');
    expect(() => m.predict(Object.create(null) as never)).toThrow('Sequential.predict: x must be a Tensor (wc.tensor(values, shape)) or an array of Tensors, got an object');
    expect(() => m.predict([column([1]), {}] as never)).toThrow('Sequential.predict: x[1] must be a Tensor (wc.tensor(values, shape)) or an array of Tensors, got Object');
  });
});

describe('shapes, listed in full', () => {
  it('rows that differ: every x and y shape', async () => {
    await expect(twoOutputs().fit(column([1, 2]), [column([0, 0]), column([0, 0, 0])])).rejects.toThrow(
      'Model.fit: every x and y must have the same number of rows (first axis); got shapes x [2, 1]; y [2, 1], [3, 1]');
  });

  it('no rows: predict lists x alone', () => {
    expect(() => identity().predict(wc.tensor([], [0, 1]))).toThrow('Sequential.predict: expected at least one row of data, got 0 rows (shapes x [0, 1])');
  });

  it('sparse cross-entropy takes [n] or [n, 1] class indices', async () => {
    const m = wc.sequential({ layers: [wc.layers.dense({ units: 3, inputShape: [1], activation: 'softmax' })] });
    m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    await expect(m.fit(column([1, 2]), wc.tensor([0, 1, 0, 1, 0, 1], [2, 3]))).rejects.toThrow(
      /Sequential\.fit: y for output 'dense_\d+' \(loss 'sparseCategoricalCrossentropy'\) must have shape \[null\] or \[null,1\], got \[2, 3\]/);
    await m.fit(column([1, 2]), wc.tensor([0, 2], [2]));
    await m.fit(column([1, 2]), wc.tensor([0, 2], [2, 1]));
  });
});

describe('evaluate and trainOnBatch', () => {
  it('evaluate runs in inference mode: dropout is off', async () => {
    const m = wc.sequential({ layers: [
      wc.layers.dense({ units: 1, inputShape: [1], kernelInitializer: 'ones' }),
      wc.layers.dropout({ rate: 0.5, seed: 1 }),
    ] });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    // p = x = [1, 2], y = 0: (1 + 4) / 2
    expect(await m.evaluate(column([1, 2]), column([0, 0]))).toEqual([2.5]);
  });

  it('evaluate with several outputs: [total, each output\'s loss, metrics]', async () => {
    // a: p = x, b: p = 0; y = [0, 0] and [1, 3]
    expect(await twoOutputs().evaluate(column([1, 2]), [column([0, 0]), column([1, 3])])).toEqual([7.5, 2.5, 5, 1.5, 2]);
  });

  it('trainOnBatch on an infinite loss: the message ends without the callbacks hint', async () => {
    await expect(identity().trainOnBatch(column([3e38]), column([0]))).rejects.toThrow(
      "Sequential.trainOnBatch: the loss became Infinity; expected a finite loss. That batch's update was not applied, so the weights and the optimizer state are those from before it. "
      + 'Lower the learning rate or look for extreme values in x and y.');
  });
});
