// Tuned kernel variants: every GEMM workgroup shape the tuner may pick, and
// both conv2d forward algorithms (im2col + GEMM, implicit GEMM), match the CPU
// on sizes that are not multiples of their blocks; autotune() measures the
// shapes a model records, keeps one of the candidates, reports it in
// backendInfo(), and compiles nothing inside a step.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomValues } from '../util/check.js';
import { GpuPage } from '../harness/gpu.js';
import { cpuRun, cpuT } from '../harness/cpu.js';
import type { Conv2dParams } from '../../src/backend/types.js';
import { expectParity } from '../harness/tolerance.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

type WebGpu = import('../../src/backend/webgpu/index.js').WebGpuBackend;
const WIDTHS = [1, 2, 4, 16]; // 8 is the default, covered by matmul.test.ts

describe('webgpu GEMM workgroup shapes', () => {
  // [40, 20, 12]: m % 8 == 0 and n % 4 == 0, the unchecked stores (ALIGNED), with lanes past n under shared loads.
  for (const [m, n, k] of [[37, 9, 13], [70, 45, 8], [6, 5, 3001], [40, 20, 12]] as const) {
    it(`[${m}x${k}] . [${k}x${n}] with workgroups ${WIDTHS.join(', ')} wide, all transposes`, async () => {
      const a = Array.from(randomValues(m * k, m + 3));
      const b = Array.from(randomValues(k * n, n + 5));
      const combos: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];
      const gpu = await gp.run(async ({ wc, engine }, v) => {
        const be = engine.backend() as WebGpu;
        const out: number[][] = [];
        for (const w of v.widths) {
          await be.pinGemmWorkgroup(w);
          for (const [ta, tb] of v.combos) {
            const at = wc.tensor(v.a, ta ? [v.k, v.m] : [v.m, v.k]);
            const bt = wc.tensor(v.b, tb ? [v.n, v.k] : [v.k, v.n]);
            const ct = wc.ops.matmul(at, bt, ta, tb);
            out.push(Array.from(await ct.data()));
            for (const t of [at, bt, ct]) t.dispose();
          }
        }
        await be.pinGemmWorkgroup(null);
        return out;
      }, { a, b, m, n, k, combos, widths: WIDTHS });
      let i = 0;
      for (const w of WIDTHS) {
        for (const [ta, tb] of combos) {
          const want = cpuRun((be) => be.matmul(cpuT(a, ta ? [k, m] : [m, k]), cpuT(b, tb ? [n, k] : [k, n]), ta, tb));
          expectParity(gpu[i++], want, `gemm ${w}-wide ${m}x${n}x${k} transA=${ta} transB=${tb}`);
        }
      }
    });
  }

  const convCases: [string, number[], number[], Conv2dParams, boolean][] = [
    ['5x5 valid, 1 channel in, 8 out (MNIST conv1)', [3, 12, 11, 1], [5, 5, 1, 8], { strides: [1, 1], padding: 'valid', dilations: [1, 1] }, true],
    ["3x3 'same' stride 2, 3 in, 12 out, odd pixel count", [1, 7, 9, 3], [3, 3, 3, 12], { strides: [2, 2], padding: 'same', dilations: [1, 1] }, false],
    ['dilated 3x3, 6 in, 4 out, bias', [2, 9, 9, 6], [3, 3, 6, 4], { strides: [1, 1], padding: 'valid', dilations: [2, 2] }, true],
    // cout % 32 == 0: a subgroup's 4 lanes share their gathers of x (SwiftShader); 27 taps = 6 quads + 3.
    ['3x3 valid, 3 in, 32 out, bias (shared gathers)', [3, 10, 9, 3], [3, 3, 3, 32], { strides: [1, 1], padding: 'valid', dilations: [1, 1] }, true],
    // One input channel, 3x3 at stride 1: the row sweep (conv2dSweep.wgsl); 'same', 7 rows (the last pair has one).
    ["3x3 'same', 1 in, 12 out, bias (row sweep)", [2, 7, 6, 1], [3, 3, 1, 12], { strides: [1, 1], padding: 'same', dilations: [1, 1] }, true],
    ['3x3 explicit padding, 1 in, 32 out (row sweep)', [1, 5, 8, 1], [3, 3, 1, 32], { strides: [1, 1], padding: [[2, 0], [0, 2]], dilations: [1, 1] }, false],
    // Shared gathers in the padding, 18 taps = 4 quads + 2, 63 pixels (the last block part-filled).
    ["3x3 'same' stride 2, 2 in, 64 out (shared gathers, padded)", [1, 13, 17, 2], [3, 3, 2, 64], { strides: [2, 2], padding: 'same', dilations: [1, 1] }, false],
    // cin % 4 == 0: the implicit GEMM's 8-pixel block reading x as vec4s (pixel counts not multiples of 8).
    ["3x3 'same', 8 in, 12 out, bias (vec4 x)", [2, 5, 7, 8], [3, 3, 8, 12], { strides: [1, 1], padding: 'same', dilations: [1, 1] }, true],
    ['3x3 valid stride 2, 4 in, 8 out (vec4 x)', [3, 9, 8, 4], [3, 3, 4, 8], { strides: [2, 2], padding: 'valid', dilations: [1, 1] }, false],
  ];
  for (const [name, xs, ws, p, withBias] of convCases) {
    it(`conv2d forward, im2col and implicit GEMM: ${name}`, async () => {
      const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
      const x = Array.from(randomValues(size(xs), 31));
      const w = Array.from(randomValues(size(ws), 32));
      const bias = withBias ? Array.from(randomValues(ws[3], 33)) : null;
      const gpu = await gp.run(async ({ wc, engine }, v) => {
        const be = engine.backend() as WebGpu;
        const out: number[][] = [];
        for (const algo of ['im2col', 'direct'] as const) {
          be.pinConvAlgorithm(algo);
          const [xt, wt] = [wc.tensor(v.x, v.xs), wc.tensor(v.w, v.ws)];
          const bt = v.bias ? wc.tensor(v.bias, [v.ws[3]]) : null;
          const y = wc.ops.conv2d(xt, wt, bt, v.p);
          out.push(Array.from(await y.data()));
          for (const t of [xt, wt, bt, y]) t?.dispose();
        }
        be.pinConvAlgorithm(null);
        return out;
      }, { x, w, bias, xs, ws, p });
      const want = cpuRun((be) => be.conv2d(cpuT(x, xs), cpuT(w, ws), bias ? cpuT(bias, [ws[3]]) : null, p));
      expectParity(gpu[0], want, `conv2d im2col ${name}`);
      expectParity(gpu[1], want, `conv2d direct ${name}`);
    });
  }

  it('autotune measures the recorded shapes, keeps a candidate and reports it; no pipeline is built inside a step', async () => {
    const r = await gp.run(async ({ wc, engine }) => {
      const be = engine.backend() as WebGpu;
      const syncBefore = be.stats().pipelinesCreatedSync;
      const a = wc.tensor(new Float32Array(2304 * 25).fill(0.5), [2304, 25]);
      const b = wc.tensor(new Float32Array(25 * 8).fill(0.25), [25, 8]);
      const first = wc.ops.matmul(a, b, false, false);  // the heuristic's pipeline is not built yet: the default runs
      // A conv with 8 filters on a 1-channel image: its forward algorithm is measured too.
      const cx = wc.tensor(new Float32Array(4 * 28 * 28).fill(0.5), [4, 28, 28, 1]);
      const cw = wc.tensor(new Float32Array(5 * 5 * 8).fill(0.1), [5, 5, 1, 8]);
      const cy = wc.ops.conv2d(cx, cw, null, { strides: [1, 1], padding: 'valid', dilations: [1, 1] });
      const convValue = (await cy.data())[0];
      for (const t of [cx, cw, cy]) t.dispose();
      const firstValues = await first.data();
      await be.autotune();
      const chosen = be.kernelChoices().find((c) => c.shape === '2304x8x25');
      const conv = be.kernelChoices().find((c) => c.kernel === 'conv2d' && c.shape.startsWith('x[4,28,28,1] w[5,5,1,8]'));
      const again = wc.ops.matmul(a, b, false, false);
      const againValues = await again.data();
      for (const t of [a, b, first, again]) t.dispose();
      return {
        chosen, conv, convValue, info: wc.backendInfo().kernels.some((c) => c.shape === '2304x8x25'),
        same: firstValues.every((v, i) => v === againValues[i]), value: firstValues[0],
        syncCreated: be.stats().pipelinesCreatedSync - syncBefore,
      };
    }, null);
    expect(r.chosen?.kernel).toBe('gemm');
    // n = 8: the heuristic is 2 blocks wide; its neighbours 1 and 4 are the other candidates.
    // 4 blocks wide, a subgroup of 4 lanes shares its loads of A (SwiftShader).
    expect(['workgroup 1x64', 'workgroup 2x32', 'workgroup 4x16, subgroup-shared loads']).toContain(r.chosen?.variant);
    expect(Number.isFinite(r.chosen?.ms)).toBe(true);
    expect(['im2col', 'direct']).toContain(r.conv?.variant);
    expect(r.convValue).toBeCloseTo(25 * 0.5 * 0.1, 5);
    expect(r.info).toBe(true);
    expect(r.value).toBeCloseTo(25 * 0.5 * 0.25, 5);
    expect(r.same).toBe(true);
    expect(r.syncCreated).toBe(0);
  });

  it("after autotune a model's next step builds no pipeline and leaves nothing to measure (a GEMM's bias, a conv's im2col GEMM)", async () => {
    const r = await gp.run(async ({ wc, engine }) => {
      const be = engine.backend() as WebGpu;
      // conv1 (1 channel in) times im2col, whose GEMM asks the tuner in turn; dense and conv2 add a bias in their GEMMs
      const model = wc.models.mnistLight();
      model.compile({ optimizer: wc.optimizers.sgd({ learningRate: 0.01 }), loss: 'categoricalCrossentropy' });
      const x = wc.tensor(new Float32Array(3 * 784).map((_, i) => (i % 7) / 7), [3, 28, 28, 1]);
      const y = wc.tensor(new Float32Array(30).map((_, i) => (i % 11 === 0 ? 1 : 0)), [3, 10]);
      await model.trainOnBatch(x, y);
      await be.autotune();
      await be.pipelinesBuilt();
      const before = be.stats().pipelines;
      await model.trainOnBatch(x, y);
      const out = { pending: be.ctx.tuner.pendingProblems().map((p) => p.shape), built: be.stats().pipelines - before, building: be.ctx.pipelines.pending };
      for (const t of [x, y]) t.dispose();
      model.dispose();
      return out;
    }, null);
    expect(r).toEqual({ pending: [], built: 0, building: 0 });
  });

  it('a backend with autotune: false keeps the heuristic: it takes no choice another backend measured', async () => {
    const r = await gp.run(async ({ wc, engine }) => {
      const tuned = (engine.backend() as WebGpu).kernelChoices().length;
      await wc.setBackend('webgpu', { autotune: false });
      const fixed = engine.backend() as WebGpu;
      const a = wc.tensor(new Float32Array(2304 * 25).fill(0.5), [2304, 25]);
      const b = wc.tensor(new Float32Array(25 * 8).fill(0.25), [25, 8]);
      const y = wc.ops.matmul(a, b, false, false);
      const value = (await y.data())[0];
      await fixed.autotune();
      const out = { tuned, fixed: fixed.kernelChoices().length, pipelines: fixed.stats().pipelines, value };
      for (const t of [a, b, y]) t.dispose();
      // Later files in this page get a backend of their own.
      engine.forgetBackend(fixed);
      await wc.setBackend('webgpu');
      return out;
    }, null);
    expect(r.tuned).toBeGreaterThan(0);  // the test above measured shapes on this adapter
    expect(r.fixed).toBe(0);
    expect(r.pipelines).toBeLessThan(5);  // none of the measured shapes' GEMM variants built behind its back
    expect(r.value).toBeCloseTo(25 * 0.5 * 0.25, 5);
  });
});
