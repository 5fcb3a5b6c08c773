// The same WebGPU backend driven from Node by the `webgpu` package (Dawn),
// here on the SwiftShader Vulkan driver that Debian's chromium ships (a real
// GPU's Vulkan driver works the same way). See docs/NODE_WEBGPU.md.

import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { randomValues } from '../util/check.js';
import { expectParity } from '../harness/tolerance.js';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

let gpu: GPU;

beforeAll(async () => {
  process.env.VK_ICD_FILENAMES ??= SWIFTSHADER_ICD;
  let pkg: { create: (flags: string[]) => GPU; globals: Record<string, unknown> };
  try {
    pkg = await import('webgpu') as typeof pkg;
  } catch (err) {
    throw new Error(`the optional 'webgpu' package is missing (npm install webgpu): ${(err as Error).message}`);
  }
  Object.assign(globalThis, pkg.globals);
  gpu = pkg.create([]);
  if (!(await gpu.requestAdapter())) {
    throw new Error(`Dawn found no adapter: install libvulkan1 and a Vulkan driver, or Debian's chromium for SwiftShader (VK_ICD_FILENAMES=${SWIFTSHADER_ICD})`);
  }
});

describe('webgpu backend in Node (Dawn)', () => {
  it('conv2d forward and backward, and a dense fit step, match the CPU', async () => {
    const x = randomValues(2 * 7 * 9 * 3, 1);
    const w = randomValues(3 * 3 * 3 * 5, 2);
    const dy = randomValues(2 * 4 * 5 * 5, 3);
    const p = { strides: [2, 2] as const, padding: 'same' as const, dilations: [1, 1] as const };
    const run = async () => {
      const xt = wc.tensor(x, [2, 7, 9, 3]);
      const wt = wc.tensor(w, [3, 3, 3, 5]);
      const dyt = wc.tensor(dy, [2, 4, 5, 5]);
      const y = await wc.ops.conv2d(xt, wt, null, p).data();
      const dx = await wc.ops.conv2dBackwardInput(dyt, wt, [2, 7, 9, 3], p).data();
      const dw = await wc.ops.conv2dBackwardFilter(xt, dyt, [3, 3, 3, 5], p).data();
      const m = wc.sequential({ layers: [wc.layers.dense({ inputShape: [3], units: 2, activation: 'softmax', kernelInitializer: wc.initializers.glorotUniform({ seed: 4 }) })] });
      m.compile({ optimizer: wc.optimizers.adam({ learningRate: 0.1 }), loss: 'categoricalCrossentropy' });
      await m.fit(wc.tensor([1, 2, 3, 3, 2, 1], [2, 3]), wc.tensor([1, 0, 0, 1], [2, 2]), { batchSize: 2, epochs: 2 });
      const trained = await m.getWeights()[0].data();
      return { y, dx, dw, trained };
    };
    await wc.setBackend('webgpu', { gpu });
    expect(wc.backendInfo().description).toMatch(/^webgpu on /);
    console.log(`Node WebGPU: ${wc.backendInfo().description}`);
    const onGpu = await run();
    await wc.setBackend('cpu');
    const onCpu = await run();
    expectParity(onGpu.y, onCpu.y, 'conv2d');
    expectParity(onGpu.dx, onCpu.dx, 'conv2dBackwardInput');
    expectParity(onGpu.dw, onCpu.dw, 'conv2dBackwardFilter');
    expectParity(onGpu.trained, onCpu.trained, 'dense kernel after 2 Adam steps');
  });
});
