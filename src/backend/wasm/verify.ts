// Verification mode: setBackend('wasm', { verify: true }) replays every
// kernel that has a wasm program on the CPU reference, on copies of its
// inputs taken before it ran, and throws on the first disagreement beyond
// TOLERANCE, naming the kernel, its input shapes and arguments, the worst
// element and both values. The wasm backend runs synchronously, so the check
// is immediate. Kernels that fall back to the CPU reference are not compared:
// they are the reference.

import type { Kernel } from '../../kernels/kernel.js';
import { Tensor, shapeToString } from '../../tensor.js';
import { TOLERANCE, worstMismatch } from '../webgpu/tolerance.js';
import type { WasmContext } from './context.js';
import { argsToCpu, tensorsOf, toCpu } from './cpuBridge.js';

type AnyKernel = Kernel<readonly unknown[], unknown>;

export class WasmVerifier {
  private inKernel = false;
  /** Test hook: after the named kernel, its first output's element 0 is overwritten (proves the check bites). */
  corruptNext: string | null = null;
  /** Kernel calls compared so far. */
  checked = 0;

  constructor(private readonly ctx: WasmContext) {}

  run(kernel: AnyKernel, args: readonly unknown[], wasm: (...a: readonly unknown[]) => unknown): unknown {
    // Kernels built from other kernels are checked once, at the outermost call.
    if (this.inKernel) return wasm(...args);
    const made: Tensor[] = [];
    try {
      const cpuArgs = argsToCpu(this.ctx, args, made);
      this.inKernel = true;
      let result: unknown;
      try {
        result = wasm(...args);
      } finally {
        this.inKernel = false;
      }
      const expected = kernel.cpu(...cpuArgs);
      made.push(...tensorsOf(expected));
      // Named outputs: the returned tensor(s), or for in-place kernels the updated arguments.
      const pairs: { name: string; got: Tensor; want: unknown }[] = [];
      if (result instanceof Tensor) pairs.push({ name: 'result', got: result, want: expected });
      else if (Array.isArray(result)) result.forEach((t, i) => { if (t instanceof Tensor) pairs.push({ name: `result[${i}]`, got: t, want: (expected as unknown[])[i] }); });
      else if (result && typeof result === 'object') {
        for (const [k, t] of Object.entries(result)) if (t instanceof Tensor) pairs.push({ name: k, got: t, want: (expected as Record<string, unknown>)[k] });
      } else if (result === undefined) {
        args.forEach((a, i) => { if (a instanceof Tensor) pairs.push({ name: `argument ${i} (in place)`, got: a, want: cpuArgs[i] }); });
      }
      if (this.corruptNext === kernel.name && pairs.length > 0) {
        this.corruptNext = null;
        this.ctx.values(pairs[0].got)[0] = 12345;
      }
      for (const { name, got, want } of pairs) {
        if (!(want instanceof Tensor)) throw new Error(`wasm verify: the CPU ${kernel.name} returned no ${name}`);
        const w = toCpu(this.ctx, got);
        made.push(w);
        const wasmValues = w.dataSync();
        const cpuValues = want.dataSync();
        const i = wasmValues.length !== cpuValues.length ? 0 : worstMismatch(wasmValues, cpuValues);
        if (i >= 0) throw new Error(describe(kernel.name, args, name, i, wasmValues[i], cpuValues[i]));
      }
      this.checked++;
      return result;
    } finally {
      for (const t of made) t.dispose();
    }
  }
}

function describe(kernel: string, args: readonly unknown[], output: string, i: number, got: number | undefined, want: number | undefined): string {
  const shown = args.map((a) =>
    a instanceof Tensor ? shapeToString(a.shape)
      : Array.isArray(a) && a.every((t) => t instanceof Tensor) ? `[${a.map((t: Tensor) => shapeToString(t.shape)).join(', ')}]`
        : a instanceof Int32Array ? `Int32Array(${a.length})` : JSON.stringify(a));
  return `wasm verify: ${kernel}(${shown.join(', ')}) disagrees with the CPU reference: ${output} element ${i} ` +
    `is ${got} in wasm, ${want} on the CPU (tolerance |wasm - cpu| <= ${TOLERANCE.atol} + ${TOLERANCE.rtol} * |cpu|)`;
}
