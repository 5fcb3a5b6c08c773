// The bench's MNIST conv (x [32,28,28,1], 3x3 valid, 32 filters): each pass by algorithm, with the
// GEMM's lanes sharing loads and without, best of a few calls (ms, GFLOP/s; dispatch + one queue wait each),
// and the floor: a kernel that only stores the forward's output.
//   WEBCNN_PERF=1 npx vitest run --project perf test/gpu/perf/convMnist.perf.ts
import { afterAll, beforeAll, it } from 'vitest';
import { GpuPage } from '../../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

it('prints the MNIST conv passes', async () => {
  const rows = await gp.run(async ({ wc, engine }) => {
    const be = engine.backend() as import('../../../src/backend/webgpu/index.js').WebGpuBackend;
    const xs = [32, 28, 28, 1], ws = [3, 3, 1, 32], ys = [32, 26, 26, 32];
    const size = (v: number[]) => v.reduce((a, b) => a * b, 1);
    const fill = (n: number, s: number) => Float32Array.from({ length: n }, (_, i) => ((i * s) % 17) / 17 - 0.5);
    const x = wc.tensor(fill(size(xs), 3), xs), w = wc.tensor(fill(size(ws), 5), ws), dy = wc.tensor(fill(size(ys), 7), ys);
    const p = { strides: [1, 1], padding: 'valid', dilations: [1, 1] } as const;
    const flops = 2 * size(ys) * 9;
    const out: string[] = [];
    const time = async (f: () => { dispose(): void }) => {
      f().dispose(); await be.sync();
      let best = Infinity;
      for (let i = 0; i < 6; i++) { const t0 = performance.now(); f().dispose(); await be.sync(); best = Math.min(best, performance.now() - t0); }
      return best;
    };
    const t0 = performance.now(); await be.sync(); const idle = performance.now() - t0;
    out.push(`an empty sync: ${idle.toFixed(2)} ms`);
    for (const shared of [true, false]) {
      be.useSharedLoads(shared);
      const tag = shared ? 'shared' : 'own   ';
      for (const algo of ['direct', 'im2col'] as const) {
        be.pinConvAlgorithm(algo);
        const ms = await time(() => wc.ops.conv2d(x, w, null, p));
        out.push(`${tag} forward ${algo.padEnd(6)} ${ms.toFixed(2)} ms ${(flops / ms / 1e6).toFixed(2)} GFLOP/s`);
      }
      be.pinConvAlgorithm(null);
      const dx = await time(() => wc.ops.conv2dBackwardInput(dy, w, xs, p));
      out.push(`${tag} backward-input   ${dx.toFixed(2)} ms ${(flops / dx / 1e6).toFixed(2)} GFLOP/s`);
      const dw = await time(() => wc.ops.conv2dBackwardFilter(x, dy, ws, p));
      out.push(`${tag} backward-filter  ${dw.toFixed(2)} ms ${(flops / dw / 1e6).toFixed(2)} GFLOP/s`);
    }
    be.useSharedLoads(true);
    // Where the time goes: wc.profile of one call of each pass.
    for (const [name, f] of [['forward direct', () => { be.pinConvAlgorithm('direct'); return wc.ops.conv2d(x, w, null, p); }], ['forward im2col', () => { be.pinConvAlgorithm('im2col'); return wc.ops.conv2d(x, w, null, p); }], ['dX', () => wc.ops.conv2dBackwardInput(dy, w, xs, p)], ['dW', () => wc.ops.conv2dBackwardFilter(x, dy, ws, p)]] as const) {
      const prof = await wc.profile(async () => { f().dispose(); await be.sync(); });
      out.push(`${name}: ` + prof.kernels.map((k) => `${k.name} ${k.totalMs.toFixed(2)} ms`).join(', '));
    }
    // The demo models' first convs at batch 64, forward by algorithm (the heuristic is im2col).
    for (const [name, k, cout] of [['light conv1 5x5x1->8', 5, 8], ['standard conv1 3x3x1->32', 3, 32]] as const) {
      const xb = wc.tensor(fill(64 * 784, 3), [64, 28, 28, 1]), wb = wc.tensor(fill(k * k * cout, 5), [k, k, 1, cout]);
      for (const algo of ['direct', 'im2col'] as const) {
        be.pinConvAlgorithm(algo);
        const ms = await time(() => wc.ops.conv2d(xb, wb, null, p));
        out.push(`${name} batch 64 forward ${algo.padEnd(6)} ${ms.toFixed(2)} ms`);
      }
      xb.dispose(); wb.dispose();
    }
    be.pinConvAlgorithm(null);
    for (const t of [x, w, dy]) t.dispose();
    // The floor for the forward: a kernel that only stores y's 692,224 floats (no loads, no math),
    // one vec4 per invocation, dispatched and waited for like a conv pass.
    const device = be.ctx.gpu.device;
    const module = device.createShaderModule({ code: `
      @group(0) @binding(0) var<storage, read_write> y4: array<vec4f>;
      @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
        let i = g.x + g.y * nwg.x * 64u;
        if (i < arrayLength(&y4)) { y4[i] = vec4f(f32(i)); }
      }` });
    const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    const yBuf = device.createBuffer({ size: 4 * size(ys), usage: GPUBufferUsage.STORAGE });
    const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: yBuf } }] });
    let floor = Infinity;
    for (let i = 0; i < 8; i++) {
      const t0 = performance.now();
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline); pass.setBindGroup(0, bindGroup); pass.dispatchWorkgroups(size(ys) / 4 / 64); pass.end();
      device.queue.submit([enc.finish()]);
      await device.queue.onSubmittedWorkDone();
      if (i > 0) floor = Math.min(floor, performance.now() - t0);
    }
    yBuf.destroy();
    out.push(`store-only kernel over y (the forward's floor): ${floor.toFixed(2)} ms, as if ${(flops / floor / 1e6).toFixed(2)} GFLOP/s`);
    return out;
  }, null);
  console.log(rows.join('\n'));
});
