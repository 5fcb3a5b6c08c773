// Layer configs, names, output shapes, weight layouts and argument errors:
// no kernels run here, only construction and shape inference.

import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { computeFans } from '../../src/layers/initializers.js';

describe('layer construction', () => {
  it("AlexNet's first conv: 96 filters 11x11, stride 4 on 227x227x3 -> [null,55,55,96], 34,944 params", () => {
    const m = wc.sequential();
    m.add(wc.layers.conv2d({ inputShape: [227, 227, 3], filters: 96, kernelSize: 11, strides: 4, activation: 'relu' }));
    const lines: string[] = [];
    m.summary(undefined, undefined, (l) => lines.push(l));
    const row = lines.find((l) => l.includes('(Conv2D)'))!;
    expect(row).toMatch(/\[null,55,55,96\]\s+34944/);
    // 11*11*3*96 weights + 96 biases
    expect(m.countParams()).toBe(11 * 11 * 3 * 96 + 96);
    expect(lines.join('\n')).toContain('Total params: 34944');
    expect(lines.join('\n')).toContain('Non-trainable params: 0');
  });

  it('gives Keras-style unique names and weight names, and TF.js config keys', () => {
    const a = wc.layers.conv2d({ filters: 2, kernelSize: 3 });
    const b = wc.layers.conv2d({ filters: 2, kernelSize: [3, 1], padding: 'same', kernelRegularizer: wc.regularizers.l2() });
    const na = Number(a.name.split('_').pop());
    expect(a.name).toMatch(/^conv2d_\d+$/);
    expect(b.name).toBe(`conv2d_${na + 1}`);
    expect(wc.layers.batchNormalization().name).toMatch(/^batch_normalization_\d+$/);
    expect(wc.layers.maxPooling2d().name).toMatch(/^max_pooling2d_\d+$/);
    const cfg = b.getConfig();
    expect(b.className).toBe('Conv2D');
    expect(cfg).toMatchObject({
      name: b.name, trainable: true, filters: 2, kernelSize: [3, 1], strides: [1, 1], padding: 'same',
      dataFormat: 'channelsLast', dilationRate: [1, 1], activation: 'linear', useBias: true,
      kernelInitializer: { className: 'GlorotUniform', config: { scale: 1, mode: 'fanAvg', distribution: 'uniform', seed: null } },
      biasInitializer: { className: 'Zeros', config: {} },
      kernelRegularizer: { className: 'L1L2', config: { l1: 0, l2: 0.01 } },
    });
    const inp = wc.input({ shape: [5, 5, 4] });
    b.apply(inp);
    expect(b.weights.map((w) => w.name)).toEqual([`${b.name}/kernel`, `${b.name}/bias`]);
    expect(b.weights.map((w) => w.shape)).toEqual([[3, 1, 4, 2], [2]]);
  });

  it('infers output shapes as TF.js does', () => {
    const shape = (l: wc.Layer, s: (number | null)[]) => l.apply(wc.input({ shape: s.slice(1) as number[] })).shape;
    expect(shape(wc.layers.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }), [null, 7, 8, 1])).toEqual([null, 4, 4, 3]);
    expect(shape(wc.layers.conv2d({ filters: 3, kernelSize: 3, dilationRate: 2 }), [null, 7, 8, 1])).toEqual([null, 3, 4, 3]);
    expect(shape(wc.layers.maxPooling2d({ poolSize: 2 }), [null, 7, 7, 2])).toEqual([null, 3, 3, 2]);
    expect(shape(wc.layers.averagePooling2d({ poolSize: 3, strides: 2 }), [null, 7, 7, 2])).toEqual([null, 3, 3, 2]);
    expect(shape(wc.layers.globalAveragePooling2d(), [null, 7, 7, 2])).toEqual([null, 2]);
    expect(shape(wc.layers.globalMaxPooling2d(), [null, 7, 7, 2])).toEqual([null, 2]);
    expect(shape(wc.layers.flatten(), [null, 7, 7, 2])).toEqual([null, 98]);
    expect(shape(wc.layers.reshape({ targetShape: [7, -1] }), [null, 7, 7, 2])).toEqual([null, 7, 14]);
    expect(shape(wc.layers.zeroPadding2d({ padding: [[1, 2], [0, 3]] }), [null, 7, 7, 2])).toEqual([null, 10, 10, 2]);
    expect(shape(wc.layers.dense({ units: 4 }), [null, 3, 5])).toEqual([null, 3, 4]);
    const lc = wc.layers.locallyConnected2d({ filters: 4, kernelSize: 3, strides: 2 });
    expect(shape(lc, [null, 7, 6, 2])).toEqual([null, 3, 2, 4]);
    // Keras layout: kernel [oh*ow, kh*kw*cin, cout], bias [oh, ow, cout]
    expect(lc.weights.map((w) => w.shape)).toEqual([[6, 18, 4], [3, 2, 4]]);
    const a = wc.input({ shape: [4, 4, 2] });
    const b = wc.input({ shape: [4, 4, 3] });
    expect(wc.layers.concatenate().apply([a, b]).shape).toEqual([null, 4, 4, 5]);
    expect(() => wc.layers.add().apply([a, b])).toThrow(/add '.*': all inputs must have the same shape/);
  });

  it('orders BN weights as TF.js: gamma, beta trainable, then moving stats', () => {
    const bn = wc.layers.batchNormalization();
    bn.apply(wc.input({ shape: [3] }));
    expect(bn.trainableWeights.map((w) => w.name.split('/')[1])).toEqual(['gamma', 'beta']);
    expect(bn.nonTrainableWeights.map((w) => w.name.split('/')[1])).toEqual(['moving_mean', 'moving_variance']);
    expect(bn.getConfig()).toMatchObject({ momentum: 0.99, epsilon: 1e-3, center: true, scale: true });
    bn.trainable = false;
    expect(bn.trainableWeights).toEqual([]);
    expect(bn.nonTrainableWeights.length).toBe(4);
  });

  it('defaults: leakyReLU alpha 0.3, elu alpha 1, pool strides = poolSize', () => {
    expect(wc.layers.leakyReLU().getConfig().alpha).toBe(0.3);
    expect(wc.layers.elu().getConfig().alpha).toBe(1);
    expect(wc.layers.maxPooling2d({ poolSize: 3 }).getConfig()).toMatchObject({ poolSize: [3, 3], strides: [3, 3], padding: 'valid' });
    expect(wc.layers.dropout({ rate: 0.25, seed: 7 }).getConfig()).toMatchObject({ rate: 0.25, seed: 7 });
  });

  it('computes fans as Keras does (receptive field times channels for conv kernels)', () => {
    expect(computeFans([3, 5])).toEqual({ fanIn: 3, fanOut: 5 });
    expect(computeFans([3, 3, 4, 8])).toEqual({ fanIn: 36, fanOut: 72 });
    // glorotUniform limit sqrt(6 / (fanIn + fanOut)) bounds every value
    const v = wc.initializers.glorotUniform({ seed: 1 }).values([3, 3, 4, 8]);
    const limit = Math.sqrt(6 / (36 + 72));
    expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...v.map(Math.abs))).toBeGreaterThan(0.9 * limit);
    // seeded initializers repeat exactly
    expect(wc.initializers.heNormal({ seed: 3 }).values([10])).toEqual(wc.initializers.heNormal({ seed: 3 }).values([10]));
  });
});

describe('invalid configs throw clear errors', () => {
  it.each([
    [() => wc.layers.conv2d({ filters: 0, kernelSize: 3 }), /conv2d '.*': filters must be a positive integer, got 0/],
    [() => wc.layers.conv2d({ filters: -2, kernelSize: 3 }), /filters must be a positive integer, got -2/],
    [() => wc.layers.conv2d({ filters: 2, kernelSize: 0 }), /kernelSize must be a positive integer or two positive integers, got 0/],
    [() => wc.layers.conv2d({ filters: 2, kernelSize: 3, strides: 0 }), /strides must be a positive integer or two positive integers, got 0/],
    [() => wc.layers.dense({ units: 0 }), /dense '.*': units must be a positive integer, got 0/],
    [() => wc.layers.dense({ units: 2, activation: 'swishy' as 'relu' }), /unknown activation 'swishy'; expected one of 'linear', 'relu', 'relu6', 'leakyRelu', 'elu', 'sigmoid', 'tanh', 'softmax'/],
    [() => wc.layers.maxPooling2d({ poolSize: 0 }), /poolSize must be/],
    [() => wc.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'full' as 'same' }), /padding must be one of 'valid', 'same', got "full"/],
    [() => wc.layers.dropout({ rate: 1 }), /rate must be a number in \[0, 1\)/],
  ])('%#', (make, message) => {
    expect(make).toThrow(message);
  });

  it('rejects a kernel larger than the input', () => {
    expect(() => wc.layers.conv2d({ filters: 2, kernelSize: 5 }).apply(wc.input({ shape: [3, 3, 1] }))).toThrow(/kernel extent 5/);
  });
});
