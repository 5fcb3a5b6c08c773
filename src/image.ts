// wc.image: TF.js's tf.image ops (resize and crop), differentiable with respect to the images.

export { cropAndResize, resizeBilinear, resizeNearestNeighbor } from './kernels/image/ops.js';
