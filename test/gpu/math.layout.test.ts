// The layout ops on WebGPU against the CPU reference: the forward and the
// gradient of every op (so every kernel: the strided copy in each of its uses,
// concatAxis, tileSum, gatherAxis and its scatter-add, oneHotRows), gather's
// out-of-range indices, and a composition under verification mode.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Wc from '../../src/index.js';
import * as wc from '../../src/index.js';
import { grads } from '../../src/autodiff/gradients.js';
import { randomValues } from '../util/check.js';
import { GpuPage } from '../harness/gpu.js';
import { expectParity } from '../harness/tolerance.js';

type Gpu = import('../../src/backend/webgpu/index.js').WebGpuBackend;
type Grads = typeof grads;

/**
 * The cases, built from the wc they are given: the same source runs in Node
 * (the CPU reference) and in the page (WebGPU), so it may use nothing else.
 */
function layoutCases(w: typeof Wc): { name: string; shapes: number[][]; f: (...xs: Wc.Tensor[]) => Wc.Tensor }[] {
  return [
    { name: 'reshape', shapes: [[2, 6]], f: (x) => w.reshape(x, [3, 4]) },
    { name: 'transpose', shapes: [[2, 3, 4, 2]], f: (x) => w.transpose(x, [2, 0, 3, 1]) },
    { name: 'slice', shapes: [[4, 5, 3]], f: (x) => w.slice(x, [1, 2, 0], [2, -1, 2]) },
    { name: 'pad', shapes: [[2, 3, 2]], f: (x) => w.pad(x, [[1, 0], [2, 1], [0, 3]], -1.5) },
    { name: 'tile', shapes: [[2, 3]], f: (x) => w.tile(x, [3, 2]) },
    { name: 'broadcastTo', shapes: [[2, 1, 3, 1]], f: (x) => w.broadcastTo(x, [2, 4, 3, 2]) },
    { name: 'reverse', shapes: [[2, 3, 2]], f: (x) => w.reverse(x, [0, -1]) },
    { name: 'concat', shapes: [[2, 3, 2], [2, 1, 2], [2, 4, 2]], f: (a, b, c) => w.concat([a, b, c], 1) },
    { name: 'stack', shapes: [[2, 3], [2, 3]], f: (a, b) => w.stack([a, b], -1) },
    { name: 'unstack', shapes: [[3, 4, 2]], f: (x) => w.stack(w.unstack(x, 1).slice().reverse(), 2) },
    { name: 'split', shapes: [[5, 6]], f: (x) => w.concat(w.split(x, [1, -1, 2], 1).slice().reverse(), 1) },
    { name: 'expandDims and squeeze', shapes: [[1, 3, 2]], f: (x) => w.expandDims(w.squeeze(x), -1) },
    { name: 'gather', shapes: [[2, 5, 3]], f: (x) => w.gather(x, [[1, 4], [4, 0], [1, 1]], 1) },
    { name: 'gather batchDims', shapes: [[3, 4, 2]], f: (x) => w.gather(x, [[0, 3], [1, 1], [2, 0]], 1, 1) },
    {
      name: 'composition',
      shapes: [[3, 1], [4]],
      f: (a, b) => {
        const ab = w.concat([w.broadcastTo(a, [3, 4]), w.tile(w.reshape(b, [1, 4]), [3, 1]), w.reverse(w.broadcastTo(a, [3, 4]), 0)], 1);
        return w.gather(w.pad(w.transpose(ab), [[0, 1], [1, 0]]), [0, 12, 5, 5], 0);
      },
    },
  ];
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

describe('webgpu layout ops', () => {
  it('every op and its gradient match the CPU reference', async () => {
    // The CPU side first: it gives each case's inputs, dy and expected values.
    const cases = layoutCases(wc);
    const inputs = cases.map((c, i) => c.shapes.map((s, k) => Array.from(randomValues(size(s), 100 * i + k))));
    const cpu = cases.map((c, i) => wc.tidy(() => {
      const xs = c.shapes.map((s, k) => wc.tensor(Float32Array.from(inputs[i][k]), s));
      const y = c.f(...xs);
      const dy = Array.from(randomValues(y.size, 100 * i + 50));
      const gs = grads(c.f)(xs, wc.tensor(Float32Array.from(dy), y.shape));
      return { shape: [...y.shape], y: Array.from(y.dataSync()), dy, grads: gs.map((g) => Array.from(g.dataSync())) };
    }));
    const gpu = await gp.run(async ({ wc: page }, a) => {
      // wc.grads is not exported yet: the page imports the module the sources use (an eval'd import, which no test transform rewrites).
      const load = (0, eval)('(u) => import(u)') as (u: string) => Promise<{ grads: Grads }>;
      const { grads: pageGrads } = await load(a.gradients);
      const built = ((0, eval)(`(${a.cases})`) as typeof layoutCases)(page);
      const out: { y: number[]; grads: number[][] }[] = [];
      for (const [i, c] of built.entries()) {
        const xs = c.shapes.map((s, k) => page.tensor(a.inputs[i][k], s));
        const y = c.f(...xs);
        const dy = page.tensor(a.dys[i], y.shape);
        const gs = pageGrads(c.f)(xs, dy);
        out.push({ y: Array.from(await y.data()), grads: await Promise.all(gs.map(async (g) => Array.from(await g.data()))) });
        for (const t of [...xs, y, dy, ...gs]) t.dispose();
      }
      return out;
    }, { cases: layoutCases.toString(), inputs, dys: cpu.map((c) => c.dy), gradients: '/src/autodiff/gradients.ts' });
    cases.forEach((c, i) => {
      expectParity(gpu[i].y, cpu[i].y, `${c.name} forward`);
      expect(gpu[i].grads.length, c.name).toBe(cpu[i].grads.length);
      gpu[i].grads.forEach((g, k) => expectParity(g, cpu[i].grads[k], `${c.name} gradient ${k}`));
    });
  });

  it('pads with -Infinity, makes one-hot rows, and gathers zeros for out-of-range indices', async () => {
    const r = await gp.run(async ({ wc: page }) => {
      const x = page.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
      const padded = page.pad(x, [[0, 1], [1, 0]], -Infinity);
      const hot = page.oneHot(page.tensor([0, 3, 2, -1, 1], [5]), 3, 4, -2);
      const hotFloat = page.oneHot([[1], [0]], 2, 0.5, -0.25, 'float32');
      const gathered = page.gather(x, [2, 7, -1, 0], 1);
      // Empty results and empty inputs: no dispatch, nothing read out of bounds.
      const empty = page.slice(x, [0, 3], [2, 0]);
      const withEmpty = page.concat([empty, x, empty], 1);
      const emptyGather = page.gather(x, page.tensor(new Float32Array(0), [0]), 1);
      const out = {
        // JSON has no -Infinity: it comes back as a string.
        padded: Array.from(await padded.data(), (v) => (Number.isFinite(v) ? v : String(v))), hot: Array.from(await hot.data()), hotDtype: hot.dtype,
        hotFloat: Array.from(await hotFloat.data()), hotFloatShape: hotFloat.shape, gathered: Array.from(await gathered.data()),
        empty: [Array.from(await empty.data()), empty.shape, emptyGather.shape],
        withEmpty: Array.from(await withEmpty.data()),
      };
      for (const t of [x, padded, hot, hotFloat, gathered, empty, withEmpty, emptyGather]) t.dispose();
      return out;
    }, null);
    const inf = '-Infinity';
    expect(r.padded).toEqual([inf, 1, 2, 3, inf, 4, 5, 6, inf, inf, inf, inf]);
    expect(r.hot).toEqual([4, -2, -2, -2, -2, -2, -2, -2, 4, -2, -2, -2, -2, 4, -2]);
    expect(r.hotDtype).toBe('int32');
    expect(r.hotFloat).toEqual([-0.25, 0.5, 0.5, -0.25]);
    expect(r.hotFloatShape).toEqual([2, 1, 2]);
    // On the CPU the same call throws (TF.js's message); WebGPU cannot read indices back, so it writes 0.
    expect(r.gathered).toEqual([3, 0, 0, 1, 6, 0, 0, 4]);
    expect(r.empty).toEqual([[], [2, 0], [2, 0]]);
    expect(r.withEmpty).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => wc.gather(wc.tensor([1, 2, 3, 4, 5, 6], [2, 3]), [2, 7], 1)).toThrow(/^gather: the index value 7 is not in \[0, 2\]/);
  });
});

/** A composition of every kernel, built from the wc it is given (Node and the page run the same source). */
function composition(w: typeof Wc): (t: Wc.Tensor) => Wc.Tensor {
  return (t) => {
    const parts = w.split(w.transpose(t, [2, 0, 1]), [1, -1], 0);
    const joined = w.concat([w.reverse(parts[1], 1), w.pad(parts[0], [[2, 0], [0, 0], [0, 0]], 0.5)], 0);
    return w.gather(w.broadcastTo(w.tile(joined, [1, 2, 1]), [2, 6, 4, 3]), [3, 0, 3], 1, 0);
  };
}

describe('webgpu layout ops in verification mode', () => {
  it('checks a composition of every kernel against the CPU, silently', async () => {
    const x = Array.from(randomValues(24, 7));
    const f = composition(wc);
    const cpu = wc.tidy(() => {
      const xt = wc.tensor(Float32Array.from(x), [2, 3, 4]);
      const y = f(xt);
      const dy = wc.tensor(new Float32Array(y.size).fill(1), y.shape);
      return { y: Array.from(y.dataSync()), dx: Array.from(grads(f)([xt], dy)[0].dataSync()) };
    });
    const vp = await GpuPage.open({ verify: true });
    try {
      const r = await vp.run(async ({ wc: page, engine }, a) => {
        const be = engine.backend() as Gpu;
        const load = (0, eval)('(u) => import(u)') as (u: string) => Promise<{ grads: Grads }>;
        const { grads: pageGrads } = await load(a.gradients);
        const g = ((0, eval)(`(${a.composition})`) as typeof composition)(page);
        const before = be.verifier?.checked ?? -1;
        const xt = page.tensor(a.x, [2, 3, 4]);
        const y = g(xt);
        const [dx] = pageGrads(g)([xt], page.tensor(new Float32Array(y.size).fill(1), y.shape));
        const hot = page.oneHot([2, 0, 1], 3);
        const values = { y: Array.from(await y.data()), dx: Array.from(await dx.data()), hot: Array.from(await hot.data()) };
        const checked = (be.verifier?.checked ?? -1) - before;
        for (const t of [xt, y, dx, hot]) t.dispose();
        return { checked, ...values };
      }, { x, composition: composition.toString(), gradients: '/src/autodiff/gradients.ts' });
      // Checked: the forward's and the gradient's copies, concat, gather and its scatter-add, the tile sums, oneHot.
      expect(r.checked).toBeGreaterThanOrEqual(12);
      expect(r.hot).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
      expectParity(r.y, cpu.y, 'composition forward');
      expectParity(r.dx, cpu.dx, 'composition gradient');
    } finally {
      await vp.close();
    }
  });
});
