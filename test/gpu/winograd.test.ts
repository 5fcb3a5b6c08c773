// Winograd F(2x2, 3x3) and F(4x4, 3x3) on WebGPU (each pinned), forward and dx (and dW by F(4x4)), against the CPU
// reference on awkward shapes: odd sizes (odd output rows and columns crop the
// last tiles), 'same', 'valid' and uneven explicit padding, channel counts that
// are not multiples of 4 (the transforms' scalar paths) and that are (vec4),
// batch > 1, bias and a fused relu; in verification mode, so every call is also
// checked against the CPU replay inside the page.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conv2dParams } from '../../src/backend/types.js';
import { randomValues } from '../util/check.js';
import { GpuPage } from '../harness/gpu.js';
import { windowGeometry } from '../../src/kernels/geometry.js';
import { cpuRun, cpuT } from '../harness/cpu.js';
import { expectParity } from '../harness/tolerance.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open({ verify: true, fresh: true }); });
afterAll(async () => { await gp?.close(); });

type Gpu = import('../../src/backend/webgpu/index.js').WebGpuBackend;

interface Case { n: number; hw: [number, number]; cin: number; cout: number; padding: Conv2dParams['padding']; bias: boolean; relu: boolean }

const CASES: Case[] = [
  { n: 2, hw: [7, 5], cin: 17, cout: 18, padding: 'same', bias: true, relu: true },
  { n: 1, hw: [6, 9], cin: 16, cout: 21, padding: 'valid', bias: false, relu: false },
  { n: 3, hw: [5, 5], cin: 19, cout: 16, padding: [[2, 0], [1, 2]], bias: false, relu: false },
  { n: 2, hw: [8, 6], cin: 32, cout: 32, padding: 'same', bias: true, relu: false },
  // F(4x4): whole tiles beside part-filled ones (outputs 9 and 11 are not multiples of 4).
  { n: 1, hw: [11, 13], cin: 20, cout: 18, padding: 'valid', bias: true, relu: true },
];
const ALGORITHMS = ['winograd', 'winograd4'] as const;

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

describe('webgpu Winograd F(2x2, 3x3) and F(4x4, 3x3)', () => {
  it('forward, dx and dW match the CPU reference on awkward shapes, each call checked by verification mode', async () => {
    const inputs = CASES.map((c, ci) => {
      const p: Conv2dParams = { strides: [1, 1], padding: c.padding, dilations: [1, 1] };
      const xShape = [c.n, ...c.hw, c.cin];
      const wShape = [3, 3, c.cin, c.cout];
      const g = windowGeometry('test', xShape, [3, 3], [1, 1], [1, 1], c.padding);
      const yShape = [c.n, g.oh, g.ow, c.cout];
      return {
        p, xShape, wShape, yShape, relu: c.relu,
        x: Array.from(randomValues(size(xShape), 500 + ci)),
        w: Array.from(randomValues(size(wShape), 600 + ci, -0.3, 0.3)),
        bias: c.bias ? Array.from(randomValues(c.cout, 700 + ci)) : null,
        dy: Array.from(randomValues(size(yShape), 800 + ci)),
      };
    });
    const gpu = await gp.run(async ({ wc, engine }, { cases, algorithms }) => {
      const be = engine.backend() as Gpu;
      const before = be.verifier?.checked ?? -1;
      const out = [];
      for (const algo of algorithms) for (const v of cases) {
        be.pinConvAlgorithm(algo);
        const xt = wc.tensor(v.x, v.xShape);
        const wt = wc.tensor(v.w, v.wShape);
        const bt = v.bias ? wc.tensor(v.bias, [v.bias.length]) : null;
        const dyt = wc.tensor(v.dy, v.yShape);
        const d0 = be.stats().dispatches;
        const y = wc.ops.conv2d(xt, wt, bt, v.p, v.relu ? 'relu' : 'linear');
        const d1 = be.stats().dispatches;
        const dx = wc.ops.conv2dBackwardInput(dyt, wt, v.xShape, v.p);
        const d2 = be.stats().dispatches;
        const dw = wc.ops.conv2dBackwardFilter(xt, dyt, v.wShape, v.p);
        const d3 = be.stats().dispatches;
        out.push({
          y: Array.from(await y.data()), dx: Array.from(await dx.data()), dw: Array.from(await dw.data()), dispatches: [d1 - d0, d2 - d1, d3 - d2],
        });
        for (const t of [xt, wt, bt, dyt, y, dx, dw]) t?.dispose();
      }
      await be.sync();
      be.pinConvAlgorithm(null);
      return { out, checked: (be.verifier?.checked ?? -1) - before };
    }, { cases: inputs, algorithms: [...ALGORITHMS] });

    // Every forward, dx and dW (pinned F(2x2) leaves dW to a GEMM on columns) checked by verification mode.
    expect(gpu.checked).toBe(3 * CASES.length * ALGORITHMS.length);
    gpu.out.forEach((r, j) => {
      const i = j % CASES.length;
      const v = inputs[i];
      const algo = ALGORITHMS[Math.floor(j / CASES.length)];
      const label = `${algo} case ${i} x [${v.xShape}] -> ${v.wShape[3]}`;
      // Input transform, filter transform, the 16 (36) batched GEMMs, output transform: 4 dispatches each way;
      // dW by F(4x4): the input and dy transforms, the 36 batched GEMMs, the output transform; by columns: im2col and a GEMM.
      expect(r.dispatches, `${label}: dispatches`).toEqual([4, 4, algo === 'winograd4' ? 4 : 2]);
      const y = cpuRun((b) => b.conv2d(cpuT(v.x, v.xShape), cpuT(v.w, v.wShape), v.bias ? cpuT(v.bias, [v.bias.length]) : null, v.p, v.relu ? 'relu' : 'linear'));
      expectParity(r.y, y, `${label}: forward`);
      expectParity(r.dx, cpuRun((b) => b.conv2dBackwardInput(cpuT(v.dy, v.yShape), cpuT(v.w, v.wShape), v.xShape, v.p)), `${label}: dx`);
      expectParity(r.dw, cpuRun((b) => b.conv2dBackwardFilter(cpuT(v.x, v.xShape), cpuT(v.dy, v.yShape), v.wShape, v.p)), `${label}: dW`);
    });
  });

  it('F(4x4) is chosen unmeasured for the forward and dx from 32 channels, Winograd can be withheld, and a Winograd forward keeps no columns for training', async () => {
    const r = await gp.run(async ({ wc, engine, kernels }) => {
      // The unmeasured choice: a backend that neither measures nor adopts choices that other
      // pages of this browser measured and stored for the adapter.
      await wc.setBackend('webgpu', { autotune: false });
      try {
        const be = engine.backend() as Gpu;
        const p = { strides: [1, 1], padding: 'same', dilations: [1, 1] } as const;
        // Dispatches of one dx: 4 for Winograd, 2 for a GEMM and col2im.
        const dxDispatches = (c: number) => {
          const dy = wc.zeros([1, 6, 6, c]), w = wc.zeros([3, 3, c, c]);
          const d0 = be.stats().dispatches;
          const dx = wc.ops.conv2dBackwardInput(dy, w, [1, 6, 6, c], p);
          const d = be.stats().dispatches - d0;
          for (const t of [dy, w, dx]) t.dispose();
          return d;
        };
        // Dispatches of one forward: 4 for Winograd, 2 for im2col and a GEMM.
        const forwardDispatches = (c: number) => {
          const x = wc.zeros([1, 6, 6, c]), w = wc.zeros([3, 3, c, c]);
          const d0 = be.stats().dispatches;
          const y = wc.ops.conv2d(x, w, null, p);
          const d = be.stats().dispatches - d0;
          for (const t of [x, w, y]) t.dispose();
          return d;
        };
        const keeps = () => be.run(kernels.KERNELS.conv2dKeepsColumns, [[2, 8, 8, 16], [3, 3, 16, 16], p as never]);
        const keeps32 = () => be.run(kernels.KERNELS.conv2dKeepsColumns, [[2, 8, 8, 32], [3, 3, 32, 32], p as never]);
        // Winograd runs unmeasured once its pipelines are built: ask for each pass once, then wait for them.
        dxDispatches(32); forwardDispatches(32); keeps32();
        await be.sync();
        await be.pipelinesBuilt();
        const out = {
          dx32: dxDispatches(32), dx16: dxDispatches(16), forward32: forwardDispatches(32), forward16: forwardDispatches(16), withheld: 0, forwardWithheld: 0,
          keeps: keeps(), keeps32: keeps32(), keepsPinned: false, keepsWithheld: false,
        };
        // Which transforms the unmeasured choice runs at 32 channels: F(4x4)'s.
        const kernelNames = async (f: () => { dispose(): void }) =>
          (await wc.profile(async () => { f().dispose(); await be.sync(); })).kernels.map((k) => k.name).sort();
        const z = wc.zeros([1, 9, 9, 32]), zw = wc.zeros([3, 3, 32, 32]);
        const names = {
          forward: await kernelNames(() => wc.ops.conv2d(z, zw, null, p)),
          dx: await kernelNames(() => wc.ops.conv2dBackwardInput(z, zw, [1, 9, 9, 32], p)),
        };
        z.dispose(); zw.dispose();
        be.pinConvAlgorithm('winograd');
        out.keepsPinned = keeps();
        be.offerWinograd(false);
        out.keepsWithheld = keeps();
        be.pinConvAlgorithm(null);
        out.withheld = dxDispatches(32);
        out.forwardWithheld = forwardDispatches(32);
        be.offerWinograd(true);
        await be.sync();
        return { ...out, names };
      } finally {
        engine.forgetBackend(engine.backend());
        await wc.setBackend('webgpu');
      }
    }, null);
    expect(r.names.forward).toEqual(['conv2d/gemmSubgroup', 'conv2d/winograd4Filter', 'conv2d/winograd4Input', 'conv2d/winograd4Output']);
    expect(r.names.dx.filter((n) => n.includes('winograd'))).toEqual(
      ['conv2dBackwardInput/winograd4Filter', 'conv2dBackwardInput/winograd4Input', 'conv2dBackwardInput/winograd4Output']);
    const { names: _, ...rest } = r;
    expect(rest).toEqual({
      dx32: 4, dx16: 2, forward32: 4, forward16: 2, withheld: 2, forwardWithheld: 2, keeps: true, keeps32: false, keepsPinned: false, keepsWithheld: true,
    });
  });

  it('the unmeasured F(4x4) waits for its pipelines: a fresh backend runs im2col + GEMM first, F(4x4) once they are built after that work (pipelinesBuilt)', async () => {
    const r = await gp.run(async ({ wc, engine }) => {
      await wc.setBackend('webgpu', { autotune: false });
      try {
        const be = engine.backend() as Gpu;
        const p = { strides: [1, 1], padding: 'same', dilations: [1, 1] } as const;
        // Dispatches of one forward: 4 for Winograd, 2 for im2col and a GEMM.
        const forward = () => {
          const x = wc.zeros([1, 6, 6, 32]), w = wc.zeros([3, 3, 32, 32]);
          const d0 = be.stats().dispatches;
          const y = wc.ops.conv2d(x, w, null, p);
          const d = be.stats().dispatches - d0;
          for (const t of [x, w, y]) t.dispose();
          return d;
        };
        const first = forward();
        await be.sync();
        const builtBefore = be.stats().pipelines;
        // Built in the background once the first call's work is done; pipelinesBuilt() waits for them.
        await be.pipelinesBuilt();
        const later = forward();
        await be.sync();
        return { first, later, builtAfter: be.stats().pipelines - builtBefore };
      } finally {
        // Later files in this page get a backend of their own.
        engine.forgetBackend(engine.backend());
        await wc.setBackend('webgpu');
      }
    }, null);
    // F(4x4)'s input, filter and output transforms and its batched GEMM were built after the first call's work.
    expect(r).toEqual({ first: 2, later: 4, builtAfter: 4 });
  });
});
