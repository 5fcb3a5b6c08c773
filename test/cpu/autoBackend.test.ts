// setBackend('auto') in Node, where navigator.gpu is missing: the CPU, and why.
import { expect, it } from 'vitest';
import * as wc from '../../src/index.js';

it("setBackend('auto') without WebGPU takes the CPU and says so", async () => {
  await wc.setBackend('auto');
  expect(wc.getBackend()).toBe('cpu');
  expect(wc.backendInfo().reason).toMatch(/^WebGPU is unavailable \(webgpu backend: navigator\.gpu is missing/);
  await wc.setBackend('cpu');
  expect(wc.backendInfo().reason).toBeUndefined();
});
