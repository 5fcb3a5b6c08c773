// Full-size ImageNet architectures (untrained), as Keras's applications build them.

import * as layers from '../layers/index.js';
import { model, type LayersModel } from '../model/layersModel.js';
import { input } from '../layers/input.js';
import type { SymbolicTensor } from '../layers/layer.js';
import { IMAGENET, type ZooOptions } from './options.js';

type Sym = SymbolicTensor;

/** The VGG convolution blocks: [convs per block] with 64, 128, 256, 512, 512 filters, each block 'same' 3x3 convs then a 2x2 max pool. */
function vgg(name: string, convs: readonly number[], inputShape: readonly number[], numClasses: number): LayersModel {
  const inp = input({ shape: inputShape, name: 'input_1' });
  let x: Sym = inp;
  convs.forEach((n, b) => {
    const filters = [64, 128, 256, 512, 512][b];
    for (let i = 1; i <= n; i++) {
      x = layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', name: `block${b + 1}_conv${i}` }).apply(x) as Sym;
    }
    x = layers.maxPooling2d({ poolSize: 2, strides: 2, name: `block${b + 1}_pool` }).apply(x) as Sym;
  });
  x = layers.flatten({ name: 'flatten' }).apply(x) as Sym;
  x = layers.dense({ units: 4096, activation: 'relu', name: 'fc1' }).apply(x) as Sym;
  x = layers.dense({ units: 4096, activation: 'relu', name: 'fc2' }).apply(x) as Sym;
  const out = layers.dense({ units: numClasses, activation: 'softmax', name: 'predictions' }).apply(x) as Sym;
  return model({ inputs: inp, outputs: out, name });
}

/**
 * VGG16 (Simonyan & Zisserman 2014, configuration D) as keras.applications.VGG16
 * builds it with include_top: 13 'same' 3x3 convs in 5 blocks (2, 2, 3, 3, 3;
 * 64 to 512 filters), each block ending in a 2x2 max pool, then fc1 4096, fc2
 * 4096 and the softmax. 138,357,544 parameters at 224x224x3 (14,714,688 in the
 * convs, 102,764,544 in fc1, 16,781,312 in fc2, 4,097,000 in the classifier).
 * Layer names as Keras's (block1_conv1 ... block5_pool, fc1, fc2, predictions).
 * Its weights take 553 MB of float32.
 */
export function vgg16({ inputShape = IMAGENET, numClasses = 1000 }: ZooOptions = {}): LayersModel {
  return vgg('vgg16', [2, 2, 3, 3, 3], inputShape, numClasses);
}

/** VGG19 (configuration E): as vgg16 with 4 convs in blocks 3 to 5; 143,667,240 parameters at 224x224x3, as Keras's. */
export function vgg19({ inputShape = IMAGENET, numClasses = 1000 }: ZooOptions = {}): LayersModel {
  return vgg('vgg19', [2, 2, 4, 4, 4], inputShape, numClasses);
}

/** Keras's ResNet bottleneck block1: 1x1 (stride) -> 3x3 -> 1x1 (4 * filters), each conv with a bias and BN (epsilon 1.001e-5). */
function bottleneck(x: Sym, filters: number, stride: number, projection: boolean, name: string): Sym {
  const bn = (n: string) => layers.batchNormalization({ epsilon: 1.001e-5, name: `${name}_${n}_bn` });
  let shortcut = x;
  if (projection) {
    shortcut = layers.conv2d({ filters: 4 * filters, kernelSize: 1, strides: stride, name: `${name}_0_conv` }).apply(x) as Sym;
    shortcut = bn('0').apply(shortcut) as Sym;
  }
  let y = layers.conv2d({ filters, kernelSize: 1, strides: stride, name: `${name}_1_conv` }).apply(x) as Sym;
  y = layers.activation({ activation: 'relu', name: `${name}_1_relu` }).apply(bn('1').apply(y) as Sym) as Sym;
  y = layers.conv2d({ filters, kernelSize: 3, padding: 'same', name: `${name}_2_conv` }).apply(y) as Sym;
  y = layers.activation({ activation: 'relu', name: `${name}_2_relu` }).apply(bn('2').apply(y) as Sym) as Sym;
  y = layers.conv2d({ filters: 4 * filters, kernelSize: 1, name: `${name}_3_conv` }).apply(y) as Sym;
  y = bn('3').apply(y) as Sym;
  y = layers.add({ name: `${name}_add` }).apply([shortcut, y]) as Sym;
  return layers.activation({ activation: 'relu', name: `${name}_out` }).apply(y) as Sym;
}

/**
 * ResNet50 (He et al. 2015) as keras.applications.ResNet50 builds it with
 * include_top: zero padding 3, conv 64@7x7/2 + BN + relu, zero padding 1, max
 * pool 3/2, then 3, 4, 6 and 3 bottleneck blocks of 64, 128, 256 and 512
 * filters (output 4x as wide; the first block of each stage projects its
 * shortcut with a 1x1 conv and, from the second stage on, strides 2 in its
 * first 1x1 conv), global average pooling and the softmax. Convs have biases;
 * batch norms epsilon 1.001e-5, as Keras's. 25,636,712 parameters (53,120 of
 * them non-trainable moving statistics) at 224x224x3; layer names as Keras's
 * (conv1_conv, conv2_block1_out, ..., avg_pool, predictions).
 */
export function resnet50({ inputShape = IMAGENET, numClasses = 1000 }: ZooOptions = {}): LayersModel {
  const inp = input({ shape: inputShape, name: 'input_1' });
  let x = layers.zeroPadding2d({ padding: [[3, 3], [3, 3]], name: 'conv1_pad' }).apply(inp) as Sym;
  x = layers.conv2d({ filters: 64, kernelSize: 7, strides: 2, name: 'conv1_conv' }).apply(x) as Sym;
  x = layers.batchNormalization({ epsilon: 1.001e-5, name: 'conv1_bn' }).apply(x) as Sym;
  x = layers.activation({ activation: 'relu', name: 'conv1_relu' }).apply(x) as Sym;
  x = layers.zeroPadding2d({ padding: [[1, 1], [1, 1]], name: 'pool1_pad' }).apply(x) as Sym;
  x = layers.maxPooling2d({ poolSize: 3, strides: 2, name: 'pool1_pool' }).apply(x) as Sym;
  const stages: readonly [number, number, number][] = [[64, 3, 1], [128, 4, 2], [256, 6, 2], [512, 3, 2]];
  stages.forEach(([filters, blocks, stride], s) => {
    for (let b = 1; b <= blocks; b++) x = bottleneck(x, filters, b === 1 ? stride : 1, b === 1, `conv${s + 2}_block${b}`);
  });
  x = layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x) as Sym;
  const out = layers.dense({ units: numClasses, activation: 'softmax', name: 'predictions' }).apply(x) as Sym;
  return model({ inputs: inp, outputs: out, name: 'resnet50' });
}

/** Keras's inception_v3 conv2d_bn: conv (no bias) -> BN (scale off: beta and the moving statistics) -> relu. */
function convBn(x: Sym, filters: number, rows: number, cols: number, padding: 'same' | 'valid' = 'same', strides = 1): Sym {
  const y = layers.conv2d({ filters, kernelSize: [rows, cols], strides, padding, useBias: false }).apply(x) as Sym;
  return layers.activation({ activation: 'relu' }).apply(layers.batchNormalization({ scale: false }).apply(y) as Sym) as Sym;
}

const avgPool3 = (x: Sym): Sym => layers.averagePooling2d({ poolSize: 3, strides: 1, padding: 'same' }).apply(x) as Sym;
const maxPool3 = (x: Sym): Sym => layers.maxPooling2d({ poolSize: 3, strides: 2 }).apply(x) as Sym;
const concat = (xs: Sym[], name?: string): Sym => layers.concatenate({ name }).apply(xs) as Sym;

/**
 * Inception v3 (Szegedy et al. 2015) as keras.applications.InceptionV3 builds it
 * with include_top, 299x299x3: the stem (3x3 convs, max pools, 80@1x1, 192@3x3),
 * mixed0-2 (35x35: 1x1, 5x5, double 3x3, pool branches), mixed3 (to 17x17),
 * mixed4-7 (factorized 1x7 / 7x1 branches of 128, 160, 160, 192), mixed8 (to
 * 8x8), mixed9-10 (split 1x3 / 3x1 branches), global average pooling and the
 * softmax. Every conv is bias-free and followed by a batch norm without gamma
 * (scale: false), as Keras's conv2d_bn. 23,851,784 parameters (34,432 of them
 * non-trainable) at 299x299x3. The concatenations are named mixed0 ... mixed10
 * (and mixed9_0, mixed9_1) as in Keras; the convs keep their generated names.
 */
export function inceptionV3({ inputShape = [299, 299, 3], numClasses = 1000 }: ZooOptions = {}): LayersModel {
  const inp = input({ shape: inputShape, name: 'input_1' });
  let x = convBn(inp, 32, 3, 3, 'valid', 2);
  x = convBn(x, 32, 3, 3, 'valid');
  x = convBn(x, 64, 3, 3);
  x = maxPool3(x);
  x = convBn(x, 80, 1, 1, 'valid');
  x = convBn(x, 192, 3, 3, 'valid');
  x = maxPool3(x);
  // mixed 0, 1, 2: 35 x 35 x 256, 288, 288
  for (const [i, pool] of [[0, 32], [1, 64], [2, 64]] as const) {
    const b1 = convBn(x, 64, 1, 1);
    const b5 = convBn(convBn(x, 48, 1, 1), 64, 5, 5);
    const b3 = convBn(convBn(convBn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3);
    const bp = convBn(avgPool3(x), pool, 1, 1);
    x = concat([b1, b5, b3, bp], `mixed${i}`);
  }
  // mixed 3: 17 x 17 x 768
  {
    const b3 = convBn(x, 384, 3, 3, 'valid', 2);
    const bd = convBn(convBn(convBn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, 'valid', 2);
    x = concat([b3, bd, maxPool3(x)], 'mixed3');
  }
  // mixed 4 to 7: 17 x 17 x 768
  for (const [i, c] of [[4, 128], [5, 160], [6, 160], [7, 192]] as const) {
    const b1 = convBn(x, 192, 1, 1);
    const b7 = convBn(convBn(convBn(x, c, 1, 1), c, 1, 7), 192, 7, 1);
    let bd = convBn(convBn(x, c, 1, 1), c, 7, 1);
    bd = convBn(convBn(convBn(bd, c, 1, 7), c, 7, 1), 192, 1, 7);
    const bp = convBn(avgPool3(x), 192, 1, 1);
    x = concat([b1, b7, bd, bp], `mixed${i}`);
  }
  // mixed 8: 8 x 8 x 1280
  {
    const b3 = convBn(convBn(x, 192, 1, 1), 320, 3, 3, 'valid', 2);
    let b7 = convBn(convBn(convBn(x, 192, 1, 1), 192, 1, 7), 192, 7, 1);
    b7 = convBn(b7, 192, 3, 3, 'valid', 2);
    x = concat([b3, b7, maxPool3(x)], 'mixed8');
  }
  // mixed 9, 10: 8 x 8 x 2048
  for (const i of [0, 1]) {
    const b1 = convBn(x, 320, 1, 1);
    const b3 = convBn(x, 384, 1, 1);
    const b3s = concat([convBn(b3, 384, 1, 3), convBn(b3, 384, 3, 1)], `mixed9_${i}`);
    const bd = convBn(convBn(x, 448, 1, 1), 384, 3, 3);
    const bds = concat([convBn(bd, 384, 1, 3), convBn(bd, 384, 3, 1)]);
    const bp = convBn(avgPool3(x), 192, 1, 1);
    x = concat([b1, b3s, bds, bp], `mixed${9 + i}`);
  }
  x = layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x) as Sym;
  const out = layers.dense({ units: numClasses, activation: 'softmax', name: 'predictions' }).apply(x) as Sym;
  return model({ inputs: inp, outputs: out, name: 'inception_v3' });
}

/**
 * GoogLeNet's inception module (Szegedy et al. 2014): 1x1 | 1x1 -> 3x3 |
 * 1x1 -> 5x5 | 3x3/1 'same' max pool -> 1x1, each conv with a bias and relu,
 * concatenated on the channels.
 */
function inceptionModule(x: Sym, name: string, [a, b1, b2, c1, c2, d]: readonly number[]): Sym {
  const conv = (y: Sym, filters: number, k: number, part: string): Sym =>
    layers.conv2d({ filters, kernelSize: k, padding: 'same', activation: 'relu', name: `${name}_${part}` }).apply(y) as Sym;
  const pool = layers.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same', name: `${name}_pool` }).apply(x) as Sym;
  return concat([
    conv(x, a, 1, '1x1'),
    conv(conv(x, b1, 1, '3x3_reduce'), b2, 3, '3x3'),
    conv(conv(x, c1, 1, '5x5_reduce'), c2, 5, '5x5'),
    conv(pool, d, 1, 'pool_proj'),
  ], name);
}

/**
 * GoogLeNet, Inception v1 (Szegedy et al. 2014, table 1), without the two
 * auxiliary classifiers and without local response normalization: conv
 * 64@7x7/2, max pool 3/2, conv 64@1x1, conv 192@3x3, max pool 3/2, inception
 * 3a 3b, max pool 3/2, 4a-4e, max pool 3/2, 5a 5b, global average pooling (the
 * paper's 7x7 average pool at 224x224), dropout 0.4 and the softmax. Every conv
 * is 'same', with a bias and relu; the pools are 'same' (224 -> 112 -> 56 ->
 * 28 -> 14 -> 7). Inception (1x1, 3x3 reduce, 3x3, 5x5 reduce, 5x5, pool proj)
 * with cin input channels has cin*(1x1 + 3x3r + 5x5r + proj) + 9*3x3r*3x3
 * + 25*5x5r*5x5 weights plus one bias per filter. Parameters:
 *   stem: 7*7*3*64+64 = 9,472; 64*64+64 = 4,160; 9*64*192+192 = 110,784
 *   3a (192 in; 64, 96, 128, 16, 32, 32) 163,696   3b (256 in; 128, 128, 192, 32, 96, 64) 388,736
 *   4a (480 in; 192, 96, 208, 16, 48, 64) 376,176 4b (512; 160, 112, 224, 24, 64, 64) 449,160
 *   4c (512; 128, 128, 256, 24, 64, 64) 510,104   4d (512; 112, 144, 288, 32, 64, 64) 605,376
 *   4e (528; 256, 160, 320, 32, 128, 128) 868,352 5a (832; same as 4e) 1,043,456
 *   5b (832; 384, 192, 384, 48, 128, 128) 1,444,080
 *   classifier 1024*1000+1000 = 1,025,000
 * in all 6,998,552 (for 1000 classes; the paper's "about 6.8M" left the biases out).
 */
export function googlenet({ inputShape = IMAGENET, numClasses = 1000 }: ZooOptions = {}): LayersModel {
  const inp = input({ shape: inputShape, name: 'input_1' });
  const pool = (y: Sym, name: string): Sym => layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', name }).apply(y) as Sym;
  let x = layers.conv2d({ filters: 64, kernelSize: 7, strides: 2, padding: 'same', activation: 'relu', name: 'conv1_7x7' }).apply(inp) as Sym;
  x = pool(x, 'pool1');
  x = layers.conv2d({ filters: 64, kernelSize: 1, activation: 'relu', name: 'conv2_3x3_reduce' }).apply(x) as Sym;
  x = layers.conv2d({ filters: 192, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv2_3x3' }).apply(x) as Sym;
  x = pool(x, 'pool2');
  x = inceptionModule(x, 'inception_3a', [64, 96, 128, 16, 32, 32]);
  x = inceptionModule(x, 'inception_3b', [128, 128, 192, 32, 96, 64]);
  x = pool(x, 'pool3');
  x = inceptionModule(x, 'inception_4a', [192, 96, 208, 16, 48, 64]);
  x = inceptionModule(x, 'inception_4b', [160, 112, 224, 24, 64, 64]);
  x = inceptionModule(x, 'inception_4c', [128, 128, 256, 24, 64, 64]);
  x = inceptionModule(x, 'inception_4d', [112, 144, 288, 32, 64, 64]);
  x = inceptionModule(x, 'inception_4e', [256, 160, 320, 32, 128, 128]);
  x = pool(x, 'pool4');
  x = inceptionModule(x, 'inception_5a', [256, 160, 320, 32, 128, 128]);
  x = inceptionModule(x, 'inception_5b', [384, 192, 384, 48, 128, 128]);
  x = layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x) as Sym;
  x = layers.dropout({ rate: 0.4, name: 'dropout' }).apply(x) as Sym;
  const out = layers.dense({ units: numClasses, activation: 'softmax', name: 'predictions' }).apply(x) as Sym;
  return model({ inputs: inp, outputs: out, name: 'googlenet' });
}
