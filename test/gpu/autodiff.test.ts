// Autodiff on WebGPU: the TF.js program ported in docs/API.md runs there as
// it is; a user's layer trains in fit and gives the CPU's gradients, through a
// model with built-in layers inside a gradient call; memory stays flat over
// gradient calls; and verification mode checks every kernel of a gradient call.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import type * as Wc from '../../src/index.js';
import * as wc from '../../src/index.js';
import { GpuPage } from '../harness/gpu.js';
import { expectParity } from '../harness/tolerance.js';

/** The block docs/API.md marks as the ported example, as JavaScript that takes `tf` and `console`. */
function portedExample(): string {
  const doc = readFileSync(new URL('../../docs/API.md', import.meta.url), 'utf8');
  const m = /<!-- ported-example -->\s*```ts\n([\s\S]*?)```/.exec(doc);
  if (!m) throw new Error('docs/API.md has no <!-- ported-example --> block');
  const js = ts.transpileModule(m[1], { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
  // the page supplies tf (webcnn on WebGPU); the import and the CPU selection are the only lines that differ
  return js.replace(/^import .*$/m, '').replace("await tf.setBackend('cpu');", '');
}

/**
 * A user's layer in a small model, and what the test compares: the gradients
 * of a loss through model.apply inside wc.grads, and a few epochs of fit. Sent
 * to the page as source, so it uses only its argument.
 */
async function customLayerCase(w: typeof Wc, epochs: number): Promise<{ grads: number[][]; losses: number[] }> {
  class Gain extends w.layers.Layer {
    static override className = 'GpuGain';
    gain!: Wc.LayerVariable;
    override build(inputShape: Wc.layers.SymShape | Wc.layers.SymShape[]): void {
      const s = inputShape as Wc.layers.SymShape;
      this.gain = this.addWeight('gain', [s[s.length - 1] as number], 'float32', w.initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed: 5 }));
    }
    override call(inputs: Wc.Tensor | Wc.Tensor[]): Wc.Tensor {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      return x.mul(this.gain.read()).tanh().add(x.square().mean(-1, true));
    }
  }
  const values = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 97.3 + i * 12.9898) * 0.8);
  const model = w.sequential({ layers: [
    w.layers.conv2d({ inputShape: [6, 6, 2], filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: w.initializers.glorotUniform({ seed: 1 }) }),
    w.layers.flatten(),
    new Gain({}),
    w.layers.dense({ units: 2, kernelInitializer: w.initializers.glorotUniform({ seed: 2 }) }),
  ] });
  const x = w.tensor(values(3 * 6 * 6 * 2, 1), [3, 6, 6, 2]);
  const y = w.tensor(values(3 * 2, 2), [3, 2]);
  const weights = model.trainableWeights.map((v) => v.read());
  const g = w.grads(() => w.mean(w.squaredDifference(model.apply(x) as Wc.Tensor, y)))(weights);
  const grads = await Promise.all(g.map(async (t) => Array.from(await t.data())));
  model.compile({ optimizer: w.train.sgd(0.1), loss: (yt: Wc.Tensor, yp: Wc.Tensor) => w.squaredDifference(yt, yp).mean(-1) });
  const h = await model.fit(x, y, { batchSize: 3, epochs, shuffle: false });
  return { grads, losses: h.history.loss as number[] };
}

describe('autodiff on WebGPU', () => {
  let gp: GpuPage;
  beforeAll(async () => { gp = await GpuPage.open(); });
  afterAll(async () => { await gp?.close(); });

  it('runs the TF.js program ported in docs/API.md as it is: the loss falls and every image is classified', async () => {
    const logs = await gp.run(async ({ wc: tf }, { code }) => {
      const lines: string[] = [];
      const AsyncFunction = (async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
      await new AsyncFunction('tf', 'console', code)(tf, { log: (...a: unknown[]) => lines.push(a.map(String).join(' ')) });
      return { lines, backend: tf.getBackend() };
    }, { code: portedExample() });
    expect(logs.backend).toBe('webgpu');
    const [first, , last, , accuracy] = logs.lines[logs.lines.length - 1].split(' ').map(Number);
    expect(first).toBeGreaterThan(0.3);
    expect(last).toBeLessThan(first / 5);
    expect(accuracy).toBe(1);
  });

  it("a user's layer: the gradients through model.apply match the CPU's, and fit trains it", async () => {
    await wc.setBackend('cpu');
    const cpu = await customLayerCase(wc, 4);
    const gpu = await gp.run(async ({ wc: w }, { src }) => {
      const f = (0, eval)(`(${src})`) as typeof customLayerCase;
      return f(w, 4);
    }, { src: customLayerCase.toString() });
    expect(gpu.grads.length).toBe(5);
    gpu.grads.forEach((g, i) => expectParity(g, cpu.grads[i], `gradient ${i}`));
    expectParity(gpu.losses, cpu.losses, 'fit losses');
    expect(gpu.losses[3]).toBeLessThan(gpu.losses[0]);
  });

  it('memory stays flat over gradient calls, and verification mode checks each of their kernels', async () => {
    const counts = await gp.run(async ({ wc: w }) => {
      const x = w.tensor([[0.5, -1, 2], [1.5, 0.25, -0.75]]);
      const v = w.variable(w.tensor([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]]), true, 'gpu_memory_w');
      const step = () => w.tidy(() => {
        const { value, grads } = w.variableGrads(() => w.matMul(x, v).relu().logSumExp(-1).sum(), [v]);
        return [value, grads.gpu_memory_w];
      });
      for (const t of step()) t.dispose();
      const before = w.memory();
      for (let i = 0; i < 100; i++) for (const t of step()) t.dispose();
      const after = w.memory();
      v.dispose();
      return { before, after };
    }, {});
    expect(counts.after).toEqual(counts.before);
    const vp = await GpuPage.open({ verify: true });
    try {
      const r = await vp.run(async ({ wc: w }) => {
        const a = w.tensor([[1, -2, 3], [0.5, 4, -1]]);
        const b = w.tensor([[2, 1], [0.5, -1], [1, 3]]);
        const [ga, gb] = w.grads((p, q) => w.matMul(p, q).sigmoid().mul(w.softmax(p.sum(0, true).transpose(), 0).sum()).mean())([a, b]);
        return [Array.from(await ga.data()), Array.from(await gb.data())];
      }, {});
      expect(r[0].length).toBe(6);
      expect(r[1].length).toBe(6);
    } finally {
      await vp.close();
    }
  });
});
