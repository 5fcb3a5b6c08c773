// GEMM on WebGPU: the register-blocked kernel (with its lanes sharing loads
// through subgroups, and each loading its own) and the naive oracle, all four
// transpose combinations, sizes that are not multiples of the 8x4 block (and
// 1x1x1), long k with a small C (split-K, odd and multiple-of-4 k); plus
// biasAdd and its backward.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomValues } from '../util/check.js';
import { GpuPage } from '../harness/gpu.js';
import { cpuRun, cpuT } from '../harness/cpu.js';
import { expectParity } from '../harness/tolerance.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

const SIZES: [number, number, number][] = [[1, 1, 1], [17, 31, 5], [65, 129, 33], [300, 200, 100], [8, 12, 16], [5, 3, 2999], [8, 12, 3000], [17, 30, 36], [12, 8, 7], [12, 8, 2999]];

const VARIANTS = ['blocked, shared loads', 'blocked', 'naive'] as const;

describe('webgpu matmul', () => {
  it('shares the GEMM\'s loads across subgroups on SwiftShader (subgroups of 4)', async () => {
    const r = await gp.run(({ wc, engine }) => {
      const be = engine.backend() as import('../../src/backend/webgpu/index.js').WebGpuBackend;
      return { shared: be.ctx.sharedLoads, info: wc.backendInfo().adapter ?? null };
    }, null);
    expect(r.info?.architecture).toBe('swiftshader');
    expect(r.info?.subgroupSize).toBe(4);
    expect(r.shared).toBe(true);
  });

  it("setBackend('webgpu', { subgroups: false }) runs the GEMM with every lane loading its own, and it agrees", async () => {
    const a = Array.from(randomValues(37 * 19, 3));
    const b = Array.from(randomValues(19 * 24, 4));
    const r = await gp.run(async ({ wc, engine }, v) => {
      await wc.setBackend('webgpu', { subgroups: false });
      const own = engine.backend() as import('../../src/backend/webgpu/index.js').WebGpuBackend;
      const at = wc.tensor(v.a, [37, 19]);
      const bt = wc.tensor(v.b, [19, 24]);
      const ct = wc.ops.matmul(at, bt, false, false);
      const values = Array.from(await ct.data());
      const profile = await wc.profile(async () => { const t = wc.ops.matmul(at, bt, false, false); await t.data(); t.dispose(); });
      for (const t of [at, bt, ct]) t.dispose();
      await wc.setBackend('webgpu');
      const shared = (engine.backend() as typeof own).ctx.sharedLoads;
      return { ownShared: own.ctx.sharedLoads, shared, values, kernels: profile.kernels.map((k) => k.name) };
    }, { a, b });
    expect(r.ownShared).toBe(false);
    expect(r.shared).toBe(true);
    expect(r.kernels).toContain('matmul/gemm');
    expect(r.kernels).not.toContain('matmul/gemmSubgroup');
    expectParity(r.values, cpuRun((be) => be.matmul(cpuT(a, [37, 19]), cpuT(b, [19, 24]), false, false)), 'gemm with subgroups: false');
  });

  for (const [m, n, k] of SIZES) {
    it(`[${m}x${k}] . [${k}x${n}], every kernel, all transposes`, async () => {
      const a = Array.from(randomValues(m * k, m + 7));
      const b = Array.from(randomValues(k * n, n + 11));
      const combos: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];
      const gpu = await gp.run(async ({ wc, engine }, v) => {
        const be = engine.backend() as import('../../src/backend/webgpu/index.js').WebGpuBackend;
        const out: number[][] = [];
        for (const variant of v.variants) {
          await be.useGemmVariant(variant === 'naive' ? 'naive' : 'blocked');
          be.useSharedLoads(variant === 'blocked, shared loads');
          for (const [ta, tb] of v.combos) {
            const at = wc.tensor(v.a, ta ? [v.k, v.m] : [v.m, v.k]);
            const bt = wc.tensor(v.b, tb ? [v.n, v.k] : [v.k, v.n]);
            const ct = wc.ops.matmul(at, bt, ta, tb);
            out.push(Array.from(await ct.data()));
            for (const t of [at, bt, ct]) t.dispose();
          }
        }
        await be.useGemmVariant('blocked');
        be.useSharedLoads(true);
        return out;
      }, { a, b, m, n, k, combos, variants: VARIANTS });
      let i = 0;
      for (const variant of VARIANTS) {
        for (const [ta, tb] of combos) {
          const aShape = ta ? [k, m] : [m, k];
          const bShape = tb ? [n, k] : [k, n];
          const want = cpuRun((be) => be.matmul(cpuT(a, aShape), cpuT(b, bShape), ta, tb));
          expectParity(gpu[i++], want, `${variant} gemm ${m}x${n}x${k} transA=${ta} transB=${tb}`);
        }
      }
    });
  }

  it('biasAdd and biasAddBackward match the CPU', async () => {
    for (const shape of [[3, 7, 9, 5], [130, 17], [1, 1]]) {
      const n = shape.reduce((p, d) => p * d, 1);
      const c = shape[shape.length - 1];
      const x = Array.from(randomValues(n, 21));
      const bias = Array.from(randomValues(c, 22));
      const gpu = await gp.run(async ({ wc, engine }, v) => {
        const xt = wc.tensor(v.x, v.shape);
        const bt = wc.tensor(v.bias, [v.bias.length]);
        const yt = wc.ops.biasAdd(xt, bt);
        const dbt = wc.ops.biasAddBackward(xt);
        const out = { y: Array.from(await yt.data()), db: Array.from(await dbt.data()) };
        for (const t of [xt, bt, yt, dbt]) t.dispose();
        return out;
      }, { x, bias, shape });
      expectParity(gpu.y, cpuRun((b) => b.biasAdd(cpuT(x, shape), cpuT(bias, [c]))), `biasAdd ${shape}`);
      expectParity(gpu.db, cpuRun((b) => b.biasAddBackward(cpuT(x, shape))), `biasAddBackward ${shape}`);
    }
  });
});

