// GPU faults: the device lost in the middle of fit (fit rejects saying how to
// go on; the checkpoint holds the last step whose copy came back; a new device
// resumes from it bit-exactly), and an allocation the device refuses (a clear
// error at the next sync point, then the backend works on).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpuPage } from '../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open({ fresh: true }); });
afterAll(async () => { await gp?.close(); });

type Gpu = import('../../src/backend/webgpu/index.js').WebGpuBackend;

describe('webgpu faults', () => {
  it('device loss during fit: clear rejection, checkpoint of the last completed step, resume on a new device', async () => {
    const r = await gp.run(async ({ wc, engine }) => {
      // The page's own backend is the one lost (making a device costs SwiftShader seconds
      // of pipeline compiles); setBackend below makes the one the next test uses.
      const lostBackend = engine.backend() as Gpu;

      // 48 images 8x8x1; the class is the brightest of three column bands: learnable by a small CNN.
      const n = 48;
      let seed = 7;
      const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
      const x = Float32Array.from({ length: n * 64 }, rand);
      const y = new Float32Array(n * 3);
      for (let i = 0; i < n; i++) {
        const band = [0, 0, 0];
        for (let p = 0; p < 64; p++) band[Math.min(2, Math.floor((p % 8) / 3))] += x[i * 64 + p];
        y[i * 3 + band.indexOf(Math.max(...band))] = 1;
      }
      const data = () => [wc.tensor(x, [n, 8, 8, 1]), wc.tensor(y, [n, 3])] as const;

      const model = wc.sequential({ layers: [
        wc.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, activation: 'relu' }),
        wc.layers.batchNormalization(),
        wc.layers.flatten(),
        wc.layers.dense({ units: 3, activation: 'softmax' }),
      ] });
      model.compile({ optimizer: wc.optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy' });

      // Destroy the device in onBatchEnd of epoch 1, batch 2 (the 9th step). Reading the
      // weights there first waits for that step, so its checkpoint copy is back too.
      const [xs, ys] = data();
      let atLoss: Float32Array[] = [];
      const lossesBefore: number[] = [];
      let epochNow = 0;
      let message = 'no error';
      try {
        await model.fit(xs, ys, {
          batchSize: 8, epochs: 3, seed: 1, checkpointEvery: 1,
          callbacks: {
            onEpochBegin: (e: number) => { epochNow = e; },
            onBatchEnd: async (b: number, logs?: Record<string, number>) => {
              lossesBefore.push(logs!.loss);
              if (epochNow === 1 && b === 2) {
                atLoss = [];
                for (const w of model.getWeights()) atLoss.push(await w.data());
                lostBackend.ctx.gpu.device.destroy();
              }
            },
          },
        });
      } catch (err) {
        message = (err as Error).message;
      }
      const cp = model.checkpoint;
      if (!cp) throw new Error(`no checkpoint after the loss; fit said: ${message}`);

      // Training the lost weights again without restoring says what to do.
      await wc.setBackend('webgpu');
      const fresh = engine.backend() as Gpu;
      const [xs2, ys2] = data();
      let refit = 'no error';
      try {
        await model.fit(xs2, ys2, { batchSize: 8, epochs: 1 });
      } catch (err) {
        refit = (err as Error).message;
      }

      await model.restoreCheckpoint();
      const restored: Float32Array[] = [];
      for (const w of model.getWeights()) restored.push(await w.data());
      const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
      const same = (a: Float32Array[], b: readonly Float32Array[]) =>
        a.length === b.length && a.every((t, i) => JSON.stringify(bits(t)) === JSON.stringify(bits(b[i])));
      const iterations = model.compiled!.optimizer.iterations;

      const resumed = await model.fit(xs2, ys2, { batchSize: 8, epochs: 8, seed: 2, checkpointEvery: 4 });
      const onNew = model.getWeights().every((w) => w.backend === fresh);
      const lossAfter = resumed.history.loss.map(Number);
      const memoryBefore = wc.memory();
      model.dispose();
      for (const t of [xs, ys, xs2, ys2]) t.dispose();
      const memoryAfter = wc.memory();
      return {
        message, refit, cp: { iterations: cp.iterations, epoch: cp.epoch, batch: cp.batch, optimizerSlots: cp.optimizer.length },
        checkpointIsStepAtLoss: same(atLoss, cp.weights.map((w) => w.values)),
        restoredIsCheckpoint: same(restored, cp.weights.map((w) => w.values)),
        iterations, newBackend: fresh !== lostBackend, onNew, lossesBefore, lossAfter,
        released: memoryBefore.numTensors - memoryAfter.numTensors,
      };
    }, null);

    expect(r.message).toMatch(/^Sequential\.fit: the GPU device was lost during training, after the step of epoch 1, batch 2\./);
    expect(r.message).toContain("await wc.setBackend('webgpu')");
    expect(r.message).toContain('model.restoreCheckpoint()');
    expect(r.message).toContain('after epoch 1, batch 2 (step 9)');
    // 6 batches per epoch: the loss hit epoch 1's third batch, the 9th step
    expect(r.cp).toEqual({ iterations: 9, epoch: 1, batch: 2, optimizerSlots: 2 * 6 });
    expect(r.refit).toMatch(/weights were on a GPU device that was lost.*restoreCheckpoint/);
    expect(r.newBackend).toBe(true);
    expect(r.checkpointIsStepAtLoss, 'the checkpoint holds the weights of the last completed step').toBe(true);
    expect(r.restoredIsCheckpoint, 'restored weights equal the checkpoint bit for bit').toBe(true);
    expect(r.iterations).toBe(9);
    expect(r.onNew).toBe(true);
    expect(r.lossAfter.at(-1)!).toBeLessThan(r.lossAfter[0]);
    expect(r.lossAfter.at(-1)!).toBeLessThan(r.lossesBefore[0]);
    expect(r.released).toBeGreaterThan(0);
  });

  it('an allocation the device refuses: an error naming the size, then the backend works on', async () => {
    const r = await gp.run(async ({ wc, engine }) => {
      const be = engine.backend() as Gpu;
      const device = be.ctx.gpu.device;
      // Exhausting SwiftShader's memory would take gigabytes of this machine's RAM, so the
      // device's answer is injected instead: the next error scope the pool pops reports
      // out-of-memory, exactly as Dawn does when vkAllocateMemory fails.
      const pop = device.popErrorScope.bind(device);
      let injected = false;
      device.popErrorScope = async () => {
        const real = await pop();
        if (injected) return real;
        injected = true;
        return new GPUOutOfMemoryError('vkAllocateMemory failed with VK_ERROR_OUT_OF_DEVICE_MEMORY (injected)');
      };
      const before = be.stats();
      // 2^21 + 1 floats: the 16 MiB size class, which nothing else in this page uses.
      const big = wc.tensor(new Float32Array(2 ** 21 + 1).fill(1), [2 ** 21 + 1]);
      const made = be.stats().buffersCreated - before.buffersCreated;
      delete (device as Partial<GPUDevice>).popErrorScope;  // the prototype's again
      const doubled = wc.ops.scale(big, 2);
      let message = 'no error';
      try {
        await doubled.data();
      } catch (err) {
        message = (err as Error).message;
      }
      big.dispose();
      doubled.dispose();
      // The backend works on: new tensors, kernels and reads, with no stale error.
      const after: number[][] = [];
      for (let i = 0; i < 2; i++) {
        const a = wc.tensor([1, 2, 3], [3]);
        const b = wc.ops.scale(a, 2);
        after.push(Array.from(await b.data()));
        a.dispose();
        b.dispose();
      }
      return { made, message, after };
    }, null);
    expect(r.made).toBe(1);
    expect(r.message).toMatch(/out of GPU memory: fromValues output of 8388612 bytes needed a 16777216-byte buffer/);
    expect(r.message).toMatch(/VK_ERROR_OUT_OF_DEVICE_MEMORY/);
    expect(r.message).toMatch(/the device allows at most \d+ bytes per buffer/);
    expect(r.message).toMatch(/the backend stays usable/);
    expect(r.after).toEqual([[2, 4, 6], [2, 4, 6]]);
  });
});
