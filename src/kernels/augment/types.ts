// The parameters of the augmentation samplers, shared by the kernel's checks and its implementations.

export type FillMode = 'constant' | 'reflect' | 'wrap' | 'nearest';
export type TransformInterpolation = 'nearest' | 'bilinear';

/** How a source position is read: interpolation, what lies outside the image (fillMode), and the constant fill. */
export interface SampleParams {
  interpolation: TransformInterpolation;
  fillMode: FillMode;
  fillValue: number;
}

/** outputShape: the output's [height, width]. */
export interface TransformParams extends SampleParams {
  outputShape: readonly [number, number];
}
