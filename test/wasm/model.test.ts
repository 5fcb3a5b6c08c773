// Whole models on the wasm backend against the same models on the CPU
// reference: the same weights, batches and optimizer; predictions, losses
// and the weights after training must agree within the one tolerance. The
// wasm backend runs the GEMM and convolutions in SIMD and the rest through
// the CPU reference, so this checks the seams between the two as well.

import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import type { ModelArtifacts } from '../../src/index.js';
import { randomValues } from '../util/check.js';
import { TEST_THREADS } from './harness.js';
import { expectParity } from '../harness/tolerance.js';

type Model = InstanceType<typeof wc.LayersModel>;
interface Trained { predictions: number[]; losses: number[]; evaluated: number[]; weights: number[][] }

function build(kind: 'cnn' | 'light' | 'standard'): Model {
  if (kind === 'light') return wc.models.mnistLight();
  if (kind === 'standard') {
    // mnistStandard with a seeded dropout, so both backends drop the same units.
    const L = wc.layers;
    return wc.sequential({ layers: [
      L.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, useBias: false }), L.batchNormalization(), L.reLU(),
      L.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }), L.maxPooling2d({ poolSize: 2, strides: 2 }),
      L.conv2d({ filters: 64, kernelSize: 3, useBias: false }), L.batchNormalization(), L.reLU(), L.maxPooling2d({ poolSize: 2, strides: 2 }),
      L.flatten(), L.dense({ units: 128, activation: 'relu' }), L.dropout({ rate: 0.25, seed: 7 }), L.dense({ units: 10, activation: 'softmax' }),
    ] });
  }
  const m = wc.sequential();
  m.add(wc.layers.conv2d({ inputShape: [7, 9, 2], filters: 4, kernelSize: 3, padding: 'same', useBias: false }));
  m.add(wc.layers.batchNormalization({}));
  m.add(wc.layers.reLU({}));
  m.add(wc.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
  m.add(wc.layers.flatten({}));
  m.add(wc.layers.dense({ units: 3, activation: 'softmax' }));
  return m;
}

async function train(backend: 'cpu' | 'wasm', kind: 'cnn' | 'light' | 'standard', initial: { v: number[]; s: number[] }[], xShape: number[], classes: number, optimizer: 'adam' | 'sgd'): Promise<Trained> {
  await wc.setBackend(backend, backend === 'wasm' ? { threads: TEST_THREADS } : {});
  const m = build(kind);
  m.setWeights(initial.map((w) => wc.tensor(w.v, w.s)));
  const n = xShape[0];
  const xs = wc.tensor(randomValues(xShape.reduce((a, b) => a * b), 1), xShape);
  const ys = wc.tensor(Array.from({ length: n * classes }, (_, i) => (i % classes === Math.floor(i / classes) % classes ? 1 : 0)), [n, classes]);
  const predictions = Array.from(await (m.predict(xs) as wc.Tensor).data());
  m.compile({ optimizer: optimizer === 'adam' ? wc.optimizers.adam({ learningRate: 0.01 }) : wc.optimizers.sgd({ learningRate: 0.05 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const h = await m.fit(xs, ys, { batchSize: Math.ceil(n / 2), epochs: 1, shuffle: false });
  const evaluated = (await m.evaluate(xs, ys)) as number[];
  const weights: number[][] = [];
  for (const t of m.getWeights()) weights.push(Array.from(await t.data()));
  return { predictions, losses: h.history.loss.map(Number), evaluated: evaluated.map(Number), weights };
}

describe('models on wasm match the CPU reference', () => {
  // Adam turns float32 noise in near-zero gradients into full-size steps (it
  // divides by the gradient's own size), so the deeper model trains with SGD here.
  const cases: ['cnn' | 'light' | 'standard', number[], number, 'adam' | 'sgd'][] = [
    ['cnn', [6, 7, 9, 2], 3, 'adam'],
    ['light', [6, 28, 28, 1], 10, 'adam'],
    ['standard', [4, 28, 28, 1], 10, 'sgd'],
  ];
  for (const [kind, xShape, classes, optimizer] of cases) {
    it(`${kind}: predict, 2 training steps (${optimizer}), evaluate`, async () => {
      await wc.setBackend('cpu');
      const initial = build(kind).getWeights().map((t) => ({ v: Array.from(t.dataSync()), s: [...t.shape] }));
      const wasm = await train('wasm', kind, initial, xShape, classes, optimizer);
      const cpu = await train('cpu', kind, initial, xShape, classes, optimizer);
      expectParity(wasm.predictions, cpu.predictions, `${kind} predictions`);
      expectParity(wasm.losses, cpu.losses, `${kind} epoch loss`);
      expectParity(wasm.evaluated, cpu.evaluated, `${kind} evaluate`);
      expect(wasm.weights.length).toBe(cpu.weights.length);
      cpu.weights.forEach((w, i) => expectParity(wasm.weights[i], w, `${kind} weight ${i} after training`));
    });
  }

  it('saves and loads a model: the loaded one predicts the same', async () => {
    await wc.setBackend('wasm', { threads: TEST_THREADS });
    const m = build('light');
    const x = wc.tensor(randomValues(2 * 784, 3), [2, 28, 28, 1]);
    const before = Array.from(await (m.predict(x) as wc.Tensor).data());
    let saved: ModelArtifacts | null = null;
    await m.save({ save: async (a: ModelArtifacts) => { saved = a; return {}; } });
    if (!saved) throw new Error('nothing saved');
    const loaded = await wc.loadModel(saved);
    expect(loaded.getWeights()[0].backend.name).toBe('wasm');
    expect(Array.from(await (loaded.predict(x) as wc.Tensor).data())).toEqual(before);
  });
});

describe('verification mode on wasm', () => {
  it('checks each wasm kernel against the CPU reference while a model trains', async () => {
    await wc.setBackend('wasm', { verify: true, threads: TEST_THREADS });
    const info = wc.backendInfo();
    expect(info.name).toBe('wasm');
    const m = build('cnn');
    m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    const h = await m.fit(wc.tensor(randomValues(4 * 7 * 9 * 2, 4), [4, 7, 9, 2]), wc.tensor([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0], [4, 3]), { batchSize: 2, epochs: 1 });
    expect(Number.isFinite(h.history.loss[0])).toBe(true);
  });

  it('checks the decoder, normalization and locally-connected layers\' kernels, forward and backward, through a fit step', async () => {
    await wc.setBackend('wasm', { verify: true, threads: TEST_THREADS });
    const { backend } = await import('../../src/engine.js');
    const { WasmBackend } = await import('../../src/backend/wasm/index.js');
    const be = backend();
    if (!(be instanceof WasmBackend) || !be.verifier) throw new Error('expected the wasm backend in verification mode');
    // Which kernels ran: each of these families' forward and backward must be among them.
    const ran = new Set<string>();
    const run = be.run.bind(be);
    be.run = ((kernel, args) => { ran.add(kernel.name); return run(kernel, args); }) as typeof be.run;
    try {
      const L = wc.layers;
      const m = wc.sequential({ layers: [
        // A layer in front, so the locally-connected layer's input gradient is needed.
        L.conv2d({ inputShape: [6, 5, 3], filters: 3, kernelSize: 1, kernelInitializer: wc.initializers.glorotUniform({ seed: 3 }) }),
        L.locallyConnected2d({ filters: 4, kernelSize: 2, activation: 'relu', kernelInitializer: wc.initializers.glorotUniform({ seed: 1 }) }),
        L.localResponseNormalization({ depthRadius: 1, bias: 1, alpha: 0.5, beta: 0.75 }),
        L.upSampling2d({ size: [2, 2], interpolation: 'bilinear' }),
        L.maxout({ numUnits: 2 }),
        L.globalAveragePooling2d({}),
        L.dense({ units: 3, kernelInitializer: wc.initializers.glorotUniform({ seed: 2 }) }),
        L.softmax({ axis: -1 }),
      ] });
      m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      const checked = be.verifier.checked;
      const h = await m.fit(wc.tensor(randomValues(2 * 6 * 5 * 3, 9), [2, 6, 5, 3]), wc.tensor([1, 0, 0, 0, 1, 0], [2, 3]), { batchSize: 2, epochs: 1, shuffle: false });
      expect(Number.isFinite(h.history.loss[0])).toBe(true);
      expect(be.verifier.checked - checked).toBeGreaterThan(10);
      for (const k of ['locallyConnected2d', 'locallyConnected2dBackwardInput', 'locallyConnected2dBackwardFilter', 'lrn', 'lrnBackward',
        'upSampling2d', 'upSampling2dBackward', 'maxout', 'maxoutBackward']) expect(ran, k).toContain(k);
      expect(wc.backendInfo().wasm?.fallbackKernels).toEqual([]);
    } finally {
      be.run = run;
    }
  });

  it('throws on a disagreement, naming the kernel, shapes, element and both values', async () => {
    await wc.setBackend('wasm', { verify: true, threads: TEST_THREADS });
    const { backend } = await import('../../src/engine.js');
    const { WasmBackend } = await import('../../src/backend/wasm/index.js');
    const be = backend();
    if (!(be instanceof WasmBackend) || !be.verifier) throw new Error('expected the wasm backend in verification mode');
    const checked = be.verifier.checked;
    wc.ops.matmul(wc.tensor([[1, 2]]), wc.tensor([[3], [4]]), false, false);
    expect(be.verifier.checked).toBe(checked + 1);
    be.verifier.corruptNext = 'matmul';
    expect(() => wc.ops.matmul(wc.tensor([[1, 2]]), wc.tensor([[3], [4]]), false, false))
      .toThrow('wasm verify: matmul([1, 2], [2, 1], false, false, null, "linear") disagrees with the CPU reference: result element 0 is 12345 in wasm, 11 on the CPU');
  });
});
