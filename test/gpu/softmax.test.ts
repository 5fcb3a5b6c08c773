// Softmax and its backward on WebGPU against the CPU reference, including
// rows with large logits (the max subtraction keeps exp finite).

import { afterAll, beforeAll, describe, it } from 'vitest';
import { randomValues } from '../util/check.js';
import { GpuPage } from '../harness/gpu.js';
import { cpuRun, cpuT } from '../harness/cpu.js';
import { expectParity } from '../harness/tolerance.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

describe('webgpu softmax', () => {
  for (const shape of [[1, 1], [3, 10], [17, 5], [3, 7, 9, 5]]) {
    it(`matches the CPU forward and backward for ${JSON.stringify(shape)}`, async () => {
      const n = shape.reduce((a, b) => a * b, 1);
      // Every third row shifted by +/-500: exp(x) alone would overflow.
      const c = shape[shape.length - 1];
      const x = Array.from(randomValues(n, 5, -4, 4), (v, i) => v + (Math.floor(i / c) % 3 === 1 ? 500 : Math.floor(i / c) % 3 === 2 ? -500 : 0));
      const dy = Array.from(randomValues(n, 6));
      const gpu = await gp.run(async ({ wc, engine }, a) => {
        const xt = wc.tensor(a.x, a.shape);
        const yt = wc.ops.softmax(xt);
        const dyt = wc.tensor(a.dy, a.shape);
        const dxt = wc.ops.softmaxBackward(dyt, yt);
        const out = { y: Array.from(await yt.data()), dx: Array.from(await dxt.data()) };
        for (const t of [xt, yt, dyt, dxt]) t.dispose();
        return out;
      }, { x, dy, shape });
      const y = cpuRun((b) => b.softmax(cpuT(x, shape)));
      expectParity(gpu.y, y, 'softmax');
      expectParity(gpu.dx, cpuRun((b) => b.softmaxBackward(cpuT(dy, shape), cpuT(y, shape))), 'softmaxBackward');
    });
  }
});
