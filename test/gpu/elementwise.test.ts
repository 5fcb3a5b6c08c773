// Element-wise kernels on WebGPU against the CPU reference: every activation
// forward and backward, add and scale, and one dispatch past 65,535 workgroups.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivationKind } from '../../src/backend/types.js';
import { randomValues } from '../util/check.js';
import { GpuPage } from '../harness/gpu.js';
import { cpuRun, cpuT } from '../harness/cpu.js';
import { expectParity } from '../harness/tolerance.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

const KINDS: ActivationKind[] = ['linear', 'relu', 'relu6', 'leakyRelu', 'elu', 'sigmoid', 'tanh'];

describe('webgpu element-wise', () => {
  // An odd element count (a float per invocation) and whole vec4s (four per invocation: src/kernels/lanes.ts).
  it.each([[3, 7, 9, 5], [3, 7, 9, 8]])('activation forward and backward match the CPU for every kind, x [%s]', async (...shape) => {
    const n = shape.reduce((a, b) => a * b, 1);
    // Wide range (sigmoid/tanh saturate, elu's exp far left), and exact zeros and sixes for the relu and relu6 kinks.
    const x = Array.from(randomValues(n, 1, -12, 12), (v, i) => (i % 17 === 0 ? 0 : i % 19 === 0 ? 6 : v));
    const dy = Array.from(randomValues(n, 2));
    const alpha = 0.3;
    const gpu = await gp.run(async ({ wc, engine }, a) => {
      const out: Record<string, { y: number[]; dx: number[] }> = {};
      for (const kind of a.kinds) {
        const [y, dx] = wc.tidy(() => {
          const xt = wc.tensor(a.x, a.shape);
          const yt = wc.ops.activation(xt, kind, a.alpha);
          return [yt, wc.ops.activationBackward(wc.tensor(a.dy, a.shape), xt, yt, kind, a.alpha)];
        });
        out[kind] = { y: Array.from(await y.data()), dx: Array.from(await dx.data()) };
        y.dispose(); dx.dispose();
      }
      return out;
    }, { kinds: KINDS, x, dy, shape, alpha });
    for (const kind of KINDS) {
      const y = cpuRun((b) => b.activation(cpuT(x, shape), kind, alpha));
      const dx = cpuRun((b) => b.activationBackward(cpuT(dy, shape), cpuT(x, shape), cpuT(y, shape), kind, alpha));
      expectParity(gpu[kind].y, y, `${kind} forward [${shape}]`);
      expectParity(gpu[kind].dx, dx, `${kind} backward [${shape}]`);
    }
  });

  // 130 rows of 5 channels (a float per invocation) or of 8 (two vec4s): three chunks of the two-stage column sum, the last one short.
  it.each([[2, 5, 13, 5], [2, 5, 13, 8]])('activationBiasBackward (dz and the bias gradient in one pass) matches the CPU for every kind, rows past one chunk, dy [%s]', async (...shape) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const x = Array.from(randomValues(n, 3, -4, 4), (v, i) => (i % 17 === 0 ? 0 : i % 19 === 0 ? 6 : v));
    const dy = Array.from(randomValues(n, 4));
    const alpha = 0.3;
    const gpu = await gp.run(async ({ wc }, a) => {
      const out: Record<string, { dz: number[]; db: number[] }> = {};
      for (const kind of a.kinds) {
        const xt = wc.tensor(a.x, a.shape);
        const yt = wc.ops.activation(xt, kind, a.alpha);
        const { dz, db } = wc.ops.activationBiasBackward(wc.tensor(a.dy, a.shape), xt, yt, kind, a.alpha);
        out[kind] = { dz: Array.from(await dz.data()), db: Array.from(await db.data()) };
      }
      return out;
    }, { kinds: KINDS, x, dy, shape, alpha });
    for (const kind of KINDS) {
      const y = cpuRun((b) => b.activation(cpuT(x, shape), kind, alpha));
      const dz = cpuRun((b) => b.activationBackward(cpuT(dy, shape), cpuT(x, shape), cpuT(y, shape), kind, alpha));
      expectParity(gpu[kind].dz, dz, `${kind} dz [${shape}]`);
      expectParity(gpu[kind].db, cpuRun((b) => b.biasAddBackward(cpuT(dz, shape))), `${kind} db [${shape}]`);
    }
  });

  it('add and scale match the CPU', async () => {
    const shape = [1, 7, 9, 3];
    const a = Array.from(randomValues(189, 3));
    const b = Array.from(randomValues(189, 4));
    const gpu = await gp.run(async ({ wc, engine }, v) => {
      const at = wc.tensor(v.a, v.shape);
      const bt = wc.tensor(v.b, v.shape);
      const sum = wc.ops.add(at, bt);
      const scaled = wc.ops.scale(at, -2.5);
      const out = { sum: Array.from(await sum.data()), scaled: Array.from(await scaled.data()) };
      for (const t of [at, bt, sum, scaled]) t.dispose();
      return out;
    }, { a, b, shape });
    expectParity(gpu.sum, cpuRun((be) => be.add(cpuT(a, shape), cpuT(b, shape))), 'add');
    expectParity(gpu.scaled, cpuRun((be) => be.scale(cpuT(a, shape), -2.5)), 'scale');
  });

  it('orders an upload into a reused buffer after the recorded kernels that read it', async () => {
    // b = 2a is recorded, a's buffer goes back to the pool, and the next upload
    // takes it: writeBuffer would overtake the unsubmitted kernel unless the
    // scheduler submits first.
    const r = await gp.run(async ({ wc, engine }) => {
      const be = engine.backend() as import('../../src/backend/webgpu/index.js').WebGpuBackend;
      const a = wc.tensor([1, 2, 3, 4], [4]);
      const b = wc.ops.scale(a, 2);
      a.dispose();
      const created = be.stats().buffersCreated;
      const c = wc.tensor([100, 200, 300, 400], [4]);
      const reused = be.stats().buffersCreated === created;
      const out = { b: Array.from(await b.data()), c: Array.from(await c.data()), reused };
      b.dispose(); c.dispose();
      return out;
    }, null);
    expect(r).toEqual({ b: [2, 4, 6, 8], c: [100, 200, 300, 400], reused: true });
  });

  it('keeps every Params value right past the uniform arena (300 dispatches, one read)', async () => {
    const v = await gp.run(async ({ wc, engine }) => {
      let x = wc.tensor([1, -1, 0.5], [3]);
      // Factors 2, 0.5, 1 repeating multiply to 1; the arena holds 256 slots and
      // 256 % 3 != 0, so a slot reused before its dispatch ran would change the product.
      for (let i = 0; i < 300; i++) {
        const y = wc.ops.scale(x, [2, 0.5, 1][i % 3]);
        x.dispose();
        x = y;
      }
      const out = Array.from(await x.data());
      x.dispose();
      return out;
    }, null);
    expect(v).toEqual([1, -1, 0.5]);
  });

  it('folds a dispatch of more than 65,535 workgroups into a 2-D grid', async () => {
    // 256 * 65,535 + 1000 elements: one workgroup row is not enough. Values are
    // made and checked in the page (67 MB through page.evaluate would be slow);
    // x * 3 is exact in float32 for these small integers.
    const result = await gp.run(async ({ wc, engine }, n) => {
      const x = new Float32Array(n);
      for (let i = 0; i < n; i++) x[i] = (i % 1021) - 510;
      const xt = wc.tensor(x, [n]);
      const yt = wc.ops.scale(xt, 3);
      const y = await yt.data();
      xt.dispose(); yt.dispose();
      let bad = 0;
      let firstBad = -1;
      for (let i = 0; i < n; i++) if (y[i] !== x[i] * 3) { bad++; if (firstBad < 0) firstBad = i; }
      return { bad, firstBad, last: y[n - 1] };
    }, 256 * 65_535 + 1000);
    expect(result, 'elements that differ from x * 3').toEqual({ bad: 0, firstBad: -1, last: (((256 * 65_535 + 999) % 1021) - 510) * 3 });
  });
});
