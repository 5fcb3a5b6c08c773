// wc.image's kernels on WebGPU against the CPU reference: resize and its
// backward (nearest and bilinear; plain, alignCorners, halfPixelCenters; up
// and down; batches and non-square) and cropAndResize and its image gradient
// (bilinear and nearest, flipped, partly outside and off-batch boxes), on
// NaN-dirty buffers, all in one page call; the three ops composed, forward
// and gradient; and the same composition under verification mode.

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

function resizeCases(): Case[] {
  const out: Case[] = [];
  const shapes: [number[], [number, number], boolean, boolean][] = [
    [[2, 3, 4, 2], [7, 9], false, false],
    [[1, 7, 6, 3], [3, 4], true, false],
    [[2, 4, 3, 2], [9, 5], false, true],
    [[1, 9, 7, 1], [4, 3], false, true],
    [[1, 1, 3, 2], [3, 2], true, false],
    [[1, 2, 3, 2], [9, 14], false, true],
  ];
  shapes.forEach(([shape, sz, ac, hp], k) => {
    for (const method of ['bilinear', 'nearest'] as const) {
      const p = { size: sz, method, alignCorners: ac, halfPixelCenters: hp };
      const label = `${method} ${shape.join('x')} to ${sz.join('x')}${ac ? ' alignCorners' : ''}${hp ? ' halfPixelCenters' : ''}`;
      const yShape = [shape[0], sz[0], sz[1], shape[3]];
      out.push({ label, kernel: 'resize', args: [T(randomValues(size(shape), 10 + k), shape), p] });
      out.push({ label, kernel: 'resizeBackward', args: [T(randomValues(size(yShape), 20 + k), yShape), shape, p] });
    }
  });
  return out;
}

const BOXES = [[0, 0, 1, 1], [0.1, 0.2, 0.7, 0.9], [0.85, 0.6, 0.15, 0.05], [-0.3, 0.4, 0.5, 1.4], [0.3, 0.5, 0.3, 0.5], [0, 0, 1, 1]];
const BOX_IND = [0, 1, 1, 0, 1, 2];

function cropCases(): Case[] {
  const out: Case[] = [];
  const image = [2, 6, 5, 3];
  for (const [method, crop, ext] of [['bilinear', [4, 3], 0.5], ['nearest', [3, 5], -1]] as const) {
    const p = { cropSize: crop, method, extrapolationValue: ext };
    const yShape = [BOXES.length, crop[0], crop[1], image[3]];
    const boxes = T(BOXES.flat(), [BOXES.length, 4]);
    const ind = T(BOX_IND, [BOX_IND.length]);
    out.push({ label: method, kernel: 'cropAndResize', args: [T(randomValues(size(image), 30), image), boxes, ind, p] });
    out.push({ label: method, kernel: 'cropAndResizeBackward', args: [T(randomValues(size(yShape), 31), yShape), boxes, ind, image, p] });
  }
  return out;
}

describe('webgpu image kernels', () => {
  it('resize, resizeBackward, cropAndResize and cropAndResizeBackward match the CPU reference', async () => {
    const cases = [...resizeCases(), ...cropCases()];
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
    }, { cases: cases as unknown as { kernel: string; args: unknown[] }[] });
    expect(gpu.length).toBe(cases.length);
    cases.forEach((c, i) => {
      const made = c.args.map((x) => (isT(x) ? cpu.fromValues(Float32Array.from(x.t), x.s) : x));
      const ref = cpu.run(KERNELS[c.kernel] as unknown as Parameters<typeof cpu.run>[0], made) as Wc.Tensor;
      expectParity(gpu[i], ref.dataSync(), `${c.kernel} ${c.label}`);
    });
  });
});

/** resizeBilinear, cropAndResize (nearest) and resizeNearestNeighbor composed; built from the wc it is given. */
function composition(w: typeof Wc): (x: Wc.Tensor) => Wc.Tensor {
  return (x) => {
    const up = w.image.resizeBilinear(x, [7, 6], false, true);
    const crops = w.image.cropAndResize(up, [[0.1, 0.2, 0.9, 0.7], [0.6, 0, 0.2, 1]], [1, 0], [4, 3], 'nearest');
    return w.image.resizeNearestNeighbor(crops, [5, 5], true);
  };
}

const X = [2, 4, 5, 2];

function cpuReference(): { x: number[]; dy: number[]; y: number[]; g: number[] } {
  return wc.tidy(() => {
    const x = Array.from(randomValues(size(X), 40));
    const f = composition(wc);
    const y = f(wc.tensor(x, X));
    const dy = Array.from(randomValues(y.size, 41));
    const g = wc.grad(f)(wc.tensor(x, X), wc.tensor(dy, y.shape));
    return { x, dy, y: Array.from(y.dataSync()), g: Array.from(g.dataSync()) };
  });
}

async function onPage(page: GpuPage, ref: ReturnType<typeof cpuReference>): Promise<{ y: number[]; g: number[]; checked: number }> {
  return page.run(async ({ wc: pw, engine }, a) => {
    const be = engine.backend() as Gpu;
    const before = be.verifier?.checked ?? 0;
    const f = ((0, eval)(`(${a.composition})`) as typeof composition)(pw);
    const x = pw.tensor(a.x, a.X);
    const y = f(x);
    const g = pw.grad(f)(x, pw.tensor(a.dy, y.shape));
    const out = { y: Array.from(await y.data()), g: Array.from(await g.data()) };
    return { ...out, checked: (be.verifier?.checked ?? 0) - before };
  }, { composition: composition.toString(), x: ref.x, dy: ref.dy, X });
}

describe('webgpu wc.image composition', () => {
  it('resizeBilinear, cropAndResize and resizeNearestNeighbor: forward and gradient match the CPU', async () => {
    const ref = cpuReference();
    const r = await onPage(gp, ref);
    expectParity(r.y, ref.y, 'forward');
    expectParity(r.g, ref.g, 'gradient');
  });

  it('passes verification mode (every kernel also run on the CPU reference)', async () => {
    const ref = cpuReference();
    const vp = await GpuPage.open({ verify: true });
    try {
      const r = await onPage(vp, ref);
      // three forwards, three backwards (the forward run again under wc.grad)
      expect(r.checked).toBeGreaterThanOrEqual(6);
      expectParity(r.y, ref.y, 'verified forward');
      expectParity(r.g, ref.g, 'verified gradient');
    } finally {
      await vp.close();
    }
  });
});
