// The layer classes model.json may name: Keras's class names, with TF.js's
// aliases, in an explicit table, so that only these names resolve.

import { Layer } from './layer.js';
import { Conv2D } from './conv2d.js';
import { Dense } from './dense.js';
import { AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, MaxPooling2D } from './pooling.js';
import { Activation, Dropout, ELU, Flatten, LeakyReLU, ReLU, Reshape, Softmax } from './core.js';
import { BatchNormalization } from './normalization.js';
import { ZeroPadding2D } from './padding.js';
import { Add, Concatenate } from './merge.js';
import { LocallyConnected2D } from './locallyConnected.js';
import { InputLayer } from './input.js';
import { DepthwiseConv2D, SeparableConv2D } from './depthwiseConv.js';
import { GlobalL2Pooling2D, GlobalMinPooling2D, GlobalSumPooling2D, L2Pooling2D, MinPooling2D, SumPooling2D } from './pooling.js';
import { Conv2DTranspose } from './conv2dTranspose.js';
import { UpSampling2D } from './upSampling.js';
import { Cropping2D } from './cropping.js';
import { clipped } from '../preview.js';
import { LocalResponseNormalization, Maxout, PReLU, ThresholdedReLU } from './activationLayers.js';
import {
  CenterCrop, Normalization, RandomBrightness, RandomContrast, RandomCrop, RandomElasticDeformation, RandomFlip, RandomRotation,
  RandomTranslation, RandomZoom, Rescaling, Resizing, RandomWidth, RandomHeight,
} from './preprocessing/index.js';

export type LayerCtor = new (args: never) => Layer;

const LAYER_CLASSES: Readonly<Record<string, LayerCtor>> = {
  Conv2D, Dense, MaxPooling2D, MaxPool2D: MaxPooling2D, AveragePooling2D, AvgPool2D: AveragePooling2D,
  GlobalAveragePooling2D, GlobalMaxPooling2D, Flatten, Reshape, Activation, ReLU, LeakyReLU, ELU, Softmax,
  DepthwiseConv2D, SeparableConv2D, LocalResponseNormalization, PReLU, ThresholdedReLU, Maxout, 'Addons>Maxout': Maxout,
  // webcnn extras (TF.js has no such classes)
  MinPooling2D, SumPooling2D, L2Pooling2D, GlobalMinPooling2D, GlobalSumPooling2D, GlobalL2Pooling2D,
  Conv2DTranspose, Deconv2D: Conv2DTranspose, Deconvolution2D: Conv2DTranspose, UpSampling2D, Cropping2D,
  BatchNormalization, Dropout, ZeroPadding2D, Add, Concatenate, LocallyConnected2D,
  // preprocessing: TF.js 4.22 has Rescaling, Resizing, CenterCrop, RandomWidth and RandomHeight; the others are Keras's (and webcnn's elastic one)
  Rescaling, Resizing, CenterCrop, RandomWidth, RandomHeight, Normalization, RandomCrop, RandomFlip, RandomRotation, RandomTranslation, RandomZoom,
  RandomContrast, RandomBrightness, RandomElasticDeformation,
  InputLayer,
};

/** The layer class names model.json may name (the built-in ones; registerClass adds a user's). */
export const layerClassNames: readonly string[] = Object.keys(LAYER_CLASSES);

/** Users' layer classes, by their static className (wc.serialization.registerClass). */
const userClasses = new Map<string, LayerCtor>();

/**
 * TF.js's serialization.registerClass for a layer class: after it, model.json
 * files naming the class's static className load with it. A built-in name
 * cannot be taken over.
 */
export function registerClass(cls: unknown): void {
  const where = 'serialization.registerClass';
  if (typeof cls !== 'function' || !(cls.prototype instanceof Layer)) {
    throw new Error(`${where}: expected a class extending wc.layers.Layer, got ${clipped(String(cls))}`);
  }
  const name = (cls as { className?: unknown }).className;
  if (typeof name !== 'string' || name === '' || name === 'Layer') {
    throw new Error(`${where}: the class needs its own static className (static className = 'MyLayer'), got ${clipped(String(name))}`);
  }
  if (Object.hasOwn(LAYER_CLASSES, name)) throw new Error(`${where}: '${name}' is a built-in layer class; name yours differently`);
  userClasses.set(name, cls as LayerCtor);
}

/** The class for a Keras class name; an unknown name is refused with the known ones listed. */
export function layerClass(className: string, where: string): LayerCtor {
  const user = userClasses.get(className);
  if (user) return user;
  if (!Object.hasOwn(LAYER_CLASSES, className)) {
    const known = [...layerClassNames, ...userClasses.keys()];
    throw new Error(`${where}: unknown layer class '${clipped(className)}'; webcnn knows ${known.join(', ')} (register your own layer classes with wc.serialization.registerClass)`);
  }
  return LAYER_CLASSES[className];
}
