import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { cpuTensor } from '../../src/backend/cpu/storage.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import * as G from '../../src/kernels/stepGuard/index.js';
import type { Tensor } from '../../src/tensor.js';
import { randomValues } from '../util/check.js';
import { toWasm, wasmBackend } from './harness.js';
import { EXACT, expectWasmMatch } from './tight.js';

let be: WasmBackend;
beforeAll(async () => { be = await wasmBackend(); });

const values = (n: number, seed: number) => cpuTensor(randomValues(n, seed, -3, 3), [n]);
const guardOf = (flag: number) => cpuTensor(Float32Array.of(flag, 0, 0, 0), [4]);

/** lossGuard on wasm and CPU copies of (loss, guard): the guards after, as arrays. */
function guardsAfter(loss: number, flag: number, batch: number): [number[], number[]] {
  const l = cpuTensor(Float32Array.of(loss), []);
  const g = guardOf(flag);
  const wg = toWasm(be, g);
  be.run(G.lossGuardKernel, [toWasm(be, l), wg, batch]);
  G.lossGuardKernel.cpu(l, g, batch);
  return [[...wg.dataSync()], [...g.dataSync()]];
}

// The guard is a copy or nothing; the sums are f64 sums of f64 products (the weight unrounded), rounded once, in the CPU's order: exact.
describe('step guard (wasm)', () => {
  it('runs in wasm: the first non-finite loss sets the guard, later ones leave it', () => {
    expect(be.info().fallbackKernels).not.toContain('lossGuard');
    expect(be.info().fallbackKernels).not.toContain('guardedAccumulate');
    const guard = wc.zeros([4]);
    wc.ops.lossGuard(wc.tensor([0.5], []), guard, 3);
    expect([...guard.dataSync()]).toEqual([0, 0, 0, 0]);
    wc.ops.lossGuard(wc.tensor([Infinity], []), guard, 7);
    expect([...guard.dataSync()]).toEqual([1, 7, Infinity, 0]);
    wc.ops.lossGuard(wc.tensor([NaN], []), guard, 9);
    expect([...guard.dataSync()]).toEqual([1, 7, Infinity, 0]);
  });

  it('lossGuard as the CPU on finite, NaN and infinite losses, set and unset', () => {
    for (const loss of [0, -2.5, 1e30, NaN, Infinity, -Infinity]) {
      for (const flag of [0, 1, NaN]) {
        const [got, want] = guardsAfter(loss, flag, 16_777_215);
        expect(got, `loss ${loss} flag ${flag}`).toEqual(want);
      }
    }
  });

  it('guardedAccumulate by hand: adds unless the guard is set', () => {
    const sums = wc.tensor([1, 2, 3, 4, 5], [5]);
    const v = wc.tensor([2, 4, 6, 8, 10], [5]);
    wc.ops.guardedAccumulate(sums, v, 0.5);
    expect([...sums.dataSync()]).toEqual([2, 4, 6, 8, 10]);
    wc.ops.guardedAccumulate(sums, v, 0.25, wc.zeros([4]));
    expect([...sums.dataSync()]).toEqual([2.5, 5, 7.5, 10, 12.5]);
    wc.ops.guardedAccumulate(sums, v, 1, wc.tensor([1, 0, 0, 0], [4]));
    expect([...sums.dataSync()]).toEqual([2.5, 5, 7.5, 10, 12.5]);
  });

  for (const n of [1, 3, 4, 39]) {
    it(`guardedAccumulate on ${n} elements, unguarded, guard clear and guard set`, () => {
      // 1/3 is no float32: the CPU multiplies by it unrounded, and so must the kernel.
      const guards: (Tensor | null)[] = [null, guardOf(0), guardOf(1)];
      for (const guard of guards) expectWasmMatch(be, G.guardedAccumulateKernel, [values(n, 1), values(n, 2), 1 / 3, guard], EXACT, `n ${n}`);
    });
  }
});
