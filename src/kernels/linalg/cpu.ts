// CPU reference of the batched matrix product: a plain triple loop per batch.

import type { Tensor } from '../../tensor.js';
import { cpuTensor, vals } from '../../backend/cpu/storage.js';
import { batchPlan } from './batch.js';

export function batchMatMul(a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean): Tensor {
  const { outBatch, m, n, k, table } = batchPlan('batchMatMul', a.shape, b.shape, transposeA, transposeB);
  const [av, bv] = [vals(a), vals(b)];
  const batches = table.length / 2;
  const c = new Float32Array(batches * m * n);
  for (let t = 0; t < batches; t++) {
    const aBase = table[2 * t] * m * k;
    const bBase = table[2 * t + 1] * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let q = 0; q < k; q++) {
          const aij = av[aBase + (transposeA ? q * m + i : i * k + q)];
          const bij = bv[bBase + (transposeB ? j * k + q : q * n + j)];
          s += aij * bij;
        }
        c[(t * m + i) * n + j] = s;
      }
    }
  }
  return cpuTensor(c, [...outBatch, m, n]);
}
