// MobileNetV2 (alpha 1, 224x224) on the suite's WebGPU adapter: the depthwise
// kernels at the network's depthwise shapes (batch 1, forward / dx / dW ms),
// predict's images/s at batch 1 and 8, and wc.profile's kernels of one batch-1
// predict. Not part of `npm test`; run it with
//   WEBCNN_PERF=1 npx vitest run --project perf test/gpu/perf/mobilenet.perf.ts
// Each time is the mean of REPS runs after one warm-up, to the end of queue work.

import { afterAll, beforeAll, it } from 'vitest';
import { GpuPage } from '../../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

it('prints MobileNetV2 depthwise kernel times and predict throughput', async () => {
  const rows = await gp.run(async ({ wc, engine }) => {
    const be = engine.backend() as import('../../../src/backend/webgpu/index.js').WebGpuBackend;
    const out: string[] = [];
    const time = async (reps: number, f: () => { dispose(): void }): Promise<number> => {
      f().dispose();
      await be.sync();
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) f().dispose();
      await be.sync();
      return (performance.now() - t0) / reps;
    };
    // [h, w, c, stride]: MobileNetV2's depthwise layers (stride 2 after its ZeroPadding2D: 'valid' on h + 1)
    const shapes: [number, number, number, number][] = [
      [112, 112, 32, 1], [113, 113, 96, 2], [56, 56, 144, 1], [57, 57, 144, 2], [28, 28, 192, 1], [29, 29, 192, 2],
      [14, 14, 384, 1], [14, 14, 576, 1], [15, 15, 576, 2], [7, 7, 960, 1],
    ];
    const sum = { forward: 0, dx: 0, dW: 0 };
    for (const [h, w, c, s] of shapes) {
      const p = { strides: [s, s], padding: s === 1 ? 'same' : 'valid', dilations: [1, 1] } as const;
      const x = wc.tensor(new Float32Array(h * w * c).map((_, i) => (i % 7) / 7), [1, h, w, c]);
      const f = wc.tensor(new Float32Array(9 * c).map((_, i) => (i % 5) / 5), [3, 3, c, 1]);
      const y = wc.ops.depthwiseConv2d(x, f, p);
      const fwd = await time(4, () => wc.ops.depthwiseConv2d(x, f, p));
      const dx = await time(4, () => wc.ops.depthwiseConv2dBackwardInput(y, f, x.shape, p));
      const dW = await time(4, () => wc.ops.depthwiseConv2dBackwardFilter(x, y, f.shape, p));
      sum.forward += fwd; sum.dx += dx; sum.dW += dW;
      out.push(`depthwise ${h}x${w}x${c} s${s}: forward ${fwd.toFixed(1)} ms, dx ${dx.toFixed(1)} ms, dW ${dW.toFixed(1)} ms`);
      for (const t of [x, f, y]) t.dispose();
    }
    out.push(`depthwise total: forward ${sum.forward.toFixed(1)} ms, dx ${sum.dx.toFixed(1)} ms, dW ${sum.dW.toFixed(1)} ms`);

    const model = wc.models.mobilenetV2();
    for (const batch of [1, 8]) {
      const x = wc.tensor(new Float32Array(batch * 224 * 224 * 3).map((_, i) => (i % 11) / 11), [batch, 224, 224, 3]);
      const once = async () => { const p = model.predict(x) as typeof x; await p.data(); p.dispose(); };
      await once();
      const reps = batch === 1 ? 4 : 2;
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) await once();
      const ms = (performance.now() - t0) / reps;
      out.push(`predict b${batch}: ${ms.toFixed(0)} ms/batch, ${((1000 * batch) / ms).toFixed(2)} images/s`);
      if (batch === 1) {
        const prof = await wc.profile(once);
        out.push(`profile b1: kernels ${prof.totalMs.toFixed(0)} ms, wall ${prof.wallMs.toFixed(0)} ms`);
        for (const k of [...prof.kernels].sort((a, b) => b.totalMs - a.totalMs)) out.push(`  ${k.name} ${k.calls}x ${k.totalMs.toFixed(1)} ms`);
      }
      x.dispose();
    }
    return out;
  }, null);
  console.log(rows.join('\n'));
}, 900_000);
