// wc.image: TF.js's tf.image ops (resize, crop and transform), differentiable with respect to the images.

export { cropAndResize, resizeBilinear, resizeNearestNeighbor } from './kernels/image/ops.js';
export { transform } from './kernels/augment/ops.js';
