// The workgroup-memory tiled kernels (pinned), against the CPU reference on
// awkward shapes, in verification mode so every call is also checked against
// the CPU replay inside the page: the GEMM (gemmTiled.wgsl) on sizes that are
// not multiples of its 64x64 tile or of 4 (scalar loads) and that are (vec4
// loads), all four transposes, a fused bias and relu, long k with a small C
// (split-K); the implicit-GEMM conv (convTiled.wgsl) forward, dx and dW with
// strides, 'same'/'valid'/explicit padding, dilation, batch > 1, channels that
// are and are not multiples of 4. Then: on SwiftShader they are not offered
// unless asked, and offered, the tuner measures them.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conv2dParams } from '../../src/backend/types.js';
import { randomValues } from '../util/check.js';
import { GpuPage } from '../harness/gpu.js';
import { cpuRun, cpuT } from '../harness/cpu.js';
import { expectParity } from '../harness/tolerance.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open({ verify: true }); });
afterAll(async () => { await gp?.close(); });

type Gpu = import('../../src/backend/webgpu/index.js').WebGpuBackend;
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

// [m, n, k]: edges in both tile directions and k not a multiple of 16 or 4; whole vec4s; split-K (k >= 512, C one tile).
const GEMMS: [number, number, number][] = [[67, 69, 37], [8, 12, 16], [5, 3, 1031], [20, 8, 1024]];
const COMBOS: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];

describe('webgpu tiled GEMM', () => {
  it('matches the CPU on awkward shapes, all transposes, with bias and relu, each call verified', async () => {
    const cases = GEMMS.flatMap(([m, n, k], gi) => COMBOS.map(([ta, tb], ci) => ({
      m, n, k, ta, tb, bias: ci % 2 === 0,
      a: Array.from(randomValues(m * k, 40 + gi)), b: Array.from(randomValues(k * n, 50 + gi)), bv: Array.from(randomValues(n, 60 + gi)),
    })));
    const r = await gp.run(async ({ wc, engine }, all) => {
      const be = engine.backend() as Gpu;
      await be.pinGemmWorkgroup('tiled');
      const before = be.verifier?.checked ?? -1;
      const out: number[][] = [];
      const names = new Set<string>();
      for (const v of all) {
        const at = wc.tensor(v.a, v.ta ? [v.k, v.m] : [v.m, v.k]);
        const bt = wc.tensor(v.b, v.tb ? [v.n, v.k] : [v.k, v.n]);
        const bias = v.bias ? wc.tensor(v.bv, [v.n]) : null;
        const profile = await wc.profile(async () => {
          const c = wc.ops.matmul(at, bt, v.ta, v.tb, bias, v.bias ? 'relu' : 'linear');
          out.push(Array.from(await c.data()));
          c.dispose();
        });
        for (const k of profile.kernels) names.add(k.name);
        for (const t of [at, bt, bias]) t?.dispose();
      }
      await be.pinGemmWorkgroup(null);
      return { out, names: [...names], checked: (be.verifier?.checked ?? -1) - before };
    }, cases);
    expect(r.checked).toBe(cases.length);
    expect(r.names).toContain('matmul/gemmTiled');
    expect(r.names).not.toContain('matmul/gemm');
    cases.forEach((v, i) => {
      const want = cpuRun((be) => be.matmul(cpuT(v.a, v.ta ? [v.k, v.m] : [v.m, v.k]), cpuT(v.b, v.tb ? [v.n, v.k] : [v.k, v.n]),
        v.ta, v.tb, v.bias ? cpuT(v.bv, [v.n]) : null, v.bias ? 'relu' : 'linear'));
      expectParity(r.out[i], want, `tiled gemm ${v.m}x${v.n}x${v.k} transA=${v.ta} transB=${v.tb} bias=${v.bias}`);
    });
  });
});

interface ConvCase { name: string; x: number[]; w: number[]; p: Conv2dParams; bias: boolean }
const CONVS: ConvCase[] = [
  { name: "3x3 'same' stride 2, 3 in, 5 out, bias", x: [2, 7, 9, 3], w: [3, 3, 3, 5], p: { strides: [2, 2], padding: 'same', dilations: [1, 1] }, bias: true },
  { name: "3x3 'same', 8 in, 12 out (vec4 loads)", x: [2, 8, 6, 8], w: [3, 3, 8, 12], p: { strides: [1, 1], padding: 'same', dilations: [1, 1] }, bias: false },
  { name: 'dilated 3x3 valid, 6 in, 4 out', x: [1, 9, 9, 6], w: [3, 3, 6, 4], p: { strides: [1, 1], padding: 'valid', dilations: [2, 2] }, bias: true },
  { name: '5x5 valid, 1 in, 8 out (MNIST conv1)', x: [3, 12, 11, 1], w: [5, 5, 1, 8], p: { strides: [1, 1], padding: 'valid', dilations: [1, 1] }, bias: false },
  { name: '2x3 explicit padding, stride 3x2, 4 in, 7 out', x: [2, 10, 7, 4], w: [2, 3, 4, 7], p: { strides: [3, 2], padding: [[1, 0], [2, 1]], dilations: [1, 1] }, bias: true },
  { name: '1x1, 20 in, 70 out (past one tile of cout)', x: [2, 5, 7, 20], w: [1, 1, 20, 70], p: { strides: [1, 1], padding: 'valid', dilations: [1, 1] }, bias: false },
  { name: "3x3 'same', 4 in, 8 out, 1024 pixels (dW split-K)", x: [4, 16, 16, 4], w: [3, 3, 4, 8], p: { strides: [1, 1], padding: 'same', dilations: [1, 1] }, bias: false },
];

describe('webgpu tiled implicit-GEMM conv2d', () => {
  it('forward, dx and dW match the CPU on awkward shapes, each call verified', async () => {
    const inputs = CONVS.map((c, ci) => {
      const ws = c.w;
      return { ...c, xv: Array.from(randomValues(size(c.x), 70 + ci)), wv: Array.from(randomValues(size(ws), 80 + ci, -0.5, 0.5)),
        bv: c.bias ? Array.from(randomValues(ws[3], 90 + ci)) : null };
    });
    const r = await gp.run(async ({ wc, engine }, all) => {
      const be = engine.backend() as Gpu;
      be.pinConvAlgorithm('tiled');
      const before = be.verifier?.checked ?? -1;
      const out = [];
      const names = new Set<string>();
      for (const v of all) {
        const xt = wc.tensor(v.xv, v.x);
        const wt = wc.tensor(v.wv, v.w);
        const bt = v.bv ? wc.tensor(v.bv, [v.w[3]]) : null;
        let y: number[] = [], dx: number[] = [], dw: number[] = [], yShape: number[] = [];
        const profile = await wc.profile(async () => {
          const yt = wc.ops.conv2d(xt, wt, bt, v.p, v.bias ? 'relu' : 'linear');
          yShape = yt.shape.slice();
          y = Array.from(await yt.data());
          // dy: y itself, so dx and dW see values with signs and zeros.
          dx = Array.from(await wc.ops.conv2dBackwardInput(yt, wt, v.x, v.p).data());
          dw = Array.from(await wc.ops.conv2dBackwardFilter(xt, yt, v.w, v.p).data());
          yt.dispose();
        });
        for (const k of profile.kernels) names.add(k.name);
        out.push({ y, dx, dw, yShape });
        for (const t of [xt, wt, bt]) t?.dispose();
      }
      be.pinConvAlgorithm(null);
      return { out, names: [...names], checked: (be.verifier?.checked ?? -1) - before };
    }, inputs);
    expect(r.checked).toBe(3 * CONVS.length);
    expect(r.names.sort()).toEqual(['conv2d/convTiled', 'conv2dBackwardFilter/convTiled', 'conv2dBackwardFilter/splitKSum', 'conv2dBackwardInput/convTiled']);
    inputs.forEach((v, i) => {
      const got = r.out[i];
      const bias = v.bv ? cpuT(v.bv, [v.w[3]]) : null;
      const y = cpuRun((b) => b.conv2d(cpuT(v.xv, v.x), cpuT(v.wv, v.w), bias, v.p, v.bias ? 'relu' : 'linear'));
      expectParity(got.y, y, `${v.name}: forward`);
      const yv = Array.from(y);
      expectParity(got.dx, cpuRun((b) => b.conv2dBackwardInput(cpuT(yv, got.yShape), cpuT(v.wv, v.w), v.x, v.p)), `${v.name}: dx`);
      expectParity(got.dw, cpuRun((b) => b.conv2dBackwardFilter(cpuT(v.xv, v.x), cpuT(yv, got.yShape), v.w, v.p)), `${v.name}: dW`);
    });
  });

  it('a training forward on the tiled conv keeps no columns, and dW runs tiled', async () => {
    const r = await gp.run(async ({ engine, kernels }) => {
      const be = engine.backend() as Gpu;
      const p = { strides: [1, 1], padding: 'same', dilations: [1, 1] } as const;
      const keeps = () => be.run(kernels.KERNELS.conv2dKeepsColumns, [[2, 8, 8, 16], [3, 3, 16, 16], p as never]);
      const before = keeps();
      be.pinConvAlgorithm('tiled');
      const pinned = keeps();
      be.pinConvAlgorithm(null);
      return { before, pinned };
    }, null);
    expect(r).toEqual({ before: true, pinned: false });
  });
});

describe('webgpu tiled kernels and the tuner', () => {
  it('are not offered on SwiftShader by default; offered, autotune measures them beside today\'s and keeps one', async () => {
    const r = await gp.run(async ({ wc, engine }) => {
      const be = engine.backend() as Gpu;
      const offeredByDefault = be.ctx.tuner.tiled;
      be.offerTiledKernels(true);
      const a = wc.tensor(new Float32Array(96 * 40).fill(0.5), [96, 40]);
      const b = wc.tensor(new Float32Array(40 * 24).fill(0.25), [40, 24]);
      const first = wc.ops.matmul(a, b, false, false);
      const firstValue = (await first.data())[0];
      const x = wc.tensor(new Float32Array(2 * 9 * 9 * 8).fill(0.5), [2, 9, 9, 8]);
      const w = wc.tensor(new Float32Array(3 * 3 * 8 * 8).fill(0.1), [3, 3, 8, 8]);
      const p = { strides: [2, 2], padding: 'same', dilations: [1, 1] } as const;
      const y = wc.ops.conv2d(x, w, null, p);
      const dw = wc.ops.conv2dBackwardFilter(x, y, [3, 3, 8, 8], p);
      const dx = wc.ops.conv2dBackwardInput(y, w, [2, 9, 9, 8], p);
      await dx.data();
      // Unmeasured, each ran today's kernel: the pending problems list the tiled ones among the candidates.
      const pending = be.ctx.tuner.pendingProblems().map((q) => ({ kernel: q.kernel, shape: q.shape, candidates: [...q.candidates] }));
      await be.autotune();
      const choices = be.ctx.tuner.choices().filter((c) => pending.some((q) => q.kernel === c.kernel && q.shape === c.shape));
      // backendInfo()'s names: a workgroup shape, or the tiled kernel by its own name.
      const gemmName = be.kernelChoices().find((c) => c.kernel === 'gemm' && c.shape === '96x24x40')?.variant;
      const again = wc.ops.matmul(a, b, false, false);
      const againValue = (await again.data())[0];
      for (const t of [a, b, first, again, x, w, y, dw, dx]) t.dispose();
      be.offerTiledKernels(false);
      return { offeredByDefault, pending, gemmName, choices: choices.map((c) => ({ kernel: c.kernel, shape: c.shape, variant: c.variant })), firstValue, againValue };
    }, null);
    expect(r.offeredByDefault).toBe(false);
    // The earlier test's keepsColumns query left a problem pending too: look at this test's shapes.
    const of = (kernel: string, shape: string) => r.pending.filter((q) => q.kernel === kernel && q.shape.startsWith(shape)).map((q) => q.candidates);
    expect(of('gemm', '96x24x40')).toEqual([['4x16', '8x8', '16x4', 'tiled 64x64']]);
    // The forward (cin % 4 == 0, cout % 4 == 0): im2col + GEMM, the implicit GEMM, the tiled conv.
    expect(of('conv2d', 'x[2,9,9,8]')).toEqual([['im2col', 'direct', 'tiled']]);
    expect(of('conv2dBackwardInput', 'x[2,9,9,8]')).toEqual([['im2col', 'tiled']]);
    expect(of('conv2dBackwardFilter', 'x[2,9,9,8]')).toEqual([['im2col', 'tiled']]);
    // Every pending problem was measured, each keeping one of its candidates.
    expect(r.choices.length).toBe(r.pending.length);
    for (const c of r.choices) expect(r.pending.find((q) => q.kernel === c.kernel && q.shape === c.shape)?.candidates).toContain(c.variant);
    expect(r.gemmName).toMatch(/^(workgroup (4x16|8x8|16x4)(, subgroup-shared loads)?|tiled 64x64)$/);
    expect(r.firstValue).toBeCloseTo(40 * 0.5 * 0.25, 5);
    expect(r.againValue).toBeCloseTo(40 * 0.5 * 0.25, 5);
  });
});
