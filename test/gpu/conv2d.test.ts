// conv2d (im2col + GEMM, or the tap table) and both backwards on WebGPU against the CPU
// reference, on shapes that break tiled code: batch 1 and 3, 7x9 images,
// 1/3/5 channels, 1/17 filters, kernels 1, 3 and 2x3, strides 1 and 2,
// 'valid', 'same' with an odd total padding, explicit padding, dilation 2;
// and the column matrix (conv2dColumns) training keeps for the backward.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conv2dParams } from '../../src/backend/types.js';
import { randomValues } from '../util/check.js';
import { GpuPage } from '../harness/gpu.js';
import { windowGeometry } from '../../src/kernels/geometry.js';
import { cpuRun, cpuT } from '../harness/cpu.js';
import { expectParity } from '../harness/tolerance.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

interface Case { n: number; cin: number; cout: number; k: [number, number]; p: Conv2dParams; bias: boolean; hw?: [number, number] }

const CASES: Case[] = [
  // 1x1 stride 1 'valid': x is its own column matrix (no im2col dispatch).
  { n: 1, cin: 1, cout: 1, k: [1, 1], p: { strides: [1, 1], padding: 'valid', dilations: [1, 1] }, bias: true },
  { n: 3, cin: 3, cout: 17, k: [3, 3], p: { strides: [1, 1], padding: 'same', dilations: [1, 1] }, bias: true },
  // 7 rows, kernel 2, stride 2: out 4, total padding 1 (odd: the extra row goes to the bottom).
  { n: 3, cin: 5, cout: 1, k: [2, 3], p: { strides: [2, 2], padding: 'same', dilations: [1, 1] }, bias: false },
  { n: 1, cin: 3, cout: 17, k: [3, 3], p: { strides: [2, 2], padding: 'valid', dilations: [2, 2] }, bias: true },
  { n: 3, cin: 5, cout: 17, k: [3, 3], p: { strides: [2, 1], padding: [[1, 2], [0, 1]], dilations: [1, 1] }, bias: true },
  { n: 1, cin: 5, cout: 17, k: [1, 1], p: { strides: [2, 2], padding: 'same', dilations: [1, 1] }, bias: false },
  { n: 3, cin: 1, cout: 17, k: [3, 3], p: { strides: [1, 1], padding: 'same', dilations: [2, 2] }, bias: true },
  // cin % 4 == 0: im2col and col2im move vec4s of channels.
  { n: 2, cin: 4, cout: 8, k: [3, 3], p: { strides: [1, 1], padding: 'same', dilations: [1, 1] }, bias: true },
  { n: 3, cin: 8, cout: 5, k: [3, 2], p: { strides: [2, 2], padding: 'valid', dilations: [1, 2] }, bias: false },
  { n: 1, cin: 12, cout: 4, k: [2, 2], p: { strides: [2, 1], padding: [[1, 0], [2, 1]], dilations: [1, 1] }, bias: true },
  // col2im at stride 1 walks only the taps whose output pixel exists: dilated 'same', and the light model's conv2.
  { n: 2, cin: 8, cout: 6, k: [3, 3], p: { strides: [1, 1], padding: 'same', dilations: [2, 1] }, bias: false },
  { n: 2, cin: 8, cout: 16, k: [5, 5], p: { strides: [1, 1], padding: 'valid', dilations: [1, 1] }, bias: true, hw: [12, 11] },
  // A 28x28 image: dW sums over n*oh*ow = 2028 rows into a 9x17 result, which takes split-K.
  { n: 3, cin: 1, cout: 17, k: [3, 3], p: { strides: [1, 1], padding: 'valid', dilations: [1, 1] }, bias: true, hw: [28, 28] },
  // cin % 4 != 0 with cout % 4 == 0: forward and dW over the tap table (conv2dDirect.wgsl v3,
  // conv2dBackwardFilterDirect.wgsl). MNIST's first layer (dW in many slices of rows; rows of 26, not a multiple of 4);
  { n: 3, cin: 1, cout: 32, k: [3, 3], p: { strides: [1, 1], padding: 'valid', dilations: [1, 1] }, bias: true, hw: [28, 28] },
  // explicit padding, stride 2 x 1, cout % 8 == 4 (a lane's second vec4 of channels is past cout), 27 taps;
  { n: 2, cin: 3, cout: 12, k: [3, 3], p: { strides: [2, 1], padding: [[1, 2], [0, 1]], dilations: [1, 1] }, bias: false },
  // 'same' with dilation, a 5x5 kernel on 1 channel (25 taps: 6 quads and 1), 4 filters.
  { n: 1, cin: 1, cout: 4, k: [5, 5], p: { strides: [1, 1], padding: 'same', dilations: [2, 1] }, bias: true },
  { n: 3, cin: 2, cout: 8, k: [2, 3], p: { strides: [2, 2], padding: 'same', dilations: [1, 1] }, bias: true },
  // 4 taps: dW's invocations take one quad each (MNIST's 9 take three, 18 three, 25 and 27 two).
  { n: 2, cin: 1, cout: 8, k: [2, 2], p: { strides: [1, 1], padding: 'valid', dilations: [1, 1] }, bias: false },
  // 3x3 at stride 1 (with MNIST's above): dx sweeps input rows (conv2dBackwardInputDirect.wgsl); explicit
  // uneven padding with cout % 8 == 4, and 'same' on a 5x9 image.
  { n: 2, cin: 3, cout: 12, k: [3, 3], p: { strides: [1, 1], padding: [[2, 0], [1, 2]], dilations: [1, 1] }, bias: true },
  { n: 1, cin: 2, cout: 40, k: [3, 3], p: { strides: [1, 1], padding: 'same', dilations: [1, 1] }, bias: false, hw: [5, 9] },
  // cout % 32 == 0: a subgroup's 4 lanes add their octets' dx (SwiftShader), here with padding and 7 rows.
  { n: 2, cin: 2, cout: 64, k: [3, 3], p: { strides: [1, 1], padding: 'same', dilations: [1, 1] }, bias: false, hw: [7, 5] },
  // One input channel, 3x3 at stride 1: forward and dW sweep rows (conv2dSweep.wgsl, conv2dBackwardFilterSweep.wgsl).
  { n: 2, cin: 1, cout: 12, k: [3, 3], p: { strides: [1, 1], padding: 'same', dilations: [1, 1] }, bias: true, hw: [7, 6] },
  { n: 3, cin: 1, cout: 8, k: [3, 3], p: { strides: [1, 1], padding: [[0, 2], [2, 1]], dilations: [1, 1] }, bias: false, hw: [6, 5] },
];

describe('webgpu conv2d', () => {
  it('training keeps the column matrix only where the conv needs one (not for cin % 4 != 0 with cout % 4 == 0)', async () => {
    const r = await gp.run(async ({ engine, kernels }) => {
      const be = engine.backend();
      const gpu = be as unknown as { useGemmVariant(v: string): Promise<void> };
      const keeps = (x: number[], w: number[], q: { strides: number[]; padding: string; dilations: number[] }) =>
        be.run(kernels.KERNELS.conv2dKeepsColumns, [x, w, q as never]);
      const p = { strides: [1, 1], padding: 'same', dilations: [1, 1] };
      const out = [keeps([2, 8, 8, 1], [3, 3, 1, 8], p), keeps([2, 8, 8, 4], [3, 3, 4, 8], p),
        keeps([2, 8, 8, 3], [3, 3, 3, 6], p), keeps([2, 8, 8, 3], [1, 1, 3, 8], { ...p, padding: 'valid' })];
      await gpu.useGemmVariant('naive');
      out.push(keeps([2, 8, 8, 1], [3, 3, 1, 8], p));
      await gpu.useGemmVariant('blocked');
      return out;
    }, null);
    // cin 1: direct; cin 4: im2col + GEMM; cout 6: no vec4s along cout; 1x1: x is its own column matrix; the naive oracle: columns.
    expect(r).toEqual([false, true, true, true, true]);
  });

  it("a hand-worked case: 'valid' conv of 1..9 (3x3) with a 2x2 kernel of ones gives [12, 16, 24, 28]", async () => {
    const y = await gp.run(async ({ wc, engine }) => {
      const x = wc.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
      const w = wc.tensor([1, 1, 1, 1], [2, 2, 1, 1]);
      const yt = wc.ops.conv2d(x, w, null, { strides: [1, 1], padding: 'valid', dilations: [1, 1] });
      const out = Array.from(await yt.data());
      for (const t of [x, w, yt]) t.dispose();
      return out;
    }, null);
    expectParity(y, [12, 16, 24, 28], 'hand-worked conv');
  });

  CASES.forEach((c, ci) => {
    it(`n${c.n} ${c.cin}->${c.cout} kernel ${c.k} strides ${c.p.strides} ${JSON.stringify(c.p.padding)} dilation ${c.p.dilations}`, async () => {
      const xShape = [c.n, ...(c.hw ?? [7, 9]), c.cin];
      const wShape = [c.k[0], c.k[1], c.cin, c.cout];
      const g = windowGeometry('test', xShape, c.k, c.p.strides, c.p.dilations, c.p.padding);
      const yShape = [g.n, g.oh, g.ow, c.cout];
      const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
      const x = Array.from(randomValues(size(xShape), 100 + ci));
      const w = Array.from(randomValues(size(wShape), 200 + ci));
      const bias = c.bias ? Array.from(randomValues(c.cout, 300 + ci)) : null;
      const dy = Array.from(randomValues(size(yShape), 400 + ci));

      const gpu = await gp.run(async ({ wc, engine }, v) => {
        const xt = wc.tensor(v.x, v.xShape);
        const wt = wc.tensor(v.w, v.wShape);
        const bt = v.bias ? wc.tensor(v.bias, [v.bias.length]) : null;
        const dyt = wc.tensor(v.dy, v.yShape);
        const y = wc.ops.conv2d(xt, wt, bt, v.p);
        const dx = wc.ops.conv2dBackwardInput(dyt, wt, v.xShape, v.p);
        const dw = wc.ops.conv2dBackwardFilter(xt, dyt, v.wShape, v.p);
        const cols = wc.ops.conv2dColumns(xt, [v.wShape[0], v.wShape[1]], v.p);
        const out = {
          y: Array.from(await y.data()), dx: Array.from(await dx.data()), dw: Array.from(await dw.data()), yShape: y.shape,
          cols: Array.from(await cols.data()), colsShape: cols.shape,
        };
        for (const t of [xt, wt, bt, dyt, y, dx, dw, cols]) t?.dispose();
        return out;
      }, { x, w, bias, dy, xShape, wShape, yShape, p: c.p });

      expectParity(gpu.yShape, yShape, 'output shape');
      expectParity(gpu.y, cpuRun((b) => b.conv2d(cpuT(x, xShape), cpuT(w, wShape), bias ? cpuT(bias, [c.cout]) : null, c.p)), 'conv2d');
      expectParity(gpu.dx, cpuRun((b) => b.conv2dBackwardInput(cpuT(dy, yShape), cpuT(w, wShape), xShape, c.p)), 'conv2dBackwardInput');
      expectParity(gpu.dw, cpuRun((b) => b.conv2dBackwardFilter(cpuT(x, xShape), cpuT(dy, yShape), wShape, c.p)), 'conv2dBackwardFilter');
      expectParity(gpu.colsShape, [g.n * g.oh * g.ow, c.k[0] * c.k[1] * c.cin], 'column matrix shape');
      expectParity(gpu.cols, cpuRun((b) => b.conv2dColumns(cpuT(x, xShape), c.k, c.p)), 'conv2dColumns');
    });
  });
});
