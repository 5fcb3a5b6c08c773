// Inference fuses (zeroPadding2d ->) conv2d or depthwiseConv2d ->
// batchNormalization (-> relu / relu6) chains into one conv
// (src/graph/inferenceFusion.ts): which chains fuse, and that predict gives
// what the layers give one by one, with batch-norm statistics far from 0 and 1.

import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { inferencePlan } from '../../src/graph/inferenceFusion.js';
import type { Node } from '../../src/layers/layer.js';
import { randomValues } from '../util/check.js';

/** Every weight set to seeded random values; variances positive. */
function randomize(model: wc.LayersModel, seed: number): void {
  model.setWeights(model.weights.map((v, i) => {
    const n = v.shape.reduce((a, b) => a * b, 1);
    const positive = v.name.endsWith('moving_variance') || v.name.endsWith('gamma');
    // small kernels keep the standard model's softmax from saturating (it would hide a wrong fold)
    const spread = /kernel|bias/.test(v.name) ? 0.15 : 1.5;
    return wc.tensor(randomValues(n, seed + i, positive ? 0.2 : -spread, positive ? 3 : spread), [...v.shape]);
  }));
}

/** Equal up to float32 rounding of the reordered arithmetic: 1e-5 relative. */
function expectClose(got: Float32Array, want: Float32Array): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want[i])));
}

async function layerByLayer(model: wc.LayersModel, x: wc.Tensor): Promise<Float32Array> {
  let h = x;
  for (const layer of model.layers.slice(model.layers[0].className === 'InputLayer' ? 1 : 0)) h = layer.apply(h) as wc.Tensor;
  return h.data();
}

describe('inference fusion of conv -> batch norm -> relu', () => {
  it("fuses the standard model's two conv + BN + relu chains and leaves the rest", () => {
    const model = wc.models.mnistStandard();
    const g = model as unknown as { requireGraph(w: string): { topology: { nodes: Node[] }; outputs: wc.SymbolicTensor[] } };
    const { topology, outputs } = g.requireGraph('test');
    const plan = inferencePlan(topology.nodes, outputs);
    const chains = plan.flatMap((s) => ('chain' in s ? [[s.chain.conv, s.chain.bn, s.chain.relu].map((n) => n?.layer.className)] : []));
    expect(chains).toEqual([['Conv2D', 'BatchNormalization', 'ReLU'], ['Conv2D', 'BatchNormalization', 'ReLU']]);
    // 13 layers (+ the input) -> 9 steps
    expect(plan.length).toBe(topology.nodes.length - 4);
  });

  it('predict equals the layers run one by one (standard model, random BN statistics)', async () => {
    const model = wc.models.mnistStandard();
    randomize(model, 40);
    const x = wc.tensor(randomValues(3 * 784, 41, 0, 1), [3, 28, 28, 1]);
    const fused = await (model.predict(x) as wc.Tensor).data();
    const plain = await layerByLayer(model, x);
    expect(fused.length).toBe(30);
    expect(Math.max(...fused)).toBeLessThan(0.99); // not saturated
    expectClose(fused, plain);
  });

  it('conv with a bias, BN without scale/center, an Activation relu; and chains that must not fuse', async () => {
    const inp = wc.input({ shape: [6, 6, 2] });
    const c1 = wc.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(inp) as wc.SymbolicTensor;
    const b1 = wc.layers.batchNormalization({ scale: false, center: false }).apply(c1) as wc.SymbolicTensor;
    const r1 = wc.layers.activation({ activation: 'relu' }).apply(b1) as wc.SymbolicTensor;
    // not fused: the conv has its own activation
    const c2 = wc.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }).apply(r1) as wc.SymbolicTensor;
    const b2 = wc.layers.batchNormalization().apply(c2) as wc.SymbolicTensor;
    // fused without the relu: BN's output feeds two layers
    const c3 = wc.layers.conv2d({ filters: 4, kernelSize: 1 }).apply(b2) as wc.SymbolicTensor;
    const b3 = wc.layers.batchNormalization().apply(c3) as wc.SymbolicTensor;
    const sum = wc.layers.add().apply([wc.layers.reLU().apply(b3) as wc.SymbolicTensor, b3]) as wc.SymbolicTensor;
    // the probe output c4 is a model output: not fused
    const c4 = wc.layers.conv2d({ filters: 3, kernelSize: 1 }).apply(sum) as wc.SymbolicTensor;
    const b4 = wc.layers.batchNormalization().apply(c4) as wc.SymbolicTensor;
    const model = wc.model({ inputs: inp, outputs: [b4, c4] });
    randomize(model, 50);
    const g = model as unknown as { requireGraph(w: string): { topology: { nodes: Node[] }; outputs: wc.SymbolicTensor[] } };
    const { topology, outputs } = g.requireGraph('test');
    const chains = inferencePlan(topology.nodes, outputs).flatMap((s) => ('chain' in s ? [[s.chain.conv.output, s.chain.relu?.output ?? s.chain.bn.output]] : []));
    expect(chains).toEqual([[c1, r1], [c3, b3]]);

    const x = wc.tensor(randomValues(2 * 72, 51), [2, 6, 6, 2]);
    const [yFused, probeFused] = (model.predict(x) as wc.Tensor[]);
    // the same graph run by hand, layer by layer
    const run = (layer: wc.SymbolicTensor, ...xs: wc.Tensor[]) => layer.sourceLayer.apply(xs.length === 1 ? xs[0] : xs) as wc.Tensor;
    const h1 = run(r1, run(b1, run(c1, x)));
    const h2 = run(b2, run(c2, h1));
    const h3 = run(b3, run(c3, h2));
    const s = run(sum, run(sum.node.inputs[0], h3), h3);
    const probe = run(c4, s);
    const y = run(b4, probe);
    for (const [got, want] of [[yFused, y], [probeFused, probe]] as const) {
      expectClose(await got.data(), await want.data());
    }
  });

  it('MobileNet chains: pad -> valid depthwise -> BN -> relu6, depthwise with a multiplier, ReLU(maxValue 6); a pad before a same conv stays', async () => {
    const inp = wc.input({ shape: [9, 8, 4] });
    const c1 = wc.layers.conv2d({ filters: 8, kernelSize: 1, useBias: false }).apply(inp) as wc.SymbolicTensor;
    const b1 = wc.layers.batchNormalization().apply(c1) as wc.SymbolicTensor;
    const r1 = wc.layers.reLU({ maxValue: 6 }).apply(b1) as wc.SymbolicTensor;
    const p2 = wc.layers.zeroPadding2d({ padding: [[0, 1], [1, 1]] }).apply(r1) as wc.SymbolicTensor;
    const d2 = wc.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, useBias: false }).apply(p2) as wc.SymbolicTensor;
    const b2 = wc.layers.batchNormalization().apply(d2) as wc.SymbolicTensor;
    const r2 = wc.layers.activation({ activation: 'relu6' }).apply(b2) as wc.SymbolicTensor;
    const d3 = wc.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }).apply(r2) as wc.SymbolicTensor;
    const b3 = wc.layers.batchNormalization().apply(d3) as wc.SymbolicTensor;
    // not folded: the conv after the pad is 'same'
    const p4 = wc.layers.zeroPadding2d({ padding: 1 }).apply(b3) as wc.SymbolicTensor;
    const c4 = wc.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(p4) as wc.SymbolicTensor;
    const b4 = wc.layers.batchNormalization().apply(c4) as wc.SymbolicTensor;
    const r4 = wc.layers.reLU({ maxValue: 6 }).apply(b4) as wc.SymbolicTensor;
    const model = wc.model({ inputs: inp, outputs: r4 });
    randomize(model, 60);
    const g = model as unknown as { requireGraph(w: string): { topology: { nodes: Node[] }; outputs: wc.SymbolicTensor[] } };
    const { topology, outputs } = g.requireGraph('test');
    const chains = inferencePlan(topology.nodes, outputs).flatMap((s) => ('chain' in s ? [[s.chain.pad?.output ?? null, s.chain.conv.output, s.chain.relu?.output ?? s.chain.bn.output]] : []));
    expect(chains).toEqual([[null, c1, r1], [p2, d2, r2], [null, d3, b3], [null, c4, r4]]);

    // inputs spread wide so that relu6 clips at both ends
    const x = wc.tensor(randomValues(2 * 9 * 8 * 4, 61, -20, 20), [2, 9, 8, 4]);
    const fused = await (model.predict(x) as wc.Tensor).data();
    const plain = await layerByLayer(model, x);
    expect(fused.length).toBe(2 * 6 * 6 * 4);
    // the first relu6 clips at both ends (so a fused relu in its place would differ)
    const h1 = await ([c1, b1, r1].reduce((h, t) => t.sourceLayer.apply(h) as wc.Tensor, x)).data();
    expect(Math.max(...h1)).toBe(6);
    expect(Math.min(...h1)).toBe(0);
    expectClose(fused, plain);
  });

  it('MobileNetV2 (alpha 0.35, 32x32): 52 chains fuse and predict equals the graph run node by node', async () => {
    const model = wc.models.mobilenetV2({ inputShape: [32, 32, 3], alpha: 0.35, numClasses: 5 });
    randomize(model, 70);
    const g = model as unknown as { requireGraph(w: string): { topology: { nodes: Node[] }; outputs: wc.SymbolicTensor[] } };
    const { topology, outputs } = g.requireGraph('test');
    const plan = inferencePlan(topology.nodes, outputs);
    const chains = plan.flatMap((s) => ('chain' in s ? [s.chain] : []));
    expect(chains.length).toBe(52);
    expect(chains.filter((c) => c.pad).length).toBe(4);
    const x = wc.tensor(randomValues(2 * 32 * 32 * 3, 71, 0, 1), [2, 32, 32, 3]);
    const fused = await (model.predict(x) as wc.Tensor).data();
    const values = new Map<wc.SymbolicTensor, wc.Tensor>();
    for (const node of topology.nodes) {
      const ins = node.inputs.map((t) => values.get(t)!);
      values.set(node.output, node.layer.className === 'InputLayer' ? x : node.layer.apply(ins.length === 1 ? ins[0] : ins) as wc.Tensor);
    }
    const plain = await values.get(outputs[0])!.data();
    expect(fused.length).toBe(10);
    expect(Math.max(...plain)).toBeLessThan(0.99); // not saturated
    expectClose(fused, plain);
  });
});
