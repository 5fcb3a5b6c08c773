// Activation functions by name, as layers take them ('relu', 'softmax', ...),
// with one forward/backward pair that every layer with a fused activation uses.

import type { ActivationKind, FusedActivation } from '../backend/types.js';
import type { Tensor } from '../tensor.js';
import * as ops from '../ops/index.js';

export type ActivationName = ActivationKind | 'softmax';

export const ACTIVATION_NAMES: readonly ActivationName[] = ['linear', 'relu', 'relu6', 'leakyRelu', 'elu', 'sigmoid', 'tanh', 'softmax'];

/** alpha of the string activations: tf.leakyRelu's default slope 0.2, elu's scale 1. */
const DEFAULT_ALPHA: Partial<Record<ActivationName, number>> = { leakyRelu: 0.2, elu: 1 };

export function getActivation(name: string | undefined | null, where: string): ActivationName {
  if (name === undefined || name === null) return 'linear';
  if (!(ACTIVATION_NAMES as readonly string[]).includes(name)) {
    throw new Error(`${where}: unknown activation '${name}'; expected one of ${ACTIVATION_NAMES.map((a) => `'${a}'`).join(', ')}`);
  }
  return name as ActivationName;
}

/** The part of `name` conv2d and matmul apply in their own epilogue ('relu'); the rest runs as its own op. */
export function fusedActivation(name: ActivationName): FusedActivation {
  return name === 'relu' ? 'relu' : 'linear';
}

/** y = f(x). 'linear' returns x itself (no copy). */
export function activate(x: Tensor, name: ActivationName, alpha = DEFAULT_ALPHA[name] ?? 0): Tensor {
  if (name === 'linear') return x;
  if (name === 'softmax') return ops.softmax(x);
  return ops.activation(x, name, alpha);
}

/**
 * dx from dy, the input x and the output y. With dyIsLogitGrad (fused
 * softmax + cross-entropy) dy is already the gradient at the softmax's input.
 */
export function activateBackward(dy: Tensor, x: Tensor, y: Tensor, name: ActivationName, dyIsLogitGrad: boolean, alpha = DEFAULT_ALPHA[name] ?? 0): Tensor {
  if (name === 'linear') return dy;
  if (name === 'softmax') return dyIsLogitGrad ? dy : ops.softmaxBackward(dy, y);
  return ops.activationBackward(dy, x, y, name, alpha);
}

/**
 * dz = activateBackward(...) and, with `bias`, the bias's gradient (dz summed
 * over every axis but the last): one kernel for both where the activation
 * is element-wise, so dy is read once and dz is not read again.
 */
export function activateBackwardWithBias(dy: Tensor, x: Tensor, y: Tensor, name: ActivationName, dyIsLogitGrad: boolean, bias: boolean): { dz: Tensor; db: Tensor | null } {
  if (bias && name !== 'linear' && name !== 'softmax') return ops.activationBiasBackward(dy, x, y, name, DEFAULT_ALPHA[name] ?? 0);
  const dz = activateBackward(dy, x, y, name, dyIsLogitGrad);
  return { dz, db: bias ? ops.biasAddBackward(dz) : null };
}
