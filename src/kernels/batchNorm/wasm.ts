// Batch normalization on the wasm backend: training, inference, the backward
// and the moving-statistics update. Kernels: src/backend/wasm/assembly/batchNorm.ts.

import type { BatchNormGrads, BatchNormTrainResult } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import type { WasmContext } from '../../backend/wasm/context.js';
import { guardSet } from '../stepGuard/wasm.js';

/** x viewed as [rows, c], c its last dimension. */
function rowsAndC(x: Tensor): [number, number] {
  const c = x.shape[x.rank - 1];
  return [c === 0 ? 0 : x.size / c, c];
}

export function batchNormTrain(ctx: WasmContext, x: Tensor, gamma: Tensor, beta: Tensor, epsilon: number): BatchNormTrainResult {
  const [rows, c] = rowsAndC(x);
  const y = ctx.output(x.shape, 'batchNormTrain');
  const mean = ctx.output([c], 'batchNormTrain mean');
  const variance = ctx.output([c], 'batchNormTrain variance');
  const invStd = ctx.output([c], 'batchNormTrain invStd');
  // Two f64 sums and a float32 scale per channel.
  const scratch = ctx.scratch(20 * c);
  ctx.exports.batchNormTrain(ctx.ptr(x), ctx.ptr(gamma), ctx.ptr(beta), ctx.ptr(y), ctx.ptr(mean), ctx.ptr(variance), ctx.ptr(invStd), rows, c, epsilon, scratch);
  return { y, mean, variance, invStd };
}

export function batchNormInference(
  ctx: WasmContext, x: Tensor, gamma: Tensor, beta: Tensor, movingMean: Tensor, movingVariance: Tensor, epsilon: number,
): Tensor {
  const [rows, c] = rowsAndC(x);
  const y = ctx.output(x.shape, 'batchNormInference');
  // One float32 scale per channel.
  const scratch = ctx.scratch(4 * c);
  ctx.exports.batchNormInference(ctx.ptr(x), ctx.ptr(gamma), ctx.ptr(beta), ctx.ptr(movingMean), ctx.ptr(movingVariance), ctx.ptr(y), rows, c, epsilon, scratch);
  return y;
}

/** Uses the mean and invStd that batchNormTrain saved. */
export function batchNormBackward(ctx: WasmContext, dy: Tensor, x: Tensor, gamma: Tensor, mean: Tensor, invStd: Tensor): BatchNormGrads {
  const [rows, c] = rowsAndC(x);
  const dx = ctx.output(x.shape, 'batchNormBackward');
  const dGamma = ctx.output([c], 'batchNormBackward dGamma');
  const dBeta = ctx.output([c], 'batchNormBackward dBeta');
  // Two f64 sums and two float32 means per channel.
  const scratch = ctx.scratch(24 * c);
  ctx.exports.batchNormBackward(ctx.ptr(dy), ctx.ptr(x), ctx.ptr(gamma), ctx.ptr(mean), ctx.ptr(invStd), ctx.ptr(dx), ctx.ptr(dGamma), ctx.ptr(dBeta), rows, c, scratch);
  return { dx, dGamma, dBeta };
}

/** In place on variable. */
export function movingAverageUpdate(ctx: WasmContext, variable: Tensor, value: Tensor, momentum: number, guard: Tensor | null = null): void {
  if (guardSet(ctx, guard)) return;
  ctx.exports.movingAverageUpdate(ctx.ptr(variable), ctx.ptr(value), variable.size, 1 - momentum);
}
