// setBackend('auto') on the suite's adapter. Without a GPU it is SwiftShader,
// a software adapter: auto must measure both backends and name its pick.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GpuPage } from '../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

it("setBackend('auto') picks a backend and says why", async () => {
  const r = await gp.run(async ({ wc }) => {
    await wc.setBackend('auto');
    const info = wc.backendInfo();
    const picked = wc.getBackend();
    // Work still runs on the pick: 2x2 . 2x1.
    const y = wc.ops.matmul(wc.tensor([1, 2, 3, 4], [2, 2]), wc.tensor([5, 6], [2, 1]), false, false);
    const values = Array.from(await y.data());
    await wc.setBackend('webgpu');
    return { info, picked, values };
  }, null);
  console.log(`setBackend('auto'): ${r.picked}: ${r.info.reason}`);
  expect(r.values).toEqual([17, 39]);
  if (r.info.adapter?.isFallbackAdapter || r.picked !== 'webgpu') {
    // Chrome has WebAssembly SIMD, so the software adapter is measured against wasm.
    expect(r.info.reason).toMatch(/^software adapter: a conv training step took [\d.]+ ms on webgpu, [\d.]+ ms on wasm; picked (webgpu|wasm)$/);
    expect(r.info.reason).toContain(`picked ${r.picked}`);
  } else {
    expect(r.info.reason).toBe('WebGPU on a hardware adapter');
  }
});
