// What the math ops take for a tensor argument, as TF.js's ops do: a Tensor,
// or a TensorLike (a number, nested arrays, a typed array) made into a tensor
// on the backend of the op's other tensors (the selected one if it has none).

import type { Backend } from './backend/types.js';
import { backend as selectedBackend } from './engine.js';
import { Tensor } from './tensor.js';
import { describeValue, toFloat32, type TensorLike } from './tensorLike.js';

/** A tensor argument of a math op. */
export type TensorOrLike = Tensor | TensorLike;

/**
 * x as a tensor: itself, or its values uploaded to `like`'s backend (or the
 * selected one). `op` and `arg` name the argument in errors.
 */
export function toTensor(x: TensorOrLike, op: string, arg: string, like?: Backend | Tensor | null): Tensor {
  if (x instanceof Tensor) {
    x.assertUsable(op);
    return x;
  }
  let made;
  try {
    made = toFloat32(x, undefined);
  } catch (err) {
    throw new Error(`${op}: argument '${arg}' must be a Tensor or TensorLike, got ${describeValue(x)} (${(err as Error).message})`);
  }
  const owner = like instanceof Tensor ? like.backend : like ?? selectedBackend();
  const t = owner.fromValues(made.values, made.shape);
  t.finiteHint = made.values.every(Number.isFinite);
  return t;
}

/** The backend of the first Tensor among args (the selected one if none is a Tensor). */
export function backendOf(...args: readonly unknown[]): Backend {
  for (const a of args) if (a instanceof Tensor) return a.backend;
  return selectedBackend();
}

/** Several tensor arguments converted together, on the backend of whichever of them is a Tensor. */
export function toTensors(op: string, args: Readonly<Record<string, TensorOrLike>>): Tensor[] {
  const owner = backendOf(...Object.values(args));
  return Object.entries(args).map(([name, v]) => toTensor(v, op, name, owner));
}
