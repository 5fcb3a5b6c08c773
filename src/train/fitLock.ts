// One fit at a time per model, as in TF.js: two interleaved fits would apply
// each other's updates between a step's forward pass and its own update, and
// share the model's stopTraining flag. trainOnBatch changes the weights too, so
// it is refused while a fit runs; evaluate and predict only read them. The lock
// is taken before anything else and released however fit ends (an error, a NaN
// loss, device loss), so a failed fit never blocks the next.

import type { TrainableModel } from './types.js';

const training = new WeakSet<TrainableModel>();

/** Marks the model as training; the returned function unmarks it. */
export function beginFit(model: TrainableModel, where: string): () => void {
  if (training.has(model)) {
    throw new Error(`${where}: Cannot start training because another fit() call is ongoing. Await the first fit() of model '${model.name}' before starting another.`);
  }
  training.add(model);
  return () => training.delete(model);
}

/** Refuses a call that changes the weights while fit trains the model. */
export function refuseDuringFit(model: TrainableModel, where: string): void {
  if (training.has(model)) {
    throw new Error(`${where}: cannot train while a fit() call is ongoing on model '${model.name}': it would change the weights under it. Await the fit() first.`);
  }
}
