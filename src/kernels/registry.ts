// Every kernel, one line each, and every WebGPU pipeline they can use. Adding
// an op adds its line here (docs/CONTRIBUTING.md walks through it).

import type { Backend } from '../backend/types.js';
import type { Kernel } from './kernel.js';
import type { PipelineSpec } from '../backend/webgpu/pipelines.js';
import * as activation from './activation/index.js';
import * as batchNorm from './batchNorm/index.js';
import * as conv2d from './conv2d/index.js';
import * as depthwise from './depthwise/index.js';
import * as dropout from './dropout/index.js';
import * as elementwise from './elementwise/index.js';
import * as layout from './layout/index.js';
import * as linalg from './linalg/index.js';
import * as locallyConnected2d from './locallyConnected2d/index.js';
import * as loss from './loss/index.js';
import * as matmul from './matmul/index.js';
import * as mul from './mul.js';
import * as pixels from './pixels/index.js';
import * as optimizer from './optimizer/index.js';
import * as stepGuard from './stepGuard/index.js';
import * as pool2d from './pool2d/index.js';
import * as reduce from './reduce/index.js';
import * as structure from './structure/index.js';
import * as lrn from './lrn/index.js';
import * as maxout from './maxout/index.js';
import * as decoder from './decoder/index.js';
import * as image from './image/index.js';
import * as augment from './augment/index.js';

export const KERNELS = {
  conv2d: conv2d.conv2dKernel,
  conv2dColumns: conv2d.conv2dColumnsKernel,
  conv2dBackwardInput: conv2d.conv2dBackwardInputKernel,
  conv2dBackwardFilter: conv2d.conv2dBackwardFilterKernel,
  conv2dKeepsColumns: conv2d.conv2dKeepsColumnsKernel,
  depthwiseConv2d: depthwise.depthwiseConv2dKernel,
  depthwiseConv2dBackwardInput: depthwise.depthwiseConv2dBackwardInputKernel,
  depthwiseConv2dBackwardFilter: depthwise.depthwiseConv2dBackwardFilterKernel,
  matmul: matmul.matmulKernel,
  biasAdd: matmul.biasAddKernel,
  biasAddBackward: matmul.biasAddBackwardKernel,
  maxPool2d: pool2d.maxPool2dKernel,
  maxPool2dBackward: pool2d.maxPool2dBackwardKernel,
  avgPool2d: pool2d.avgPool2dKernel,
  avgPool2dBackward: pool2d.avgPool2dBackwardKernel,
  activation: activation.activationKernel,
  activationBackward: activation.activationBackwardKernel,
  activationBiasBackward: activation.activationBiasBackwardKernel,
  softmax: activation.softmaxKernel,
  softmaxBackward: activation.softmaxBackwardKernel,
  batchNormTrain: batchNorm.batchNormTrainKernel,
  batchNormInference: batchNorm.batchNormInferenceKernel,
  batchNormBackward: batchNorm.batchNormBackwardKernel,
  movingAverageUpdate: batchNorm.movingAverageUpdateKernel,
  dropout: dropout.dropoutKernel,
  dropoutBackward: dropout.dropoutBackwardKernel,
  zeroPad2d: structure.zeroPad2dKernel,
  zeroPad2dBackward: structure.zeroPad2dBackwardKernel,
  add: structure.addKernel,
  mul: mul.mulKernel,
  scale: structure.scaleKernel,
  concat: structure.concatKernel,
  concatBackward: structure.concatBackwardKernel,
  gatherRows: structure.gatherRowsKernel,
  sum: structure.sumKernel,
  locallyConnected2d: locallyConnected2d.locallyConnected2dKernel,
  locallyConnected2dBackwardInput: locallyConnected2d.locallyConnected2dBackwardInputKernel,
  locallyConnected2dBackwardFilter: locallyConnected2d.locallyConnected2dBackwardFilterKernel,
  loss: loss.lossKernel,
  lossBackward: loss.lossBackwardKernel,
  softmaxCrossEntropyBackward: loss.softmaxCrossEntropyBackwardKernel,
  metric: loss.metricKernel,
  sparseLabelCheck: loss.sparseLabelCheckKernel,
  penalty: loss.penaltyKernel,
  penaltyBackward: loss.penaltyBackwardKernel,
  sgdUpdate: optimizer.sgdUpdateKernel,
  momentumUpdate: optimizer.momentumUpdateKernel,
  adamUpdate: optimizer.adamUpdateKernel,
  rmspropUpdate: optimizer.rmspropUpdateKernel,
  lossGuard: stepGuard.lossGuardKernel,
  guardedAccumulate: stepGuard.guardedAccumulateKernel,
  unary: elementwise.unaryKernel,
  binary: elementwise.binaryKernel,
  where: elementwise.whereKernel,
  sumToShape: elementwise.sumToShapeKernel,
  stridedCopy: layout.stridedCopyKernel,
  concatAxis: layout.concatAxisKernel,
  tileSum: layout.tileSumKernel,
  gatherAxis: layout.gatherAxisKernel,
  gatherAxisBackward: layout.gatherAxisBackwardKernel,
  oneHotRows: layout.oneHotRowsKernel,
  reduce: reduce.reduceKernel,
  reduceBackward: reduce.reduceBackwardKernel,
  softmaxAxis: reduce.softmaxAxisKernel,
  softmaxAxisBackward: reduce.softmaxAxisBackwardKernel,
  batchMatMul: linalg.batchMatMulKernel,
  minPool2d: pool2d.minPool2dKernel,
  minPool2dBackward: pool2d.minPool2dBackwardKernel,
  sumPool2d: pool2d.sumPool2dKernel,
  sumPool2dBackward: pool2d.sumPool2dBackwardKernel,
  l2Pool2d: pool2d.l2Pool2dKernel,
  l2Pool2dBackward: pool2d.l2Pool2dBackwardKernel,
  lrn: lrn.lrnKernel,
  lrnBackward: lrn.lrnBackwardKernel,
  maxout: maxout.maxoutKernel,
  maxoutBackward: maxout.maxoutBackwardKernel,
  upSampling2d: decoder.upSampling2dKernel,
  upSampling2dBackward: decoder.upSampling2dBackwardKernel,
  resize: image.resizeKernel,
  resizeBackward: image.resizeBackwardKernel,
  cropAndResize: image.cropAndResizeKernel,
  cropAndResizeBackward: image.cropAndResizeBackwardKernel,
  fromPixels: pixels.fromPixelsKernel,
  transform: augment.transformKernel,
  transformBackward: augment.transformBackwardKernel,
  displace: augment.displaceKernel,
  displaceBackward: augment.displaceBackwardKernel,
} as const satisfies Record<string, Kernel<never, unknown>>;

export type KernelName = keyof typeof KERNELS;

/** Looks a kernel up by name (tests and tools that name kernels as strings). */
export function kernelNamed(name: string): Kernel<readonly unknown[], unknown> {
  const k = (KERNELS as Record<string, Kernel<never, unknown>>)[name];
  if (!k) throw new Error(`no kernel named ${JSON.stringify(name)}; expected one of ${Object.keys(KERNELS).join(', ')}`);
  return k as unknown as Kernel<readonly unknown[], unknown>;
}

/** Every pipeline of every WebGPU program (prepareAll compiles them; tests check each one builds). */
export const PIPELINES: readonly PipelineSpec[] = [
  activation, batchNorm, conv2d, depthwise, dropout, locallyConnected2d, loss, matmul, mul, optimizer, stepGuard, pool2d, structure, elementwise, layout, reduce, linalg,
  lrn, maxout,
  decoder,
  image,
  pixels,
  augment,
].flatMap((family) => family.pipelines);

/** The kernels as methods of one backend, called without the ops' checks (tests and tools). */
export type KernelCalls = {
  [K in KernelName]: (...args: Parameters<(typeof KERNELS)[K]['cpu']>) => ReturnType<(typeof KERNELS)[K]['cpu']>;
};

export function kernelsOf(backend: Backend): KernelCalls {
  return new Proxy({} as KernelCalls, {
    get: (_, name) => (...args: unknown[]) => backend.run(kernelNamed(String(name)), args),
  });
}
