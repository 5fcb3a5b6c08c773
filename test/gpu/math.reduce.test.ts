// The reductions, softmaxes, matMul/dot and network ops on WebGPU against the
// CPU: every reduce op code (short rows and rows a workgroup shares), every
// backward op code, softmax and log-softmax along inner and outer axes, the
// GEMM and batched products with every transpose, forward and gradient. Each
// case is one function source run by webcnn in the page and in Node (CPU);
// cases are batched into a few page calls; the one-invocation-per-output kernels
// with their small (software) and wide (hardware) workgroups. Then a composition
// in verification mode.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { randomValues } from '../util/check.js';
import { GpuPage } from '../harness/gpu.js';
import { expectParity } from '../harness/tolerance.js';

interface Case {
  label: string;
  /** (lib, ...inputs) => Tensor, as source: evaluated in the page and in Node alike. */
  f: string;
  inputs: { values: number[]; shape: number[] }[];
  grads: boolean;
}
interface Result { y: number[]; grads: number[][] }

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
let seed = 1;
const rand = (shape: number[], lo = -1, hi = 1) => ({ values: Array.from(randomValues(size(shape), seed++, lo, hi)), shape });

/** The Node side: the same function on the CPU backend. */
function onCpu(c: Case): Result {
  const f = (0, eval)(c.f) as (lib: typeof wc, ...xs: wc.Tensor[]) => wc.Tensor;
  const xs = c.inputs.map((i) => wc.tensor(Float32Array.from(i.values), i.shape));
  const y = f(wc, ...xs);
  const dy = wc.tensor(Float32Array.from({ length: y.size }, (_, i) => Math.sin(i + 1)), y.shape);
  const gs = c.grads ? wc.grads((...ts: wc.Tensor[]) => f(wc, ...ts))(xs, dy) : [];
  return { y: Array.from(y.dataSync()), grads: gs.map((g) => Array.from(g.dataSync())) };
}

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

/** Runs the cases in the page (with 256-wide workgroups for the one-invocation-per-output kernels where `wide`) and on the CPU. */
async function parity(cases: Case[], wide = false): Promise<void> {
  const results = await gp.run(async ({ wc, engine }, { list, wide: w }) => {
    const be = engine.backend() as import('../../src/backend/webgpu/index.js').WebGpuBackend;
    const before = be.ctx.wideWorkgroups;
    be.useWideWorkgroups(w);
    const out: { y: number[]; grads: number[][] }[] = [];
    for (const c of list) {
      const f = (0, eval)(c.f) as (lib: typeof wc, ...xs: InstanceType<typeof wc.Tensor>[]) => InstanceType<typeof wc.Tensor>;
      const xs = c.inputs.map((i) => wc.tensor(Float32Array.from(i.values), i.shape));
      const y = f(wc, ...xs);
      const dy = wc.tensor(Float32Array.from({ length: y.size }, (_, i) => Math.sin(i + 1)), y.shape);
      const gs = c.grads ? wc.grads((...ts) => f(wc, ...ts))(xs, dy) : [];
      out.push({ y: Array.from(await y.data()), grads: await Promise.all(gs.map(async (g) => Array.from(await g.data()))) });
      for (const t of [...xs, y, dy, ...gs]) t.dispose();
    }
    be.useWideWorkgroups(before);
    return out;
  }, { list: cases, wide });
  cases.forEach((c, i) => {
    const cpu = onCpu(c);
    expectParity(results[i].y, cpu.y, `${c.label}: value`);
    expect(results[i].grads.length, c.label).toBe(cpu.grads.length);
    cpu.grads.forEach((g, j) => expectParity(results[i].grads[j], g, `${c.label}: gradient ${j}`));
  });
}

describe('webgpu reductions, softmaxes, products and network ops', () => {
  it('every reduce and reduceBackward op code, short and shared rows, any axes', async () => {
    const cases: Case[] = [];
    const shapes: [number[], string][] = [
      [[3, 4, 5], 'undefined'], [[3, 4, 5], '1'], [[3, 4, 5], '[0, 2]'], [[3, 4, 5], '-1'],
      [[2, 1100], '1'],     // rows of 1100: a workgroup per output
      [[80, 6], '0'],       // a strided column of 80 with few outputs: shared too
      [[2, 3], '[]'],       // nothing reduced
    ];
    for (const [shape, axis] of shapes) {
      for (const op of ['sum', 'mean', 'max', 'min', 'logSumExp', 'prod']) {
        const x = op === 'prod' ? rand(shape, 0.97, 1.03) : rand(shape);
        cases.push({ label: `${op}(${JSON.stringify(shape)}, ${axis})`, f: `(wc, x) => wc.${op}(x, ${axis}, true)`, inputs: [x], grads: true });
      }
      if (axis !== 'undefined' && axis.startsWith('[') === false) {
        for (const op of ['argMax', 'argMin']) cases.push({ label: `${op}(${JSON.stringify(shape)}, ${axis})`, f: `(wc, x) => wc.${op}(x, ${axis})`, inputs: [rand(shape)], grads: false });
      }
    }
    // Ties: the first index wins, and every tied maximum gets dy.
    const ties = { values: [1, 3, 3, 2, 2, 0, 5, 5, 5, 0, 9, 9], shape: [4, 3] };
    cases.push({ label: 'argMax ties', f: '(wc, x) => wc.argMax(x, 1)', inputs: [ties], grads: false });
    cases.push({ label: 'argMin ties', f: '(wc, x) => wc.argMin(x, 0)', inputs: [ties], grads: false });
    cases.push({ label: 'max ties', f: '(wc, x) => wc.max(x, 1)', inputs: [ties], grads: true });
    cases.push({ label: 'prod zeros', f: '(wc, x) => wc.prod(x, 1)', inputs: [{ values: [2, 0, 3, 0, 0, 4, 1, 2, 3], shape: [3, 3] }], grads: true });
    await parity(cases);
  });

  it('softmax and logSoftmax along every axis, and products', async () => {
    const cases: Case[] = [];
    for (const axis of [-1, 0, 1]) {
      cases.push({ label: `softmax ${axis}`, f: `(wc, x) => wc.softmax(x, ${axis})`, inputs: [rand([3, 4, 5], -3, 3)], grads: true });
      cases.push({ label: `logSoftmax ${axis}`, f: `(wc, x) => wc.logSoftmax(x, ${axis})`, inputs: [rand([3, 4, 5], -3, 3)], grads: true });
    }
    for (const [ta, tb] of [[false, false], [false, true], [true, false], [true, true]]) {
      cases.push({ label: `matMul ${ta} ${tb}`, f: `(wc, a, b) => wc.matMul(a, b, ${ta}, ${tb})`, inputs: [rand(ta ? [3, 2] : [2, 3]), rand(tb ? [4, 3] : [3, 4])], grads: true });
      cases.push({ label: `batched matMul ${ta} ${tb}`, f: `(wc, a, b) => wc.matMul(a, b, ${ta}, ${tb})`, inputs: [rand(ta ? [2, 1, 3, 2] : [2, 1, 2, 3]), rand(tb ? [3, 4, 3] : [3, 3, 4])], grads: true });
    }
    cases.push({ label: 'batched matMul across tiles', f: '(wc, a, b) => wc.matMul(a, b, false, true)', inputs: [rand([3, 20, 35]), rand([18, 35])], grads: true });
    cases.push({ label: 'dot vv', f: '(wc, a, b) => wc.dot(a, b)', inputs: [rand([5]), rand([5])], grads: true });
    cases.push({ label: 'dot mv', f: '(wc, a, b) => wc.dot(a, b)', inputs: [rand([3, 5]), rand([5])], grads: true });
    await parity(cases);
  });

  it('short-row reductions and softmax along an axis with 256-wide workgroups (the hardware default), past one workgroup', async () => {
    const cases: Case[] = [];
    // 300 outputs of 5 elements (an invocation each: two workgroups, the second part-filled).
    for (const op of ['sum', 'max', 'logSumExp']) cases.push({ label: `wide ${op}`, f: `(wc, x) => wc.${op}(x, 1)`, inputs: [rand([300, 5])], grads: true });
    cases.push({ label: 'wide argMin', f: '(wc, x) => wc.argMin(x, 1)', inputs: [rand([300, 5])], grads: false });
    // 3 * 100 lines along the middle axis.
    cases.push({ label: 'wide softmax', f: '(wc, x) => wc.softmax(x, 1)', inputs: [rand([3, 7, 100], -3, 3)], grads: true });
    cases.push({ label: 'wide logSoftmax', f: '(wc, x) => wc.logSoftmax(x, 1)', inputs: [rand([3, 7, 100], -3, 3)], grads: true });
    await parity(cases, true);
  });

  it('conv2d, maxPool, avgPool and batchNorm with their gradients', async () => {
    const distinct = { values: Array.from({ length: 2 * 5 * 6 * 2 }, (_, i) => ((i * 37) % 120) / 10), shape: [2, 5, 6, 2] };
    const c = [3];
    await parity([
      { label: 'conv2d same 2', f: "(wc, x, w) => wc.conv2d(x, w, 2, 'same')", inputs: [rand([2, 5, 5, 3]), rand([3, 3, 3, 4])], grads: true },
      { label: 'conv2d explicit, dilated', f: "(wc, x, w) => wc.conv2d(x, w, 1, [[0, 0], [1, 0], [0, 2], [0, 0]], 'NHWC', 2)", inputs: [rand([5, 5, 2]), rand([2, 2, 2, 3])], grads: true },
      { label: 'maxPool', f: "(wc, x) => wc.maxPool(x, 3, 2, 'same')", inputs: [distinct], grads: true },
      { label: 'avgPool', f: "(wc, x) => wc.avgPool(x, [2, 3], 1, 'valid')", inputs: [distinct], grads: true },
      { label: 'batchNorm', f: '(wc, x, m, v, o, s) => wc.batchNorm(x, m, v, o, s, 0.01)', inputs: [rand([2, 2, 2, 3]), rand(c), rand(c, 0.5, 2), rand(c), rand(c)], grads: true },
    ]);
  });
});

describe('webgpu verification mode', () => {
  it('checks a composition of these ops kernel by kernel, and catches a wrong reduce', async () => {
    const vp = await GpuPage.open({ verify: true });
    try {
      const out = await vp.run(async ({ wc, engine }) => {
        const be = engine.backend() as unknown as { verifier?: { checked: number; corruptNext?: string }; sync(): Promise<void> };
        const before = be.verifier?.checked ?? -1;
        const a = wc.tensor(Float32Array.from({ length: 24 }, (_, i) => Math.sin(i)), [2, 3, 4]);
        const b = wc.tensor(Float32Array.from({ length: 20 }, (_, i) => Math.cos(i)), [4, 5]);
        const f = (p: InstanceType<typeof wc.Tensor>, q: InstanceType<typeof wc.Tensor>) =>
          wc.mean(wc.logSumExp(wc.logSoftmax(wc.matMul(p, q), 1), -1, true), [0, 2]);
        const [ga, gb] = wc.grads(f)([a, b]);
        const y = f(a, b);
        await y.data(); await ga.data(); await gb.data();
        const checked = (be.verifier?.checked ?? -1) - before;
        let caught = 'no error';
        if (be.verifier) {
          be.verifier.corruptNext = 'reduce';
          const s = wc.sum(a, 1);
          try { await s.data(); } catch (err) { caught = (err as Error).message; }
          s.dispose();
        }
        for (const t of [a, b, y, ga, gb]) t.dispose();
        return { checked, caught };
      }, null);
      expect(out.checked).toBeGreaterThanOrEqual(10);
      expect(out.caught).toMatch(/reduce/);
      expect(out.caught).toMatch(/12345/);
    } finally {
      await vp.close();
    }
  });
});
