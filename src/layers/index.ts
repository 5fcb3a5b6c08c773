// wc.layers.*: one factory per layer, named as TF.js names them.

import type { LayerArgs } from './layer.js';
import { Conv2D, type Conv2DArgs } from './conv2d.js';
import { Dense, type DenseArgs } from './dense.js';
import { AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, MaxPooling2D, type GlobalPooling2DArgs, type Pooling2DArgs } from './pooling.js';
import { Activation, Dropout, ELU, Flatten, LeakyReLU, ReLU, Reshape, Softmax, type ReLUArgs } from './core.js';
import type { ActivationName } from './activations.js';
import { BatchNormalization, type BatchNormalizationArgs } from './normalization.js';
import { ZeroPadding2D, type ZeroPadding2DArgs } from './padding.js';
import { Add, Concatenate } from './merge.js';
import { LocallyConnected2D, type LocallyConnected2DArgs } from './locallyConnected.js';
import { InputLayer, type InputLayerArgs } from './input.js';
import { DepthwiseConv2D, SeparableConv2D, type DepthwiseConv2DArgs, type SeparableConv2DArgs } from './depthwiseConv.js';
import { GlobalL2Pooling2D, GlobalMinPooling2D, GlobalSumPooling2D, L2Pooling2D, MinPooling2D, SumPooling2D } from './pooling.js';
import { Conv2DTranspose, type Conv2DTransposeArgs } from './conv2dTranspose.js';
import { UpSampling2D, type UpSampling2DArgs } from './upSampling.js';
import { Cropping2D, type Cropping2DArgs } from './cropping.js';

export const conv2d = (args: Conv2DArgs): Conv2D => new Conv2D(args);
export const dense = (args: DenseArgs): Dense => new Dense(args);
export const maxPooling2d = (args: Pooling2DArgs = {}): MaxPooling2D => new MaxPooling2D(args);
export const maxPool2d = maxPooling2d;
export const averagePooling2d = (args: Pooling2DArgs = {}): AveragePooling2D => new AveragePooling2D(args);
export const avgPool2d = averagePooling2d;
export const globalAveragePooling2d = (args: GlobalPooling2DArgs = {}): GlobalAveragePooling2D => new GlobalAveragePooling2D(args);
export const globalMaxPooling2d = (args: GlobalPooling2DArgs = {}): GlobalMaxPooling2D => new GlobalMaxPooling2D(args);
export const flatten = (args: LayerArgs = {}): Flatten => new Flatten(args);
export const reshape = (args: LayerArgs & { targetShape: readonly number[] }): Reshape => new Reshape(args);
export const activation = (args: LayerArgs & { activation: ActivationName }): Activation => new Activation(args);
export const reLU = (args: ReLUArgs = {}): ReLU => new ReLU(args);
export const leakyReLU = (args: LayerArgs & { alpha?: number } = {}): LeakyReLU => new LeakyReLU(args);
export const elu = (args: LayerArgs & { alpha?: number } = {}): ELU => new ELU(args);
export const softmax = (args: LayerArgs & { axis?: number | readonly number[] } = {}): Softmax => new Softmax(args);
export const batchNormalization = (args: BatchNormalizationArgs = {}): BatchNormalization => new BatchNormalization(args);
export const dropout = (args: LayerArgs & { rate: number; seed?: number }): Dropout => new Dropout(args);
export const zeroPadding2d = (args: ZeroPadding2DArgs = {}): ZeroPadding2D => new ZeroPadding2D(args);
export const add = (args: LayerArgs = {}): Add => new Add(args);
export const concatenate = (args: LayerArgs & { axis?: number } = {}): Concatenate => new Concatenate(args);
export const locallyConnected2d = (args: LocallyConnected2DArgs): LocallyConnected2D => new LocallyConnected2D(args);
export const inputLayer = (args: InputLayerArgs): InputLayer => new InputLayer(args);
export const depthwiseConv2d = (args: DepthwiseConv2DArgs): DepthwiseConv2D => new DepthwiseConv2D(args);
export const separableConv2d = (args: SeparableConv2DArgs): SeparableConv2D => new SeparableConv2D(args);
// webcnn extras (no TF.js layer): min, sum and L2-norm pooling and their global forms.
export const minPooling2d = (args: Pooling2DArgs = {}): MinPooling2D => new MinPooling2D(args);
export const sumPooling2d = (args: Pooling2DArgs = {}): SumPooling2D => new SumPooling2D(args);
export const l2Pooling2d = (args: Pooling2DArgs = {}): L2Pooling2D => new L2Pooling2D(args);
export const globalMinPooling2d = (args: GlobalPooling2DArgs = {}): GlobalMinPooling2D => new GlobalMinPooling2D(args);
export const globalSumPooling2d = (args: GlobalPooling2DArgs = {}): GlobalSumPooling2D => new GlobalSumPooling2D(args);
export const globalL2Pooling2d = (args: GlobalPooling2DArgs = {}): GlobalL2Pooling2D => new GlobalL2Pooling2D(args);
export const conv2dTranspose = (args: Conv2DTransposeArgs): Conv2DTranspose => new Conv2DTranspose(args);
export const upSampling2d = (args: UpSampling2DArgs = {}): UpSampling2D => new UpSampling2D(args);
export const cropping2D = (args: Cropping2DArgs): Cropping2D => new Cropping2D(args);
export const cropping2d = cropping2D;

export {
  Conv2D, Dense, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, Flatten, Reshape,
  Activation, ReLU, LeakyReLU, ELU, Softmax, BatchNormalization, Dropout, ZeroPadding2D, Add, Concatenate,
  LocallyConnected2D, InputLayer, DepthwiseConv2D, SeparableConv2D,
};
export type { DepthwiseConv2DArgs, SeparableConv2DArgs } from './depthwiseConv.js';
export type { ReLUArgs } from './core.js';
export { MinPooling2D, SumPooling2D, L2Pooling2D, GlobalMinPooling2D, GlobalSumPooling2D, GlobalL2Pooling2D };
export { Conv2DTranspose, UpSampling2D, Cropping2D };
export type { Conv2DTransposeArgs, UpSampling2DArgs, Cropping2DArgs };
export { Layer, LayerVariable, SymbolicTensor, Node } from './layer.js';
export type { LayerArgs, LayerConfig, ConfigValue, SymShape, BackwardOptions, LayerGrads, ApplyArgs, CallArgs } from './layer.js';
export type { ActivationName } from './activations.js';

// issue 20: normalization and activation layers (src/layers/activationLayers.ts)
import {
  LocalResponseNormalization, Maxout, PReLU, ThresholdedReLU, type LocalResponseNormalizationArgs, type MaxoutArgs, type PReLUArgs,
} from './activationLayers.js';
export const localResponseNormalization = (args: LocalResponseNormalizationArgs = {}): LocalResponseNormalization => new LocalResponseNormalization(args);
export const prelu = (args: PReLUArgs = {}): PReLU => new PReLU(args);
export const thresholdedReLU = (args: LayerArgs & { theta?: number } = {}): ThresholdedReLU => new ThresholdedReLU(args);
export const maxout = (args: MaxoutArgs): Maxout => new Maxout(args);
export { LocalResponseNormalization, PReLU, ThresholdedReLU, Maxout };
export type { LocalResponseNormalizationArgs, PReLUArgs, MaxoutArgs };

// issue 21: preprocessing layers (src/layers/preprocessing/)
export * from './preprocessing/index.js';
