// setBackend('auto'): WebGPU on a hardware adapter; on a software adapter
// (SwiftShader and the like, `isFallbackAdapter`) whichever of WebGPU and the
// CPU runs a small convolution training step faster, measured here; the CPU
// when WebGPU is missing. The reason is kept for backendInfo().

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

export async function chooseBackend(create: (name: BackendName) => Promise<Backend>): Promise<AutoChoice> {
  let gpu: Backend;
  try {
    gpu = await create('webgpu');
  } catch (err) {
    return { backend: await create('cpu'), reason: `WebGPU is unavailable (${(err as Error).message.split('. ')[0]})` };
  }
  if (!gpu.adapter?.isFallbackAdapter) return { backend: gpu, reason: 'WebGPU on a hardware adapter' };
  const cpu = await create('cpu');
  const gpuMs = await probeStepMs(gpu);
  const cpuMs = await probeStepMs(cpu);
  const [winner, what] = gpuMs <= cpuMs ? [gpu, 'webgpu'] : [cpu, 'cpu'];
  return {
    backend: winner,
    reason: `software adapter: a conv training step took ${gpuMs.toFixed(1)} ms on webgpu, ${cpuMs.toFixed(1)} ms on cpu; picked ${what}`,
  };
}
