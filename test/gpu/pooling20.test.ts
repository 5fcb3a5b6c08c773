// Min, sum and L2-norm pooling on WebGPU (issue 20): every kernel, forward and
// backward, against the CPU reference on window shapes that take each shader
// path (scalar and vec4 lanes, gathering and per-window backwards, 'same'
// padding, gaps, whole-image windows, all-zero windows), in one page call; and,
// in verification mode, three small nets with each pooling layer train in fit
// with every kernel checked against the CPU in the page, and the same losses
// as fit on the CPU in Node.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pool2dParams } from '../../src/backend/types.js';
import * as wc from '../../src/index.js';
import { randomValues } from '../util/check.js';
import { GpuPage } from '../harness/gpu.js';
import { expectParity } from '../harness/tolerance.js';

const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);

const CASES: [string, number[], Pool2dParams][] = [
  ['2/2 valid, batch 2, 5 channels', [2, 7, 9, 5], { poolSize: [2, 2], strides: [2, 2], padding: 'valid' }],
  ["overlapping 3/2 'same', 4 channels (vec4 lanes)", [1, 7, 9, 4], { poolSize: [3, 3], strides: [2, 2], padding: 'same' }],
  ["2/3 'same' (gaps; per-window backward), 4 channels", [2, 8, 7, 4], { poolSize: [2, 2], strides: [3, 3], padding: 'same' }],
  ["2/2 'same' on 7x9 (per-window backward), 2 channels", [2, 7, 9, 2], { poolSize: [2, 2], strides: [2, 2], padding: 'same' }],
  ['[2,3] strides [1,2] valid, 3 channels', [1, 6, 7, 3], { poolSize: [2, 3], strides: [1, 2], padding: 'valid' }],
  ['whole 5x6 image (global), 3 channels', [3, 5, 6, 3], { poolSize: [5, 6], strides: [5, 6], padding: 'valid' }],
];

/** x with exact ties (every 7th element 0.5) and its first two rows of image 0 all zero (L2 windows of norm 0). */
function input(shape: number[], seed: number): Float32Array {
  const x = randomValues(size(shape), seed);
  for (let i = 0; i < x.length; i += 7) x[i] = 0.5;
  x.fill(0, 0, 2 * shape[2] * shape[3]);
  return x;
}

describe('webgpu min, sum and L2 pooling kernels', () => {
  let gp: GpuPage;
  beforeAll(async () => { gp = await GpuPage.open(); });
  afterAll(async () => { await gp?.close(); });

  it('forward and backward agree with the CPU reference on every case, NaN-dirty outputs included', async () => {
    const cases = CASES.map(([name, shape, p], k) => {
      const x = input(shape, 10 + k);
      const y = wc.ops.minPool2d(wc.tensor(x, shape), p);
      return { name, shape, p, x: Array.from(x), dy: Array.from(randomValues(y.size, 30 + k)), yShape: [...y.shape] };
    });
    const gpu = await gp.run(async ({ wc }, cs) => {
      const out: number[][][] = [];
      for (const c of cs) {
        // Dirty the pool: outputs land on reused buffers full of NaN, so an unwritten element shows.
        const dirt = [];
        for (let n = 4; n <= 8 * c.x.length; n *= 2) dirt.push(wc.tensor(new Float32Array(n).fill(NaN), [n]));
        await Promise.all(dirt.map((t) => t.data()));
        for (const t of dirt) t.dispose();
        const x = wc.tensor(c.x, c.shape);
        const dy = wc.tensor(c.dy, c.yShape);
        const l2 = wc.ops.l2Pool2d(x, c.p);
        const ys = [
          wc.ops.minPool2d(x, c.p), wc.ops.minPool2dBackward(dy, x, c.p),
          wc.ops.sumPool2d(x, c.p), wc.ops.sumPool2dBackward(dy, c.shape, c.p),
          l2, wc.ops.l2Pool2dBackward(dy, x, l2, c.p),
        ];
        const values: number[][] = [];
        for (const y of ys) values.push(Array.from(await y.data()));
        for (const t of [x, dy, ...ys]) t.dispose();
        out.push(values);
      }
      return out;
    }, cases);
    const names = ['minPool2d', 'minPool2dBackward', 'sumPool2d', 'sumPool2dBackward', 'l2Pool2d', 'l2Pool2dBackward'];
    cases.forEach((c, k) => {
      const x = wc.tensor(c.x, c.shape);
      const dy = wc.tensor(c.dy, c.yShape);
      const l2 = wc.ops.l2Pool2d(x, c.p);
      const cpu = [
        wc.ops.minPool2d(x, c.p), wc.ops.minPool2dBackward(dy, x, c.p),
        wc.ops.sumPool2d(x, c.p), wc.ops.sumPool2dBackward(dy, c.shape, c.p),
        l2, wc.ops.l2Pool2dBackward(dy, x, l2, c.p),
      ];
      cpu.forEach((y, i) => expectParity(gpu[k][i], y.dataSync(), `${c.name}: ${names[i]}`));
    });
  });
});

/** The three nets and their training, as source for the page and for Node: only its arguments are used. */
async function trainNets(w: typeof wc): Promise<{ losses: number[][]; classes: string[][] }> {
  const seeded = (seed: number) => w.initializers.glorotUniform({ seed });
  const net = (pool: wc.Layer, global: wc.Layer) => w.sequential({
    layers: [
      w.layers.conv2d({ inputShape: [6, 6, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: seeded(1) }),
      pool,
      w.layers.conv2d({ filters: 4, kernelSize: 2, padding: 'same', kernelInitializer: seeded(2) }),
      global,
      w.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: seeded(3) }),
    ],
  });
  const nets = [
    net(w.layers.minPooling2d({ poolSize: 2 }), w.layers.globalSumPooling2d()),
    net(w.layers.sumPooling2d({ poolSize: 3, strides: 2, padding: 'same' }), w.layers.globalL2Pooling2d()),
    net(w.layers.l2Pooling2d({ poolSize: 2 }), w.layers.globalMinPooling2d()),
  ];
  // Labels: the bright square in the top or the bottom half.
  const n = 16;
  const xv = new Float32Array(n * 36);
  const yv = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 36; j++) xv[i * 36 + j] = 0.1 * Math.abs(Math.sin(i * 36 + j));
    const top = i % 2 === 0;
    const r0 = top ? 0 : 3;
    const c0 = (i * 5) % 4;
    for (let r = r0; r < r0 + 2; r++) for (let c = c0; c < c0 + 2; c++) xv[i * 36 + r * 6 + c] += 1;
    yv[i * 2 + (top ? 0 : 1)] = 1;
  }
  const x = w.tensor(xv, [n, 6, 6, 1]);
  const y = w.tensor(yv, [n, 2]);
  const losses: number[][] = [];
  for (const m of nets) {
    m.compile({ optimizer: w.optimizers.adam({ learningRate: 0.02 }), loss: 'categoricalCrossentropy' });
    const h = await m.fit(x, y, { epochs: 4, batchSize: 8, shuffle: false });
    losses.push(h.history.loss as number[]);
  }
  return { losses, classes: nets.map((m) => m.layers.map((l) => l.className)) };
}

describe('webgpu min, sum and L2 pooling layers in verification mode', () => {
  let gp: GpuPage;
  beforeAll(async () => { gp = await GpuPage.open({ verify: true }); });
  afterAll(async () => { await gp?.close(); });

  it('three small nets train in fit, every kernel checked against the CPU, with the CPU\'s losses', async () => {
    const got = await gp.run(async ({ wc, engine }, src) => {
      const be = engine.backend() as unknown as { verifier?: { checked: number } };
      const before = be.verifier?.checked ?? -1;
      const train = (0, eval)(`(${src})`) as (w: typeof wc) => Promise<{ losses: number[][]; classes: string[][] }>;
      const r = await train(wc);
      return { ...r, backend: wc.getBackend(), checked: (be.verifier?.checked ?? -1) - before };
    }, trainNets.toString());
    expect(got.backend).toBe('webgpu');
    expect(got.checked).toBeGreaterThan(100);
    const cpu = await trainNets(wc);
    expect(got.classes).toEqual(cpu.classes);
    got.losses.forEach((l, i) => {
      expect(l.every(Number.isFinite), `net ${i}`).toBe(true);
      expect(l[l.length - 1], `net ${i}: the loss falls`).toBeLessThan(l[0]);
      expectParity(l, cpu.losses[i], `net ${i} (${got.classes[i][1]}, ${got.classes[i][3]}) losses`);
    });
  });
});
