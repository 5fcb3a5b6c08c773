// Sparse labels on WebGPU (src/train/labels.ts). Labels a kernel made are
// checked on the device: labelCheck.wgsl counts the bad ones and only that
// count comes back (4 bytes, not the labels) unless one is bad; then fit,
// evaluate and trainOnBatch refuse, naming the value and its row, with the
// weights and Adam's slots bit for bit. Labels made with wc.tensor are judged
// from what wc.tensor saw, with no device read at all. The kernel's count
// equals the CPU reference's. And the training API's lock holds here too.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { GpuPage } from '../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

interface Refusal { method: string; bad: string; message: string; unchanged: boolean }

describe('sparse labels on webgpu', () => {
  it('labels a kernel made: refused on the device before any update, naming the value and its row; valid ones cost a 4-byte read', async () => {
    const out = await gp.run(async ({ wc: w, engine: e }) => {
      const model = w.sequential({
        layers: [
          w.layers.dense({ inputShape: [3], units: 4, kernelInitializer: w.initializers.glorotUniform({ seed: 7 }) }),
          w.layers.batchNormalization({}),
          w.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: w.initializers.glorotUniform({ seed: 8 }) }),
        ],
      });
      model.compile({ optimizer: w.optimizers.adam({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      const bits = async () => {
        const all: number[] = [];
        for (const t of model.getWeights()) all.push(...new Uint32Array((await t.data()).buffer));
        for (const { tensor } of await model.compiled!.optimizer.getWeights()) all.push(...new Uint32Array((await tensor.data()).buffer));
        return all;
      };
      const x = w.tensor(Array.from({ length: 24 }, (_, i) => Math.sin(i + 1)), [8, 3]);
      // rows reversed by a kernel: the labels have no value hint, so only the device knows them
      const reversed = Int32Array.from({ length: 8 }, (_, i) => 7 - i);
      const onDevice = (labels: number[]) => w.ops.gatherRows(w.tensor(labels), reversed);
      await model.fit(x, onDevice([1, 2, 3, 4, 5, 6, 7, 8]), { batchSize: 4 });
      const refusals: Refusal[] = [];
      for (const bad of [10, -1, 2.5, Number.NaN]) {
        for (const method of ['fit', 'evaluate', 'trainOnBatch'] as const) {
          // the bad label lands on row 5 once reversed
          const y = onDevice([0, 9, bad, 3, 4, 5, 6, 7]);
          const before = await bits();
          let message = '';
          try {
            if (method === 'fit') await model.fit(x, y, { batchSize: 4 });
            else if (method === 'evaluate') await model.evaluate(x, y);
            else await model.trainOnBatch(x, y);
          } catch (err) {
            message = (err as Error).message;
          }
          const after = await bits();
          refusals.push({ method, bad: String(bad), message, unchanged: after.length === before.length && after.every((b, i) => b === before[i]) });
        }
      }
      // valid labels made by a kernel: what comes back before the steps is the count (size 1), never the 8 labels
      const b = e.backend();
      const read = b.read.bind(b);
      const sizes: number[] = [];
      b.read = async (t) => { sizes.push(t.size); return read(t); };
      const [loss] = await model.evaluate(x, onDevice([0, 9, 8, 3, 4, 5, 6, 7]));
      b.read = read;
      // the lock holds on this backend too, and the refusals above released it
      const first = model.fit(x, onDevice([0, 9, 8, 3, 4, 5, 6, 7]), { batchSize: 4, epochs: 2 });
      let second = '';
      try { await model.fit(x, onDevice([0, 1, 2, 3, 4, 5, 6, 7])); } catch (err) { second = (err as Error).message; }
      const h = await first;
      return { refusals, sizes, loss, second, trained: h.history.loss.length };
    }, {});
    expect(out.refusals).toHaveLength(12);
    for (const r of out.refusals) {
      const value = r.bad.replace('.', '\\.');
      expect(r.message, `${r.method} ${r.bad}`).toMatch(new RegExp(
        `^Sequential\\.${r.method}: y holds class indices for output 'dense_\\d+' \\(loss 'sparseCategoricalCrossentropy'\\), so every label must be an integer in \\[0, 10\\) `
        + `\\(the output has 10 classes\\); got ${value} at row 5 of a tensor of shape \\[8\\]$`));
      expect(r.unchanged, `${r.method} ${r.bad}: weights and optimizer state unchanged`).toBe(true);
    }
    // one scalar: the label count; then evaluate's loss and accuracy sums
    expect(out.sizes).toEqual([1, 1, 1]);
    expect(Number.isFinite(out.loss)).toBe(true);
    expect(out.second).toMatch(/^Sequential\.fit: Cannot start training because another fit\(\) call is ongoing\./);
    expect(out.trained).toBe(2);
  });

  it('labels made with wc.tensor: judged from what wc.tensor saw, with no device read', async () => {
    const out = await gp.run(async ({ wc: w, engine: e }) => {
      const model = w.sequential({ layers: [w.layers.dense({ inputShape: [3], units: 10, activation: 'softmax' })] });
      model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
      const x = w.tensor(Array.from({ length: 12 }, (_, i) => i / 12), [4, 3]);
      const b = e.backend();
      const read = b.read.bind(b);
      let reads = 0;
      b.read = async (t) => { reads++; return read(t); };
      const messages: string[] = [];
      for (const labels of [[0, 1, 10, 2], [0, -1, 1, 2], [0.5, 1, 2, 3]]) {
        for (const call of [() => model.fit(x, w.tensor(labels)), () => model.trainOnBatch(x, w.tensor(labels, [4, 1]))]) {
          try { await call(); } catch (err) { messages.push((err as Error).message); }
        }
      }
      b.read = read;
      return { reads, messages };
    }, {});
    expect(out.reads).toBe(0);
    expect(out.messages).toHaveLength(6);
    expect(out.messages[0]).toMatch(/^Sequential\.fit: y holds class indices .* got 10 at row 2 of a tensor of shape \[4\]$/);
    expect(out.messages[1]).toMatch(/^Sequential\.trainOnBatch: y holds class indices .* got 10 at row 2 of a tensor of shape \[4, 1\]$/);
    expect(out.messages[2]).toMatch(/got -1 at row 1 /);
    expect(out.messages[4]).toMatch(/got 0\.5 at row 0 /);
  });

  it('the labelCheck kernel counts what the CPU reference counts', async () => {
    const cases: [number[], number][] = [
      [[0, 9, 10, -1, 2.5, -0, 3], 10],
      [[0], 1],
      [[1], 1],
      // more labels than the workgroup's invocations: every stride is counted
      [Array.from({ length: 1000 }, (_, i) => (i % 97 === 0 ? 1000 + i : i % 50) + (i % 211 === 0 ? 0.25 : 0)), 50],
      [Array.from({ length: 300 }, (_, i) => i), 300],
    ];
    const gpu = await gp.run(async ({ wc: w, engine: e }, a) => {
      const counts: number[] = [];
      for (const [labels, classes] of a.cases) {
        const nanAt = labels.length > 5 ? [3] : [];
        const v = labels.map((l, i) => (nanAt.includes(i) ? Number.NaN : l));
        const t = w.ops.sparseLabelCheck(w.tensor(v), classes);
        counts.push((await t.data())[0]);
        t.dispose();
      }
      return counts;
    }, { cases });
    await wc.setBackend('cpu');
    const cpu = cases.map(([labels, classes]) => {
      const v = labels.map((l, i) => (labels.length > 5 && i === 3 ? Number.NaN : l));
      return wc.ops.sparseLabelCheck(wc.tensor(v), classes).dataSync()[0];
    });
    expect(gpu).toEqual(cpu);
    expect(cpu.slice(0, 3)).toEqual([3, 0, 1]); // 10, NaN (at 3) and 2.5; -0 is class 0
  });
});
