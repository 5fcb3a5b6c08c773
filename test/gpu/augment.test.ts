// The augmentation kernels on WebGPU against the CPU reference: transform and
// transformBackward (nearest and bilinear, the four fill modes, projective,
// batch-shared and per-image transforms, outputShape), displace and
// displaceBackward, on NaN-dirty buffers, all in one page call; then
// wc.image.transform forward and gradient under verification mode; and one
// fit step through seeded random layers, equal to the CPU's (one page call).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Wc from '../../src/index.js';
import * as wc from '../../src/index.js';
import { randomValues } from '../util/check.js';
import { GpuPage } from '../harness/gpu.js';
import { expectParity } from '../harness/tolerance.js';
import { cpu } from '../harness/cpu.js';
import { KERNELS, type KernelName } from '../../src/kernels/registry.js';

type Gpu = import('../../src/backend/webgpu/index.js').WebGpuBackend;

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

interface TArg { t: number[]; s: number[] }
const T = (values: ArrayLike<number>, shape: number[]): TArg => ({ t: Array.from(values), s: shape });
const isT = (v: unknown): v is TArg => typeof v === 'object' && v !== null && 't' in v && 's' in v;

interface Case { label: string; kernel: KernelName; args: unknown[] }

/** Rotation by theta about the centre plus a shift, output to input. */
function rotation(theta: number, h: number, w: number, dy = 0, dx = 0): number[] {
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  return [c, -s, ((w - 1) - (c * (w - 1) - s * (h - 1))) / 2 + dx, s, c, ((h - 1) - (s * (w - 1) + c * (h - 1))) / 2 + dy, 0, 0];
}

const FILLS = ['constant', 'reflect', 'wrap', 'nearest'] as const;

function cases(): Case[] {
  const out: Case[] = [];
  const shapes: [number[], [number, number]][] = [[[3, 7, 5, 3], [7, 5]], [[1, 6, 9, 1], [4, 11]], [[2, 1, 6, 2], [3, 6]]];
  shapes.forEach(([shape, os], k) => {
    const [n, h, w] = shape;
    const tv = Array.from({ length: n }, (_, b) => {
      const m = rotation(0.7 * b - 0.4, h, w, 2.5 * b - 1.3, 1.7 - b);
      if (b === 1) { m[6] = 0.03; m[7] = -0.02; }
      return m;
    });
    for (const interpolation of ['bilinear', 'nearest'] as const) {
      for (const fillMode of FILLS) {
        const p = { interpolation, fillMode, fillValue: 0.75, outputShape: os };
        const label = `${shape.join('x')} to ${os.join('x')} ${interpolation} ${fillMode}`;
        const yShape = [n, os[0], os[1], shape[3]];
        const per = T(tv.flat(), [n, 8]);
        const shared = T(tv[0], [1, 8]);
        out.push({ label, kernel: 'transform', args: [T(randomValues(size(shape), 10 + k), shape), per, p] });
        out.push({ label: `${label} shared`, kernel: 'transform', args: [T(randomValues(size(shape), 11 + k), shape), shared, p] });
        out.push({ label, kernel: 'transformBackward', args: [T(randomValues(size(yShape), 20 + k), yShape), per, shape, p] });
        const sp = { interpolation, fillMode, fillValue: -0.5 };
        const flow = T(randomValues(n * h * w * 2, 30 + k, -2.6, 2.6), [n, h, w, 2]);
        out.push({ label, kernel: 'displace', args: [T(randomValues(size(shape), 40 + k), shape), flow, sp] });
        out.push({ label, kernel: 'displaceBackward', args: [T(randomValues(size(shape), 50 + k), shape), flow, shape, sp] });
      }
    }
  });
  return out;
}

describe('webgpu augmentation kernels', () => {
  it('transform, transformBackward, displace and displaceBackward match the CPU reference', async () => {
    const all = cases();
    const gpu = await gp.run(async ({ wc: pw, engine, kernels }, a) => {
      const b = engine.backend();
      const dirt = [];
      for (let n = 4; n <= 8192; n *= 2) for (let k = 0; k < 3; k++) dirt.push(pw.tensor(new Float32Array(n).fill(NaN), [n]));
      await Promise.all(dirt.map((t) => t.data()));
      for (const t of dirt) t.dispose();
      const results: number[][] = [];
      for (const c of a.cases) {
        const made = c.args.map((x: unknown) => {
          const v = x as { t?: number[]; s?: number[] };
          return typeof x === 'object' && x !== null && v.t && v.s ? pw.tensor(v.t, v.s) : x;
        });
        const r = b.run(kernels.kernelNamed(c.kernel), made) as { data(): Promise<Float32Array> };
        results.push(Array.from(await r.data()));
      }
      return results;
    }, { cases: all as unknown as { kernel: string; args: unknown[] }[] });
    expect(gpu.length).toBe(all.length);
    all.forEach((c, i) => {
      const made = c.args.map((x) => (isT(x) ? cpu.fromValues(Float32Array.from(x.t), x.s) : x));
      const ref = cpu.run(KERNELS[c.kernel] as unknown as Parameters<typeof cpu.run>[0], made) as Wc.Tensor;
      expectParity(gpu[i], ref.dataSync(), `${c.kernel} ${c.label}`);
    });
  });

  it('wc.image.transform forward and gradient, ops.displace and its backward pass verification mode', async () => {
    const X = [2, 5, 6, 2];
    const tv = [...rotation(0.5, 5, 6), ...rotation(-1.1, 5, 6, 1, -2)];
    const x = Array.from(randomValues(size(X), 60));
    const dy = Array.from(randomValues(size(X), 61));
    const flow = Array.from(randomValues(2 * 5 * 6 * 2, 62, -1.7, 1.7));
    const sp = { interpolation: 'bilinear', fillMode: 'wrap', fillValue: 0 } as const;
    const ref = wc.tidy(() => {
      const f = (t: Wc.Tensor) => wc.image.transform(t, wc.tensor(tv, [2, 8]), 'bilinear', 'reflect');
      const fl = wc.tensor(flow, [2, 5, 6, 2]);
      return {
        y: Array.from(f(wc.tensor(x, X)).dataSync()), g: Array.from(wc.grad(f)(wc.tensor(x, X), wc.tensor(dy, X)).dataSync()),
        d: Array.from(wc.ops.displace(wc.tensor(x, X), fl, sp).dataSync()), dg: Array.from(wc.ops.displaceBackward(wc.tensor(dy, X), fl, X, sp).dataSync()),
      };
    });
    const vp = await GpuPage.open({ verify: true });
    try {
      const r = await vp.run(async ({ wc: pw, engine }, a) => {
        const be = engine.backend() as Gpu;
        const before = be.verifier?.checked ?? 0;
        const f = (t: Wc.Tensor) => pw.image.transform(t, pw.tensor(a.tv, [2, 8]), 'bilinear', 'reflect');
        const xt = pw.tensor(a.x, a.X);
        const y = Array.from(await f(xt).data());
        const g = Array.from(await pw.grad(f)(xt, pw.tensor(a.dy, a.X)).data());
        const fl = pw.tensor(a.flow, [2, 5, 6, 2]);
        const d = Array.from(await pw.ops.displace(xt, fl, a.sp).data());
        const dg = Array.from(await pw.ops.displaceBackward(pw.tensor(a.dy, a.X), fl, a.X, a.sp).data());
        return { y, g, d, dg, checked: (be.verifier?.checked ?? 0) - before };
      }, { x, dy, tv, X, flow, sp });
      expect(r.checked).toBeGreaterThanOrEqual(4);
      expectParity(r.y, ref.y, 'verified forward');
      expectParity(r.g, ref.g, 'verified gradient');
      expectParity(r.d, ref.d, 'verified displace');
      expectParity(r.dg, ref.dg, 'verified displaceBackward');
    } finally {
      await vp.close();
    }
  });
});

/** A model whose random layers draw from fixed seeds; built from the wc it is given. */
function augmentedModel(w: typeof Wc): Wc.Sequential {
  const m = w.sequential({ layers: [
    w.layers.randomRotation({ inputShape: [8, 7, 2], factor: 0.1, seed: 1 }),
    w.layers.randomTranslation({ heightFactor: 0.2, widthFactor: 0.15, fillMode: 'wrap', seed: 2 }),
    w.layers.randomZoom({ heightFactor: [-0.2, 0.2], widthFactor: 0.1, fillMode: 'constant', seed: 3 }),
    w.layers.randomFlip({ seed: 4 }),
    w.layers.randomCrop({ height: 6, width: 6, seed: 5 }),
    w.layers.randomElasticDeformation({ alpha: 3, sigma: 1.5, interpolation: 'nearest', seed: 6 }),
    w.layers.randomContrast({ factor: 0.4, valueRange: [0, 1], seed: 7 }),
    w.layers.randomBrightness({ factor: 0.1, valueRange: [0, 1], seed: 8 }),
    w.layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu', kernelInitializer: w.initializers.glorotUniform({ seed: 9 }) }),
    w.layers.flatten(),
    w.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: w.initializers.glorotUniform({ seed: 10 }) }),
  ] });
  m.compile({ optimizer: w.optimizers.sgd({ learningRate: 0.5 }), loss: 'categoricalCrossentropy' });
  return m;
}

describe('webgpu random preprocessing layers', () => {
  it('one fit step through seeded random layers gives the CPU\'s loss and weights; predict passes them by', async () => {
    const X = [4, 8, 7, 2];
    const x = Array.from(randomValues(size(X), 70, 0, 1));
    const y = [1, 0, 0, 1, 1, 0, 0, 1];
    const ref = await (async () => {
      const m = augmentedModel(wc);
      const h = await m.fit(wc.tensor(x, X), wc.tensor(y, [4, 2]), { epochs: 1, batchSize: 4, shuffle: false });
      const p = m.predict(wc.tensor(x, X)) as Wc.Tensor;
      return { loss: h.history.loss[0], weights: m.getWeights().map((t) => Array.from(t.dataSync())), pred: Array.from(p.dataSync()) };
    })();
    const r = await gp.run(async ({ wc: pw }, a) => {
      const m = ((0, eval)(`(${a.build})`) as typeof augmentedModel)(pw);
      const h = await m.fit(pw.tensor(a.x, a.X), pw.tensor(a.y, [4, 2]), { epochs: 1, batchSize: 4, shuffle: false });
      const weights = [];
      for (const t of m.getWeights()) weights.push(Array.from(await t.data()));
      const p = m.predict(pw.tensor(a.x, a.X)) as Wc.Tensor;
      return { loss: h.history.loss[0], weights, pred: Array.from(await p.data()) };
    }, { build: augmentedModel.toString(), x, y, X });
    expect(r.loss).toBeCloseTo(ref.loss, 4);
    expect(r.weights.length).toBe(ref.weights.length);
    r.weights.forEach((wv, i) => expectParity(wv, ref.weights[i], `weight ${i}`));
    expectParity(r.pred, ref.pred, 'predict');
  });
});
