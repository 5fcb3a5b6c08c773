// fit's NaN guard on WebGPU (src/train/guard.ts): the loss is checked on the
// device, and the optimizer, batch norm's moving statistics and the epoch's
// sums skip their work from the first NaN batch on, with no read back inside
// a step; fit reads the guard at epoch end. Compared bit for bit with a twin
// trained on the batches before the NaN one, on the same device. Also:
// lossGuard keeps the first bad batch, lossRows.wgsl gives a NaN loss for a
// NaN prediction (a clamp would otherwise hide it), and NaN in x is refused first.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpuPage } from '../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

interface Outcome {
  error: { name: string; message: string; epoch: number | null; batch: number | null } | null;
  stopped: { epoch: number; batch: number } | null;
  epochs: number;
  /** Every weight, then every optimizer slot and the step count, as float32 bit patterns. */
  state: number[][];
  twin: number[][];
}

describe('the NaN guard on webgpu', () => {
  for (const mode of ['error', 'terminateOnNaN'] as const) {
    it(`${mode}: the weights, moving statistics and Adam slots are those of the batches before the NaN one`, async () => {
      const out = await gp.run(async ({ wc: w }, a): Promise<Outcome> => {
        // The autotuner is not on in this page; both models record the same kernels.
        const classifier = () => {
          const m = w.sequential({
            layers: [
              w.layers.dense({ inputShape: [2], units: 3, kernelInitializer: 'ones' }),
              w.layers.batchNormalization({}),
              w.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: w.initializers.glorotUniform({ seed: 11 }) }),
            ],
          });
          m.compile({ optimizer: w.optimizers.adam({ learningRate: 0.05 }), loss: 'categoricalCrossentropy' });
          return m;
        };
        const bits = async (m: InstanceType<typeof w.LayersModel>) => {
          const out: number[][] = [];
          for (const t of m.getWeights()) out.push(Array.from(new Uint32Array((await t.data()).buffer)));
          for (const { tensor } of await m.compiled!.optimizer.getWeights()) out.push(Array.from(new Uint32Array((await tensor.data()).buffer)));
          return out;
        };
        // rows 4 and 5 (batch 2 of 4) overflow the first layer; batch norm makes NaN of it
        const xv = Array.from({ length: 16 }, (_, i) => (i >= 8 && i < 12 ? 3e38 : Math.sin(i + 1)));
        const yv = Array.from({ length: 16 }, (_, i) => (i % 2 === Math.floor(i / 2) % 2 ? 1 : 0));
        const model = classifier();
        const stop = w.callbacks.terminateOnNaN();
        let error: Outcome['error'] = null;
        let epochs = 0;
        try {
          const h = await model.fit(w.tensor(xv, [8, 2]), w.tensor(yv, [8, 2]), { batchSize: 2, epochs: 2, shuffle: false, callbacks: a.mode === 'error' ? [] : [stop] });
          epochs = h.history.loss?.length ?? 0;
        } catch (e) {
          const err = e as Error & { epoch: number | null; batch: number | null };
          error = { name: err.name, message: err.message, epoch: err.epoch ?? null, batch: err.batch ?? null };
        }
        const twin = classifier();
        await twin.fit(w.tensor(xv.slice(0, 8), [4, 2]), w.tensor(yv.slice(0, 8), [4, 2]), { batchSize: 2, shuffle: false });
        return { error, stopped: stop.stopped && { epoch: stop.stopped.epoch, batch: stop.stopped.batch }, epochs, state: await bits(model), twin: await bits(twin) };
      }, { mode });
      if (mode === 'error') {
        expect(out.error?.name).toBe('NonFiniteLossError');
        // the CPU backend's text, word for word (test/reliability/nanLoss.test.ts)
        expect(out.error?.message).toBe('Sequential.fit: the loss became NaN at epoch 0, batch 2 (0-based; rows 4..5 of the shuffled order); expected a finite loss. '
          + "That batch's update was not applied, so the weights and the optimizer state are those from before it. "
          + 'Lower the learning rate or look for extreme values in x and y; to stop without an error pass callbacks: wc.callbacks.terminateOnNaN().');
        expect([out.error?.epoch, out.error?.batch]).toEqual([0, 2]);
      } else {
        expect(out.error).toBe(null);
        expect(out.stopped).toEqual({ epoch: 0, batch: 2 });
        expect(out.epochs).toBe(1);
      }
      expect(out.state.length).toBe(out.twin.length);
      out.twin.forEach((want, i) => expect(out.state[i], `state entry ${i}`).toEqual(want));
    });
  }

  it('no read back inside a step: a fit reads as often for 8 batches as for 4, a NaN batch included', async () => {
    const out = await gp.run(async ({ wc: w, engine }) => {
      const be = engine.backend() as unknown as { stats(): { readbacks: number; submits: number } };
      const model = w.sequential({
        layers: [
          w.layers.dense({ inputShape: [2], units: 3, kernelInitializer: 'ones' }),
          w.layers.batchNormalization({}),
          w.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: w.initializers.glorotUniform({ seed: 11 }) }),
        ],
      });
      model.compile({ optimizer: w.optimizers.adam({ learningRate: 0.05 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      const data = (rows: number, poison: number | null) => {
        const xv = Array.from({ length: 2 * rows }, (_, i) => (poison !== null && Math.floor(i / 4) === poison ? 3e38 : Math.sin(i + 1)));
        const yv = Array.from({ length: 2 * rows }, (_, i) => (i % 2 === Math.floor(i / 2) % 2 ? 1 : 0));
        return [w.tensor(xv, [rows, 2]), w.tensor(yv, [rows, 2])] as const;
      };
      const reads = async (rows: number, poison: number | null) => {
        const [x, y] = data(rows, poison);
        const before = be.stats().readbacks;
        let failed = '';
        try { await model.fit(x, y, { batchSize: 2, shuffle: false }); } catch (e) { failed = (e as Error).name; }
        return { reads: be.stats().readbacks - before, failed };
      };
      await reads(8, null); // warm-up: every pipeline compiled
      return { four: await reads(8, null), eight: await reads(16, null), nan: await reads(16, 5), again: await reads(16, null) };
    }, {});
    // the epoch end reads the guard and the two sums (loss, accuracy): three reads, whatever the batch count
    expect(out.four).toEqual({ reads: 3, failed: '' });
    expect(out.eight).toEqual({ reads: 3, failed: '' });
    expect(out.nan).toEqual({ reads: 3, failed: 'NonFiniteLossError' });
    expect(out.again).toEqual({ reads: 3, failed: '' });
  });

  it('lossGuard keeps the first NaN or infinite loss with its batch index; later losses leave it', async () => {
    const out = await gp.run(async ({ wc: w }) => {
      const guard = w.zeros([4]);
      const seen: string[][] = [];
      const show = async () => seen.push(Array.from(await guard.data(), String));
      for (const [loss, batch] of [[0.5, 0], [Number.NEGATIVE_INFINITY, 70000], [Number.NaN, 3], [0.25, 4]] as const) {
        w.ops.lossGuard(w.scalar(loss), guard, batch);
        await show();
      }
      const fresh = w.zeros([4]);
      w.ops.lossGuard(w.scalar(Number.NaN), fresh, 9);
      seen.push(Array.from(await fresh.data(), String));
      return seen;
    }, {});
    expect(out).toEqual([['0', '0', '0', '0'], ['1', '70000', '-Infinity', '0'], ['1', '70000', '-Infinity', '0'], ['1', '70000', '-Infinity', '0'], ['1', '9', 'NaN', '0']]);
  });

  it('a NaN prediction gives a NaN loss (not a clamped finite one), and NaN in x is refused before any step', async () => {
    const out = await gp.run(async ({ wc: w }) => {
      const p = w.tensor([0.5, Number.NaN, 0.2, 0.8], [2, 2]);
      const t = w.tensor([1, 0, 0, 1], [2, 2]);
      const losses: (number | string)[] = [];
      for (const kind of ['categoricalCrossentropy', 'binaryCrossentropy', 'meanSquaredError', 'meanSquaredLogarithmicError'] as const) {
        const v = (await w.ops.loss(kind, t, p).data())[0];
        losses.push(Number.isNaN(v) ? 'NaN' : v);
      }
      const m = w.sequential({ layers: [w.layers.dense({ inputShape: [2], units: 2, activation: 'softmax' })] });
      m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
      const messages: string[] = [];
      for (const x of [w.tensor([1, Number.NaN, 3, 4], [2, 2]), w.ops.scale(w.tensor([1, 2, Number.POSITIVE_INFINITY, 4], [2, 2]), 2)]) {
        try { await m.fit(x, t); } catch (e) { messages.push((e as Error).message); }
      }
      return { losses, messages };
    }, {});
    expect(out.losses).toEqual(['NaN', 'NaN', 'NaN', 'NaN']);
    expect(out.messages[0]).toMatch(/^Sequential\.fit: x must hold finite numbers, got NaN or Infinity in a tensor of shape \[2, 2\]/);
    expect(out.messages[1]).toMatch(/^Sequential\.fit: x must hold finite numbers, got Infinity at index \[1, 0\]/);
  });
});
