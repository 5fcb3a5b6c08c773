// Element-wise math on WebGPU against the CPU reference: every op code of the
// unary and binary kernels, where and sumToShape on broadcasting shapes (rank
// 6 included), TF.js's edge values, the gradient of every public op, and a
// composition under verification mode. Shapes are small and the cases batched
// into few page calls (SwiftShader is slow).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { BINARY_OPS, UNARY_OPS } from '../../src/kernels/elementwise/codes.js';
import { worstMismatch } from '../../src/backend/webgpu/tolerance.js';
import { randomValues } from '../util/check.js';
import { GpuPage } from '../harness/gpu.js';
import { cpuRun, cpuT } from '../harness/cpu.js';
import { expectParity } from '../harness/tolerance.js';
import { BINARY_CASES, UNARY_CASES, binaryInputs, sizeOf, valuesAway } from '../cpu/elementwiseCases.js';

type Gpu = import('../../src/backend/webgpu/index.js').WebGpuBackend;

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

/** Parity where both sides may hold the same infinity or NaN (the edge values). */
function expectEdgeParity(sent: number[], cpu: number[], label: string): void {
  const gpu = sent.map(Number);   // NaN and Infinity came as strings
  const worst = worstMismatch(gpu, cpu);
  expect(worst, `${label}: element ${worst} is ${gpu[worst]} on the GPU, ${cpu[worst]} on the CPU`).toBe(-1);
}

/** Unary codes that need x > 0 for finite values, and each code's parameters. */
const POSITIVE = new Set(['log', 'sqrt', 'rsqrt', 'reciprocal', 'powScalar', 'log1p']);
const PARAMS: Record<string, [number, number]> = { leakyRelu: [0.3, 0], clip: [-0.5, 0.7], step: [-1, 0], affine: [2, -1], fill: [0.25, 0], powScalar: [1.5, 0], clipMask: [-0.5, 0.7] };
const EDGES = [-100, -20, -6.5, -3, -1, -0.5, -1e-3, 0, 1e-3, 0.5, 1, 3, 6, 6.5, 20, 100];

describe('webgpu element-wise math', () => {
  it('every unary op code matches the CPU, on ordinary and edge values', async () => {
    const shape = [3, 5, 7];
    const wide = Array.from(randomValues(105, 1, -6, 6), (v, i) => (i % 13 === 0 ? 0 : v));
    const positive = Array.from(randomValues(105, 2, 0.05, 6));
    const cases = UNARY_OPS.map((op) => ({ op, x: POSITIVE.has(op) ? positive : wide, params: PARAMS[op] ?? [0, 0] }));
    const gpu = await gp.run(async ({ wc, engine, kernels }, a) => {
      const k = kernels.kernelsOf(engine.backend());
      const out: Record<string, { y: number[]; edges: number[] }> = {};
      for (const c of a.cases) {
        const x = wc.tensor(c.x, a.shape);
        const e = wc.tensor(a.edges, [a.edges.length]);
        const y = k.unary(x, c.op, c.params[0], c.params[1]);
        const ye = k.unary(e, c.op, c.params[0], c.params[1]);
        // JSON carries no NaN or Infinity: they travel as strings.
        out[c.op] = { y: Array.from(await y.data()), edges: Array.from(await ye.data(), (v) => (Number.isFinite(v) ? v : String(v))) as number[] };
        for (const t of [x, e, y, ye]) t.dispose();
      }
      return out;
    }, { cases, shape, edges: EDGES });
    for (const c of cases) {
      expectParity(gpu[c.op].y, cpuRun((k) => k.unary(cpuT(c.x, shape), c.op, c.params[0], c.params[1])), `unary ${c.op}`);
      expectEdgeParity(gpu[c.op].edges, cpuRun((k) => k.unary(cpuT(EDGES, [EDGES.length]), c.op, c.params[0], c.params[1])), `unary ${c.op} edges`);
    }
  });

  it('every binary op code, where and sumToShape match the CPU on broadcasting shapes', async () => {
    // Pairs: the same shape (the fast path), trailing axes, both sides stretched, a scalar, rank 6.
    const pairs: [number[], number[]][] = [[[2, 3], [2, 3]], [[2, 3, 4], [3, 1]], [[2, 1, 3], [1, 4, 1]], [[5], []], [[2, 1, 2, 3, 1, 2], [3, 2, 2]]];
    const inputs = pairs.map(([sa, sb], i) => ({
      sa, sb,
      a: Array.from(randomValues(sizeOf(sa), 10 + i, -3, 3), (v, j) => (j % 5 === 0 ? Math.round(v) : v)),
      b: Array.from(randomValues(sizeOf(sb), 20 + i, -3, 3), (v, j) => (j % 3 === 0 ? Math.round(v) : v)),
      positive: Array.from(randomValues(sizeOf(sa), 30 + i, 0.2, 3)),
    }));
    const sums: [number[], number[]][] = [[[2, 3, 4], [3, 1]], [[2, 3, 4], []], [[2, 3, 4], [4]], [[2, 3], [2, 3]], [[2, 1, 2, 3, 1, 2], [1, 1, 2, 3, 1, 1]]];
    const sumInputs = sums.map(([from, to], i) => ({ from, to, x: Array.from(randomValues(sizeOf(from), 40 + i)) }));
    const gpu = await gp.run(async ({ wc, engine, kernels }, a) => {
      const k = kernels.kernelsOf(engine.backend());
      const read = async (t: import('../../src/tensor.js').Tensor) => { const v = Array.from(await t.data()); t.dispose(); return v; };
      const binary: Record<string, number[][]> = {};
      for (const op of a.ops) {
        binary[op] = [];
        for (const p of a.inputs) {
          // pow and div: a positive base and a divisor away from 0 keep every value finite.
          const x = wc.tensor(op === 'pow' ? p.positive : p.a, p.sa);
          const y = wc.tensor(op === 'div' || op === 'floorDiv' ? p.b.map((v) => (Math.abs(v) < 0.2 ? 1 : v)) : p.b, p.sb);
          binary[op].push(await read(k.binary(x, y, op)));
          x.dispose(); y.dispose();
        }
      }
      const where: number[][] = [];
      for (const p of a.inputs) {
        const c = wc.tensor(p.b.map((v) => (v > 0 ? 1 : 0)), p.sb);
        const x = wc.tensor(p.a, p.sa);
        where.push(await read(k.where(c, x, wc.tensor([7], [1]))), await read(k.where(x, c, x)));
        c.dispose(); x.dispose();
      }
      const sums: number[][] = [];
      for (const s of a.sumInputs) {
        const x = wc.tensor(s.x, s.from);
        sums.push(await read(k.sumToShape(x, s.to)));
        x.dispose();
      }
      return { binary, where, sums };
    }, { ops: BINARY_OPS, inputs, sumInputs });
    for (const op of BINARY_OPS) {
      inputs.forEach((p, i) => {
        const a = op === 'pow' ? p.positive : p.a;
        const b = op === 'div' || op === 'floorDiv' ? p.b.map((v) => (Math.abs(v) < 0.2 ? 1 : v)) : p.b;
        expectParity(gpu.binary[op][i], cpuRun((k) => k.binary(cpuT(a, p.sa), cpuT(b, p.sb), op)), `binary ${op} ${JSON.stringify([p.sa, p.sb])}`);
      });
    }
    inputs.forEach((p, i) => {
      const c = p.b.map((v) => (v > 0 ? 1 : 0));
      expectParity(gpu.where[2 * i], cpuRun((k) => k.where(cpuT(c, p.sb), cpuT(p.a, p.sa), cpuT([7], [1]))), `where ${i}`);
      expectParity(gpu.where[2 * i + 1], cpuRun((k) => k.where(cpuT(p.a, p.sa), cpuT(c, p.sb), cpuT(p.a, p.sa))), `where ${i}, condition a float tensor`);
    });
    sumInputs.forEach((s, i) => expectParity(gpu.sums[i], cpuRun((k) => k.sumToShape(cpuT(s.x, s.from), s.to)), `sumToShape ${JSON.stringify([s.from, s.to])}`));
  });

  it('binary edge values match the CPU: zero divisors, negative bases, ties', async () => {
    const a = [0, 0, -2, -8, 2, 1, -1, 0, 3, -3, 5, 0, -2, 7, -7];
    const b = [0, -1, 3, 1 / 3, 0.5, 1, -1, 2, 3, 0, -5, 1e-3, -2, 2, 2];
    const gpu = await gp.run(async ({ wc, engine, kernels }, v) => {
      const k = kernels.kernelsOf(engine.backend());
      const out: Record<string, number[]> = {};
      const x = wc.tensor(v.a, [v.a.length]);
      const y = wc.tensor(v.b, [v.b.length]);
      for (const op of v.ops) {
        const c = k.binary(x, y, op);
        out[op] = Array.from(await c.data(), (v) => (Number.isFinite(v) ? v : String(v))) as number[];
        c.dispose();
      }
      x.dispose(); y.dispose();
      return out;
    }, { a, b, ops: BINARY_OPS });
    for (const op of BINARY_OPS) expectEdgeParity(gpu[op], cpuRun((k) => k.binary(cpuT(a, [a.length]), cpuT(b, [b.length]), op)), `binary ${op} edges`);
  });

  it('the value and gradient of every public op match the CPU, broadcasting included', async () => {
    const unary = UNARY_CASES.map((c, i) => ({ name: c.name, extra: c.extra, x: valuesAway(12, 50 + i, c.lo, c.hi, c.kinks), dy: Array.from(randomValues(12, 70 + i)) }));
    const binary = BINARY_CASES.map((c, i) => {
      const [av, bv] = binaryInputs(c, 24, 3, 80 + i);
      return { name: c.name, a: av, b: bv, dy: Array.from(randomValues(24, 90 + i)) };
    });
    const [sa, sb] = [[2, 3, 4], [3, 1]];
    const run = async (w: typeof wc, v: { unary: typeof unary; binary: typeof binary; sa: number[]; sb: number[] }) => {
      type Fn = (...args: unknown[]) => import('../../src/tensor.js').Tensor;
      const op = (name: string) => (w as unknown as Record<string, Fn>)[name];
      const read = async (t: import('../../src/tensor.js').Tensor) => Array.from(await t.data());
      const out: Record<string, number[][]> = {};
      for (const c of v.unary) {
        const x = w.tensor(c.x, [3, 4]);
        const f = (t: import('../../src/tensor.js').Tensor) => op(c.name)(t, ...c.extra);
        const { value, grad } = w.valueAndGrad(f)(x, w.tensor(c.dy, [3, 4]));
        out[c.name] = [await read(value), await read(grad)];
      }
      for (const c of v.binary) {
        const [x, y] = [w.tensor(c.a, v.sa), w.tensor(c.b, v.sb)];
        const { value, grads } = w.valueAndGrads((p: import('../../src/tensor.js').Tensor, q: import('../../src/tensor.js').Tensor) => op(c.name)(p, q))([x, y], w.tensor(c.dy, v.sa));
        out[c.name] = [await read(value), await read(grads[0]), await read(grads[1])];
      }
      const cond = w.tensor([1, 0, 1], [3, 1]);
      const [x, y] = [w.tensor(v.binary[0].a, v.sa), w.tensor([5, 6, 7, 8], [4])];
      const { value, grads } = w.valueAndGrads((p: import('../../src/tensor.js').Tensor, q: import('../../src/tensor.js').Tensor) => w.where(cond, p, q))([x, y], w.tensor(v.binary[0].dy, v.sa));
      out.where = [await read(value), await read(grads[0]), await read(grads[1])];
      return out;
    };
    const args = { unary, binary, sa, sb };
    const gpu = await gp.run(async ({ wc: w }, v) => {
      const f = (0, eval)(`(${v.src})`) as typeof run;
      return f(w, v.args);
    }, { src: run.toString(), args });
    const cpu = await run(wc, args);
    for (const [name, parts] of Object.entries(cpu)) {
      parts.forEach((p, i) => expectParity(gpu[name][i], p, `${name} ${i === 0 ? 'value' : `gradient ${i - 1}`}`));
    }
  });

  it('verification mode checks a composition of the ops and its gradients', async () => {
    const vp = await GpuPage.open({ verify: true });
    try {
      const checked = await vp.run(async ({ wc, engine }) => {
        const be = engine.backend() as Gpu;
        const before = be.verifier?.checked ?? -1;
        const x = wc.tensor([-2, -0.5, 0.25, 0.5, 2, 3], [2, 3]);
        const s = wc.tensor([0.5, 1, 2], [3]);
        const f = (a: typeof x, b: typeof s) => wc.where(wc.greater(a, 0), wc.softplus(wc.div(wc.sub(a, 0.1), b)), wc.mul(wc.elu(a), wc.clipByValue(b, 0.6, 1.5)));
        const { value, grads } = wc.valueAndGrads(f)([x, s]);
        for (const t of [value, ...grads]) await t.data();
        await be.sync();
        return (be.verifier?.checked ?? -1) - before;
      }, null);
      expect(checked).toBeGreaterThan(15);
    } finally {
      await vp.close();
    }
  });
});
