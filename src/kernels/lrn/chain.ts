// x.localResponseNormalization(depthRadius?, bias?, alpha?, beta?), the chained
// method TF.js's tensors have, installed on Tensor's prototype when webcnn
// loads (as src/chain.ts installs the others).

import { Tensor } from '../../tensor.js';
import { localResponseNormalization } from './ops.js';

declare module '../../tensor.js' {
  interface Tensor {
    localResponseNormalization(depthRadius?: number, bias?: number, alpha?: number, beta?: number): Tensor;
  }
}

Object.defineProperty(Tensor.prototype, 'localResponseNormalization', {
  value(this: Tensor, depthRadius?: number, bias?: number, alpha?: number, beta?: number) {
    return localResponseNormalization(this, depthRadius, bias, alpha, beta);
  },
  writable: true, configurable: true,
});
