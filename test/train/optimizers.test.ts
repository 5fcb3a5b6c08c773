// Optimizer steps through model.fit against the update formulas worked out
// here in float64: a one-weight linear model p = w*x + b under MSE, so
// g_w = 2(p - y)x and g_b = 2(p - y), two steps of one sample each.

import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { expectClose } from '../util/check.js';

const X = 1.5;
const Y = -0.5;
type Update = (w: number, g: number, slot: number[], t: number) => number;

/** Runs `steps` steps of the reference update on [w, b] from [0.5, 0.1]. */
function reference(update: Update, steps: number): number[] {
  const params = [0.5, 0.1];
  const slots = [[0, 0, 0], [0, 0, 0]];
  for (let t = 1; t <= steps; t++) {
    const r = 2 * (params[0] * X + params[1] - Y);
    const grads = [r * X, r];
    for (let i = 0; i < 2; i++) params[i] = update(params[i], grads[i], slots[i], t);
  }
  return params;
}

async function viaFit(optimizer: wc.optimizers.Optimizer | 'sgd' | 'adam' | 'rmsprop', steps: number): Promise<number[]> {
  const model = wc.sequential({
    layers: [wc.layers.dense({ units: 1, inputShape: [1], kernelInitializer: wc.initializers.constant({ value: 0.5 }), biasInitializer: wc.initializers.constant({ value: 0.1 }) })],
  });
  model.compile({ optimizer, loss: 'meanSquaredError' });
  await model.fit(wc.tensor([X], [1, 1]), wc.tensor([Y], [1, 1]), { epochs: steps, batchSize: 1 });
  return Promise.all(model.getWeights().map(async (t) => (await t.data())[0]));
}

const sgd = (lr: number): Update => (w, g) => w - lr * g;
const momentum = (lr: number, m: number, nesterov: boolean): Update => (w, g, s) => {
  s[0] = m * s[0] + g;
  return w - lr * (nesterov ? g + m * s[0] : s[0]);
};
const adam = (lr: number, b1: number, b2: number, eps: number, wd = 0): Update => (w, g, s, t) => {
  w -= lr * wd * w; // AdamW's decoupled decay, before the Adam step
  s[0] = b1 * s[0] + (1 - b1) * g;
  s[1] = b2 * s[1] + (1 - b2) * g * g;
  return w - (lr * (s[0] / (1 - b1 ** t))) / (Math.sqrt(s[1] / (1 - b2 ** t)) + eps);
};
const rmsprop = (lr: number, rho: number, mom: number, eps: number, centered: boolean): Update => (w, g, s) => {
  s[0] = rho * s[0] + (1 - rho) * g * g;
  s[2] = rho * s[2] + (1 - rho) * g;
  const denom = centered ? s[0] - (s[2] * s[2] + eps) : s[0] + eps;
  s[1] = mom * s[1] + (lr * g) / Math.sqrt(denom);
  return w - s[1];
};

// float32 weights against float64 formulas: a few ulps of values near 1
const TOL = { atol: 1e-6, rtol: 1e-5 };

describe('optimizer steps through fit match the formulas', () => {
  it.each([
    ['sgd', () => wc.optimizers.sgd({ learningRate: 0.1 }), sgd(0.1)],
    ["'sgd' (TF.js default lr 0.01)", () => 'sgd' as const, sgd(0.01)],
    ['momentum', () => wc.optimizers.sgd({ learningRate: 0.1, momentum: 0.9 }), momentum(0.1, 0.9, false)],
    ['nesterov', () => wc.optimizers.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true }), momentum(0.1, 0.9, true)],
    ['adam', () => wc.optimizers.adam({ learningRate: 0.1 }), adam(0.1, 0.9, 0.999, 1e-7)],
    ["'adam' (lr 0.001)", () => 'adam' as const, adam(0.001, 0.9, 0.999, 1e-7)],
    ['adamW', () => wc.optimizers.adamW({ learningRate: 0.1, weightDecay: 0.05 }), adam(0.1, 0.9, 0.999, 1e-7, 0.05)],
    ['rmsprop', () => wc.optimizers.rmsprop({ learningRate: 0.01, momentum: 0.5 }), rmsprop(0.01, 0.9, 0.5, 1e-7, false)],
    ["'rmsprop' (lr 0.001)", () => 'rmsprop' as const, rmsprop(0.001, 0.9, 0, 1e-7, false)],
    ['rmsprop centered', () => wc.optimizers.rmsprop({ learningRate: 0.01, centered: true }), rmsprop(0.01, 0.9, 0, 1e-7, true)],
  ])('%s', async (_name, make, update) => {
    expectClose(await viaFit(make(), 3), reference(update, 3), TOL, String(_name));
  });

  it('AdamW defaults to weightDecay 0.004; adam to TF.js defaults', () => {
    expect(wc.optimizers.adamW().weightDecay).toBe(0.004);
    const a = wc.optimizers.adam();
    expect([a.learningRate, a.beta1, a.beta2, a.epsilon]).toEqual([0.001, 0.9, 0.999, 1e-7]);
    const r = wc.optimizers.rmsprop();
    expect([r.learningRate, r.rho, r.momentum, r.epsilon, r.centered]).toEqual([0.001, 0.9, 0, 1e-7, false]);
  });

  it('unknown optimizer and loss names list the valid ones', () => {
    const m = wc.sequential({ layers: [wc.layers.dense({ units: 1, inputShape: [1] })] });
    expect(() => m.compile({ optimizer: 'adagrad' as 'sgd', loss: 'meanSquaredError' })).toThrow(/unknown optimizer "adagrad"; expected one of 'sgd', 'adam', 'adamw', 'rmsprop'/);
    expect(() => m.compile({ optimizer: 'sgd', loss: 'hinge' as 'mse' })).toThrow(/unknown loss "hinge"; expected one of 'categoricalCrossentropy', 'sparseCategoricalCrossentropy'/);
    expect(() => m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['f1' as 'acc'] })).toThrow(/unknown metric "f1"; expected one of 'accuracy'/);
  });
});
