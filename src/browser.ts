// wc.browser: turning images into tensors, as TF.js's tf.browser.
// fromPixels works in Node too, on raw RGBA buffers ({ data, width, height }).

export { fromPixels, type FromPixelsInput, type PixelData, type ImageSource } from './kernels/pixels/index.js';
