// The layout ops against the real TensorFlow.js (CPU backend): the same
// function, written once against both libraries, on the same inputs; values
// and gradients (tf.grads against wc.grads with the same dy) must agree.
// Lists that split and unstack return are reordered on copies: TF.js's tape
// keeps the very array it returned as the op's outputs, so reversing it in
// place gives TF.js wrong gradients.

import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as wc from '../../src/index.js';
import { grads } from '../../src/autodiff/gradients.js';
import { expectClose, randomValues } from '../util/check.js';

/** The ops both libraries share, over their own tensor type. */
interface Ops<T> {
  reshape(x: T, shape: number[]): T;
  transpose(x: T, perm?: number[]): T;
  slice(x: T, begin: number | number[], size?: number | number[]): T;
  concat(xs: T[], axis?: number): T;
  stack(xs: T[], axis?: number): T;
  unstack(x: T, axis?: number): T[];
  split(x: T, numOrSizeSplits: number | number[], axis?: number): T[];
  pad(x: T, paddings: [number, number][], constantValue?: number): T;
  gather(x: T, indices: number[] | number[][], axis?: number, batchDims?: number): T;
  tile(x: T, reps: number[]): T;
  expandDims(x: T, axis?: number): T;
  squeeze(x: T, axis?: number[]): T;
  oneHot(indices: number[], depth: number, onValue?: number, offValue?: number): T;
  broadcastTo(x: T, shape: number[]): T;
  reverse(x: T, axis?: number | number[]): T;
}

interface Lib<T> {
  ops: Ops<T>;
  tensor(values: Float32Array, shape: number[]): T;
  values(t: T): number[];
  shape(t: T): number[];
  dtype(t: T): string;
  grads(f: (...xs: T[]) => T): (xs: T[], dy: T) => T[];
}

const tfLib: Lib<tf.Tensor> = {
  ops: tf as unknown as Ops<tf.Tensor>,
  tensor: (v, s) => tf.tensor(v, s),
  values: (t) => Array.from(t.dataSync()),
  shape: (t) => [...t.shape],
  dtype: (t) => t.dtype,
  grads: (f) => (xs, dy) => tf.grads(f)(xs, dy),
};

const wcLib: Lib<wc.Tensor> = {
  ops: wc as unknown as Ops<wc.Tensor>,
  tensor: (v, s) => wc.tensor(v, s),
  values: (t) => Array.from(t.dataSync()),
  shape: (t) => [...t.shape],
  dtype: (t) => t.dtype,
  grads: (f) => (xs, dy) => grads(f)(xs, dy),
};

interface Case {
  name: string;
  shapes: number[][];
  f: <T>(o: Ops<T>, ...xs: T[]) => T;
}

const CASES: Case[] = [
  { name: 'reshape', shapes: [[2, 6]], f: (o, x) => o.reshape(x, [3, -1, 2]) },
  { name: 'transpose default', shapes: [[2, 3, 4]], f: (o, x) => o.transpose(x) },
  { name: 'transpose perm', shapes: [[2, 3, 4, 2]], f: (o, x) => o.transpose(x, [2, 0, 3, 1]) },
  { name: 'slice arrays', shapes: [[4, 5, 3]], f: (o, x) => o.slice(x, [1, 2, 0], [2, -1, 2]) },
  { name: 'slice number begin', shapes: [[4, 5]], f: (o, x) => o.slice(x, 2) },
  { name: 'slice short arrays', shapes: [[4, 5, 2]], f: (o, x) => o.slice(x, [1, 1], [2]) },
  { name: 'concat axis 1', shapes: [[2, 3, 2], [2, 1, 2], [2, 4, 2]], f: (o, a, b, c) => o.concat([a, b, c], 1) },
  { name: 'concat axis -1', shapes: [[3, 2], [3, 5]], f: (o, a, b) => o.concat([a, b], -1) },
  { name: 'concat axis 0', shapes: [[1, 4], [2, 4]], f: (o, a, b) => o.concat([a, b]) },
  { name: 'stack axis 0', shapes: [[2, 3], [2, 3]], f: (o, a, b) => o.stack([a, b]) },
  { name: 'stack axis -1', shapes: [[2, 3], [2, 3], [2, 3]], f: (o, a, b, c) => o.stack([a, b, c], -1) },
  { name: 'unstack then stack', shapes: [[3, 4, 2]], f: (o, x) => o.stack(o.unstack(x, 1).slice().reverse(), 2) },
  { name: 'split sizes', shapes: [[5, 6]], f: (o, x) => o.concat(o.split(x, [1, -1, 2], 1).slice().reverse(), 1) },
  { name: 'split count', shapes: [[6, 2]], f: (o, x) => o.split(x, 3)[1] },
  { name: 'pad', shapes: [[2, 3, 2]], f: (o, x) => o.pad(x, [[1, 0], [2, 1], [0, 3]], -1.5) },
  { name: 'gather axis 0', shapes: [[5, 3]], f: (o, x) => o.gather(x, [4, 0, 4, 2, 2]) },
  { name: 'gather axis 1, 2-D indices', shapes: [[2, 5, 3]], f: (o, x) => o.gather(x, [[1, 4], [4, 0], [1, 1]], 1) },
  { name: 'gather axis -1', shapes: [[3, 4]], f: (o, x) => o.gather(x, [3, 3, 0], -1) },
  { name: 'gather batchDims 1', shapes: [[3, 4, 2]], f: (o, x) => o.gather(x, [[0, 3], [1, 1], [2, 0]], 1, 1) },
  { name: 'tile', shapes: [[2, 3]], f: (o, x) => o.tile(x, [3, 2]) },
  { name: 'expandDims', shapes: [[2, 3]], f: (o, x) => o.expandDims(x, -1) },
  { name: 'squeeze', shapes: [[1, 3, 1, 2]], f: (o, x) => o.squeeze(x, [0, 2]) },
  { name: 'broadcastTo trailing', shapes: [[3]], f: (o, x) => o.broadcastTo(x, [2, 4, 3]) },
  { name: 'broadcastTo ones', shapes: [[2, 1, 3, 1]], f: (o, x) => o.broadcastTo(x, [2, 4, 3, 2]) },
  { name: 'reverse all', shapes: [[2, 3, 2]], f: (o, x) => o.reverse(x) },
  { name: 'reverse some', shapes: [[2, 3, 2]], f: (o, x) => o.reverse(x, [0, -1]) },
  {
    name: 'composition: transpose, pad, tile, gather, slice',
    shapes: [[2, 3]],
    f: (o, x) => o.slice(o.gather(o.tile(o.pad(o.transpose(x), [[1, 0], [0, 1]]), [1, 2]), [0, 3, 3], 1), [1, 0], [-1, 2]),
  },
  {
    name: 'composition: two inputs broadcast and concatenated, reused',
    shapes: [[3, 1], [4]],
    f: (o, a, b) => {
      const ab = o.concat([o.broadcastTo(a, [3, 4]), o.broadcastTo(b, [3, 4]), o.reverse(o.broadcastTo(a, [3, 4]), 0)], 1);
      return o.stack([ab, o.slice(o.tile(ab, [2, 1]), [2, 0], [3, 12])], 1);
    },
  },
];

/** f's value and its gradients for the same inputs and dy. */
function evaluate<T>(lib: Lib<T>, c: Case, seed: number): { y: number[]; shape: number[]; grads: number[][] } {
  const xs = c.shapes.map((s, i) => lib.tensor(randomValues(s.reduce((a, b) => a * b, 1), seed + i), s));
  const f = (...args: T[]) => c.f(lib.ops, ...args);
  const y = f(...xs);
  const shape = lib.shape(y);
  const dy = lib.tensor(randomValues(shape.reduce((a, b) => a * b, 1), seed + 100), shape);
  return { y: lib.values(y), shape, grads: lib.grads(f)(xs, dy).map((g) => lib.values(g)) };
}

const TOL = { atol: 1e-6, rtol: 1e-6 };

describe('layout ops against TensorFlow.js', () => {
  beforeAll(async () => { await tf.setBackend('cpu'); });

  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s: values and gradients match', (_, c, i) => {
    const ours = wc.tidy(() => evaluate(wcLib, c, 10 * i));
    const theirs = tf.tidy(() => evaluate(tfLib, c, 10 * i));
    expect(ours.shape).toEqual(theirs.shape);
    expectClose(ours.y, theirs.y, TOL, `${c.name} value`);
    expect(ours.grads.length).toBe(theirs.grads.length);
    ours.grads.forEach((g, k) => expectClose(g, theirs.grads[k], TOL, `${c.name} gradient ${k}`));
  });

  it('split and unstack give the same parts', () => {
    const v = randomValues(24, 5);
    const parts = <T>(lib: Lib<T>) => {
      const x = lib.tensor(v, [2, 3, 4]);
      return [...lib.ops.split(x, [1, -1], 2), ...lib.ops.split(x, 2), ...lib.ops.unstack(x, -2)].map((t) => [lib.shape(t), lib.values(t)]);
    };
    expect(parts(wcLib)).toEqual(parts(tfLib));
  });

  it('oneHot: the same values and dtype (int32), out-of-range indices included', () => {
    const hot = <T>(lib: Lib<T>) => {
      const y = lib.ops.oneHot([0, 3, 2, -1, 5], 4, 3, -2);
      return { dtype: lib.dtype(y), shape: lib.shape(y), values: lib.values(y) };
    };
    expect(hot(wcLib)).toEqual(hot(tfLib));
  });

  it('gather refuses the same out-of-range index', () => {
    const v = randomValues(6, 9);
    const msg = <T>(lib: Lib<T>) => {
      try {
        lib.ops.gather(lib.tensor(v, [3, 2]), [0, 3]);
        return 'no error';
      } catch (err) {
        return (err as Error).message.replace(/^\w+: /, '');
      }
    };
    expect(msg(wcLib)).toBe(msg(tfLib));
  });
});
