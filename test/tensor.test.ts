import { describe, expect, it } from 'vitest';
import * as wc from '../src/index.js';

describe('tensor, tidy, memory', () => {
  it('holds float32 values in NHWC shape', async () => {
    const x = wc.tensor(new Float32Array([1, 2, 3, 4, 5, 6]), [1, 1, 2, 3]);
    expect(x.shape).toEqual([1, 1, 2, 3]);
    expect(x.dtype).toBe('float32');
    expect([...(await x.data())]).toEqual([1, 2, 3, 4, 5, 6]);
    x.dispose();
  });

  it('rejects a shape that does not match the values', () => {
    expect(() => wc.tensor([1, 2, 3], [2, 2])).toThrow(/tensor: shape \[2, 2\] needs 4 values, got 3/);
  });

  it('counts tensors and bytes, and returns to the baseline after dispose', () => {
    const base = wc.memory();
    const a = wc.tensor(new Float32Array(10), [10]);
    const view = a.reshape([2, 5]);
    expect(wc.memory().numTensors).toBe(base.numTensors + 2);
    // A reshape view shares storage: 40 bytes, counted once.
    expect(wc.memory().numBytes).toBe(base.numBytes + 40);
    a.dispose();
    expect(wc.memory().numBytes).toBe(base.numBytes + 40);
    view.dispose();
    expect(wc.memory()).toEqual(base);
  });

  it('tidy disposes what the function created but did not return', () => {
    const base = wc.memory().numTensors;
    const kept = wc.tidy(() => {
      wc.tensor([1, 2], [2]);
      const inner = wc.tidy(() => [wc.tensor([3], [1]), wc.tensor([4], [1])][1]);
      return inner;
    });
    expect(wc.memory().numTensors).toBe(base + 1);
    kept.dispose();
    expect(wc.memory().numTensors).toBe(base);
  });

  it('tidy cleans up when the function throws', () => {
    const base = wc.memory().numTensors;
    expect(() => wc.tidy(() => { wc.tensor([1], [1]); throw new Error('boom'); })).toThrow('boom');
    expect(wc.memory().numTensors).toBe(base);
  });

  it('refuses a tensor used after dispose, naming the method', async () => {
    const x = wc.tensor([1, 2], [2]);
    x.dispose();
    await expect(x.data()).rejects.toThrow(/Tensor.data: tensor #\d+ of shape \[2\] was used after dispose\(\)/);
    expect(() => x.reshape([1, 2])).toThrow(/Tensor.reshape/);
  });

  it('reshape infers one -1 and refuses a size change', () => {
    const x = wc.tensor(new Float32Array(12), [3, 4]);
    expect(x.reshape([2, -1]).shape).toEqual([2, 6]);
    expect(() => x.reshape([5, -1])).toThrow(/reshape: cannot reshape \[3, 4\]/);
    expect(() => x.reshape([5, 2])).toThrow(/sizes differ/);
  });

  it('selects the CPU backend by default and names unknown backends', async () => {
    expect(wc.getBackend()).toBe('cpu');
    await expect(wc.setBackend('tpu' as never)).rejects.toThrow(/setBackend: unknown backend 'tpu'; expected one of 'cpu'/);
  });
});
