// Whole models on WebGPU against the same models on the CPU reference: the
// same weights, the same batches, the same optimizer; predictions, losses and
// the weights after training steps must agree within the one tolerance.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { randomValues } from '../util/check.js';
import { GpuPage } from '../harness/gpu.js';
import { expectParity } from '../harness/tolerance.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

/** conv -> BN -> relu -> pool -> dropout -> dense softmax, and a residual functional net; built the same way on both sides. */
function build(w: typeof wc, kind: 'cnn' | 'residual'): InstanceType<typeof w.LayersModel> {
  if (kind === 'cnn') {
    const m = w.sequential();
    // No bias before batch norm: its true gradient is 0 (the mean is subtracted), so
    // Adam would amplify float32 noise of either backend into full-size steps.
    m.add(w.layers.conv2d({ inputShape: [7, 9, 2], filters: 4, kernelSize: 3, padding: 'same', strides: 1, useBias: false }));
    m.add(w.layers.batchNormalization({}));
    m.add(w.layers.reLU({}));
    m.add(w.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
    m.add(w.layers.dropout({ rate: 0.25, seed: 5 }));
    m.add(w.layers.flatten({}));
    m.add(w.layers.dense({ units: 3, activation: 'softmax' }));
    return m;
  }
  const inp = w.input({ shape: [6, 6, 3] });
  const a = w.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(inp);
  const shared = w.layers.conv2d({ filters: 3, kernelSize: 1 });
  const b = w.layers.add({}).apply([a, shared.apply(a)]);
  const c = w.layers.concatenate({}).apply([b, shared.apply(inp)]);
  const d = w.layers.globalAveragePooling2d({}).apply(c);
  const out = w.layers.dense({ units: 2, activation: 'softmax' }).apply(d);
  return w.model({ inputs: inp, outputs: out });
}

interface Trained { predictions: number[]; losses: number[]; weights: number[][] }

describe('models on webgpu match the CPU reference', () => {
  const cases: ['cnn' | 'residual', number[], number, 'adam' | 'sgd'][] = [
    ['cnn', [6, 7, 9, 2], 3, 'adam'],
    ['residual', [4, 6, 6, 3], 2, 'sgd'],
  ];
  for (const [kind, xShape, classes, optimizer] of cases) {
    it(`${kind}: predict, then 3 training steps (${optimizer})`, async () => {
      const n = xShape[0];
      const x = Array.from(randomValues(xShape.reduce((a, b) => a * b), 1));
      const y = Array.from({ length: n * classes }, (_, i) => (i % classes === (Math.floor(i / classes) % classes) ? 1 : 0));
      const cpuModel = build(wc, kind);
      const initial = await Promise.all(cpuModel.getWeights().map(async (t) => ({ t: Array.from(await t.data()), s: [...t.shape] })));

      const run = async (w: typeof wc, m: InstanceType<typeof wc.LayersModel>, a: { x: number[]; y: number[]; xShape: number[]; classes: number; optimizer: string }): Promise<Trained> => {
        const xs = w.tensor(a.x, a.xShape);
        const ys = w.tensor(a.y, [a.xShape[0], a.classes]);
        const predictions = Array.from(await (m.predict(xs) as typeof xs).data());
        m.compile({ optimizer: a.optimizer === 'adam' ? w.optimizers.adam({ learningRate: 0.01 }) : w.optimizers.sgd({ learningRate: 0.1, momentum: 0.9 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
        const h = await m.fit(xs, ys, { batchSize: 3, epochs: 1, shuffle: false, callbacks: {} });
        const weights: number[][] = [];
        for (const t of m.getWeights()) weights.push(Array.from(await t.data()));
        return { predictions, losses: h.history.loss.map(Number), weights };
      };
      const args = { x, y, xShape: [...xShape], classes, optimizer };

      const gpu = await gp.run(async ({ wc: w }, a) => {
        const m = (0, eval)(`(${a.build})`)(w, a.kind);
        m.setWeights(a.initial.map((v: { t: number[]; s: number[] }) => w.tensor(v.t, v.s)));
        return (0, eval)(`(${a.run})`)(w, m, a.args) as Promise<Trained>;
      }, { build: build.toString(), run: run.toString(), kind, initial, args });
      const cpu = await run(wc, cpuModel, args);

      expectParity(gpu.predictions, cpu.predictions, `${kind} predictions`);
      expectParity(gpu.losses, cpu.losses, `${kind} epoch loss`);
      expect(gpu.weights.length).toBe(cpu.weights.length);
      cpu.weights.forEach((wv, i) => expectParity(gpu.weights[i], wv, `${kind} weight ${i} after training`));
    });
  }

  it('a model saved to IndexedDB loads back on WebGPU and predicts the same', async () => {
    const same = await gp.run(async ({ wc: w }) => {
      const m = w.models.mnistLight({ inputShape: [16, 16, 1] });
      const x = w.tensor(Array.from({ length: 256 }, (_, i) => Math.cos(i)), [1, 16, 16, 1]);
      const before = Array.from(await (m.predict(x) as typeof x).data());
      await m.save('indexeddb://webcnn-test');
      const back = await w.loadModel('indexeddb://webcnn-test');
      const after = Array.from(await (back.predict(x) as typeof x).data());
      return { before, after };
    }, {});
    expect(same.after).toEqual(same.before);
  });

  it('verification mode checks a whole training step, in-place updates included', async () => {
    const vp = await GpuPage.open({ verify: true });
    try {
      const ok = await vp.run(async ({ wc: w }) => {
        const m = w.sequential();
        m.add(w.layers.conv2d({ inputShape: [5, 5, 1], filters: 2, kernelSize: 3 }));
        m.add(w.layers.batchNormalization({}));
        m.add(w.layers.flatten({}));
        m.add(w.layers.dense({ units: 2, activation: 'softmax' }));
        m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
        const xs = w.tensor(Array.from({ length: 50 }, (_, i) => Math.sin(i)), [2, 5, 5, 1]);
        const ys = w.tensor([1, 0, 0, 1], [2, 2]);
        const h = await m.fit(xs, ys, { batchSize: 2, epochs: 2 });
        return h.history.loss.length;
      }, {});
      expect(ok).toBe(2);
    } finally {
      await vp.close();
    }
  });
});
