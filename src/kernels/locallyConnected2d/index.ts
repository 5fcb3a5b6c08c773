// Keras LocallyConnected2D (implementation 1, 'valid' padding): unshared
// weights w [oh*ow, kh*kw*cin, cout], bias [oh, ow, cout], and its backwards.

import type { LocallyConnected2dParams, Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { shapeToString } from '../../tensor.js';
import { expectRank } from '../checks.js';
import { windowGeometry } from '../geometry.js';
import { defineKernel, op } from '../kernel.js';
import { checkDy } from '../shapeChecks.js';
import * as cpu from './cpu.js';
import * as gpu from './webgpu.js';
import * as wasm from './wasm.js';

export { pipelines } from './webgpu.js';

/** Validates a locally-connected layer's shapes and returns its output shape [n, oh, ow, cout]. */
function lcOutputShape(name: string, xShape: Shape, wShape: Shape, p: LocallyConnected2dParams): number[] {
  const g = windowGeometry(name, xShape, p.kernelSize, p.strides, [1, 1], 'valid');
  const expected = [g.oh * g.ow, g.kh * g.kw * g.c];
  if (wShape.length !== 3 || wShape[0] !== expected[0] || wShape[1] !== expected[1] || !(wShape[2] >= 1)) {
    throw new Error(`${name}: expected a kernel of shape [${expected[0]}, ${expected[1]}, cout] (oh*ow, kh*kw*cin, cout), got ${shapeToString(wShape)}`);
  }
  return [g.n, g.oh, g.ow, wShape[2]];
}

export const locallyConnected2dKernel = defineKernel({
  name: 'locallyConnected2d',
  check(x: Tensor, w: Tensor, bias: Tensor | null, p: LocallyConnected2dParams) {
    expectRank('locallyConnected2d', 'x', x, 4);
    const [, oh, ow, cout] = lcOutputShape('locallyConnected2d', x.shape, w.shape, p);
    if (bias && (bias.rank !== 3 || bias.shape[0] !== oh || bias.shape[1] !== ow || bias.shape[2] !== cout)) {
      throw new Error(`locallyConnected2d: expected a bias of shape [${oh}, ${ow}, ${cout}], got ${shapeToString(bias.shape)}`);
    }
  },
  cpu: cpu.locallyConnected2d,
  webgpu: gpu.locallyConnected2d,
  wasm: wasm.locallyConnected2d,
});

export const locallyConnected2dBackwardInputKernel = defineKernel({
  name: 'locallyConnected2dBackwardInput',
  check(dy: Tensor, w: Tensor, xShape: Shape, p: LocallyConnected2dParams) {
    checkDy('locallyConnected2dBackwardInput', dy, lcOutputShape('locallyConnected2dBackwardInput', xShape, w.shape, p));
  },
  cpu: cpu.locallyConnected2dBackwardInput,
  webgpu: gpu.locallyConnected2dBackwardInput,
  wasm: wasm.locallyConnected2dBackwardInput,
});

export const locallyConnected2dBackwardFilterKernel = defineKernel({
  name: 'locallyConnected2dBackwardFilter',
  check(x: Tensor, dy: Tensor, wShape: Shape, p: LocallyConnected2dParams) {
    expectRank('locallyConnected2dBackwardFilter', 'x', x, 4);
    checkDy('locallyConnected2dBackwardFilter', dy, lcOutputShape('locallyConnected2dBackwardFilter', x.shape, wShape, p));
  },
  cpu: cpu.locallyConnected2dBackwardFilter,
  webgpu: gpu.locallyConnected2dBackwardFilter,
  wasm: wasm.locallyConnected2dBackwardFilter,
});

export const locallyConnected2d = op(locallyConnected2dKernel);
export const locallyConnected2dBackwardInput = op(locallyConnected2dBackwardInputKernel);
export const locallyConnected2dBackwardFilter = op(locallyConnected2dBackwardFilterKernel);
