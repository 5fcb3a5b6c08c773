// What variableGrads differentiates with respect to by default, and what
// optimizer.applyGradients finds by name: wc.variables and the weights of
// live layers, as in TF.js, where a layer's weights are variables too (so
// optimizer.minimize(() => loss(model.predict(x))) trains the model). Names
// are unique here: a second weight of a taken name gets a suffix (_1, _2).

import type { Tensor } from '../tensor.js';

/** A tensor updated in place by name: a variable's adapter, or a layer's weight (LayerVariable). */
export interface Trainable {
  readonly name: string;
  readonly value: Tensor;
  readonly shape: readonly number[];
  readonly trainable: boolean;
}

const byName = new Map<string, Trainable>();
const names = new Map<Trainable, string>();

/** Lists t under its name (or a suffixed one, when taken); returns the name it is listed under. */
export function registerTrainable(t: Trainable): string {
  let name = t.name;
  for (let k = 1; byName.has(name); k++) name = `${t.name}_${k}`;
  byName.set(name, t);
  names.set(t, name);
  return name;
}

export function unregisterTrainable(t: Trainable): void {
  const name = names.get(t);
  if (name === undefined) return;
  byName.delete(name);
  names.delete(t);
}

/** Whether a name is listed (a variable may not take one). */
export function isRegisteredName(name: string): boolean {
  return byName.has(name);
}

/** The live entries, by listed name; entries whose tensor was disposed (a model freed without dispose()) are dropped here. */
export function trainables(): [string, Trainable][] {
  for (const [name, t] of byName) {
    if (t.value.isDisposed) {
      byName.delete(name);
      names.delete(t);
    }
  }
  return [...byName];
}

export function trainableNamed(name: string): Trainable | undefined {
  const t = byName.get(name);
  return t && !t.value.isDisposed ? t : undefined;
}

/** The name t is listed under, if it is listed. */
export function listedName(t: Trainable): string | undefined {
  return names.get(t);
}

/** The listed entry whose tensor is x (a weight passed as layerVariable.read()). */
export function trainableOf(x: Tensor): Trainable | undefined {
  for (const t of byName.values()) if (t.value === x) return t;
  return undefined;
}
