// The preprocessing layers: Keras's names and configs; the random ones act
// only in training. Factories in TF.js's style (wc.layers.randomFlip(...)).

import { Rescaling, type RescalingArgs } from './rescaling.js';
import { Normalization, type NormalizationArgs } from './normalization.js';
import { Resizing, type ResizingArgs } from './resizing.js';
import { CenterCrop, type CenterCropArgs } from './centerCrop.js';
import { RandomCrop, type RandomCropArgs } from './randomCrop.js';
import { RandomFlip, type RandomFlipArgs, type FlipMode } from './randomFlip.js';
import { RandomRotation, type RandomRotationArgs } from './randomRotation.js';
import { RandomTranslation, type RandomTranslationArgs } from './randomTranslation.js';
import { RandomZoom, type RandomZoomArgs } from './randomZoom.js';
import { RandomContrast, type RandomContrastArgs } from './randomContrast.js';
import { RandomBrightness, type RandomBrightnessArgs } from './randomBrightness.js';
import { RandomElasticDeformation, type RandomElasticDeformationArgs } from './randomElasticDeformation.js';
import { RandomHeight, RandomWidth, type RandomResizeArgs } from './randomResize.js';

export const rescaling = (args: RescalingArgs): Rescaling => new Rescaling(args);
export const normalization = (args: NormalizationArgs = {}): Normalization => new Normalization(args);
export const resizing = (args: ResizingArgs): Resizing => new Resizing(args);
export const centerCrop = (args: CenterCropArgs): CenterCrop => new CenterCrop(args);
export const randomCrop = (args: RandomCropArgs): RandomCrop => new RandomCrop(args);
export const randomFlip = (args: RandomFlipArgs = {}): RandomFlip => new RandomFlip(args);
export const randomRotation = (args: RandomRotationArgs): RandomRotation => new RandomRotation(args);
export const randomTranslation = (args: RandomTranslationArgs): RandomTranslation => new RandomTranslation(args);
export const randomZoom = (args: RandomZoomArgs): RandomZoom => new RandomZoom(args);
export const randomContrast = (args: RandomContrastArgs): RandomContrast => new RandomContrast(args);
export const randomBrightness = (args: RandomBrightnessArgs): RandomBrightness => new RandomBrightness(args);
export const randomWidth = (args: RandomResizeArgs): RandomWidth => new RandomWidth(args);
export const randomHeight = (args: RandomResizeArgs): RandomHeight => new RandomHeight(args);
export const randomElasticDeformation = (args: RandomElasticDeformationArgs = {}): RandomElasticDeformation => new RandomElasticDeformation(args);

export {
  Rescaling, Normalization, Resizing, CenterCrop, RandomCrop, RandomFlip, RandomRotation, RandomTranslation, RandomZoom,
  RandomContrast, RandomBrightness, RandomElasticDeformation, RandomWidth, RandomHeight,
};
export type {
  RescalingArgs, NormalizationArgs, ResizingArgs, CenterCropArgs, RandomCropArgs, RandomFlipArgs, FlipMode, RandomRotationArgs,
  RandomTranslationArgs, RandomZoomArgs, RandomContrastArgs, RandomBrightnessArgs, RandomElasticDeformationArgs, RandomResizeArgs,
};
export type { Factor, RandomLayerArgs, FillArgs } from './randomLayer.js';
