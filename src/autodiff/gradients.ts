// wc.grad, grads, valueAndGrad, valueAndGrads, variableGrads and customGrad,
// with TF.js's signatures. Each runs f on a fresh tape inside a tidy scope:
// what f and the backward pass made is freed, except the value and gradients.

import { Tensor, tidy, shapeToString } from '../tensor.js';
import { addKernel } from '../kernels/structure/index.js';
import { run } from '../kernels/kernel.js';
import { backprop, recordGradient, recordTape, withoutTape } from './tape.js';
import { Variable } from './variable.js';
import { listedName, trainableOf, trainables, type Trainable } from './trainables.js';

const addSame = (a: Tensor, b: Tensor): Tensor => run(addKernel, a, b);

function ones(like: Tensor): Tensor {
  return like.backend.fromValues(new Float32Array(like.size).fill(1), like.shape);
}

function expectTensor(where: string, what: string, v: unknown): asserts v is Tensor {
  if (!(v instanceof Tensor)) throw new Error(`${where}: ${what} must be a Tensor, got ${v === null ? 'null' : typeof v}`);
  v.assertUsable(where);
}

function checkDy(where: string, y: Tensor, dy: Tensor | undefined): void {
  if (dy === undefined) return;
  expectTensor(where, 'dy', dy);
  if (dy.rank !== y.rank || dy.shape.some((d, i) => d !== y.shape[i])) {
    throw new Error(`${where}: dy has shape ${shapeToString(dy.shape)} but f returned shape ${shapeToString(y.shape)}`);
  }
}

/** f's value and its gradients with respect to xs; every x must be reached unless allowUnreached. */
function valueAndGradients(where: string, f: () => Tensor, xs: readonly Tensor[], dy: Tensor | undefined, allowUnreached: boolean): { value: Tensor; grads: (Tensor | null)[] } {
  return tidy(() => {
    const { result: value, nodes } = recordTape(where, f);
    expectTensor(where, 'the value f returns', value);
    checkDy(where, value, dy);
    const grads = backprop(nodes, value, dy ?? ones(value), xs, addSame);
    if (!allowUnreached) {
      grads.forEach((g, i) => {
        if (!g) throw new Error(`${where}: cannot compute the gradient of y = f(x) with respect to argument ${i}: y does not depend on it; make sure f computes y from it with webcnn ops`);
      });
    }
    // A gradient that is an input or dy itself must survive as its own tensor.
    const owned = grads.map((g) => (g && (xs.includes(g) || g === dy) ? g.clone() : g));
    return { value, grads: owned };
  }) as { value: Tensor; grads: (Tensor | null)[] };
}

function expectFunction(where: string, f: unknown): void {
  if (typeof f !== 'function') throw new Error(`${where}: expected a function, got ${typeof f}`);
}

/** grad(f)(x, dy?): df/dx for f of one tensor. */
export function grad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => Tensor {
  expectFunction('grad', f);
  return (x, dy) => {
    expectTensor('grad', 'x', x);
    const { value, grads } = valueAndGradients('grad', () => f(x), [x], dy, false);
    value.dispose();
    return grads[0] as Tensor;
  };
}

/** grads(f)(args, dy?): the gradient with respect to each of f's tensor arguments. */
export function grads(f: (...args: Tensor[]) => Tensor): (args: Tensor[], dy?: Tensor) => Tensor[] {
  expectFunction('grads', f);
  return (args, dy) => {
    if (!Array.isArray(args)) throw new Error('grads: the arguments must be an array of Tensors');
    args.forEach((a, i) => expectTensor('grads', `argument ${i}`, a));
    const { value, grads: gs } = valueAndGradients('grads', () => f(...args), args, dy, false);
    value.dispose();
    return gs as Tensor[];
  };
}

/** valueAndGrad(f)(x, dy?): { value: f(x), grad: df/dx }. */
export function valueAndGrad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => { value: Tensor; grad: Tensor } {
  expectFunction('valueAndGrad', f);
  return (x, dy) => {
    expectTensor('valueAndGrad', 'x', x);
    const { value, grads: gs } = valueAndGradients('valueAndGrad', () => f(x), [x], dy, false);
    return { value, grad: gs[0] as Tensor };
  };
}

/** valueAndGrads(f)(args, dy?): { value, grads }. */
export function valueAndGrads(f: (...args: Tensor[]) => Tensor): (args: Tensor[], dy?: Tensor) => { value: Tensor; grads: Tensor[] } {
  expectFunction('valueAndGrads', f);
  return (args, dy) => {
    if (!Array.isArray(args)) throw new Error('valueAndGrads: the arguments must be an array of Tensors');
    args.forEach((a, i) => expectTensor('valueAndGrads', `argument ${i}`, a));
    const { value, grads: gs } = valueAndGradients('valueAndGrads', () => f(...args), args, dy, false);
    return { value, grads: gs as Tensor[] };
  };
}

/** A map from variable name to gradient, as TF.js's NamedTensorMap. */
export type NamedTensorMap = Record<string, Tensor>;

/** What varList may hold: wc.variables, layer weights (LayerVariable), or a weight's tensor (layerVariable.read()). */
export type VariableLike = Variable | Trainable | Tensor;

function resolveTarget(where: string, v: unknown): Trainable {
  if (v instanceof Variable) return v.target;
  if (v instanceof Tensor) {
    const t = trainableOf(v);
    if (!t) throw new Error(`${where}: a tensor in varList is neither a wc.variable nor a layer's weight`);
    return t;
  }
  const maybe = v as Partial<Trainable> | null;
  if (maybe && typeof maybe === 'object' && maybe.value instanceof Tensor && typeof maybe.name === 'string') return maybe as Trainable;
  throw new Error(`${where}: varList must hold variables or layer weights, got ${v === null ? 'null' : typeof v}`);
}

/**
 * variableGrads(f, varList?): f's value (a scalar) and its gradient with
 * respect to each trainable variable and layer weight that f depends on (or
 * each of varList), keyed by name. Layer weights count as variables, as in
 * TF.js, so the gradient of a loss through a model reaches its weights.
 */
export function variableGrads(f: () => Tensor, varList?: readonly VariableLike[]): { value: Tensor; grads: NamedTensorMap } {
  expectFunction('variableGrads', f);
  if (varList !== undefined && !Array.isArray(varList)) throw new Error('variableGrads: varList must be an array of variables');
  const targets = varList ? varList.map((v) => resolveTarget('variableGrads', v)) : trainables().map(([, t]) => t).filter((t) => t.trainable);
  if (targets.length === 0) throw new Error('variableGrads: there are no trainable variables to differentiate with respect to (make some with wc.variable, or build a model)');
  for (const t of targets) t.value.assertUsable('variableGrads');
  const { value, grads: gs } = valueAndGradients('variableGrads', f, targets.map((t) => t.value), undefined, true);
  const refuse = (message: string): never => {
    value.dispose();
    for (const g of gs) g?.dispose();
    throw new Error(`variableGrads: ${message}`);
  };
  if (value.rank !== 0) refuse(`f must return a scalar, got shape ${shapeToString(value.shape)}`);
  if (gs.every((g) => g === null)) {
    refuse('cannot find a connection between any trainable variable and the result of f; make sure the ops that use the variables run inside f');
  }
  const named: NamedTensorMap = {};
  targets.forEach((t, i) => {
    const g = gs[i];
    if (g) named[listedName(t) ?? t.name] = g;
  });
  return { value, grads: named };
}

/** What a customGrad function returns: its value and the gradient of its inputs given dy. */
export interface CustomGradientResult {
  value: Tensor;
  gradFunc: (dy: Tensor, saved: Tensor[]) => Tensor | Tensor[];
}

/**
 * customGrad(f): an op whose gradient is f's gradFunc, not the tape of what
 * f computes. f gets the inputs and a save function, as in TF.js:
 * customGrad((x, save) => { save([x]); return { value, gradFunc: (dy, [x]) => [...] }; }).
 */
export function customGrad(f: (...args: (Tensor | ((tensors: Tensor[]) => void))[]) => CustomGradientResult): (...args: Tensor[]) => Tensor {
  expectFunction('customGrad', f);
  return (...inputs) => {
    inputs.forEach((t, i) => expectTensor('customGrad', `input ${i}`, t));
    let saved: Tensor[] = [];
    const save = (tensors: Tensor[]) => {
      saved = [...tensors];
    };
    const result = withoutTape(() => f(...inputs, save));
    if (!result || !(result.value instanceof Tensor) || typeof result.gradFunc !== 'function') {
      throw new Error('customGrad: f must return { value: Tensor, gradFunc: (dy, saved) => Tensor | Tensor[] }');
    }
    const { value, gradFunc } = result;
    recordGradient('customGrad', inputs, value, (dy) => {
      const g = gradFunc(dy, saved);
      const list = Array.isArray(g) ? g : [g];
      if (list.length !== inputs.length) throw new Error(`customGrad: gradFunc returned ${list.length} gradients for ${inputs.length} inputs`);
      return list;
    });
    return value;
  };
}
