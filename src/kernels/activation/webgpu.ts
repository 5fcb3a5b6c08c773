// Activations forward and backward, and softmax over the last axis.
// Shaders: activation.wgsl, activationBackward.wgsl, activationBiasBackward.wgsl, softmax.wgsl, softmaxBackward.wgsl.

import type { ActivationKind } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { GpuContext, REDUCTION_CHUNK, buf } from '../../backend/webgpu/context.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import { sumChunks } from '../matmul/webgpu.js';
import { bothLanes, laned, lanesFor, type Lanes } from '../lanes.js';
import activationCode from '../../../shaders/activation.wgsl?raw';
import activationBackwardCode from '../../../shaders/activationBackward.wgsl?raw';
import activationBiasBackwardCode from '../../../shaders/activationBiasBackward.wgsl?raw';
import softmaxCode from '../../../shaders/softmax.wgsl?raw';
import softmaxBackwardCode from '../../../shaders/softmaxBackward.wgsl?raw';

/** The KIND override of activation.wgsl and activationBackward.wgsl. */
const KIND: Record<ActivationKind, number> = { linear: 0, relu: 1, leakyRelu: 2, elu: 3, sigmoid: 4, tanh: 5, relu6: 6 };
const KINDS = Object.keys(KIND) as ActivationKind[];

/** n: element count (in T's: src/kernels/lanes.ts); alpha: the leakyRelu slope for x <= 0, the elu scale (alpha * (exp(x) - 1) for x <= 0). */
const activationUniforms = { n: 'u32', alpha: 'f32' } as const;
/** rows: product of all axes but the last; c: length of the last axis (in T's); chunks: ceil(rows / CHUNK); alpha as above. */
const activationBiasUniforms = { rows: 'u32', c: 'u32', chunks: 'u32', alpha: 'f32' } as const;
/** rows: product of all axes but the last; c: length of the last axis. */
const softmaxUniforms = { rows: 'u32', c: 'u32' } as const;

const activationSpec = (kind: ActivationKind): PipelineSpec<typeof activationUniforms> =>
  ({ name: 'activation', code: activationCode, uniforms: activationUniforms, constants: { KIND: KIND[kind] } });
const activationBackwardSpec = (kind: ActivationKind): PipelineSpec<typeof activationUniforms> =>
  ({ name: 'activationBackward', code: activationBackwardCode, uniforms: activationUniforms, constants: { KIND: KIND[kind] } });
// The first stage of lib/chunkSum.wgsl: dz and the bias's partial sums per (chunk of rows, channel); the
// bias gradient's own second stage (sumChunks) adds them per channel.
const activationBiasSpec = (kind: ActivationKind): PipelineSpec<typeof activationBiasUniforms> =>
  ({ name: 'activationBiasBackward', code: activationBiasBackwardCode, uniforms: activationBiasUniforms, constants: { KIND: KIND[kind], STAGE: 0 } });
const SOFTMAX_WG = 64;
const softmaxSpec: PipelineSpec<typeof softmaxUniforms> =
  { name: 'softmax', code: softmaxCode, uniforms: softmaxUniforms, constants: { WG: SOFTMAX_WG } };
const softmaxBackwardSpec: PipelineSpec<typeof softmaxUniforms> =
  { name: 'softmaxBackward', code: softmaxBackwardCode, uniforms: softmaxUniforms, constants: { WG: SOFTMAX_WG } };

/** Every pipeline this family uses, created up front by the backend. */
export const pipelines: readonly PipelineSpec[] = [
  ...bothLanes(KINDS.map(activationSpec)), ...bothLanes(KINDS.map(activationBackwardSpec)),
  ...bothLanes(KINDS.map(activationBiasSpec)), softmaxSpec, softmaxBackwardSpec,
];

/** Floats per invocation of an element-wise pass over `size` floats: 4 where they are whole vec4s. */
const elementLanes = (size: number): Lanes => lanesFor(size);

export function activation(ctx: GpuContext, x: Tensor, kind: ActivationKind, alpha: number): Tensor {
  const y = ctx.output(x.shape, 'activation');
  const lanes = elementLanes(x.size);
  const n = x.size / lanes;
  ctx.run1d(laned(activationSpec(kind), lanes), { n, alpha }, [buf(x), buf(y)], n);
  return y;
}

export function activationBackward(ctx: GpuContext, dy: Tensor, x: Tensor, y: Tensor, kind: ActivationKind, alpha: number): Tensor {
  const dx = ctx.output(x.shape, 'activationBackward');
  const lanes = elementLanes(x.size);
  const n = x.size / lanes;
  ctx.run1d(laned(activationBackwardSpec(kind), lanes), { n, alpha }, [buf(dy), buf(x), buf(y), buf(dx)], n);
  return dx;
}

/** dz = dy * f'(x) and db = sum of dz over every axis but the last, with one read of dy. */
export function activationBiasBackward(ctx: GpuContext, dy: Tensor, x: Tensor, y: Tensor, kind: ActivationKind, alpha: number): { dz: Tensor; db: Tensor } {
  const [rows, c] = rowsAndC(x);
  const dz = ctx.output(x.shape, 'activationBiasBackward dz');
  const db = ctx.output([c], 'activationBiasBackward db');
  const chunks = Math.ceil(rows / REDUCTION_CHUNK);
  const part = ctx.scratch(Math.max(1, chunks * c), `activationBiasBackward partial sums of ${4 * chunks * c} bytes`);
  const lanes = lanesFor(c);
  const params = { rows, c: c / lanes, chunks, alpha };
  const buffers = [buf(dy), buf(x), buf(y), part, buf(dz), buf(db)];
  ctx.run1d(laned(activationBiasSpec(kind), lanes), params, buffers, chunks * c / lanes);
  sumChunks(ctx, dy, part, db, rows, c, chunks);
  ctx.release(part);
  return { dz, db };
}

function rowsAndC(t: Tensor): [number, number] {
  const c = t.shape[t.rank - 1] ?? 1;
  return [c === 0 ? 0 : t.size / c, c];
}

export function softmax(ctx: GpuContext, x: Tensor): Tensor {
  const [rows, c] = rowsAndC(x);
  const y = ctx.output(x.shape, 'softmax');
  ctx.run1d(softmaxSpec, { rows, c }, [buf(x), buf(y)], rows);
  return y;
}

/** Uses the y the forward saved. */
export function softmaxBackward(ctx: GpuContext, dy: Tensor, y: Tensor): Tensor {
  const [rows, c] = rowsAndC(y);
  const dx = ctx.output(y.shape, 'softmaxBackward');
  ctx.run1d(softmaxBackwardSpec, { rows, c }, [buf(dy), buf(y), buf(dx)], rows);
  return dx;
}
