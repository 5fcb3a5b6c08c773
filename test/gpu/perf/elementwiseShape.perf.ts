// Raw WebGPU: how an element-wise kernel's shape (scalar or vec4 per invocation, workgroup size) costs on this adapter.
//   WEBCNN_PERF=1 npx vitest run --project perf test/gpu/perf/elementwiseShape.perf.ts
import { afterAll, beforeAll, it } from 'vitest';
import { GpuPage } from '../../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

it('times relu over 1.38M floats in several kernel shapes', async () => {
  const rows = await gp.run(async ({ engine }) => {
    type Gpu = import('../../../src/backend/webgpu/index.js').WebGpuBackend;
    const device = (engine.backend() as Gpu).ctx.gpu.device;
    const n = 64 * 26 * 26 * 32;
    const x = device.createBuffer({ size: 4 * n, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(x, 0, new Float32Array(n).map((_, i) => Math.sin(i)));
    const y = device.createBuffer({ size: 4 * n, usage: GPUBufferUsage.STORAGE });
    const kernels: Record<string, [string, number]> = {
      scalar64: [`@group(0) @binding(0) var<storage, read> x: array<f32>; @group(0) @binding(1) var<storage, read_write> y: array<f32>;
        @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) w: vec3u) {
          let i = g.x + g.y * w.x * 64u; if (i >= ${n}u) { return; } y[i] = max(x[i], 0.0); }`, 1],
      scalar256: [`@group(0) @binding(0) var<storage, read> x: array<f32>; @group(0) @binding(1) var<storage, read_write> y: array<f32>;
        @compute @workgroup_size(256) fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) w: vec3u) {
          let i = g.x + g.y * w.x * 256u; if (i >= ${n}u) { return; } y[i] = max(x[i], 0.0); }`, 1],
      vec4_64: [`@group(0) @binding(0) var<storage, read> x: array<vec4f>; @group(0) @binding(1) var<storage, read_write> y: array<vec4f>;
        @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) w: vec3u) {
          let i = g.x + g.y * w.x * 64u; if (i >= ${n / 4}u) { return; } y[i] = max(x[i], vec4f(0.0)); }`, 4],
      vec4_256: [`@group(0) @binding(0) var<storage, read> x: array<vec4f>; @group(0) @binding(1) var<storage, read_write> y: array<vec4f>;
        @compute @workgroup_size(256) fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) w: vec3u) {
          let i = g.x + g.y * w.x * 256u; if (i >= ${n / 4}u) { return; } y[i] = max(x[i], vec4f(0.0)); }`, 4],
      vec4in_scalarout_256: [`@group(0) @binding(0) var<storage, read> x: array<vec4f>; @group(0) @binding(1) var<storage, read_write> y: array<f32>;
        @compute @workgroup_size(256) fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) w: vec3u) {
          let i = g.x + g.y * w.x * 256u; if (i >= ${n / 4}u) { return; } let v = max(x[i], vec4f(0.0));
          y[4u * i] = v.x; y[4u * i + 1u] = v.y; y[4u * i + 2u] = v.z; y[4u * i + 3u] = v.w; }`, 4],
      strided4_64: [`@group(0) @binding(0) var<storage, read> x: array<f32>; @group(0) @binding(1) var<storage, read_write> y: array<f32>;
        @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) w: vec3u) {
          let i = g.x + g.y * w.x * 64u; if (i >= ${n / 4}u) { return; }
          for (var k = 0u; k < 4u; k++) { let j = i + k * ${n / 4}u; y[j] = max(x[j], 0.0); } }`, 4],
    };
    const out: string[] = [];
    for (const [name, [code, per]] of Object.entries(kernels)) {
      const module = device.createShaderModule({ code });
      const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
      const bind = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: x } }, { binding: 1, resource: { buffer: y } }] });
      const wg = code.includes('workgroup_size(256)') ? 256 : 64;
      const groups = Math.ceil(n / per / wg);
      const gx = Math.min(groups, 65535), gy = Math.ceil(groups / 65535);
      const run = async (reps: number) => {
        const enc = device.createCommandEncoder();
        for (let r = 0; r < reps; r++) { const pass = enc.beginComputePass(); pass.setPipeline(pipeline); pass.setBindGroup(0, bind); pass.dispatchWorkgroups(gx, gy); pass.end(); }
        device.queue.submit([enc.finish()]);
        await device.queue.onSubmittedWorkDone();
      };
      await run(1);
      const t0 = performance.now();
      await run(10);
      out.push(`${name}: ${((performance.now() - t0) / 10).toFixed(2)} ms`);
    }
    return out;
  }, null);
  console.log(rows.join('\n'));
}, 300_000);
