// The small models: MNIST and teaching architectures, and the MNIST autoencoder.

import * as layers from '../layers/index.js';
import { sequential, type Sequential } from '../model/sequential.js';
import { model, type LayersModel } from '../model/layersModel.js';
import { input } from '../layers/input.js';
import type { SymbolicTensor } from '../layers/layer.js';
import type { ZooOptions } from './options.js';

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
