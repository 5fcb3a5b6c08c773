// matMul and dot in TF.js's names and semantics, differentiable. A product
// without batches runs on the layers' GEMM; batched ones on batchMatMul.

import type { Tensor } from '../../tensor.js';
import { shapeToString } from '../../tensor.js';
import { recordGradient } from '../../autodiff/tape.js';
import { toTensors, type TensorOrLike } from '../../convert.js';
import { run } from '../kernel.js';
import { matmulKernel } from '../matmul/index.js';
import { reduceKernel } from '../reduce/index.js';
import { composite, forward } from '../reduce/forward.js';
import { batchMatMulKernel } from './index.js';
import { batchPlan } from './batch.js';

/** op(a) . op(b): the GEMM where neither has batches, else the batched kernel. */
function product(a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean): Tensor {
  const plan = batchPlan('matMul', a.shape, b.shape, transposeA, transposeB);
  if (plan.table.length === 2 && plan.table[0] === 0 && plan.table[1] === 0) {
    const c = run(matmulKernel, a.reshape(a.shape.slice(-2)), b.reshape(b.shape.slice(-2)), transposeA, transposeB, null, 'linear');
    return c.reshape([...plan.outBatch, plan.m, plan.n]);
  }
  return run(batchMatMulKernel, a, b, transposeA, transposeB);
}

/** g (of the output's batch shape) summed over the batch axes `like` was broadcast along, shaped as `like`. */
function unbroadcast(g: Tensor, like: Tensor): Tensor {
  const extra = g.rank - like.rank;
  const axes: number[] = [];
  for (let d = 0; d < g.rank - 2; d++) {
    if (d < extra || (like.shape[d - extra] === 1 && g.shape[d] !== 1)) axes.push(d);
  }
  const summed = axes.length ? run(reduceKernel, g, axes, 'sum') : g;
  return summed.reshape(like.shape);
}

/**
 * The matrix product of the last two axes, batch dimensions broadcast as
 * TF.js 4.x does; rank >= 2 each.
 */
export function matMul(a: TensorOrLike, b: TensorOrLike, transposeA = false, transposeB = false): Tensor {
  const [at, bt] = toTensors('matMul', { a, b });
  const c = forward(() => product(at, bt, transposeA, transposeB));
  recordGradient('matMul', [at, bt], c, (dy) => {
    // As TF.js's BatchMatMul gradient, then summed over broadcast batch axes.
    let da: Tensor;
    let db: Tensor;
    if (!transposeA && !transposeB) {
      da = product(dy, bt, false, true);
      db = product(at, dy, true, false);
    } else if (!transposeA && transposeB) {
      da = product(dy, bt, false, false);
      db = product(dy, at, true, false);
    } else if (transposeA && !transposeB) {
      da = product(bt, dy, false, true);
      db = product(at, dy, false, false);
    } else {
      da = product(bt, dy, true, true);
      db = product(dy, at, true, true);
    }
    return [unbroadcast(da, at), unbroadcast(db, bt)];
  });
  return c;
}

/** TF.js's dot: vector . vector (a scalar), vector . matrix, matrix . vector, matrix . matrix. */
export function dot(t1: TensorOrLike, t2: TensorOrLike): Tensor {
  const [a, b] = toTensors('dot', { t1, t2 });
  if (a.rank < 1 || a.rank > 2 || b.rank < 1 || b.rank > 2) {
    throw new Error(`dot: inputs must all be rank 1 or 2, but got ranks ${a.rank} and ${b.rank}`);
  }
  const aInner = a.shape[a.rank - 1];
  const bInner = b.shape[0];
  if (aInner !== bInner) {
    throw new Error(`dot: inner dimensions of inputs must match, but got ${aInner} and ${bInner} (shapes ${shapeToString(a.shape)} and ${shapeToString(b.shape)})`);
  }
  // Reshapes are recorded views: the gradient flows through matMul's.
  return composite(() => {
    const a2 = a.rank === 1 ? a.reshape([1, aInner]) : a;
    const b2 = b.rank === 1 ? b.reshape([bInner, 1]) : b;
    const c = matMul(a2, b2);
    if (a.rank === 2 && b.rank === 2) return c;
    const shape = a.rank === 1 && b.rank === 1 ? [] : a.rank === 1 ? [b.shape[1]] : [a.shape[0]];
    return c.reshape(shape);
  });
}
