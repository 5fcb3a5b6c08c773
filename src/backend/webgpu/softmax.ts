// Softmax over the last axis and its backward.
// Shaders: shaders/softmax.wgsl, shaders/softmaxBackward.wgsl.

import type { Tensor } from '../../tensor.js';
import { GpuContext, Params, buf } from './context.js';
import type { PipelineSpec } from './pipelines.js';
import softmaxCode from '../../../shaders/softmax.wgsl?raw';
import softmaxBackwardCode from '../../../shaders/softmaxBackward.wgsl?raw';

const WG = 64;
const softmaxSpec: PipelineSpec = { name: 'softmax', code: softmaxCode, constants: { WG } };
const softmaxBackwardSpec: PipelineSpec = { name: 'softmaxBackward', code: softmaxBackwardCode, constants: { WG } };

export const pipelines: readonly PipelineSpec[] = [softmaxSpec, softmaxBackwardSpec];

function rowsAndC(t: Tensor): [number, number] {
  const c = t.shape[t.rank - 1] ?? 1;
  return [c === 0 ? 0 : t.size / c, c];
}

export function softmax(ctx: GpuContext, x: Tensor): Tensor {
  const [rows, c] = rowsAndC(x);
  const y = ctx.output(x.shape, 'softmax');
  ctx.run1d(softmaxSpec, new Params().u32(rows).u32(c), [buf(x), buf(y)], rows);
  return y;
}

/** Uses the y the forward saved. */
export function softmaxBackward(ctx: GpuContext, dy: Tensor, y: Tensor): Tensor {
  const [rows, c] = rowsAndC(y);
  const dx = ctx.output(y.shape, 'softmaxBackward');
  ctx.run1d(softmaxBackwardSpec, new Params().u32(rows).u32(c), [buf(dy), buf(y), buf(dx)], rows);
  return dx;
}
