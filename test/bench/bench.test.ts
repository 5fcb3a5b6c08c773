// The bench's own code (npm run bench), kept from rotting: the plan, the
// table and its ratios, the skip estimates, and the cells themselves on tiny
// tasks on the CPU (webcnn and TF.js, in Node).

import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as wc from '../../src/index.js';
import type { CellResult } from '../../bench/cell.js';
import { reducedConv, skipIfTooSlow } from '../../bench/estimate.js';
import { measure } from '../../bench/measure.js';
import { engineThreads, flops, planRows, unsupported, webcnnBackend, type Row, type Task } from '../../bench/plan.js';
import { formatCell, formatNumber, ratios, resultsTable, type Results } from '../../bench/table.js';
import { mobilenetTfjs, runTfjs } from '../../bench/tfjsCells.js';
import { buildWebcnn, mobilenetWebcnn, runWebcnn, runWebcnnAugmented, webcnnWeights } from '../../bench/webcnnCells.js';

const cell = (value: number | null, extra: Partial<CellResult> = {}): CellResult => ({ value, estimate: false, calls: 1, seconds: 1, warmupSeconds: 1, ...extra });
const row = (id: string) => planRows().find((r) => r.id === id)!;
const uniformImages = (n: number) => Float32Array.from({ length: n * 32 * 32 * 3 }, (_, i) => Math.sin(i) * 0.5 + 0.5);

describe('bench plan and table', () => {
  it('plans every row of issue 8, a quick subset, and filters', () => {
    const ids = planRows().map((r) => r.id);
    expect(ids).toContain('gemm-1024');
    expect(ids).not.toContain('gemm-2048');
    expect(planRows({ bigGemm: true }).map((r) => r.id)).toContain('gemm-2048');
    expect(ids.filter((i) => i.startsWith('conv-'))).toHaveLength(6);
    expect(ids.filter((i) => /^(train|infer)-(light|standard)-(64|256)$/.test(i))).toHaveLength(8);
    expect(ids).toEqual(expect.arrayContaining(['first-light', 'first-standard']));
    expect(planRows({ quick: true }).map((r) => r.id)).toEqual(['gemm-256', 'conv-mnist-forward', 'conv-mnist-backwardInput', 'conv-mnist-backwardFilter', 'train-light-64', 'infer-light-64', 'first-light']);
    expect(planRows({ rows: ['conv-vgg'] })).toHaveLength(3);
    expect(flops(row('conv-vgg-forward').task)).toBe(2 * 32 * 56 * 56 * 9 * 64 * 64);
    expect(unsupported('tfjs-wasm', row('train-light-64').task)).toMatch(/Conv2DBackpropFilter/);
    expect(unsupported('tfjs-wasm', row('infer-light-64').task)).toBeNull();
    expect(unsupported('tfjs-wasm-2t', row('train-light-64').task)).toMatch(/Conv2DBackpropFilter/);
    expect(unsupported('webcnn-wasm-2t', row('train-light-64').task)).toBeNull();
  });

  it("plans issue 19's MobileNet V2 and depthwise rows (not in a quick run); tfjs-wasm lacks the depthwise gradients", () => {
    const ids = planRows().map((r) => r.id);
    const mobile = ['mobilenet-infer-1', 'mobilenet-infer-8', 'mobilenet-head-8', 'mobilenet-full-8', 'depthwise-forward', 'depthwise-backwardInput', 'depthwise-backwardFilter'];
    expect(ids).toEqual(expect.arrayContaining(mobile));
    expect(planRows({ rows: ['mobilenet', 'depthwise'] }).map((r) => r.id)).toEqual(mobile);
    expect(planRows({ quick: true }).some((r) => r.id.startsWith('mobilenet') || r.id.startsWith('depthwise'))).toBe(false);
    expect(row('mobilenet-head-8').unit).toBe('images/s');
    // MobileNet V2's 56×56×144 stride-1 layer at batch 8: 2·N·OH·OW·9·C
    expect(flops(row('depthwise-forward').task)).toBe(2 * 8 * 56 * 56 * 9 * 144);
    expect(flops({ kind: 'depthwise', pass: 'forward', layer: { name: 's2', x: [1, 7, 7, 4], kernel: 3, stride: 2, padding: 'same' } })).toBe(2 * 4 * 4 * 9 * 4);
    expect(unsupported('tfjs-wasm', row('depthwise-backwardFilter').task)).toMatch(/DepthwiseConv2dNativeBackpropFilter/);
    expect(unsupported('tfjs-wasm', row('depthwise-backwardInput').task)).toMatch(/DepthwiseConv2dNativeBackpropInput/);
    expect(unsupported('tfjs-wasm', row('mobilenet-full-8').task)).toMatch(/Conv2DBackpropFilter/);
    for (const id of ['depthwise-forward', 'mobilenet-infer-8', 'mobilenet-head-8']) expect(unsupported('tfjs-wasm', row(id).task), id).toBeNull();
    // batch 8 is priced from batch 1 at the same images/s
    const results: Results = { 'mobilenet-infer-1': { 'tfjs-cpu': cell(0.25) } };
    expect(skipIfTooSlow(row('mobilenet-infer-8'), 'tfjs-cpu', planRows(), results, 10)).toMatchObject({ value: 0.25, estimate: true, note: expect.stringMatching(/≈ 32 s \(from mobilenet-infer-1\)/) });
    expect(skipIfTooSlow(row('mobilenet-full-8'), 'tfjs-cpu', planRows(), results, 10)).toBeNull();
  });

  it('formats figures and the two headline ratios (times: smaller is better)', () => {
    expect([formatNumber(1312.4), formatNumber(46.21), formatNumber(3.456), formatNumber(0.4681)]).toEqual(['1,312', '46.2', '3.46', '0.468']);
    expect(formatCell(cell(2.9, { estimate: true }))).toBe('~2.90');
    expect(formatCell(cell(null, { note: 'tfjs-wasm has no Conv2DBackpropFilter kernel' }))).toBe('n/a');
    const train = { 'webcnn-webgpu': cell(300), 'webcnn-cpu': cell(50), 'tfjs-webgpu': cell(30), 'tfjs-webgl': cell(150) };
    expect(ratios(row('train-light-64'), train)).toEqual({ webgpu: { value: 10, estimate: false }, best: { value: 2, estimate: false } });
    const first = { 'webcnn-webgpu': cell(2), 'webcnn-cpu': cell(1), 'tfjs-webgpu': cell(10, { estimate: true }), 'tfjs-cpu': cell(4) };
    expect(ratios(row('first-light'), first)).toEqual({ webgpu: { value: 5, estimate: true }, best: { value: 4, estimate: false } });
    const results: Results = { 'train-light-64': train };
    const table = resultsTable(planRows(), results);
    expect(table).toMatch(/\| train light, batch 64 +\| images\/s \| +300 \| +50.0 \| +30.0 \| +150 \| +10× \| +2\.0× \|/);
    expect(table).not.toContain('tfjs-cpu'); // engines that did not run get no column
  });

  it('skips a cell whose one call is estimated over the cap, with the rate it implies', () => {
    const rows: Row[] = planRows();
    const results: Results = { 'train-standard-64': { 'tfjs-webgpu': cell(2.9) } };
    const skipped = skipIfTooSlow(row('train-standard-256'), 'tfjs-webgpu', rows, results, 30);
    expect(skipped).toMatchObject({ value: 2.9, estimate: true, calls: 0 });
    expect(skipped?.note).toMatch(/≈ 88 s \(from train-standard-64\)/);
    expect(skipIfTooSlow(row('train-standard-256'), 'tfjs-webgpu', rows, results, 100)).toBeNull();
    // A conv pass is priced from the engine's GEMM rate (or its forward pass), with no figure of its own.
    results['gemm-512'] = { 'tfjs-webgpu': cell(0.2) };
    expect(skipIfTooSlow(row('conv-vgg-forward'), 'tfjs-webgpu', rows, results, 10)).toMatchObject({ value: null, estimate: true });
    expect(skipIfTooSlow(row('conv-mnist-forward'), 'tfjs-webgpu', rows, results, 10)).toBeNull();
    // A backward pass: the geometric mean of the same layer's forward (6.2 s) and the same pass on the other layer (92 s).
    results['conv-vgg-forward'] = { 'tfjs-cpu': cell(1.2) };
    results['conv-mnist-backwardFilter'] = { 'tfjs-cpu': cell(0.08) };
    expect(skipIfTooSlow(row('conv-vgg-backwardFilter'), 'tfjs-cpu', rows, results, 10)?.note).toMatch(/≈ 24 s \(from conv-vgg-forward and conv-mnist-backwardFilter\)/);
  });

  it('runs a conv pass estimated over the cap at a batch whose call takes about a quarter of it', () => {
    const rows: Row[] = planRows();
    const results: Results = { 'gemm-512': { 'tfjs-webgpu': cell(0.2) } };
    // 2·32·56·56·9·64·64 = 7.4 GFLOP at 0.2 GFLOP/s: 37 s at batch 32, so batch floor(32 · 2.5 / 37) = 2.
    const r = reducedConv(row('conv-vgg-forward'), 'tfjs-webgpu', rows, results, 10);
    expect(r?.batch).toBe(2);
    expect(r?.row.task).toMatchObject({ kind: 'conv', pass: 'forward', layer: { name: 'vgg', x: [2, 56, 56, 64] } });
    expect(Math.round(r?.estimate.seconds ?? 0)).toBe(37);
    // Under the cap, or not a conv row: run as planned.
    expect(reducedConv(row('conv-mnist-forward'), 'tfjs-webgpu', rows, results, 10)).toBeNull();
    expect(reducedConv(row('gemm-1024'), 'tfjs-webgpu', rows, results, 1)).toBeNull();
    // Even one image over the cap: not run.
    results['gemm-512'] = { 'tfjs-webgpu': cell(0.001) };
    expect(reducedConv(row('conv-vgg-forward'), 'tfjs-webgpu', rows, results, 10)).toBeNull();
  });
});

describe('bench cells on the CPU', () => {
  const o = { budgetMs: 20, maxCallMs: 10_000 };

  it('measure: one warm-up, then calls until the budget is spent; no warm-up when one was run already', async () => {
    // a counting clock: each call takes 2 ms
    let clock = 0;
    let calls = 0;
    const round = async (k: number) => { calls += k; clock += 2 * k; };
    const m = await measure(round, { ...o, now: () => clock });
    // warm-up 1 call (2 ms); rounds of 1, then min(4 * 1, ceil(18 / 2)) = 4, then min(4 * 5, ceil(10 / 2)) = 5 calls: 20 ms
    expect(m).toEqual({ calls: 10, ms: 20, warmupMs: 2, fromWarmup: false });
    expect(calls).toBe(11);
    calls = 0;
    const warmed = await measure(round, { ...o, warmedUpMs: 5, now: () => clock });
    expect([calls, warmed.warmupMs]).toEqual([warmed.calls, 5]);
    // a warm-up over maxCallMs stands in for the timed call
    calls = 0;
    const slow = await measure(async (k) => { calls += k; clock += 50_000 * k; }, { ...o, now: () => clock });
    expect([slow, calls]).toEqual([{ calls: 1, ms: 50_000, warmupMs: 50_000, fromWarmup: true }, 1]);
  });

  it('times a GEMM and a training step on webcnn-cpu, webcnn-wasm and tfjs-cpu', async () => {
    await tf.setBackend('cpu');
    const gemm = { kind: 'gemm', n: 16 } as const;
    const train = { kind: 'train', model: 'light', batch: 2 } as const;
    const weights = await webcnnWeights(wc, 'light');
    expect(webcnnBackend('webcnn-wasm')).toBe('wasm');
    expect(webcnnBackend('webcnn-wasm-2t')).toBe('wasm-2t');
    expect([engineThreads('webcnn-wasm'), engineThreads('webcnn-wasm-2t'), engineThreads('tfjs-wasm-2t')]).toEqual([1, 2, 2]);
    for (const r of [await runWebcnn(wc, 'cpu', gemm, o, null), await runWebcnn(wc, 'wasm', gemm, o, null), await runWebcnn(wc, 'wasm-2t', gemm, o, null), await runTfjs(tf, 'cpu', gemm, o, null),
      await runWebcnn(wc, 'cpu', train, o, weights), await runWebcnn(wc, 'wasm', train, o, weights), await runTfjs(tf, 'cpu', train, o, weights)]) {
      expect(r.value).toBeGreaterThan(0);
      expect(r.calls).toBeGreaterThan(0);
    }
  });

  it('times training with and without augmentation in one cell (webcnn only: TF.js has no such layers)', async () => {
    const task = { kind: 'trainAugmented', model: 'light', batch: 2 } as const;
    expect(row('train-standard-augmented-64').task).toEqual({ kind: 'trainAugmented', model: 'standard', batch: 64 });
    expect(planRows({ quick: true }).some((r) => r.task.kind === 'trainAugmented')).toBe(false);
    expect(unsupported('tfjs-webgl', task)).toMatch(/no RandomRotation/);
    expect(unsupported('webcnn-cpu', task)).toBeNull();
    expect(buildWebcnn(wc, 'light', true).layers.slice(0, 3).map((l) => l.className)).toEqual(['RandomRotation', 'RandomTranslation', 'RandomZoom']);
    const r = await runWebcnnAugmented(wc, 'cpu', task, o, await webcnnWeights(wc, 'light'));
    expect(r.value).toBeGreaterThan(0);
    expect(r.calls).toBeGreaterThanOrEqual(2);
    const [, plain, added] = /without augmentation in the same cell ([\d.]+) images\/s: augmentation adds (-?[\d.]+)% to a step/.exec(r.note ?? '') ?? [];
    expect(Number(plain)).toBeGreaterThan(0);
    expect(Number(added)).toBeCloseTo((Number(plain) / r.value! - 1) * 100, 0);
  });

  it('times the three depthwise passes on webcnn-cpu and tfjs-cpu', async () => {
    await tf.setBackend('cpu');
    for (const pass of ['forward', 'backwardInput', 'backwardFilter'] as const) {
      const task: Task = { kind: 'depthwise', pass, layer: { name: 'tiny', x: [2, 7, 7, 4], kernel: 3, stride: 2, padding: 'same' } };
      for (const r of [await runWebcnn(wc, 'cpu', task, o, null), await runTfjs(tf, 'cpu', task, o, null)]) {
        expect(r.value, pass).toBeGreaterThan(0);
        expect(r.calls).toBeGreaterThan(0);
      }
    }
  });

  it("MobileNet rows' models: the head alone trains on a frozen base, every layer in full fine-tuning, in both libraries", async () => {
    await wc.setBackend('cpu');
    await tf.setBackend('cpu');
    const small = wc.models.mobilenetV2({ alpha: 0.35, inputShape: [32, 32, 3] });
    const artifacts = await wc.modelToArtifacts(small);
    const all = small.trainableWeights.length;
    small.dispose();
    const xs = uniformImages(2);
    for (const mode of ['head', 'full'] as const) {
      const ours = await mobilenetWebcnn(wc, artifacts, mode);
      const theirs = await mobilenetTfjs(tf, artifacts, mode);
      // all but the old classifier's two weights, plus the new head's two
      const expected = mode === 'head' ? 2 : all;
      expect(ours.model.trainableWeights.length, mode).toBe(expected);
      expect(theirs.model.trainableWeights.length, mode).toBe(expected);
      const x = wc.tensor(xs, [2, 32, 32, 3]);
      const y = wc.tensor([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0], [2, 10]);
      expect(Number.isFinite(await ours.model.trainOnBatch(x, y) as number)).toBe(true);
      expect(Number.isFinite(await theirs.model.trainOnBatch(tf.tensor(xs, [2, 32, 32, 3]), tf.tensor(await y.data(), [2, 10])) as number)).toBe(true);
      x.dispose();
      y.dispose();
      ours.dispose();
      theirs.dispose();
    }
  }, 60_000);
});
