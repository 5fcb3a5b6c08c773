// Every kernel of the backend contract (all methods but the memory ones), in
// one list: verification mode wraps these to check each call, and the
// profiler wraps them to name and time each call.

import type { Backend } from './types.js';

export const KERNEL_NAMES = [
  'conv2d', 'conv2dColumns', 'conv2dBackwardInput', 'conv2dBackwardFilter', 'matmul', 'biasAdd', 'biasAddBackward',
  'maxPool2d', 'maxPool2dBackward', 'avgPool2d', 'avgPool2dBackward',
  'activation', 'activationBackward', 'softmax', 'softmaxBackward',
  'batchNormTrain', 'batchNormInference', 'batchNormBackward', 'movingAverageUpdate',
  'dropout', 'dropoutBackward', 'zeroPad2d', 'zeroPad2dBackward', 'add', 'scale', 'concat',
  'concatBackward', 'gatherRows', 'sum', 'locallyConnected2d', 'locallyConnected2dBackwardInput',
  'locallyConnected2dBackwardFilter', 'loss', 'lossBackward', 'softmaxCrossEntropyBackward', 'metric', 'sparseLabelCheck',
  'penalty', 'penaltyBackward', 'sgdUpdate', 'momentumUpdate', 'adamUpdate', 'rmspropUpdate',
] as const satisfies readonly (keyof Backend)[];

export type KernelName = (typeof KERNEL_NAMES)[number];
