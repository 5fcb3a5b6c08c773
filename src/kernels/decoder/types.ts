// The parameters of up-sampling, shared by the kernel's checks and its implementations.

export type Interpolation = 'nearest' | 'bilinear';

/** size: the whole factors [rows, cols]; interpolation as TF.js's UpSampling2D ('nearest' by default there). */
export interface UpSampling2dParams {
  size: readonly [number, number];
  interpolation: Interpolation;
}
