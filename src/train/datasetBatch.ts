// What fitDataset and evaluateDataset read from a dataset element: x and y as
// tensor lists in the model's input and output order. An element is
// { xs, ys } (tf.data's form) or [xs, ys]; each side a tensor, an array of
// tensors, or an object keyed by the input (output) layers' names.

import { Tensor } from '../tensor.js';
import { isPlainObject } from '../data/element.js';
import type { TrainableModel } from './types.js';

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (v instanceof Tensor) return `a tensor of shape [${v.shape.join(', ')}]`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (isPlainObject(v)) return `an object with keys ${Object.keys(v).join(', ') || 'none'}`;
  return typeof v;
}

function side(where: string, what: 'xs' | 'ys', names: readonly string[], v: unknown): Tensor[] {
  if (v instanceof Tensor) return [v];
  if (Array.isArray(v) && v.every((t) => t instanceof Tensor)) {
    if (v.length !== names.length) throw new Error(`${where}: the element's ${what} holds ${v.length} tensors, but the model has ${names.length} ${what === 'xs' ? 'inputs' : 'outputs'} (${names.join(', ')})`);
    return v as Tensor[];
  }
  if (isPlainObject(v)) {
    return names.map((name) => {
      const t = v[name];
      if (!(t instanceof Tensor)) throw new Error(`${where}: the element's ${what} has no tensor under the ${what === 'xs' ? 'input' : 'output'} name '${name}' (it has keys ${Object.keys(v).join(', ') || 'none'})`);
      return t;
    });
  }
  throw new Error(`${where}: the element's ${what} must be a tensor, an array of tensors or an object of them keyed by layer name; got ${describe(v)}`);
}

/** The element's x and y tensors, in the model's input and output order; throws naming what is wrong. */
export function batchTensors(model: TrainableModel, where: string, element: unknown): { xs: Tensor[]; ys: Tensor[] } {
  let x: unknown;
  let y: unknown;
  if (isPlainObject(element) && 'xs' in element && 'ys' in element) [x, y] = [element.xs, element.ys];
  else if (Array.isArray(element) && element.length === 2) [x, y] = element;
  else throw new Error(`${where}: each dataset element must be { xs, ys } or [xs, ys] (batch the dataset first: dataset.batch(32)); got ${describe(element)}`);
  const inputs = model.inputs.map((s) => s.sourceLayer.name);
  const outputs = model.outputs.map((s) => s.sourceLayer.name);
  return { xs: side(where, 'xs', inputs, x), ys: side(where, 'ys', outputs, y) };
}
