// The parameters of resizing and crop-and-resize, shared by the kernel's checks and its implementations.

export type ResizeMethod = 'nearest' | 'bilinear';

/** size: the output's [height, width]; the flags as TF.js's resizeBilinear / resizeNearestNeighbor. */
export interface ResizeParams {
  size: readonly [number, number];
  method: ResizeMethod;
  alignCorners: boolean;
  halfPixelCenters: boolean;
}

/** cropSize: each crop's [height, width]; extrapolationValue fills samples outside the image. */
export interface CropAndResizeParams {
  cropSize: readonly [number, number];
  method: ResizeMethod;
  extrapolationValue: number;
}
