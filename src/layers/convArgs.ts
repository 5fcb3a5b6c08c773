// The arguments every convolution-like layer reads the same way: its window
// (kernelSize, strides, padding, dilationRate, channels-last) and its
// activation and bias. Each error names the layer.

import { getActivation, type ActivationName } from './activations.js';
import { getInitializer, zeros, type Initializer, type InitializerIdentifier } from './initializers.js';
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from './regularizers.js';
import { channelsLast, oneOf, positivePair, shown } from './args.js';

export interface ConvWindowArgs {
  kernelSize?: number | readonly number[];
  strides?: number | readonly number[];
  padding?: 'valid' | 'same';
  dataFormat?: 'channelsLast';
  dilationRate?: number | readonly number[];
}

export interface ConvWindow {
  kernelSize: [number, number];
  strides: [number, number];
  padding: 'valid' | 'same';
  dilationRate: [number, number];
}

/** kernelSize is required; strides and dilation cannot both exceed 1 (TF.js's and Keras's convolutions refuse it). */
export function convWindow(where: string, args: ConvWindowArgs): ConvWindow {
  if (args.kernelSize === undefined) throw new Error(`${where}: kernelSize is required (a positive integer or two)`);
  const kernelSize = positivePair(where, 'kernelSize', args.kernelSize, [1, 1]);
  const strides = positivePair(where, 'strides', args.strides, [1, 1]);
  const padding = oneOf(where, 'padding', args.padding, ['valid', 'same'], 'valid');
  const dilationRate = positivePair(where, 'dilationRate', args.dilationRate, [1, 1]);
  if ((strides[0] > 1 || strides[1] > 1) && (dilationRate[0] > 1 || dilationRate[1] > 1)) {
    throw new Error(`${where}: strides ${shown(strides)} and dilationRate ${shown(dilationRate)} cannot both exceed 1`);
  }
  channelsLast(where, args.dataFormat);
  return { kernelSize, strides, padding, dilationRate };
}

export interface BiasArgs {
  activation?: ActivationName;
  useBias?: boolean;
  biasInitializer?: InitializerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
}

export interface Bias {
  activation: ActivationName;
  useBias: boolean;
  biasInitializer: Initializer;
  biasRegularizer: Regularizer | null;
}

/** The activation and the bias: used by default, zeros, no regularizer. */
export function biasAndActivation(where: string, args: BiasArgs): Bias {
  return {
    activation: getActivation(args.activation, where),
    useBias: args.useBias ?? true,
    biasInitializer: getInitializer(args.biasInitializer, zeros, where),
    biasRegularizer: getRegularizer(args.biasRegularizer, where),
  };
}
