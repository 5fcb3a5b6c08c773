// setBackend('auto'): WebGPU on a hardware adapter; on a software adapter
// (SwiftShader and the like, `isFallbackAdapter`) whichever of WebGPU and the
// wasm backend (the CPU where the engine has no WebAssembly SIMD) runs a small
// convolution training step faster, measured here; when WebGPU is missing,
// wasm, else the CPU. The reason is kept for backendInfo().

import type { Backend, BackendName, Conv2dParams } from './backend/types.js';
import { conv2d, conv2dBackwardFilter, conv2dBackwardInput } from './kernels/conv2d/index.js';

export interface AutoChoice { backend: Backend; reason: string }

/** A conv layer's forward, filter gradient and input gradient: the bulk of a CNN's step. */
const PROBE = { x: [16, 28, 28, 8], w: [3, 3, 8, 16] } as const;
const PROBE_PARAMS: Conv2dParams = { strides: [1, 1], padding: 'same', dilations: [1, 1] };
const MIN_PROBE_MS = 100;
const MAX_PROBE_RUNS = 5;

function filled(n: number): Float32Array {
  // Small, non-zero and varied: zeros or denormals would flatter a CPU.
  return Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 101) / 101 - 0.5);
}

/** Milliseconds per probe step on a backend (after one warm-up step). */
export async function probeStepMs(be: Backend): Promise<number> {
  const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  const x = be.fromValues(filled(size(PROBE.x)), PROBE.x);
  const w = be.fromValues(filled(size(PROBE.w)), PROBE.w);
  const step = () => {
    const y = conv2d(x, w, null, PROBE_PARAMS);
    const dw = conv2dBackwardFilter(x, y, PROBE.w, PROBE_PARAMS);
    const dx = conv2dBackwardInput(y, w, PROBE.x, PROBE_PARAMS);
    for (const t of [y, dw, dx]) t.dispose();
  };
  try {
    step();
    await be.sync();
    const t0 = performance.now();
    let runs = 0;
    while (runs < MAX_PROBE_RUNS && performance.now() - t0 < MIN_PROBE_MS) {
      step();
      await be.sync();
      runs++;
    }
    return (performance.now() - t0) / runs;
  } finally {
    x.dispose();
    w.dispose();
  }
}

/** The wasm backend, or null where this engine cannot run it (no WebAssembly SIMD). */
async function tryWasm(create: (name: BackendName) => Promise<Backend>): Promise<Backend | null> {
  try {
    return await create('wasm');
  } catch {
    return null;
  }
}

export async function chooseBackend(create: (name: BackendName) => Promise<Backend>): Promise<AutoChoice> {
  let gpu: Backend;
  try {
    gpu = await create('webgpu');
  } catch (err) {
    const why = `WebGPU is unavailable (${(err as Error).message.split('. ')[0]})`;
    const wasm = await tryWasm(create);
    if (wasm) return { backend: wasm, reason: `${why}; wasm runs the kernels on the CPU in WebAssembly SIMD` };
    return { backend: await create('cpu'), reason: `${why}; no WebAssembly SIMD either` };
  }
  if (!gpu.adapter?.isFallbackAdapter) return { backend: gpu, reason: 'WebGPU on a hardware adapter' };
  const other = (await tryWasm(create)) ?? (await create('cpu'));
  const gpuMs = await probeStepMs(gpu);
  const otherMs = await probeStepMs(other);
  const [winner, what] = gpuMs <= otherMs ? [gpu, 'webgpu'] : [other, other.name];
  return {
    backend: winner,
    reason: `software adapter: a conv training step took ${gpuMs.toFixed(1)} ms on webgpu, ${otherMs.toFixed(1)} ms on ${other.name}; picked ${what}`,
  };
}
