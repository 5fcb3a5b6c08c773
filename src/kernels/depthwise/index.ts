// Depthwise convolution (each input channel with its own depthMultiplier
// filters, as tf.depthwiseConv2d) and its two gradients, as kernels; the public
// ops with their gradient are in ops.ts.

import type { Conv2dParams, FusedActivation, Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { expectRank } from '../checks.js';
import { checkFused } from '../shapeChecks.js';
import { defineKernel, op } from '../kernel.js';
import { depthwiseGeometry } from './geometry.js';
import * as cpu from './cpu.js';
import * as gpu from './webgpu.js';
import * as wasm from './wasm.js';

export { pipelines } from './webgpu.js';

export const depthwiseConv2dKernel = defineKernel({
  name: 'depthwiseConv2d',
  check(x: Tensor, filter: Tensor, p: Conv2dParams, bias: Tensor | null = null, activation: FusedActivation = 'linear') {
    expectRank('depthwiseConv2d', 'x', x, 4);
    const g = depthwiseGeometry('depthwiseConv2d', x.shape, filter.shape, p);
    if (bias && (bias.rank !== 1 || bias.shape[0] !== g.c * g.m)) throw new Error(`depthwiseConv2d: bias must have shape [${g.c * g.m}], got [${bias.shape.join(', ')}]`);
    checkFused('depthwiseConv2d', activation);
  },
  cpu: cpu.depthwiseConv2d,
  webgpu: gpu.depthwiseConv2d,
  wasm: wasm.depthwiseConv2d,
});

export const depthwiseConv2dBackwardInputKernel = defineKernel({
  name: 'depthwiseConv2dBackwardInput',
  check(dy: Tensor, filter: Tensor, xShape: Shape, p: Conv2dParams) {
    const g = depthwiseGeometry('depthwiseConv2dBackwardInput', xShape, filter.shape, p);
    expectRank('depthwiseConv2dBackwardInput', 'dy', dy, 4);
    if (dy.shape.join() !== [g.n, g.oh, g.ow, g.c * g.m].join()) throw new Error(`depthwiseConv2dBackwardInput: dy must have shape [${g.n}, ${g.oh}, ${g.ow}, ${g.c * g.m}], got [${dy.shape.join(', ')}]`);
  },
  cpu: cpu.depthwiseConv2dBackwardInput,
  webgpu: gpu.depthwiseConv2dBackwardInput,
  wasm: wasm.depthwiseConv2dBackwardInput,
});

export const depthwiseConv2dBackwardFilterKernel = defineKernel({
  name: 'depthwiseConv2dBackwardFilter',
  check(x: Tensor, dy: Tensor, fShape: Shape, p: Conv2dParams) {
    expectRank('depthwiseConv2dBackwardFilter', 'x', x, 4);
    const g = depthwiseGeometry('depthwiseConv2dBackwardFilter', x.shape, fShape, p);
    if (dy.shape.join() !== [g.n, g.oh, g.ow, g.c * g.m].join()) throw new Error(`depthwiseConv2dBackwardFilter: dy must have shape [${g.n}, ${g.oh}, ${g.ow}, ${g.c * g.m}], got [${dy.shape.join(', ')}]`);
  },
  cpu: cpu.depthwiseConv2dBackwardFilter,
  webgpu: gpu.depthwiseConv2dBackwardFilter,
  wasm: wasm.depthwiseConv2dBackwardFilter,
});

export const depthwiseConv2dBackwardInput = op(depthwiseConv2dBackwardInputKernel);
export const depthwiseConv2dBackwardFilter = op(depthwiseConv2dBackwardFilterKernel);
/** The raw kernel (NHWC batch, params resolved; optional bias and fused activation, for inference), without the op's conversions and gradient. */
export const depthwiseConv2dRaw = op(depthwiseConv2dKernel);
