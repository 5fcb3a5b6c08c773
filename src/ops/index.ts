// The public ops (wc.ops): each checks its arguments and runs its kernel
// (src/kernels) on the backend that owns its tensors.
export * from '../kernels/geometry.js';
export { ACTIVATION_KINDS, activation, activationBackward, activationBiasBackward, softmax, softmaxBackward } from '../kernels/activation/index.js';
export { batchNormTrain, batchNormInference, batchNormBackward, movingAverageUpdate } from '../kernels/batchNorm/index.js';
export {
  conv2d, conv2dColumns, conv2dBackwardInput, conv2dBackwardFilter, conv2dForTraining, conv2dFilterGrad, type Conv2dSaved,
} from '../kernels/conv2d/index.js';
export { dropout, dropoutBackward } from '../kernels/dropout/index.js';
export { locallyConnected2d, locallyConnected2dBackwardInput, locallyConnected2dBackwardFilter } from '../kernels/locallyConnected2d/index.js';
export {
  LOSS_KINDS, METRIC_KINDS, loss, lossBackward, softmaxCrossEntropyBackward, metric, sparseLabelCheck, penalty, penaltyBackward,
} from '../kernels/loss/index.js';
export { matmul, biasAdd, biasAddBackward } from '../kernels/matmul/index.js';
export { mul, mulBackward } from '../kernels/mul.js';
export { sgdUpdate, momentumUpdate, adamUpdate, rmspropUpdate } from '../kernels/optimizer/index.js';
export { lossGuard, guardedAccumulate } from '../kernels/stepGuard/index.js';
export { maxPool2d, maxPool2dBackward, avgPool2d, avgPool2dBackward } from '../kernels/pool2d/index.js';
export { zeroPad2d, zeroPad2dBackward, add, scale, concat, concatBackward, gatherRows, sum } from '../kernels/structure/index.js';
export { unary, binary, where, sumToShape, UNARY_OPS, BINARY_OPS } from '../kernels/elementwise/index.js';
export { stridedCopy, concatAxis, tileSum, gatherAxis, gatherAxisBackward, oneHotRows } from '../kernels/layout/index.js';
export { reduce, reduceBackward, softmaxAxis, softmaxAxisBackward } from '../kernels/reduce/index.js';
export { batchMatMul } from '../kernels/linalg/index.js';
export { depthwiseConv2dRaw as depthwiseConv2d, depthwiseConv2dBackwardInput, depthwiseConv2dBackwardFilter } from '../kernels/depthwise/index.js';
export { minPool2d, minPool2dBackward, sumPool2d, sumPool2dBackward, l2Pool2d, l2Pool2dBackward } from '../kernels/pool2d/index.js';
export { lrn, lrnBackward, type LrnParams } from '../kernels/lrn/index.js';
export { maxout, maxoutBackward } from '../kernels/maxout/index.js';
export { upSampling2d, upSampling2dBackward, type UpSampling2dParams, type Interpolation } from '../kernels/decoder/index.js';
export { resize, resizeBackward, cropAndResize, cropAndResizeBackward, type ResizeParams, type CropAndResizeParams, type ResizeMethod } from '../kernels/image/index.js';
export { fromPixels } from '../kernels/pixels/index.js';
export {
  transform, transformBackward, displace, displaceBackward, type TransformParams, type SampleParams, type FillMode, type TransformInterpolation,
} from '../kernels/augment/index.js';
