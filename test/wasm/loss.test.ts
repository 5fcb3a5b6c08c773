import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { cpuTensor } from '../../src/backend/cpu/storage.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import * as L from '../../src/kernels/loss/index.js';
import { randomValues } from '../util/check.js';
import { wasmBackend } from './harness.js';
import { ULPS, expectWasmMatch } from './tight.js';

let be: WasmBackend;
beforeAll(async () => { be = await wasmBackend(); });

const rows = 6;
const k = 7;
/**
 * Probabilities that hit the clip bounds (0 and 1), on the target class
 * (row 0) and beside it (row 1, whose class is 3), where only the sparse
 * loss's first clip zeroes the gradient.
 */
const pred = () => { const v = randomValues(rows * k, 3, 0, 1); v.set([0, 1, 1e-9]); v.set([0, 1], k + 1); return cpuTensor(v, [rows, k]); };
const dense = () => cpuTensor(randomValues(rows * k, 4, 0, 1), [rows, k]);
/** Sparse labels: floored (3.5 is class 3), out of range (7, -1: no class), as [rows]. */
const sparse = () => cpuTensor(Float32Array.of(0, 3.5, 6, 7, -1, 2), [rows]);

// Every loss and metric is the CPU reference's f64 formula line for line; the
// results round to float32 once, up to how exp and log round in each engine.
describe('loss (wasm)', () => {
  it('categorical cross-entropy by hand', () => {
    // Row [0.25, 0.75] with target class 1: -log(0.75) = 0.2876821.
    const l = wc.ops.loss('categoricalCrossentropy', wc.tensor([0, 1], [1, 2]), wc.tensor([0.25, 0.75], [1, 2]));
    expect(l.backend.name).toBe('wasm');
    expect(l.dataSync()[0]).toBeCloseTo(0.2876821, 6);
  });

  for (const kind of L.LOSS_KINDS) {
    it(`${kind} and its gradient`, () => {
      const t = kind === 'sparseCategoricalCrossentropy' ? sparse() : dense();
      expectWasmMatch(be, L.lossKernel, [kind, t, pred()], ULPS, kind);
      expectWasmMatch(be, L.lossBackwardKernel, [kind, t, pred()], ULPS, `${kind} backward`);
    });
  }

  it('softmax cross-entropy backward, dense and sparse', () => {
    const probs = cpuTensor(randomValues(rows * k, 8, 0, 1), [rows, k]);
    expectWasmMatch(be, L.softmaxCrossEntropyBackwardKernel, [dense(), probs, false], ULPS, 'dense');
    expectWasmMatch(be, L.softmaxCrossEntropyBackwardKernel, [sparse(), probs, true], ULPS, 'sparse');
  });

  for (const kind of L.METRIC_KINDS) {
    it(`metric ${kind}`, () => {
      const t = kind.startsWith('sparse') ? sparse() : kind === 'binaryAccuracy' || kind === 'precision' || kind === 'recall'
        ? cpuTensor(randomValues(rows * k, 9, 0, 1).map(Math.round), [rows, k]) : dense();
      for (const top of [1, 3]) expectWasmMatch(be, L.metricKernel, [kind, t, pred(), top], ULPS, `${kind} top ${top}`);
    });
  }

  it('accuracy by hand: argMax ties pick the first', () => {
    const acc = wc.ops.metric('categoricalAccuracy', wc.tensor([0, 1, 1, 0], [2, 2]), wc.tensor([0.5, 0.5, 0.9, 0.1], [2, 2]));
    expect([...acc.dataSync()]).toEqual([0.5]);
  });

  it('the sparse-label check and the weight penalty', () => {
    const labels = cpuTensor(Float32Array.of(0, 9, 10, 2.5, -1, 3), [6]);
    expectWasmMatch(be, L.sparseLabelCheckKernel, [labels, 10], ULPS, 'sparseLabelCheck');
    expect([...wc.ops.sparseLabelCheck(wc.tensor([0, 9, 10, 2.5, -1, 3], [6]), 10).dataSync()]).toEqual([3]);
    const w = cpuTensor(randomValues(37, 10), [37]);
    expectWasmMatch(be, L.penaltyKernel, [w, 0.01, 0.02], ULPS, 'penalty');
    expectWasmMatch(be, L.penaltyBackwardKernel, [w, 0.01, 0.02], ULPS, 'penaltyBackward');
  });
});
