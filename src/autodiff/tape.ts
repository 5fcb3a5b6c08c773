// The gradient tape. While a gradient function (wc.grad and its kin) runs the
// user's f, every differentiable op records one node: its inputs, its output
// and a closure that maps the output's gradient to its inputs' gradients.
// Backpropagation walks the nodes in reverse. Ops call recordGradient right
// after computing their output; outside a gradient call it does nothing.

import { Tensor, setViewRecorder, shapeToString } from '../tensor.js';

/** Maps dy (the output's gradient) to one gradient per input, null where an input gets none. */
export type GradFunc = (dy: Tensor) => readonly (Tensor | null)[];

/** One recorded op. */
export interface TapeNode {
  readonly name: string;
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly grad: GradFunc;
}

/** The tape being recorded, or null; paused while gradients run and inside customGrad. */
let tape: TapeNode[] | null = null;
let paused = 0;

export function isRecording(): boolean {
  return tape !== null && paused === 0;
}

/** Records one op on the active tape (a no-op when no gradient call is recording). */
export function recordGradient(name: string, inputs: readonly Tensor[], output: Tensor, grad: GradFunc): void {
  if (!isRecording()) return;
  (tape as TapeNode[]).push({ name, inputs: [...inputs], output, grad });
}

/** Runs fn with the tape paused: what it computes is not differentiated through. */
export function withoutTape<T>(fn: () => T): T {
  paused++;
  try {
    return fn();
  } finally {
    paused--;
  }
}

// Views (reshape, clone) live in tensor.ts, below the ops: they report here.
setViewRecorder((from, view) => {
  if (!isRecording()) return;
  recordGradient('reshape', [from], view, (dy) => [from.shape.length === dy.shape.length && from.shape.every((d, i) => d === dy.shape[i]) ? dy : dy.reshape(from.shape)]);
});

/** The tape's start and end: f runs with a fresh tape; nested gradient calls are refused. */
export function recordTape<T>(where: string, f: () => T): { result: T; nodes: readonly TapeNode[] } {
  if (tape !== null) {
    throw new Error(`${where}: gradients of gradients (a gradient function called inside a function being differentiated) are not supported; compute the inner gradient outside, or use finite differences`);
  }
  const nodes: TapeNode[] = [];
  tape = nodes;
  try {
    return { result: f(), nodes };
  } finally {
    tape = null;
  }
}

/**
 * Backpropagates dy from y through the recorded nodes; returns the gradient
 * of each x (null where y does not depend on x). Runs with the tape paused.
 */
export function backprop(
  nodes: readonly TapeNode[], y: Tensor, dy: Tensor, xs: readonly Tensor[], add: (a: Tensor, b: Tensor) => Tensor,
): (Tensor | null)[] {
  // Only nodes on a path from some x matter: mark what the xs reach, in recording order.
  const reached = new Set<number>(xs.map((x) => x.id));
  const relevant: boolean[] = nodes.map((n) => {
    const hit = n.inputs.some((t) => reached.has(t.id));
    if (hit) reached.add(n.output.id);
    return hit;
  });
  const grads = new Map<number, Tensor>([[y.id, dy]]);
  paused++;
  try {
    for (let i = nodes.length - 1; i >= 0; i--) {
      const node = nodes[i];
      const g = grads.get(node.output.id);
      if (!g || !relevant[i]) continue;
      const inGrads = node.grad(g);
      if (inGrads.length !== node.inputs.length) {
        throw new Error(`gradient of ${node.name}: returned ${inGrads.length} gradients for ${node.inputs.length} inputs`);
      }
      node.inputs.forEach((x, j) => {
        const gx = inGrads[j];
        if (!gx || !reached.has(x.id)) return;
        if (gx.size !== x.size || gx.rank !== x.rank || gx.shape.some((d, k) => d !== x.shape[k])) {
          throw new Error(`gradient of ${node.name}: input ${j} has shape ${shapeToString(x.shape)} but its gradient has shape ${shapeToString(gx.shape)}`);
        }
        const prev = grads.get(x.id);
        grads.set(x.id, prev ? add(prev, gx) : gx);
      });
    }
  } finally {
    paused--;
  }
  return xs.map((x) => grads.get(x.id) ?? null);
}
