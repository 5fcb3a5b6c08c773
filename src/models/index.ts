// wc.models: ready-made architectures, returned uncompiled. Each takes the
// input shape and class count; the rest is the architecture as published.

import * as layers from '../layers/index.js';
import { sequential, type Sequential } from '../model/sequential.js';
import { model, type LayersModel } from '../model/layersModel.js';
import { input } from '../layers/input.js';
import type { SymbolicTensor } from '../layers/layer.js';

export interface ZooOptions {
  inputShape?: readonly number[];
  numClasses?: number;
}

const MNIST: readonly number[] = [28, 28, 1];

/** LeNet-5 (LeCun 1998) in its common Keras form: 6@5x5 'same' -> avgpool -> 16@5x5 -> avgpool -> 120 -> 84 -> classes. */
export function lenet5({ inputShape = MNIST, numClasses = 10 }: ZooOptions = {}): Sequential {
  return sequential({ layers: [
    layers.conv2d({ inputShape, filters: 6, kernelSize: 5, padding: 'same', activation: 'tanh' }),
    layers.averagePooling2d({ poolSize: 2, strides: 2 }),
    layers.conv2d({ filters: 16, kernelSize: 5, activation: 'tanh' }),
    layers.averagePooling2d({ poolSize: 2, strides: 2 }),
    layers.flatten(),
    layers.dense({ units: 120, activation: 'tanh' }),
    layers.dense({ units: 84, activation: 'tanh' }),
    layers.dense({ units: numClasses, activation: 'softmax' }),
  ] });
}

/** The demo's light model: conv 8@5x5 relu -> maxpool 2 -> conv 16@5x5 relu -> maxpool 2 -> flatten -> dense softmax. */
export function mnistLight({ inputShape = MNIST, numClasses = 10 }: ZooOptions = {}): Sequential {
  return sequential({ layers: [
    layers.conv2d({ inputShape, filters: 8, kernelSize: 5, activation: 'relu' }),
    layers.maxPooling2d({ poolSize: 2, strides: 2 }),
    layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }),
    layers.maxPooling2d({ poolSize: 2, strides: 2 }),
    layers.flatten(),
    layers.dense({ units: numClasses, activation: 'softmax' }),
  ] });
}

/**
 * The demo's standard model: conv 32@3x3 + batch norm + relu, conv 32@3x3 relu,
 * maxpool, conv 64@3x3 + batch norm + relu, maxpool, dense 128 relu, dropout
 * 0.25, dense softmax. Convs before batch norm have no bias (BN's beta is one).
 */
export function mnistStandard({ inputShape = MNIST, numClasses = 10 }: ZooOptions = {}): Sequential {
  return sequential({ layers: [
    layers.conv2d({ inputShape, filters: 32, kernelSize: 3, useBias: false }),
    layers.batchNormalization(),
    layers.reLU(),
    layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
    layers.maxPooling2d({ poolSize: 2, strides: 2 }),
    layers.conv2d({ filters: 64, kernelSize: 3, useBias: false }),
    layers.batchNormalization(),
    layers.reLU(),
    layers.maxPooling2d({ poolSize: 2, strides: 2 }),
    layers.flatten(),
    layers.dense({ units: 128, activation: 'relu' }),
    layers.dropout({ rate: 0.25 }),
    layers.dense({ units: numClasses, activation: 'softmax' }),
  ] });
}

/** A small VGG-style net: two blocks of two 3x3 'same' convs and a maxpool, then dense. */
export function smallVgg({ inputShape = [32, 32, 3], numClasses = 10 }: ZooOptions = {}): Sequential {
  return sequential({ layers: [
    layers.conv2d({ inputShape, filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
    layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
    layers.maxPooling2d({ poolSize: 2, strides: 2 }),
    layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }),
    layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }),
    layers.maxPooling2d({ poolSize: 2, strides: 2 }),
    layers.flatten(),
    layers.dense({ units: 64, activation: 'relu' }),
    layers.dense({ units: numClasses, activation: 'softmax' }),
  ] });
}

/** One residual block: conv-BN-relu-conv-BN, added to the input (projected by a 1x1 conv when the width changes), then relu. */
function residualBlock(x: SymbolicTensor, filters: number, channelsIn: number): SymbolicTensor {
  let y = layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias: false }).apply(x) as SymbolicTensor;
  y = layers.batchNormalization().apply(y) as SymbolicTensor;
  y = layers.reLU().apply(y) as SymbolicTensor;
  y = layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias: false }).apply(y) as SymbolicTensor;
  y = layers.batchNormalization().apply(y) as SymbolicTensor;
  const shortcut = channelsIn === filters ? x : layers.conv2d({ filters, kernelSize: 1, useBias: false }).apply(x) as SymbolicTensor;
  return layers.reLU().apply(layers.add().apply([y, shortcut]) as SymbolicTensor) as SymbolicTensor;
}

/** A small ResNet: a stem conv, two residual blocks (16 then 32 wide), global average pooling, dense. */
export function smallResNet({ inputShape = MNIST, numClasses = 10 }: ZooOptions = {}): LayersModel {
  const inp = input({ shape: inputShape });
  let x = layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(inp) as SymbolicTensor;
  x = residualBlock(x, 16, 16);
  x = layers.maxPooling2d({ poolSize: 2, strides: 2 }).apply(x) as SymbolicTensor;
  x = residualBlock(x, 32, 16);
  x = layers.globalAveragePooling2d().apply(x) as SymbolicTensor;
  const out = layers.dense({ units: numClasses, activation: 'softmax' }).apply(x) as SymbolicTensor;
  return model({ inputs: inp, outputs: out });
}

/**
 * AlexNet (Krizhevsky 2012), the single-tower 227x227x3 variant, with local
 * response normalization after conv1 and conv2 as in the paper (`{ lrn: false }`
 * leaves it out): conv1 96@11x11/4 -> LRN -> pool 3/2 -> conv2 256@5x5 same -> LRN
 * -> pool 3/2 -> conv3 384@3x3
 * -> conv4 384@3x3 -> conv5 256@3x3 -> pool 3/2 -> fc 4096 -> fc 4096 -> fc 1000.
 * Parameters: 34,944 + 614,656 + 885,120 + 1,327,488 + 884,992 (convs)
 * + 37,752,832 + 16,781,312 + 4,097,000 (dense) = 62,378,344, the published ~62.3M.
 * Dropout 0.5 after fc6 and fc7, as in the paper.
 */
export function alexnet({ inputShape = [227, 227, 3], numClasses = 1000, lrn = true }: ZooOptions & {
  /**
   * Local response normalization after the first two convolutions' ReLUs, as
   * in the paper (k = 2, n = 5, alpha = 1e-4, beta = 0.75: depthRadius 2, bias 2);
   * false builds the variant without it (the same 62,378,344 parameters: LRN has none).
   */
  lrn?: boolean;
} = {}): Sequential {
  const norm = () => (lrn ? [layers.localResponseNormalization({ depthRadius: 2, bias: 2, alpha: 1e-4, beta: 0.75 })] : []);
  return sequential({ layers: [
    layers.conv2d({ inputShape, filters: 96, kernelSize: 11, strides: 4, activation: 'relu' }),
    ...norm(),
    layers.maxPooling2d({ poolSize: 3, strides: 2 }),
    layers.conv2d({ filters: 256, kernelSize: 5, padding: 'same', activation: 'relu' }),
    ...norm(),
    layers.maxPooling2d({ poolSize: 3, strides: 2 }),
    layers.conv2d({ filters: 384, kernelSize: 3, padding: 'same', activation: 'relu' }),
    layers.conv2d({ filters: 384, kernelSize: 3, padding: 'same', activation: 'relu' }),
    layers.conv2d({ filters: 256, kernelSize: 3, padding: 'same', activation: 'relu' }),
    layers.maxPooling2d({ poolSize: 3, strides: 2 }),
    layers.flatten(),
    layers.dense({ units: 4096, activation: 'relu' }),
    layers.dropout({ rate: 0.5 }),
    layers.dense({ units: 4096, activation: 'relu' }),
    layers.dropout({ rate: 0.5 }),
    layers.dense({ units: numClasses, activation: 'softmax' }),
  ] });
}

// ---- full-size ImageNet architectures (untrained), as Keras's applications build them

type Sym = SymbolicTensor;
const IMAGENET: readonly number[] = [224, 224, 3];

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

/**
 * An MNIST convolutional autoencoder (no classes: it outputs its input's
 * shape). Encoder: conv 16@3x3 stride 2 'same' relu -> conv 16@3x3 stride 2
 * 'same' relu, a 7x7x16 code. Decoder: conv2dTranspose 16@3x3 stride 2 'same'
 * relu -> upSampling2d 2 (nearest) -> conv <channels>@3x3 'same' sigmoid.
 * Train it with the mean squared error between input and output (the pixels
 * in [0, 1]): `npm run train -- --model autoencoder`.
 * Parameters: 160 + 2,320 (encoder) + 2,320 + 145 (decoder) = 4,945.
 */
export function mnistAutoencoder({ inputShape = MNIST }: ZooOptions = {}): Sequential {
  const channels = inputShape[inputShape.length - 1];
  return sequential({ layers: [
    layers.conv2d({ inputShape, filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
    layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
    layers.conv2dTranspose({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
    layers.upSampling2d({ size: 2 }),
    layers.conv2d({ filters: channels, kernelSize: 3, padding: 'same', activation: 'sigmoid' }),
  ] });
}

// ---- MobileNets, as Keras's applications build them (untrained)

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
