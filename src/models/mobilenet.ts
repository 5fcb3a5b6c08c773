// MobileNets, as Keras's applications build them (untrained).

import * as layers from '../layers/index.js';
import { model, type LayersModel } from '../model/layersModel.js';
import { input } from '../layers/input.js';
import type { SymbolicTensor } from '../layers/layer.js';
import { IMAGENET, type ZooOptions } from './options.js';

type Sym = SymbolicTensor;

/** Keras's MobileNet options: alpha scales every layer's width (0.25, 0.5, 0.75, 1.0 published). */
export interface MobileNetOptions extends ZooOptions {
  alpha?: number;
  /** Dropout before MobileNet V1's classifier (Keras's default 1e-3). */
  dropout?: number;
}

/** ReLU capped at 6, named as Keras names MobileNet's activations. */
const relu6 = (name: string) => layers.reLU({ maxValue: 6, name });

/** 'valid' stride-2 windows start with Keras's padding of one row and column at the bottom/right (top/left too for odd sizes). */
function correctPad(x: Sym, name: string): Sym {
  const [h, w] = [x.shape[1] as number, x.shape[2] as number];
  return layers.zeroPadding2d({ padding: [[h % 2, 1], [w % 2, 1]], name }).apply(x) as Sym;
}

/**
 * MobileNet V1 (Howard et al. 2017) as keras.applications.MobileNet:
 * 224×224×3, conv 32 stride 2, thirteen depthwise-separable blocks (3×3
 * depthwise, batch norm, relu6, 1×1 pointwise, batch norm, relu6), global
 * average pooling and a 1×1 conv classifier. 4,253,864 parameters at alpha 1.
 */
export function mobilenet({ inputShape = IMAGENET, numClasses = 1000, alpha = 1, dropout = 1e-3 }: MobileNetOptions = {}): LayersModel {
  const width = (f: number) => Math.trunc(f * alpha);
  const inp = input({ shape: inputShape, name: 'input_1' });
  let x = layers.zeroPadding2d({ padding: [[0, 1], [0, 1]], name: 'conv1_pad' }).apply(inp) as Sym;
  x = layers.conv2d({ filters: width(32), kernelSize: 3, strides: 2, padding: 'valid', useBias: false, name: 'conv1' }).apply(x) as Sym;
  x = layers.batchNormalization({ name: 'conv1_bn' }).apply(x) as Sym;
  x = relu6('conv1_relu').apply(x) as Sym;
  const blocks: [number, number][] = [[64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2], [512, 1], [512, 1], [512, 1], [512, 1], [512, 1], [1024, 2], [1024, 1]];
  blocks.forEach(([filters, stride], i) => {
    const id = i + 1;
    if (stride === 2) x = layers.zeroPadding2d({ padding: [[0, 1], [0, 1]], name: `conv_pad_${id}` }).apply(x) as Sym;
    x = layers.depthwiseConv2d({ kernelSize: 3, strides: stride, padding: stride === 1 ? 'same' : 'valid', useBias: false, name: `conv_dw_${id}` }).apply(x) as Sym;
    x = layers.batchNormalization({ name: `conv_dw_${id}_bn` }).apply(x) as Sym;
    x = relu6(`conv_dw_${id}_relu`).apply(x) as Sym;
    x = layers.conv2d({ filters: width(filters), kernelSize: 1, padding: 'same', useBias: false, name: `conv_pw_${id}` }).apply(x) as Sym;
    x = layers.batchNormalization({ name: `conv_pw_${id}_bn` }).apply(x) as Sym;
    x = relu6(`conv_pw_${id}_relu`).apply(x) as Sym;
  });
  const channels = width(1024);
  x = layers.globalAveragePooling2d({ name: 'global_average_pooling2d' }).apply(x) as Sym;
  x = layers.reshape({ targetShape: [1, 1, channels], name: 'reshape_1' }).apply(x) as Sym;
  x = layers.dropout({ rate: dropout, name: 'dropout' }).apply(x) as Sym;
  x = layers.conv2d({ filters: numClasses, kernelSize: 1, padding: 'same', name: 'conv_preds' }).apply(x) as Sym;
  x = layers.reshape({ targetShape: [numClasses], name: 'reshape_2' }).apply(x) as Sym;
  const out = layers.activation({ activation: 'softmax', name: 'act_softmax' }).apply(x) as Sym;
  return model({ inputs: inp, outputs: out, name: `mobilenet_${alpha.toFixed(2)}_${inputShape[0]}` });
}

/** Keras's _make_divisible: the nearest multiple of 8, never 10% below v. */
function divisible(v: number, by = 8): number {
  const rounded = Math.max(by, Math.trunc((v + by / 2) / by) * by);
  return rounded < 0.9 * v ? rounded + by : rounded;
}

/** MobileNet V2's inverted residual block: expand 1×1, depthwise 3×3, project 1×1, and the residual add where shapes allow. */
function invertedResidual(x: Sym, filters: number, stride: number, expansion: number, id: number): Sym {
  const inChannels = x.shape[3] as number;
  const out = divisible(Math.trunc(filters));
  const prefix = id ? `block_${id}_` : 'expanded_conv_';
  let y = x;
  if (id) {
    y = layers.conv2d({ filters: expansion * inChannels, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}expand` }).apply(y) as Sym;
    y = layers.batchNormalization({ epsilon: 1e-3, momentum: 0.999, name: `${prefix}expand_BN` }).apply(y) as Sym;
    y = relu6(`${prefix}expand_relu`).apply(y) as Sym;
  }
  if (stride === 2) y = correctPad(y, `${prefix}pad`);
  y = layers.depthwiseConv2d({ kernelSize: 3, strides: stride, useBias: false, padding: stride === 1 ? 'same' : 'valid', name: `${prefix}depthwise` }).apply(y) as Sym;
  y = layers.batchNormalization({ epsilon: 1e-3, momentum: 0.999, name: `${prefix}depthwise_BN` }).apply(y) as Sym;
  y = relu6(`${prefix}depthwise_relu`).apply(y) as Sym;
  y = layers.conv2d({ filters: out, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}project` }).apply(y) as Sym;
  y = layers.batchNormalization({ epsilon: 1e-3, momentum: 0.999, name: `${prefix}project_BN` }).apply(y) as Sym;
  return inChannels === out && stride === 1 ? layers.add({ name: `${prefix}add` }).apply([x, y]) as Sym : y;
}

/**
 * MobileNet V2 (Sandler et al. 2018) as keras.applications.MobileNetV2:
 * 224×224×3, seventeen inverted residual blocks, a 1×1 conv to 1280, global
 * average pooling and a dense classifier. 3,538,984 parameters at alpha 1.
 */
export function mobilenetV2({ inputShape = IMAGENET, numClasses = 1000, alpha = 1 }: MobileNetOptions = {}): LayersModel {
  const inp = input({ shape: inputShape, name: 'input_1' });
  let x = layers.conv2d({ filters: divisible(32 * alpha), kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'Conv1' }).apply(inp) as Sym;
  x = layers.batchNormalization({ epsilon: 1e-3, momentum: 0.999, name: 'bn_Conv1' }).apply(x) as Sym;
  x = relu6('Conv1_relu').apply(x) as Sym;
  // [filters, stride, expansion] per block, as Keras lists them
  const blocks: [number, number, number][] = [
    [16, 1, 1], [24, 2, 6], [24, 1, 6], [32, 2, 6], [32, 1, 6], [32, 1, 6], [64, 2, 6], [64, 1, 6], [64, 1, 6], [64, 1, 6],
    [96, 1, 6], [96, 1, 6], [96, 1, 6], [160, 2, 6], [160, 1, 6], [160, 1, 6], [320, 1, 6],
  ];
  blocks.forEach(([filters, stride, expansion], id) => { x = invertedResidual(x, filters * alpha, stride, expansion, id); });
  const last = alpha > 1 ? divisible(1280 * alpha) : 1280;
  x = layers.conv2d({ filters: last, kernelSize: 1, useBias: false, name: 'Conv_1' }).apply(x) as Sym;
  x = layers.batchNormalization({ epsilon: 1e-3, momentum: 0.999, name: 'Conv_1_bn' }).apply(x) as Sym;
  x = relu6('out_relu').apply(x) as Sym;
  x = layers.globalAveragePooling2d({ name: 'global_average_pooling2d' }).apply(x) as Sym;
  const out = layers.dense({ units: numClasses, activation: 'softmax', name: 'predictions' }).apply(x) as Sym;
  return model({ inputs: inp, outputs: out, name: `mobilenetv2_${alpha.toFixed(2)}_${inputShape[0]}` });
}
