// Invalid layer, compile and graph configurations: an Error naming the layer
// (or function), what it expected and what it got, thrown before anything is
// built; a model that refuses a change keeps its weights and optimizer state.

import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { randomValues } from '../util/check.js';
import { captureState, expectCleanError, expectStateUnchanged } from './state.js';

const L = wc.layers;
type AnyArgs = Record<string, unknown>;

describe('invalid layer configurations', () => {
  beforeAll(async () => {
    await wc.setBackend('cpu');
  });

  it('zero, negative or fractional filters, units and kernel sizes; a stride of 0', async () => {
    const cases: [() => unknown, RegExp][] = [
      [() => L.conv2d({ filters: 0, kernelSize: 3 }), /conv2d 'conv2d_\d+': filters must be a positive integer, got 0/],
      [() => L.conv2d({ filters: -4, kernelSize: 3 }), /filters must be a positive integer, got -4/],
      [() => L.conv2d({ filters: 2.5, kernelSize: 3 }), /filters must be a positive integer, got 2\.5/],
      [() => L.conv2d({ filters: '8', kernelSize: 3 } as AnyArgs as never), /filters must be a positive integer, got "8"/],
      [() => L.conv2d({ filters: 4, kernelSize: 0 }), /conv2d '.*': kernelSize must be a positive integer or two positive integers, got 0/],
      [() => L.conv2d({ filters: 4, kernelSize: [3, -1] }), /kernelSize must be a positive integer or two positive integers, got \[3,-1\]/],
      [() => L.conv2d({ filters: 4, kernelSize: [3] }), /kernelSize must be .* got \[3\]/],
      [() => L.conv2d({ filters: 4 } as AnyArgs as never), /conv2d '.*': kernelSize is required/],
      [() => L.conv2d({ filters: 4, kernelSize: 3, strides: 0 }), /conv2d '.*': strides must be a positive integer or two positive integers, got 0/],
      [() => L.conv2d({ filters: 4, kernelSize: 3, strides: [1, 0] }), /strides must be .* got \[1,0\]/],
      [() => L.conv2d({ filters: 4, kernelSize: 3, dilationRate: 0 }), /dilationRate must be .* got 0/],
      [() => L.conv2d({ filters: 4, kernelSize: 3, padding: 'full' as never }), /conv2d '.*': padding must be one of 'valid', 'same', got "full"/],
      [() => L.dense({ units: 0 }), /dense 'dense_\d+': units must be a positive integer, got 0/],
      [() => L.dense({ units: -3 }), /dense '.*': units must be a positive integer, got -3/],
      [() => L.dense({} as never), /dense '.*': units must be a positive integer, got undefined/],
      [() => L.maxPooling2d({ poolSize: 0 }), /max_pooling2d '.*': poolSize must be a positive integer or two positive integers, got 0/],
      [() => L.averagePooling2d({ poolSize: 2, strides: 0 }), /average_pooling2d '.*': strides must be .* got 0/],
      [() => L.locallyConnected2d({ filters: 0, kernelSize: 3 }), /locallyConnected2d '.*': filters must be a positive integer, got 0/],
      [() => L.locallyConnected2d({ filters: 2, kernelSize: 3, strides: 0 }), /locallyConnected2d '.*': strides must be .* got 0/],
      [() => L.dropout({ rate: 1.5 }), /dropout '.*': rate must be a number in \[0, 1\), got 1\.5/],
      [() => L.batchNormalization({ momentum: 2 }), /batch_normalization '.*'|batchNormalization '.*': momentum must be a number in \[0, 1\], got 2/],
      [() => L.zeroPadding2d({ padding: -1 }), /padding must hold non-negative integers, got -1/],
      [() => L.reshape({ targetShape: [0, 3] }), /reshape '.*': targetShape must be positive integers with at most one -1, got \[0,3\]/],
    ];
    for (const [make, message] of cases) await expectCleanError(make, message);
  });

  it('a kernel or pool window larger than the (padded) input, at apply time', async () => {
    await expectCleanError(() => L.conv2d({ filters: 2, kernelSize: 5 }).apply(wc.input({ shape: [3, 3, 1] })),
      /conv2d '.*': the height kernel extent 5 \(kernel 5, dilation 1\) is larger than the padded input 3 \(input 3, padding 0\+0\)/);
    await expectCleanError(() => L.conv2d({ filters: 2, kernelSize: 3, dilationRate: 3 }).apply(wc.input({ shape: [6, 6, 1] })),
      /the height kernel extent 7 \(kernel 3, dilation 3\) is larger than the padded input 6/);
    await expectCleanError(() => L.maxPooling2d({ poolSize: [1, 4] }).apply(wc.input({ shape: [5, 3, 1] })),
      /MaxPooling2D '.*': the width kernel extent 4 .* larger than the padded input 3/);
    await expectCleanError(() => L.locallyConnected2d({ filters: 1, kernelSize: 4 }).apply(wc.input({ shape: [3, 8, 1] })),
      /locallyConnected2d '.*': the height kernel extent 4 .* larger than the padded input 3/);
    // 'same' padding never runs out of input
    expect(L.conv2d({ filters: 2, kernelSize: 5, padding: 'same' }).apply(wc.input({ shape: [3, 3, 1] })).shape).toEqual([null, 3, 3, 2]);
  });

  it('a sequential model refuses a layer that does not fit, and stays as it was', async () => {
    const m = wc.sequential({ layers: [L.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 3 })] });
    m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    await m.fit(wc.tensor(randomValues(32, 1), [2, 4, 4, 1]), wc.tensor(randomValues(16, 2), [2, 2, 2, 2]));
    const before = await captureState(m);
    await expectCleanError(() => m.add(L.conv2d({ filters: 1, kernelSize: 3 })), /conv2d '.*': the height kernel extent 3 .* larger than the padded input 2/);
    await expectCleanError(() => m.add(L.dense({ units: 2, inputShape: [3] })), /only the first layer may have an inputShape/);
    expect(m.layers.length).toBe(1);
    expect(m.outputs[0].shape).toEqual([null, 2, 2, 2]);
    await expectStateUnchanged(m, before);
    // it still trains as compiled
    await m.fit(wc.tensor(randomValues(32, 3), [2, 4, 4, 1]), wc.tensor(randomValues(16, 4), [2, 2, 2, 2]));
  });

  it('unknown activation, loss, optimizer and metric names list the valid ones', async () => {
    await expectCleanError(() => L.dense({ units: 2, activation: 'gelu' as never }),
      /dense '.*': unknown activation 'gelu'; expected one of 'linear', 'relu', 'relu6', 'leakyRelu', 'elu', 'sigmoid', 'tanh', 'softmax'/);
    await expectCleanError(() => L.conv2d({ filters: 2, kernelSize: 1, activation: 'swish' as never }), /conv2d '.*': unknown activation 'swish'; expected one of 'linear', 'relu'/);
    await expectCleanError(() => L.activation({ activation: 'mish' as never }), /unknown activation 'mish'; expected one of/);
    const m = wc.sequential({ layers: [L.dense({ inputShape: [3], units: 2, activation: 'softmax' })] });
    m.compile({ optimizer: wc.optimizers.adam(), loss: 'categoricalCrossentropy' });
    await m.fit(wc.tensor(randomValues(6, 5), [2, 3]), wc.tensor([1, 0, 0, 1], [2, 2]));
    const compiled = m.compiled;
    const before = await captureState(m);
    await expectCleanError(() => m.compile({ optimizer: 'adam', loss: 'hinge' as never }),
      /Sequential\.compile: unknown loss "hinge"; expected one of 'categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy', 'meanSquaredError'/);
    await expectCleanError(() => m.compile({ optimizer: 'adagrad' as never, loss: 'mse' }),
      /Sequential\.compile: unknown optimizer "adagrad"; expected one of 'sgd', 'adam', 'adamw', 'rmsprop'/);
    await expectCleanError(() => m.compile({ optimizer: 'adam', loss: 'mse', metrics: ['f1' as never] }),
      /Sequential\.compile: unknown metric "f1"; expected one of 'accuracy', 'acc'/);
    await expectCleanError(() => m.compile({ optimizer: 'adam', loss: ['mse', 'mse'] }), /Sequential\.compile: the model has 1 output\(s\), got 2 losses/);
    // a failed compile keeps the previous one, optimizer state included
    expect(m.compiled).toBe(compiled);
    await expectStateUnchanged(m, before);
  });

  it('optimizer arguments out of range', async () => {
    await expectCleanError(() => wc.optimizers.adam({ learningRate: -1 }), /optimizers\.adam: learningRate must be a number in \[0, Infinity\], got -1/);
    await expectCleanError(() => wc.optimizers.adam({ beta1: 1 }), /optimizers\.adam: beta1 must be a number in \[0, 1\), got 1/);
    await expectCleanError(() => wc.optimizers.sgd({ learningRate: NaN }), /optimizers\.sgd: learningRate must be a number in \[0, Infinity\], got NaN/);
    await expectCleanError(() => wc.optimizers.rmsprop({ rho: 1.5 }), /optimizers\.rmsprop: rho must be a number in \[0, 1\], got 1\.5/);
  });
});

describe('invalid functional graphs', () => {
  it('a cycle is named by a layer on it', async () => {
    const x = wc.input({ shape: [2] });
    const d1 = L.dense({ units: 2, name: 'loop_a' });
    const d2 = L.dense({ units: 2, name: 'loop_b' });
    // wire a -> b -> a by hand (the symbolic API cannot), as a corrupted graph would be
    const placeholder = new wc.SymbolicTensor([null, 2], 'placeholder');
    const a = d1.apply(placeholder);
    const b = d2.apply(a);
    placeholder.node = b.node;
    void x;
    await expectCleanError(() => wc.model({ inputs: x, outputs: b }), /model '.*': the graph has a cycle through layer 'loop_(a|b)'/);
  });

  it('an output that does not depend on the inputs, and inputs that are not wc.input()', async () => {
    const a = wc.input({ shape: [3], name: 'in_main' });
    const other = wc.input({ shape: [3], name: 'in_other' });
    const y = L.dense({ units: 1 }).apply(other);
    await expectCleanError(() => wc.model({ inputs: a, outputs: y }),
      /model '.*': graph disconnected: the outputs need input 'in_other' \(shape \[null,3\]\), which is not among the model's inputs \['in_main'\]/);
    await expectCleanError(() => wc.model({ inputs: L.dense({ units: 1 }).apply(a), outputs: y }), /inputs\[0\] must come from wc\.input\(\), got the output of layer/);
    await expectCleanError(() => wc.model({ inputs: a, outputs: [] }), /needs at least one input and one output/);
    await expectCleanError(() => wc.model({ inputs: a, outputs: 'y' as never }), /outputs\[0\] must be a symbolic tensor \(the result of layer\.apply\), got y/);
  });

  it('a model.json whose functional graph has a cycle or a dangling reference', async () => {
    const inp = wc.input({ shape: [2], name: 'cyc_in' });
    const out = L.dense({ units: 1, name: 'cyc_d1' }).apply(L.dense({ units: 2, name: 'cyc_d0' }).apply(inp));
    const art = await wc.modelToArtifacts(wc.model({ inputs: inp, outputs: out }));
    const topo = JSON.parse(JSON.stringify(art.modelTopology)) as { config: { layers: { name: string; inbound_nodes: unknown[][][] }[] } };
    const d0 = topo.config.layers.find((l) => l.name === 'cyc_d0')!;
    d0.inbound_nodes = [[['cyc_d1', 0, 0, {}]]];
    await expectCleanError(() => wc.loadModel({ ...art, modelTopology: topo as never }), /loadModel: output_layers names \["cyc_d1",0,0(,\{\})?\], which no layer call produces \(a cycle or a missing layer\?\)/);
    d0.inbound_nodes = [[['nowhere', 0, 0, {}]]];
    await expectCleanError(() => wc.loadModel({ ...art, modelTopology: topo as never }), /loadModel: layer 'cyc_d0' takes input from an unknown layer \(nowhere\)/);
  });
});
