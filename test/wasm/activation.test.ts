import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import type { ActivationKind } from '../../src/index.js';
import { cpuTensor } from '../../src/backend/cpu/storage.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import { activationBackwardKernel, activationBiasBackwardKernel, activationKernel, softmaxBackwardKernel, softmaxKernel } from '../../src/kernels/activation/index.js';
import { randomValues } from '../util/check.js';
import { wasmBackend } from './harness.js';
import { EXACT, ULPS, expectWasmMatch } from './tight.js';

let be: WasmBackend;
beforeAll(async () => { be = await wasmBackend(); });

/** CPU tensor of values in [lo, hi), with the kinks (0, -0, 6) planted at the front. */
function input(shape: number[], seed: number, lo = -8, hi = 8) {
  const v = randomValues(shape.reduce((a, b) => a * b, 1), seed, lo, hi);
  v.set([0, -0, 6, -1e-30].slice(0, v.length));
  return cpuTensor(v, shape);
}

// The piecewise-linear kinds are the same float32 arithmetic as the CPU's
// (one product at most), so exact; exp and tanh ones round f64 results once.
const kinds: [ActivationKind, number, typeof EXACT][] = [
  ['linear', 0, EXACT], ['relu', 0, EXACT], ['relu6', 0, EXACT], ['leakyRelu', 0.25, EXACT],
  ['elu', 0.7, ULPS], ['sigmoid', 0, ULPS], ['tanh', 0, ULPS],
];

describe('activation (wasm)', () => {
  it('relu by hand, with the lane tail', () => {
    const y = wc.ops.activation(wc.tensor([-1, 3, 2, 1, -2, 1, -1], [7]), 'relu', 0);
    expect(y.backend.name).toBe('wasm');
    expect([...y.dataSync()]).toEqual([0, 3, 2, 1, 0, 1, 0]);
  });

  for (const shape of [[3, 5, 7], [2, 8], [1]]) {
    for (const [kind, alpha, tol] of kinds) {
      it(`${kind} forward and backward on [${shape}]`, () => {
        const x = input(shape, 11);
        const y = activationKernel.cpu(x, kind, alpha);
        expectWasmMatch(be, activationKernel, [x, kind, alpha], tol, kind);
        const dy = input(shape, 12, -1, 1);
        expectWasmMatch(be, activationBackwardKernel, [dy, x, y, kind, alpha], tol, `${kind} backward`);
        // the bias gradient sums many rows: the CPU reference adds in float64
        expectWasmMatch(be, activationBiasBackwardKernel, [dy, x, y, kind, alpha], { atol: Math.max(tol.atol, 1e-5), rtol: Math.max(tol.rtol, 1e-5) }, `${kind} backward with the bias gradient`);
      });
    }
  }

  it('softmax and its backward on odd rows, and large logits', () => {
    for (const shape of [[5, 7], [2, 3, 10], [4, 1]]) {
      const x = input(shape, 21, -30, 30);
      expectWasmMatch(be, softmaxKernel, [x], ULPS, `softmax [${shape}]`);
      expectWasmMatch(be, softmaxBackwardKernel, [input(shape, 22, -1, 1), softmaxKernel.cpu(x)], ULPS, `softmaxBackward [${shape}]`);
    }
    const big = wc.ops.softmax(wc.tensor([1000, 1000, -1000, 0], [2, 2]));
    expect([...big.dataSync()]).toEqual([0.5, 0.5, 0, 1]);
  });
});
