// The GEMM's tuned workgroup shapes: every shape the tuner may pick matches
// the CPU on sizes that are not multiples of its block (all transposes, and
// split-K), and autotune() measures the shapes a model records, keeps one of
// the candidates, reports it in backendInfo(), and compiles nothing inside a
// step.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomValues } from '../util/check.js';
import { GpuPage } from '../harness/gpu.js';
import { cpuRun, cpuT } from '../harness/cpu.js';
import { expectParity } from '../harness/tolerance.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

type WebGpu = import('../../src/backend/webgpu/index.js').WebGpuBackend;
const WIDTHS = [1, 2, 4, 16]; // 8 is the default, covered by matmul.test.ts

describe('webgpu GEMM workgroup shapes', () => {
  for (const [m, n, k] of [[37, 9, 13], [70, 45, 8], [6, 5, 3001]] as const) {
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
            const ct = be.matmul(at, bt, ta, tb);
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

  it('autotune measures the recorded shapes, keeps a candidate and reports it; no pipeline is built inside a step', async () => {
    const r = await gp.run(async ({ wc, engine }) => {
      const be = engine.backend() as WebGpu;
      const syncBefore = be.stats().pipelinesCreatedSync;
      const a = wc.tensor(new Float32Array(2304 * 25).fill(0.5), [2304, 25]);
      const b = wc.tensor(new Float32Array(25 * 8).fill(0.25), [25, 8]);
      const first = be.matmul(a, b, false, false);  // the heuristic's pipeline is not built yet: the default runs
      const firstValues = await first.data();
      await be.autotune();
      const chosen = be.kernelChoices().find((c) => c.shape === '2304x8x25');
      const again = be.matmul(a, b, false, false);
      const againValues = await again.data();
      for (const t of [a, b, first, again]) t.dispose();
      return {
        chosen, info: wc.backendInfo().kernels.some((c) => c.shape === '2304x8x25'),
        same: firstValues.every((v, i) => v === againValues[i]), value: firstValues[0],
        syncCreated: be.stats().pipelinesCreatedSync - syncBefore,
      };
    }, null);
    expect(r.chosen?.kernel).toBe('gemm');
    // n = 8: the heuristic is 2 blocks wide; its neighbours 1 and 4 are the other candidates.
    expect(['workgroup 1x64', 'workgroup 2x32', 'workgroup 4x16']).toContain(r.chosen?.variant);
    expect(r.chosen?.ms).toBeGreaterThan(0);
    expect(r.info).toBe(true);
    expect(r.value).toBeCloseTo(25 * 0.5 * 0.25, 5);
    expect(r.same).toBe(true);
    expect(r.syncCreated).toBe(0);
  });
});
