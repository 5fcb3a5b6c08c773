// wc.tensor as tf.tensor: nested arrays give their shape, a number or a
// boolean a scalar (booleans are 1 and 0), typed arrays as before; a given
// shape must hold non-negative integers and match the values (TF.js's rule:
// the same size, each axis the same but the last, which may be split). Ragged
// nesting, non-numeric values and bad shapes are refused with an Error naming
// wc.tensor and the element, never a TypeError or RangeError from inside.

import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { expectCleanError } from './state.js';

beforeAll(async () => {
  await wc.setBackend('cpu');
});

const made = async (t: wc.Tensor) => ({ shape: [...t.shape], values: Array.from(await t.data()) });
/** A value the types refuse, as a careless JavaScript caller would pass it. */
const raw = (v: unknown) => v as Parameters<typeof wc.tensor>[0];

describe('shapes from the values', () => {
  const cases: [string, Parameters<typeof wc.tensor>[0], number[], number[]][] = [
    ['a nested 2x2 array', [[1, 2], [3, 4]], [2, 2], [1, 2, 3, 4]],
    ['a nested 2x3x1 array', [[[1], [2], [3]], [[4], [5], [6]]], [2, 3, 1], [1, 2, 3, 4, 5, 6]],
    ['a flat array', [1, 2, 3], [3], [1, 2, 3]],
    ['a number: a scalar', 5, [], [5]],
    ['booleans: 1 and 0', [[true, false], [false, true]], [2, 2], [1, 0, 0, 1]],
    ['a boolean scalar', true, [], [1]],
    ['an empty array', [], [0], []],
    ['an array of one empty array', [[]], [1, 0], []],
    ['a Float32Array', new Float32Array([1.5, 2]), [2], [1.5, 2]],
    ['an Int32Array', new Int32Array([-3, 7]), [2], [-3, 7]],
    ['rows that are typed arrays', [new Float32Array([1, 2]), new Uint8Array([3, 4])], [2, 2], [1, 2, 3, 4]],
  ];
  for (const [what, values, shape, flat] of cases) {
    it(what, async () => {
      expect(await made(wc.tensor(values))).toEqual({ shape, values: flat });
    });
  }

  it('a given shape of the same size reshapes flat values; nested values may split only their last axis (TF.js)', async () => {
    expect(await made(wc.tensor([1, 2, 3, 4], [2, 2]))).toEqual({ shape: [2, 2], values: [1, 2, 3, 4] });
    expect(await made(wc.tensor([[1, 2, 3, 4]], [1, 2, 2]))).toEqual({ shape: [1, 2, 2], values: [1, 2, 3, 4] });
    expect(await made(wc.tensor(5, [1, 1]))).toEqual({ shape: [1, 1], values: [5] });
    // null, as in tf.tensor(values, null), takes the values' own shape
    expect(await made(wc.tensor([[1, 2], [3, 4]], null))).toEqual({ shape: [2, 2], values: [1, 2, 3, 4] });
    expect(await made(wc.tensor(new Float32Array(6).fill(2), [3, 2, 1]))).toEqual({ shape: [3, 2, 1], values: [2, 2, 2, 2, 2, 2] });
    await expectCleanError(() => wc.tensor([[1, 2], [3, 4]], [4]),
      /^wc\.tensor: the nested values have shape \[2, 2\], which does not match the given shape \[4\]$/);
    await expectCleanError(() => wc.tensor([[1, 2], [3, 4]], [1, 4]), /does not match the given shape \[1, 4\]/);
  });

  it('a given shape of another size is refused, naming both sizes', async () => {
    await expectCleanError(() => wc.tensor([1, 2, 3], [2, 2]), /^wc\.tensor: shape \[2, 2\] needs 4 values, got 3$/);
    await expectCleanError(() => wc.tensor([[1, 2], [3, 4]], [3]), /^wc\.tensor: shape \[3\] needs 3 values, got 4 \(values of shape \[2, 2\]\)$/);
    await expectCleanError(() => wc.tensor(5, [2]), /^wc\.tensor: shape \[2\] needs 2 values, got 1$/);
  });
});

describe('refused values', () => {
  it('ragged nesting names the element, its length and the expected one', async () => {
    await expectCleanError(() => wc.tensor([[1, 2], [3, 4, 5]]),
      /^wc\.tensor: nested arrays must be rectangular: element \[1\] has length 3, expected 2 \(the length of element \[0\]\)$/);
    await expectCleanError(() => wc.tensor([[[1, 2], [3, 4]], [[5, 6], [7]]]), /element \[1\]\[1\] has length 1, expected 2 \(the length of element \[1\]\[0\]\)/);
    await expectCleanError(() => wc.tensor(raw([[1, 2], 3])), /^wc\.tensor: element \[1\] is 3, where the nesting of element \[0\] puts an array of 2; nested arrays must be rectangular$/);
    await expectCleanError(() => wc.tensor(raw([1, [2]])), /^wc\.tensor: element \[1\] is an array of 1, where the nesting of element \[0\] puts a number; values must be numbers or booleans$/);
    await expectCleanError(() => wc.tensor([new Float32Array(2), new Float32Array(3)]), /element \[1\] has length 3, expected 2/);
    await expectCleanError(() => wc.tensor(raw([[[1]], new Float32Array(1)])), /^wc\.tensor: element \[1\] is a typed array, where the nesting of element \[0\] puts arrays 2 deep$/);
  });

  const nonNumeric: [string, unknown, RegExp][] = [
    ['a string', [[1, 2], [3, 'x']], /^wc\.tensor: element \[1\]\[1\] is a string \("x"\); values must be numbers or booleans$/],
    ['a numeric string', ['2'], /^wc\.tensor: element \[0\] is a string \("2"\)/],
    ['null', [1, null], /^wc\.tensor: element \[1\] is null; values must be numbers or booleans$/],
    ['undefined', [1, 2, undefined], /^wc\.tensor: element \[2\] is undefined;/],
    ['a hole', [1, , 3], /^wc\.tensor: element \[1\] is undefined;/], // eslint-disable-line no-sparse-arrays
    ['an object', [{ valueOf: () => 1 }], /^wc\.tensor: element \[0\] is an Object;/],
    ['a bigint', [1n], /^wc\.tensor: element \[0\] is a bigint \(1\);/],
    ['a long string, quoted in part', [['a'.repeat(10_000)]], /^wc\.tensor: element \[0\]\[0\] is a string \("a{24}\.\.\."\); values must be numbers or booleans$/],
  ];
  for (const [what, values, message] of nonNumeric) {
    it(`${what} among the values is named with its element`, async () => {
      await expectCleanError(() => wc.tensor(raw(values)), message);
    });
  }

  for (const [what, values] of [['null', null], ['undefined', undefined], ['a string', '12'], ['an object', { length: 2 }], ['a DataView', new DataView(new ArrayBuffer(8))], ['a BigInt64Array', new BigInt64Array(2)]] as const) {
    it(`${what} as the values is refused`, async () => {
      await expectCleanError(() => wc.tensor(raw(values)), /^wc\.tensor: values must be a number, a boolean, a typed array or \(nested\) arrays of numbers, got /);
    });
  }

  it('deep nesting neither overflows the stack nor makes an unbounded message', async () => {
    let deep: unknown = [1, 2];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(wc.tensor(raw(deep)).rank).toBe(100_001);
    let ragged: unknown = [[1, 2], [3]];
    for (let i = 0; i < 100_000; i++) ragged = [ragged];
    const err = await expectCleanError(() => wc.tensor(raw(ragged)), /^wc\.tensor: nested arrays must be rectangular: element (\[0\]){8}\.\.\.(\[0\]){7}\[1\] \(100001 deep\) has length 1, expected 2/);
    expect(err.message.length).toBeLessThan(400);
  });
});

describe('refused shapes', () => {
  const bad: [string, unknown, RegExp][] = [
    ['a number', 5, /^wc\.tensor: shape must be an array of non-negative integers \(or left out, to take the values' shape\), got 5$/],
    ['a string', '2,2', /^wc\.tensor: shape must be an array .*, got a string \("2,2"\)$/],
    ['an Int32Array', new Int32Array([2, 2]), /^wc\.tensor: shape must be an array .*, got an Int32Array$/],
    ['a negative axis', [2, -1], /^wc\.tensor: shape must hold non-negative integers, got \[2, -1\]$/],
    ['a fraction', [2.5], /^wc\.tensor: shape must hold non-negative integers, got \[2\.5\]$/],
    ['a numeric string', ['2', 2], /^wc\.tensor: shape must hold non-negative integers, got \["2", 2\]$/],
    ['NaN', [Number.NaN], /got \[NaN\]$/],
    ['Infinity', [Number.POSITIVE_INFINITY], /got \[Infinity\]$/],
    ['null inside', [2, null], /got \[2, null\]$/],
    ['a long list, shown in part', Array.from({ length: 1000 }, () => -1), /got \[-1, -1, -1, -1, -1, -1, -1, -1, \.\.\. \(1000 entries\)\]$/],
  ];
  for (const [what, shape, message] of bad) {
    it(`${what} is refused, naming wc.tensor`, async () => {
      await expectCleanError(() => wc.tensor([1, 2, 3, 4], shape as number[]), message);
    });
  }
});
