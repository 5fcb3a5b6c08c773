// Variables, as TF.js's tf.variable: a tensor whose values change in place
// (assign), outside every tidy scope, listed by name (src/autodiff/trainables.ts)
// so that variableGrads and optimizer.minimize find the trainable ones.

import { Tensor, createTensor, keep, shapeToString } from '../tensor.js';
import { toTensor, type TensorOrLike } from '../convert.js';
import { isRegisteredName, registerTrainable, unregisterTrainable, type Trainable } from './trainables.js';

let unnamed = 0;

export class Variable extends Tensor {
  /** Whether variableGrads and optimizer.minimize update it by default. */
  trainable = true;
  /** Unique among live variables and layer weights. */
  name = '';
  /** How the registry and the optimizers see it (one object per variable, so optimizer slots stay its own). */
  readonly target: Trainable = ((v: Variable): Trainable => ({
    get name() { return v.name; },
    value: v,
    get shape() { return v.shape; },
    get trainable() { return v.trainable; },
  }))(this);

  /** Copies newValue's values in (same shape), as TF.js's assign. */
  assign(newValue: Tensor): void {
    this.assertUsable('Variable.assign');
    newValue.assertUsable('Variable.assign');
    if (newValue.rank !== this.rank || newValue.shape.some((d, i) => d !== this.shape[i])) {
      throw new Error(`Variable.assign: variable '${this.name}' has shape ${shapeToString(this.shape)}, the new value ${shapeToString(newValue.shape)}`);
    }
    if (newValue.backend !== this.backend) {
      throw new Error(`Variable.assign: variable '${this.name}' lives on the '${this.backend.name}' backend, the new value on '${newValue.backend.name}'`);
    }
    this.backend.assign(this, newValue);
    this.finiteHint = newValue.finiteHint;
    this.valueHint = null;
  }

  override dispose(): void {
    unregisterTrainable(this.target);
    super.dispose();
  }
}

/** wc.variable(initialValue, trainable = true, name?): a copy of initialValue that assign() can change. */
export function variable(initialValue: TensorOrLike, trainable = true, name?: string): Variable {
  const init = toTensor(initialValue, 'variable', 'initialValue');
  if (name !== undefined && (typeof name !== 'string' || name === '')) throw new Error(`variable: name must be a non-empty string, got ${String(name)}`);
  const varName = name ?? `Variable_${unnamed++}`;
  if (isRegisteredName(varName)) throw new Error(`variable: a variable (or layer weight) named '${varName}' already exists; dispose it first or pick another name`);
  const copy = init.backend.clone(init);
  const v = createTensor(copy.backend, copy.storage, copy.shape, 0, (b, s, shape) => new Variable(b, s, shape)) as Variable;
  copy.dispose();
  keep(v);
  if (init !== initialValue) init.dispose();
  v.dtype = init.dtype;
  v.trainable = trainable;
  v.name = varName;
  v.finiteHint = init.finiteHint;
  registerTrainable(v.target);
  return v;
}
