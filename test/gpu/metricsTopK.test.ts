// The top-k accuracies (metricRows.wgsl KIND 5, 6), precision and recall
// (metricRatio.wgsl) on WebGPU against the CPU reference, in one page call
// under verification mode (which also checks each of these kernels itself).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { GpuPage } from '../harness/gpu.js';
import { expectParity } from '../harness/tolerance.js';
import { randomValues } from '../util/check.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open({ verify: true }); });
afterAll(async () => { await gp?.close(); });

type Kind = 'topKCategoricalAccuracy' | 'sparseTopKCategoricalAccuracy' | 'precision' | 'recall';
/** null stands for NaN (JSON has none). */
interface Case { kind: Kind; t: (number | null)[]; ts: number[]; p: (number | null)[]; ps: number[]; k?: number }

const oneHot = (labels: number[], k: number) => labels.flatMap((c) => Array.from({ length: k }, (_, j) => (j === c ? 1 : 0)));
const ties = [0.1, 0.5, 0.3, 0.1, 0.1, 0.4, 0.3, 0.2, 0.4, 0.2, 0.0, 0.4, 0.2, null, 0.9, 0.1];
const scores = [...randomValues(40 * 13, 4)];
const labels = Array.from({ length: 40 }, (_, r) => (r * 7) % 13);
const binary = Array.from({ length: 40 * 13 }, (_, i) => ((i * 11) % 7 < 3 ? 1 : 0));
const probs = [...randomValues(40 * 13, 6, 0, 1)].map((v, i) => (i % 17 === 0 ? 0.5 : v));

const cases: Case[] = [
  ...[1, 2, 3, 4, 5].map((k): Case => ({ kind: 'topKCategoricalAccuracy', t: oneHot([2, 0, 3, 2], 4), ts: [4, 4], p: ties, ps: [4, 4], k })),
  ...[1, 2].map((k): Case => ({ kind: 'sparseTopKCategoricalAccuracy', t: [2, 0, 3, 2], ts: [4], p: ties, ps: [4, 4], k })),
  { kind: 'sparseTopKCategoricalAccuracy', t: [1.9, -0.5, 3, null], ts: [4, 1], p: [0.7, 0.2, 0.1, 0.7, 0.2, 0.1, 0.7, 0.2, 0.1, 0.7, 0.2, 0.1], ps: [4, 3], k: 2 },
  ...[1, 3, 5, 13].map((k): Case => ({ kind: 'topKCategoricalAccuracy', t: oneHot(labels, 13), ts: [40, 13], p: scores, ps: [40, 13], k })),
  { kind: 'sparseTopKCategoricalAccuracy', t: labels, ts: [40], p: scores, ps: [40, 13] },
  // 520 values: more than the workgroup's 256 invocations
  { kind: 'precision', t: binary, ts: [40, 13], p: probs, ps: [40, 13] },
  { kind: 'recall', t: binary, ts: [40, 13], p: probs, ps: [40, 13] },
  { kind: 'precision', t: [1, 0, 2, 1], ts: [4, 1], p: [0.2, 0.4, 0.5, 0.1], ps: [4, 1] },   // nothing predicted positive: 0
  { kind: 'recall', t: [1, 0, 2, 0, 1, 1], ts: [3, 2], p: [0.9, 0.4, 0.6, 0.7, 0.5, 0.8], ps: [3, 2] },
];

describe('top-k, precision and recall on webgpu', () => {
  it('match the CPU reference, verified kernel by kernel', async () => {
    const out = await gp.run(async ({ wc: w, engine }, cs) => {
      const nan = (v: (number | null)[]) => v.map((x) => (x === null ? NaN : x));
      const values: number[] = [];
      for (const c of cs) {
        const y = w.ops.metric(c.kind, w.tensor(nan(c.t), c.ts), w.tensor(nan(c.p), c.ps), c.k);
        values.push((await y.data())[0]);
      }
      const be = engine.backend() as { verifier?: { checked: number } };
      return { values, checked: be.verifier?.checked ?? -1 };
    }, cases);
    const nan = (v: (number | null)[]) => v.map((x) => (x === null ? NaN : x));
    const cpu = cases.map((c) => wc.ops.metric(c.kind, wc.tensor(nan(c.t), c.ts), wc.tensor(nan(c.p), c.ps), c.k).dataSync()[0]);
    cases.forEach((c, i) => {
      if (cpu[i] === 0) expect(out.values[i], `${c.kind} case ${i}`).toBe(0);
      else expectParity([out.values[i]], [cpu[i]], `${c.kind} k ${c.k ?? 5} case ${i}`);
    });
    // the hand values of test/cpu/metricsTopK.test.ts, here too
    expect(out.values.slice(0, 5)).toEqual([0.25, 0.5, 0.5, 0.75, 0.75]);
    expect(out.checked).toBeGreaterThanOrEqual(cases.length);
  }, 120_000);
});
