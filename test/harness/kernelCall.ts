// Runs one backend method on WebGPU (in the page) and on the CPU reference (in
// Node) with identical arguments, and returns both results as plain arrays.
// Tensor arguments travel as { t: values, s: shape }; everything else as is.
// The outputs are the method's returned tensor(s), followed, for in-place
// methods, by the tensor arguments listed in `mutated` after the call. On the
// GPU every output lands on a reused, NaN-filled pool buffer.

import type { Tensor } from '../../src/tensor.js';
import { KERNELS, type KernelName } from '../../src/kernels/registry.js';
import type { GpuPage } from './gpu.js';
import { cpu } from './cpu.js';

export interface TensorArg { t: number[]; s: number[] }
export type Arg = TensorArg | TensorArg[] | number | boolean | string | null | number[] | unknown;

/** An Int32Array argument (gatherRows' indices). */
export function I32(values: number[]): { i32: number[] } {
  return { i32: values };
}

export function T(values: ArrayLike<number>, shape: number[]): TensorArg {
  return { t: Array.from(values), s: shape };
}

export type { KernelName };

function isTensorArg(a: unknown): a is TensorArg {
  return typeof a === 'object' && a !== null && 't' in a && 's' in a;
}

function flatten(result: unknown): Tensor[] {
  if (result === undefined) return [];
  if (Array.isArray(result)) return result as Tensor[];
  if (typeof result === 'object' && result !== null && !('shape' in result)) return Object.values(result) as Tensor[];
  return [result as Tensor];
}

export async function callBoth(
  gp: GpuPage, method: KernelName, args: readonly Arg[], mutated: readonly number[] = [],
): Promise<{ gpu: number[][]; cpu: number[][] }> {
  const gpu = await gp.run(async ({ wc, engine, kernels }, a) => {
    const b = engine.backend();
    // Dirty the buffer pool: outputs then land on reused buffers full of NaN rather than
    // on fresh zeroed ones, so an element a kernel forgets to write cannot pass as a 0.
    const largest = Math.max(16, ...a.args.flatMap((x: unknown) => (typeof x === 'object' && x !== null && 't' in x ? [(x as { t: number[] }).t.length] : [])));
    const dirt = [];
    for (let n = 4; n <= 8 * largest; n *= 2) for (let k = 0; k < 3; k++) dirt.push(wc.tensor(new Float32Array(n).fill(NaN), [n]));
    await Promise.all(dirt.map((t) => t.data()));
    for (const t of dirt) t.dispose();
    const made: unknown[] = a.args.map((x: unknown) => {
      const isT = (v: unknown): v is { t: number[]; s: number[] } => typeof v === 'object' && v !== null && 't' in v && 's' in v;
      if (isT(x)) return wc.tensor(x.t, x.s);
      if (Array.isArray(x) && x.length > 0 && isT(x[0])) return x.map((y: { t: number[]; s: number[] }) => wc.tensor(y.t, y.s));
      if (typeof x === 'object' && x !== null && 'i32' in x) return Int32Array.from((x as { i32: number[] }).i32);
      return x;
    });
    const r = b.run(kernels.kernelNamed(a.method), made);
    const outs: { data(): Promise<Float32Array> }[] = r === undefined ? [] : Array.isArray(r) ? r
      : typeof r === 'object' && r !== null && !('shape' in r) ? Object.values(r) : [r as { data(): Promise<Float32Array> }];
    for (const i of a.mutated) outs.push(made[i] as { data(): Promise<Float32Array> });
    const values: number[][] = [];
    for (const o of outs) values.push(Array.from(await o.data()));
    return values;
  }, { method, args: args as unknown[], mutated: [...mutated] });

  const made = args.map((x) => {
    if (isTensorArg(x)) return cpu.fromValues(Float32Array.from(x.t), x.s);
    if (Array.isArray(x) && x.length > 0 && isTensorArg(x[0])) return (x as TensorArg[]).map((y) => cpu.fromValues(Float32Array.from(y.t), y.s));
    if (typeof x === 'object' && x !== null && 'i32' in x) return Int32Array.from((x as { i32: number[] }).i32);
    return x;
  });
  const outs = flatten(cpu.run(KERNELS[method] as unknown as Parameters<typeof cpu.run>[0], made));
  for (const i of mutated) outs.push(made[i] as Tensor);
  return { gpu, cpu: outs.map((o) => Array.from(o.dataSync())) };
}
