// Device set-up and failure surfacing: adapter info, GPU validation errors
// thrown at the next sync point (never silent zeros), tensors over the
// device's binding limit refused with the size and the limit.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpuPage } from '../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open({ fresh: true }); });
afterAll(async () => { await gp?.close(); });

type Gpu = import('../../src/backend/webgpu/index.js').WebGpuBackend;

describe('webgpu device', () => {
  it('exposes the adapter info', async () => {
    const info = await gp.run(({ engine }) => ({ ...(engine.backend() as Gpu).adapter, name: engine.backend().name }), null);
    expect(info.name).toBe('webgpu');
    expect(typeof info.vendor).toBe('string');
    expect(typeof info.architecture).toBe('string');
    expect(typeof info.isFallbackAdapter).toBe('boolean');
  });

  it('explains how to enable WebGPU when no adapter is found', async () => {
    const message = await gp.run(async ({ wc }) => {
      // An injected GPU object (BackendOptions.gpu) with no adapter to give.
      const gpu = { requestAdapter: async () => null } as unknown as GPU;
      try {
        await wc.setBackend('webgpu', { gpu });
        return 'no error';
      } catch (err) {
        return (err as Error).message;
      } finally {
        await wc.setBackend('webgpu');
      }
    }, null);
    expect(message).toMatch(/found no adapter/);
    expect(message).toMatch(/--enable-unsafe-webgpu/);
  });

  it('throws a GPU validation error at the next sync point', async () => {
    const message = await gp.run(async ({ engine }) => {
      const be = engine.backend() as Gpu;
      // A deliberately invalid buffer: MAP_READ may only pair with COPY_DST.
      be.ctx.gpu.device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.STORAGE });
      try {
        await be.sync();
        return 'no error';
      } catch (err) {
        return (err as Error).message;
      }
    }, null);
    expect(message).toMatch(/GPU error/);
  });

  it('a lost device throws at every later sync point, saying how to recover', async () => {
    const messages = await gp.run(async ({ wc, engine }) => {
      // A separate backend instance (another powerPreference), so the suite's own device survives.
      await wc.setBackend('webgpu', { powerPreference: 'low-power' });
      const be = engine.backend() as Gpu;
      const x = wc.tensor([1, 2, 3], [3]);
      be.ctx.gpu.device.destroy();
      const out: string[] = [];
      for (let i = 0; i < 2; i++) {
        try {
          await be.sync();
          out.push('no error');
        } catch (err) {
          out.push((err as Error).message);
        }
      }
      x.dispose();
      engine.forgetBackend(be);
      await wc.setBackend('webgpu');
      return out;
    }, null);
    for (const m of messages) expect(m).toMatch(/device was lost.*setBackend\('webgpu'\)/);
  });

  it('refuses a tensor larger than maxStorageBufferBindingSize, naming both', async () => {
    const message = await gp.run(async ({ engine }) => {
      const be = engine.backend() as Gpu;
      const limit = Math.min(be.ctx.gpu.limits.maxStorageBufferBindingSize, be.ctx.gpu.limits.maxBufferSize);
      try {
        be.zeros([limit / 4 + 1]);
        return 'no error';
      } catch (err) {
        return `${(err as Error).message}|${limit}`;
      }
    }, null);
    const [text, limit] = message.split('|');
    expect(text).toContain(`${Number(limit) + 4} bytes`);
    expect(text).toContain(`limit of ${limit} bytes`);
  });

  it('an op whose output would pass the limit throws at once, and the backend works on', async () => {
    const r = await gp.run(async ({ wc, engine }) => {
      const be = engine.backend() as Gpu;
      const limit = Math.min(be.ctx.gpu.limits.maxStorageBufferBindingSize, be.ctx.gpu.limits.maxBufferSize);
      // [rows, 1] x [1, 1024]: small inputs, an output of 4 KiB per row, one row past the limit.
      const rows = Math.floor(limit / 4096) + 1;
      const a = wc.tensor(new Float32Array(rows).fill(1), [rows, 1]);
      const b = wc.tensor(new Float32Array(1024).fill(2), [1, 1024]);
      const before = wc.memory().numTensors;
      let message = 'no error';
      try {
        wc.ops.matmul(a, b, false, false);
      } catch (err) {
        message = (err as Error).message;
      }
      const leaked = wc.memory().numTensors - before;
      a.dispose();
      b.dispose();
      const x = wc.tensor([1, 2, 3], [3]);
      const y = wc.ops.scale(x, 3);
      const values = Array.from(await y.data());
      await be.sync();
      x.dispose();
      y.dispose();
      return { message, limit, bytes: rows * 4096, leaked, values };
    }, null);
    expect(r.message).toContain(`${r.bytes} bytes`);
    expect(r.message).toContain(`limit of ${r.limit} bytes`);
    expect(r.leaked).toBe(0);
    expect(r.values).toEqual([3, 6, 9]);
  });

  it('compiles every shader variant the backend can use (prepareAll)', async () => {
    const r = await gp.run(async ({ engine }) => {
      const be = engine.backend() as Gpu;
      const listed = await be.prepareAll();
      return { listed, ...be.stats() };
    }, null);
    expect(r.listed).toBeGreaterThan(90);
    expect(r.pipelines).toBeGreaterThanOrEqual(r.listed);
    expect(r.pipelinesCreatedSync).toBe(0);
  }, 300_000); // every variant of every kernel: minutes on a loaded 2-core SwiftShader

  it('makes no pipeline up front and only the used ones on first use, asynchronously, with the right results', async () => {
    const r = await gp.run(async ({ wc, engine }) => {
      // A fresh backend: a new device and an empty pipeline cache.
      engine.forgetBackend(engine.backend());
      await wc.setBackend('webgpu', { autotune: false });
      const be = engine.backend() as Gpu;
      const atStart = be.stats().pipelines;
      // A first use of each kernel: matmul + relu recorded while their pipelines compile, then an
      // upload into a pooled buffer the deferred commands read before it (it must wait its turn).
      const a = wc.tensor([1, -2, 3, 4, 5, -6], [2, 3]);
      const b = wc.tensor([1, 0, 0, 1, 1, 1], [3, 2]);
      const y = wc.ops.activation(wc.ops.matmul(a, b, false, false), 'relu', 0);
      const deferring = be.ctx.scheduler.deferring;
      a.dispose();
      const c = wc.tensor([10, 20, 30, 40, 50, 60], [2, 3]); // may reuse a's buffer
      const z = wc.ops.add(c, c);
      const values = [...(await y.data()), ...(await z.data())];
      const after = be.stats();
      for (const t of [b, c, y, z]) t.dispose();
      await wc.setBackend('webgpu');
      return { atStart, deferring, values, pipelines: after.pipelines, sync: after.pipelinesCreatedSync, deferringAfter: be.ctx.scheduler.deferring };
    }, null);
    expect(r.atStart).toBe(0);
    expect(r.deferring).toBe(true);
    // [[1,-2,3],[4,5,-6]] . [[1,0],[0,1],[1,1]] = [[4,1],[-2,-1]], relu -> [4,1,0,0]
    expect(r.values).toEqual([4, 1, 0, 0, 20, 40, 60, 80, 100, 120]);
    expect(r.pipelines).toBeGreaterThanOrEqual(3);
    expect(r.pipelines).toBeLessThan(10);
    expect(r.sync).toBe(0);
    expect(r.deferringAfter).toBe(false);
  });

  it('reports a shader that does not compile at the next read, naming it', async () => {
    const message = await gp.run(async ({ wc, engine }) => {
      engine.forgetBackend(engine.backend());
      await wc.setBackend('webgpu', { autotune: false });
      const be = engine.backend() as Gpu;
      const x = wc.tensor([1, 2, 3, 4], [4]);
      be.ctx.run({ name: 'broken', code: '@compute @workgroup_size(1) fn main() { let v: u32 = 1.5; }' }, null, [], [1]);
      try {
        await x.data();
        return 'no error';
      } catch (err) {
        return (err as Error).message;
      } finally {
        x.dispose();
        engine.forgetBackend(be);
        await wc.setBackend('webgpu');
      }
    }, null);
    expect(message).toMatch(/broken/);
    expect(message).toMatch(/:1:\d+ error: cannot convert/);
  });

  it('creates a pipeline synchronously only when asked (getSync), and counts it', async () => {
    const r = await gp.run(async ({ engine }) => {
      const be = engine.backend() as Gpu;
      // fetch, not import(): vitest rewrites import() in the function's source text.
      const code = await (await fetch('/shaders/scale.wgsl')).text();
      const before = be.stats();
      // WG 32 is a variant no kernel uses.
      const spec = { name: 'scale', code, constants: { WG: 32 } };
      be.ctx.pipelines.getSync(spec);
      be.ctx.pipelines.getSync(spec);
      const after = be.stats();
      return { sync: after.pipelinesCreatedSync - before.pipelinesCreatedSync, added: after.pipelines - before.pipelines };
    }, null);
    expect(r).toEqual({ sync: 1, added: 1 });
  });
});
