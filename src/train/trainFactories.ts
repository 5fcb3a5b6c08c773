// wc.train: TF.js's optimizer factories with their positional arguments
// (tf.train.sgd(0.1)), so code written against tf.train ports unchanged. They
// make the same optimizers as wc.optimizers.

import { Adam, RMSProp, SGD } from './optimizers.js';

/** tf.train.sgd(learningRate). */
export const sgd = (learningRate: number): SGD => new SGD({ learningRate });
/** tf.train.momentum(learningRate, momentum, useNesterov = false). */
export const momentum = (learningRate: number, momentumValue: number, useNesterov = false): SGD =>
  new SGD({ learningRate, momentum: momentumValue, nesterov: useNesterov });
/** tf.train.adam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon?). */
export const adam = (learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon?: number): Adam =>
  new Adam({ learningRate, beta1, beta2, epsilon });
/** tf.train.rmsprop(learningRate, decay = 0.9, momentum = 0, epsilon?, centered = false). */
export const rmsprop = (learningRate: number, decay = 0.9, momentumValue = 0, epsilon?: number, centered = false): RMSProp =>
  new RMSProp({ learningRate, decay, momentum: momentumValue, epsilon, centered });
