// mul: the element-wise product of two tensors of one shape, and its gradient.
// A kernel small enough to be one file: checks, CPU reference, WebGPU program,
// wasm program (src/backend/wasm/assembly/mul.ts).

import type { Tensor } from '../tensor.js';
import { cpuTensor, vals } from '../backend/cpu/storage.js';
import { buf, type GpuContext } from '../backend/webgpu/context.js';
import type { WasmContext } from '../backend/wasm/context.js';
import type { PipelineSpec } from '../backend/webgpu/pipelines.js';
import { expectSameShape } from './checks.js';
import { defineKernel, op } from './kernel.js';
import mulCode from '../../shaders/mul.wgsl?raw';

const mulUniforms = { n: 'u32' } as const;
const mulSpec: PipelineSpec<typeof mulUniforms> = { name: 'mul', code: mulCode, uniforms: mulUniforms };

export const pipelines: readonly PipelineSpec[] = [mulSpec];

export const mulKernel = defineKernel({
  name: 'mul',
  check(a: Tensor, b: Tensor) {
    expectSameShape('mul', a, 'a', b, 'b');
  },
  cpu(a: Tensor, b: Tensor): Tensor {
    const av = vals(a);
    const bv = vals(b);
    const c = new Float32Array(av.length);
    for (let i = 0; i < av.length; i++) c[i] = av[i] * bv[i];
    return cpuTensor(c, a.shape);
  },
  webgpu(ctx: GpuContext, a: Tensor, b: Tensor): Tensor {
    const c = ctx.output(a.shape, 'mul');
    ctx.run1d(mulSpec, { n: a.size }, [buf(a), buf(b), buf(c)], a.size);
    return c;
  },
  wasm(ctx: WasmContext, a: Tensor, b: Tensor): Tensor {
    const c = ctx.output(a.shape, 'mul');
    ctx.exports.mul(ctx.ptr(a), ctx.ptr(b), ctx.ptr(c), a.size);
    return c;
  },
});

/** a * b element-wise (same shapes). */
export const mul = op(mulKernel);

/** The gradients of mul(a, b) for dy: [dy * b, dy * a]. */
export function mulBackward(dy: Tensor, a: Tensor, b: Tensor): [Tensor, Tensor] {
  return [mul(dy, b), mul(dy, a)];
}
