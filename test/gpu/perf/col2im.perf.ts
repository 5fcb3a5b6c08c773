// col2im's kernel time on the standard model's conv2 backward-input (batch 64), best of 5 profiled calls.
//   WEBCNN_PERF=1 npx vitest run --project perf test/gpu/perf/col2im.perf.ts
import { afterAll, beforeAll, it } from 'vitest';
import { GpuPage } from '../../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

it('times col2im', async () => {
  const rows = await gp.run(async ({ wc, engine }) => {
    const be = engine.backend() as import('../../../src/backend/webgpu/index.js').WebGpuBackend;
    const out: string[] = [];
    const p = { strides: [1, 1], padding: 'valid', dilations: [1, 1] } as const;
    for (const [name, xs, ws] of [['conv2 26x26x32, 3x3x32', [64, 26, 26, 32], [3, 3, 32, 32]], ['conv1 28x28x1, 3x3x1->32', [64, 28, 28, 1], [3, 3, 1, 32]]] as const) {
      const oh = xs[1] - 2, ow = xs[2] - 2;
      const dy = wc.tensor(new Float32Array(xs[0] * oh * ow * ws[3]).fill(0.1), [xs[0], oh, ow, ws[3]]);
      const w = wc.tensor(new Float32Array(ws[0] * ws[1] * ws[2] * ws[3]).fill(0.1), [...ws]);
      let best = Infinity;
      for (let i = 0; i < 5; i++) {
        const prof = await wc.profile(async () => { wc.ops.conv2dBackwardInput(dy, w, [...xs], p).dispose(); await be.sync(); });
        best = Math.min(best, prof.kernels.find((k) => k.name.endsWith('col2im'))?.totalMs ?? NaN);
      }
      out.push(`${name}: col2im ${best.toFixed(2)} ms`);
      dy.dispose(); w.dispose();
    }
    return out;
  }, null);
  console.log(rows.join('\n'));
});
