// The layer classes model.json may name: Keras's class names, with TF.js's
// aliases, in an explicit table, so that only these names resolve.

import type { Layer } from './layer.js';
import { Conv2D } from './conv2d.js';
import { Dense } from './dense.js';
import { AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, MaxPooling2D } from './pooling.js';
import { Activation, Dropout, ELU, Flatten, LeakyReLU, ReLU, Reshape, Softmax } from './core.js';
import { BatchNormalization } from './normalization.js';
import { ZeroPadding2D } from './padding.js';
import { Add, Concatenate } from './merge.js';
import { LocallyConnected2D } from './locallyConnected.js';
import { InputLayer } from './input.js';
import { clipped } from '../preview.js';

export type LayerCtor = new (args: never) => Layer;

const LAYER_CLASSES: Readonly<Record<string, LayerCtor>> = {
  Conv2D, Dense, MaxPooling2D, MaxPool2D: MaxPooling2D, AveragePooling2D, AvgPool2D: AveragePooling2D,
  GlobalAveragePooling2D, GlobalMaxPooling2D, Flatten, Reshape, Activation, ReLU, LeakyReLU, ELU, Softmax,
  BatchNormalization, Dropout, ZeroPadding2D, Add, Concatenate, LocallyConnected2D, InputLayer,
};

/** The layer class names model.json may name. */
export const layerClassNames: readonly string[] = Object.keys(LAYER_CLASSES);

/** The class for a Keras class name; an unknown name is refused with the known ones listed. */
export function layerClass(className: string, where: string): LayerCtor {
  if (!Object.hasOwn(LAYER_CLASSES, className)) {
    throw new Error(`${where}: unknown layer class '${clipped(className)}'; webcnn knows ${layerClassNames.join(', ')}`);
  }
  return LAYER_CLASSES[className];
}
