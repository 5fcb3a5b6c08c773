// MobileNetV2 (alpha 1, 224x224) on the suite's WebGPU adapter, the new paths
// against the old ones in the same page, interleaved (the machine is shared
// and noisy): the depthwise kernels at the network's depthwise shapes (batch
// 1, forward / dx / dW ms, row sweeps vs per-element kernels), then predict's
// images/s at batch 1 and 8 three ways: fused predict with the sweeps (new),
// layer by layer with the sweeps, layer by layer with the per-element kernels
// (old: no fusion, no sweeps); and wc.profile's kernels of one fused and one
// old batch-1 pass. Not part of `npm test`; run it with
//   WEBCNN_PERF=1 npx vitest run --project perf test/gpu/perf/mobilenet.perf.ts

import { afterAll, beforeAll, it } from 'vitest';
import { GpuPage } from '../../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

it('prints MobileNetV2 depthwise kernel times, row sweeps against per-element kernels', async () => {
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
    const fmt = (ms: number) => ms.toFixed(1).padStart(6);
    // [h, w, c, stride]: MobileNetV2's depthwise layers (stride 2 after its ZeroPadding2D: 'valid' on h + 1)
    const shapes: [number, number, number, number][] = [
      [112, 112, 32, 1], [113, 113, 96, 2], [56, 56, 144, 1], [57, 57, 144, 2], [28, 28, 192, 1], [29, 29, 192, 2],
      [14, 14, 384, 1], [14, 14, 576, 1], [15, 15, 576, 2], [7, 7, 960, 1],
    ];
    const sum: Record<string, number> = {};
    const add = (k: string, v: number) => { sum[k] = (sum[k] ?? 0) + v; };
    for (const [h, w, c, s] of shapes) {
      const p = { strides: [s, s], padding: s === 1 ? 'same' : 'valid', dilations: [1, 1] } as const;
      const x = wc.tensor(new Float32Array(h * w * c).map((_, i) => (i % 7) / 7), [1, h, w, c]);
      const f = wc.tensor(new Float32Array(9 * c).map((_, i) => (i % 5) / 5), [3, 3, c, 1]);
      const y = wc.ops.depthwiseConv2d(x, f, p);
      const line: string[] = [];
      for (const pass of ['forward', 'dx', 'dW'] as const) {
        const run = pass === 'forward' ? () => wc.ops.depthwiseConv2d(x, f, p)
          : pass === 'dx' ? () => wc.ops.depthwiseConv2dBackwardInput(y, f, x.shape, p)
          : () => wc.ops.depthwiseConv2dBackwardFilter(x, y, f.shape, p);
        const ms = { old: 0, sweep: 0 };
        for (let round = 0; round < 2; round++) {
          for (const variant of ['old', 'sweep'] as const) {
            be.useDepthwiseSweeps(variant === 'sweep');
            ms[variant] += (await time(2, run)) / 2;
          }
        }
        add(`${pass} old`, ms.old); add(`${pass} sweep`, ms.sweep);
        line.push(`${pass} ${fmt(ms.old)} -> ${fmt(ms.sweep)} ms`);
      }
      be.useDepthwiseSweeps(true);
      out.push(`depthwise ${`${h}x${w}x${c} s${s}`.padEnd(16)} ${line.join(', ')}`);
      for (const t of [x, f, y]) t.dispose();
    }
    out.push(`depthwise total (old -> sweep): ${['forward', 'dx', 'dW'].map((k) => `${k} ${fmt(sum[`${k} old`])} -> ${fmt(sum[`${k} sweep`])} ms`).join(', ')}`);
    return out;
  }, null);
  console.log(rows.join('\n'));
}, 600_000);

// One page call per batch size (each under the page protocol's timeout).
it.each([1, 8])('prints MobileNetV2 predict throughput at batch %i, new against old', async (batch) => {
  const rows = await gp.run(async ({ wc, engine }, batch) => {
    const be = engine.backend() as import('../../../src/backend/webgpu/index.js').WebGpuBackend;
    const out: string[] = [];
    const model = wc.models.mobilenetV2();
    type T = ReturnType<typeof wc.tensor>;
    // the graph node by node (no inference fusion: each layer's own kernels, as before it)
    const nodes = (model as unknown as { requireGraph(w: string): { topology: { nodes: { layer: { className: string; apply(x: T | T[]): unknown }; inputs: unknown[]; output: unknown }[] }; outputs: unknown[] } }).requireGraph('perf');
    const layerByLayer = (x: T): T => {
      const values = new Map<unknown, T>();
      for (const node of nodes.topology.nodes) {
        const ins = node.inputs.map((t) => values.get(t)!);
        values.set(node.output, node.layer.className === 'InputLayer' ? x : node.layer.apply(ins.length === 1 ? ins[0] : ins) as T);
      }
      const y = values.get(nodes.outputs[0])!;
      for (const [k, v] of values) if (v !== x && v !== y && k !== nodes.outputs[0]) v.dispose();
      return y;
    };
    const variants = {
      'new (fused, sweeps)': { sweeps: true, run: (x: T) => model.predict(x) as T },
      'layer by layer, sweeps': { sweeps: true, run: layerByLayer },
      'old (layer by layer, per-element)': { sweeps: false, run: layerByLayer },
    };
    {
      const x = wc.tensor(new Float32Array(batch * 224 * 224 * 3).map((_, i) => (i % 11) / 11), [batch, 224, 224, 3]);
      const total: Record<string, number> = {};
      const rounds = 2;
      for (let round = 0; round <= rounds; round++) {
        for (const [name, v] of Object.entries(variants)) {
          be.useDepthwiseSweeps(v.sweeps);
          const t0 = performance.now();
          const y = v.run(x);
          await y.data();
          y.dispose();
          // round 0 warms up (pipelines, buffers)
          if (round > 0) total[name] = (total[name] ?? 0) + (performance.now() - t0) / rounds;
        }
      }
      for (const [name, ms] of Object.entries(total)) out.push(`predict b${batch} ${name.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms/batch, ${((1000 * batch) / ms).toFixed(2)} images/s`);
      if (batch === 1) {
        for (const name of ['new (fused, sweeps)', 'old (layer by layer, per-element)'] as const) {
          const v = variants[name];
          be.useDepthwiseSweeps(v.sweeps);
          const prof = await wc.profile(async () => { const y = v.run(x); await y.data(); y.dispose(); });
          out.push(`profile b1 ${name}: kernels ${prof.totalMs.toFixed(0)} ms, wall ${prof.wallMs.toFixed(0)} ms`);
          for (const k of [...prof.kernels].sort((a, b) => b.totalMs - a.totalMs)) out.push(`  ${k.name} ${k.calls}x ${k.totalMs.toFixed(1)} ms`);
        }
      }
      be.useDepthwiseSweeps(true);
      x.dispose();
    }
    model.dispose();
    return out;
  }, batch);
  console.log(rows.join('\n'));
}, 600_000);
