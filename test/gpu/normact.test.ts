// Issue 20's normalization and activation ops on WebGPU against the CPU:
// local response normalization (op and layer), maxout (ties included),
// PReLU, ThresholdedReLU and Softmax over an inner axis, forward and
// gradient, batched into one page call; a model of all five trained one
// step; the four new kernels on NaN-filled pool buffers; then LRN and maxout
// in verification mode.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { randomValues } from '../util/check.js';
import { GpuPage } from '../harness/gpu.js';
import { expectParity } from '../harness/tolerance.js';
import { T, callBoth, type Arg, type KernelName } from '../harness/kernelCall.js';

interface Case {
  label: string;
  /** (wc, ...inputs) => Tensor, as source: evaluated in the page and in Node alike. */
  f: string;
  inputs: { values: number[]; shape: number[] }[];
}
interface Result { y: number[]; grads: number[][] }

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
let seed = 1;
const rand = (shape: number[], lo = -1, hi = 1) => ({ values: Array.from(randomValues(size(shape), seed++, lo, hi)), shape });
/** Values from a few levels only, so maxout's groups hold ties. */
const tied = (shape: number[]) => ({ values: Array.from(randomValues(size(shape), seed++, 0, 3), (v) => Math.floor(v)), shape });

function onCpu(c: Case): Result {
  const f = (0, eval)(c.f) as (lib: typeof wc, ...xs: wc.Tensor[]) => wc.Tensor;
  const xs = c.inputs.map((i) => wc.tensor(Float32Array.from(i.values), i.shape));
  const y = f(wc, ...xs);
  const dy = wc.tensor(Float32Array.from({ length: y.size }, (_, i) => Math.sin(i + 1)), y.shape);
  const gs = wc.grads((...ts: wc.Tensor[]) => f(wc, ...ts))(xs, dy);
  return { y: Array.from(y.dataSync()), grads: gs.map((g) => Array.from(g.dataSync())) };
}

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

describe('webgpu normalization and activation layers', () => {
  it('LRN, maxout, PReLU, ThresholdedReLU, Softmax(axis): values and gradients as on the CPU', async () => {
    const cases: Case[] = [
      { label: "LRN, AlexNet's constants", f: '(wc, x) => wc.localResponseNormalization(x, 2, 2, 1e-4, 0.75)', inputs: [rand([2, 3, 3, 8], -3, 3)] },
      { label: 'LRN, TF.js defaults (radius past the 5 channels)', f: '(wc, x) => wc.localResponseNormalization(x)', inputs: [rand([1, 2, 2, 5])] },
      { label: 'LRN, radius 0, beta 1', f: '(wc, x) => wc.localResponseNormalization(x, 0, 0.5, 2, 1)', inputs: [rand([1, 2, 3, 3])] },
      { label: 'LRN, one image, radius 1', f: '(wc, x) => wc.localResponseNormalization(x, 1, 1, 0.5, 0.6)', inputs: [rand([2, 2, 4])] },
      { label: 'LRN layer', f: '(wc, x) => wc.layers.localResponseNormalization({ depthRadius: 3, bias: 1.5, alpha: 0.2, beta: 0.8 }).apply(x)', inputs: [rand([2, 2, 2, 7])] },
      { label: 'maxout, last axis', f: '(wc, x) => wc.layers.maxout({ numUnits: 3 }).apply(x)', inputs: [rand([2, 3, 2, 6])] },
      { label: 'maxout, axis 1', f: '(wc, x) => wc.layers.maxout({ numUnits: 2, axis: 1 }).apply(x)', inputs: [rand([2, 4, 2, 3])] },
      { label: 'maxout, ties (first maximum)', f: '(wc, x) => wc.layers.maxout({ numUnits: 4 }).apply(x)', inputs: [tied([3, 2, 16])] },
      { label: 'PReLU shared over h, w', f: '(wc, x) => wc.layers.prelu({ sharedAxes: [1, 2], alphaInitializer: wc.initializers.constant({ value: 0.3 }) }).apply(x)', inputs: [rand([2, 3, 3, 4])] },
      { label: 'ThresholdedReLU', f: '(wc, x) => wc.layers.thresholdedReLU({ theta: 0.2 }).apply(x)', inputs: [rand([2, 3, 5])] },
      { label: 'Softmax axis 1', f: '(wc, x) => wc.layers.softmax({ axis: 1 }).apply(x)', inputs: [rand([2, 5, 3, 2])] },
      { label: 'Softmax axes [1, 2]', f: '(wc, x) => wc.layers.softmax({ axis: [1, 2] }).apply(x)', inputs: [rand([2, 3, 2, 2])] },
    ];
    const results = await gp.run(async ({ wc }, list) => {
      const out: { y: number[]; grads: number[][] }[] = [];
      for (const c of list) {
        const f = (0, eval)(c.f) as (lib: typeof wc, ...xs: InstanceType<typeof wc.Tensor>[]) => InstanceType<typeof wc.Tensor>;
        const xs = c.inputs.map((i) => wc.tensor(Float32Array.from(i.values), i.shape));
        const y = f(wc, ...xs);
        const dy = wc.tensor(Float32Array.from({ length: y.size }, (_, i) => Math.sin(i + 1)), y.shape);
        const gs = wc.grads((...ts) => f(wc, ...ts))(xs, dy);
        out.push({ y: Array.from(await y.data()), grads: await Promise.all(gs.map(async (g) => Array.from(await g.data()))) });
        for (const t of [...xs, y, dy, ...gs]) t.dispose();
      }
      return out;
    }, cases);
    cases.forEach((c, i) => {
      const cpu = onCpu(c);
      expectParity(results[i].y, cpu.y, `${c.label}: value`);
      expect(results[i].grads.length, c.label).toBe(cpu.grads.length);
      cpu.grads.forEach((g, j) => expectParity(results[i].grads[j], g, `${c.label}: gradient ${j}`));
    });
  });

  it('a model with all five layers: predict and one SGD step of fit as on the CPU (the fit path of each backward)', async () => {
    const build = (w: typeof wc) => w.sequential({ layers: [
      w.layers.conv2d({ inputShape: [5, 5, 2], filters: 8, kernelSize: 3, padding: 'same' }),
      w.layers.localResponseNormalization({ depthRadius: 2, bias: 1, alpha: 0.5, beta: 0.75 }),
      w.layers.prelu({ sharedAxes: [1, 2], alphaInitializer: w.initializers.constant({ value: 0.2 }) }),
      w.layers.maxout({ numUnits: 4 }),
      w.layers.thresholdedReLU({ theta: -0.5 }),
      w.layers.softmax({ axis: 1 }),
      w.layers.flatten(),
      w.layers.dense({ units: 3, activation: 'softmax' }),
    ] });
    const cpuModel = build(wc);
    const initial = cpuModel.getWeights().map((t) => ({ t: Array.from(t.dataSync()), s: [...t.shape] }));
    const args = { x: Array.from(randomValues(4 * 50, 60)), y: Array.from({ length: 12 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0)) };
    const train = async (w: typeof wc, m: InstanceType<typeof wc.LayersModel>, a: { x: number[]; y: number[] }) => {
      const xs = w.tensor(a.x, [4, 5, 5, 2]);
      const predictions = Array.from(await (m.predict(xs) as typeof xs).data());
      m.compile({ optimizer: w.optimizers.sgd({ learningRate: 0.5 }), loss: 'categoricalCrossentropy' });
      const h = await m.fit(xs, w.tensor(a.y, [4, 3]), { batchSize: 4, epochs: 1, shuffle: false });
      const weights: number[][] = [];
      for (const t of m.getWeights()) weights.push(Array.from(await t.data()));
      return { predictions, losses: h.history.loss.map(Number), weights };
    };
    const gpu = await gp.run(async ({ wc: w }, a) => {
      const m = (0, eval)(`(${a.build})`)(w);
      m.setWeights(a.initial.map((v: { t: number[]; s: number[] }) => w.tensor(v.t, v.s)));
      return (0, eval)(`(${a.train})`)(w, m, a.args) as Promise<{ predictions: number[]; losses: number[]; weights: number[][] }>;
    }, { build: build.toString(), train: train.toString(), initial, args });
    const cpu = await train(wc, cpuModel, args);
    expectParity(gpu.predictions, cpu.predictions, 'predictions');
    expectParity(gpu.losses, cpu.losses, 'loss');
    expect(gpu.weights.length).toBe(cpu.weights.length);
    cpu.weights.forEach((wv, i) => expectParity(gpu.weights[i], wv, `weight ${i} after a step`));
    // the step moved every weight (each layer passed a gradient back)
    cpu.weights.forEach((wv, i) => expect(wv, `weight ${i} moved`).not.toEqual(initial[i].t));
  });

  it('the lrn, lrnBackward, maxout and maxoutBackward kernels on NaN-filled pool buffers', async () => {
    const p = { depthRadius: 2, bias: 1, alpha: 0.5, beta: 0.75 };
    const x = T(randomValues(2 * 2 * 3 * 6, 50), [2, 2, 3, 6]);
    const calls: [KernelName, Arg[]][] = [
      ['lrn', [x, p]],
      ['lrnBackward', [T(randomValues(72, 51), [2, 2, 3, 6]), x, p]],
      ['maxout', [x, 2, 3]],
      ['maxoutBackward', [T(randomValues(2 * 2 * 3 * 3, 52), [2, 2, 3, 3]), x, 3, 3]],
    ];
    for (const [method, args] of calls) {
      const { gpu, cpu } = await callBoth(gp, method, args);
      expect(gpu.length, method).toBe(cpu.length);
      cpu.forEach((c, i) => expectParity(gpu[i], c, `${method} output ${i}`));
    }
  });

  it('verification mode checks LRN and maxout, forward and backward, against the CPU', async () => {
    const vp = await GpuPage.open({ verify: true });
    try {
      const out = await vp.run(async ({ wc, engine }) => {
        const be = engine.backend() as unknown as { verifier?: { checked: number } };
        const before = be.verifier?.checked ?? -1;
        const x = wc.tensor(Float32Array.from({ length: 48 }, (_, i) => Math.sin(i)), [1, 2, 4, 6]);
        const f = (t: InstanceType<typeof wc.Tensor>) => wc.layers.maxout({ numUnits: 3 }).apply(wc.localResponseNormalization(t, 2, 1, 0.5, 0.75)) as InstanceType<typeof wc.Tensor>;
        const [g] = wc.grads(f)([x]);
        const y = f(x);
        await y.data(); await g.data();
        const checked = (be.verifier?.checked ?? -1) - before;
        for (const t of [x, y, g]) t.dispose();
        return { checked };
      }, null);
      expect(out.checked).toBeGreaterThanOrEqual(4);
    } finally {
      await vp.close();
    }
  });
});
