// tf.localResponseNormalization in TF.js's signature, differentiable.

import type { Tensor } from '../../tensor.js';
import { shapeToString } from '../../tensor.js';
import { recordGradient } from '../../autodiff/tape.js';
import { toTensor, type TensorOrLike } from '../../convert.js';
import { run } from '../kernel.js';
import { forward } from '../reduce/forward.js';
import { checkLrnParams, lrnBackwardKernel, lrnKernel } from './index.js';

/**
 * tf.localResponseNormalization: x [n, h, w, c] (or one image [h, w, c]),
 * normalized over channels: y = x / (bias + alpha * sqrSum) ** beta, sqrSum
 * the sum of x^2 over channels d - depthRadius ... d + depthRadius.
 * TF.js's defaults: depthRadius 5, bias 1, alpha 1, beta 0.5.
 */
export function localResponseNormalization(x: TensorOrLike, depthRadius = 5, bias = 1, alpha = 1, beta = 0.5): Tensor {
  const name = 'localResponseNormalization';
  const xt = toTensor(x, name, 'x');
  if (xt.rank !== 4 && xt.rank !== 3) throw new Error(`${name}: x must be rank 4 (or 3 for one image), got shape ${shapeToString(xt.shape)}`);
  const p = { depthRadius, bias, alpha, beta };
  checkLrnParams(name, p);
  const batch = (t: Tensor) => (t.rank === 3 ? t.reshape([1, ...t.shape]) : t);
  const y = forward(() => run(lrnKernel, batch(xt), p).reshape(xt.shape));
  recordGradient(name, [xt], y, (dy) => [run(lrnBackwardKernel, batch(dy), batch(xt), p).reshape(xt.shape)]);
  return y;
}
