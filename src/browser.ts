// wc.browser: images to tensors and back, as TF.js's tf.browser.
// fromPixels works in Node too, on raw RGBA buffers ({ data, width, height }),
// and so does toPixels without a canvas.

export { fromPixels, type FromPixelsInput, type PixelData, type ImageSource } from './kernels/pixels/index.js';
export { toPixels } from './kernels/pixels/toPixels.js';
