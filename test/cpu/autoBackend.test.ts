// setBackend('auto') in Node, where navigator.gpu is missing: wasm, and why.
import { expect, it } from 'vitest';
import * as wc from '../../src/index.js';

it("setBackend('auto') without WebGPU takes wasm (Node has WebAssembly SIMD) and says so", async () => {
  await wc.setBackend('auto');
  expect(wc.getBackend()).toBe('wasm');
  expect(wc.backendInfo().reason).toMatch(/^WebGPU is unavailable \(webgpu backend: navigator\.gpu is missing.*\); wasm runs the kernels on the CPU in WebAssembly SIMD$/);
  await wc.setBackend('cpu');
  expect(wc.backendInfo().reason).toBeUndefined();
});
