// MobileNet V1 and V2 built by the real TensorFlow.js with its functional API,
// as keras.applications builds them (Keras's layer names), for files made by
// TF.js itself. V1 follows Keras 2.0's blocks (the ones older published TF.js
// MobileNets were converted from): a ZeroPadding2D before the first conv, and
// 'same' stride-2 depthwise convs; its classifier is a Reshape, Dropout, 1×1
// conv and Reshape after global average pooling. V2 follows today's Keras:
// correct_pad's ZeroPadding2D before each 'valid' stride-2 depthwise conv.

import type * as Tf from '@tensorflow/tfjs';

type TfModule = typeof Tf;
type Sym = Tf.SymbolicTensor;

export interface TfMobileNetOptions {
  alpha: number;
  inputShape: [number, number, number];
  numClasses: number;
}

const apply = (layer: Tf.layers.Layer, x: Sym | Sym[]): Sym => layer.apply(x) as Sym;

export function tfjsMobileNetV1(tf: TfModule, { alpha, inputShape, numClasses }: TfMobileNetOptions): Tf.LayersModel {
  const l = tf.layers;
  const width = (f: number) => Math.trunc(f * alpha);
  const inp = tf.input({ shape: inputShape, name: 'input_1' });
  let x = apply(l.zeroPadding2d({ padding: [[0, 1], [0, 1]], name: 'conv1_pad' }), inp);
  x = apply(l.conv2d({ filters: width(32), kernelSize: 3, strides: 2, padding: 'valid', useBias: false, name: 'conv1' }), x);
  x = apply(l.batchNormalization({ name: 'conv1_bn' }), x);
  x = apply(l.reLU({ maxValue: 6, name: 'conv1_relu' }), x);
  const blocks: [number, number][] = [[64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2], [512, 1], [512, 1], [512, 1], [512, 1], [512, 1], [1024, 2], [1024, 1]];
  blocks.forEach(([filters, stride], i) => {
    const id = i + 1;
    x = apply(l.depthwiseConv2d({ kernelSize: 3, strides: stride, padding: 'same', useBias: false, name: `conv_dw_${id}` }), x);
    x = apply(l.batchNormalization({ name: `conv_dw_${id}_bn` }), x);
    x = apply(l.reLU({ maxValue: 6, name: `conv_dw_${id}_relu` }), x);
    x = apply(l.conv2d({ filters: width(filters), kernelSize: 1, padding: 'same', useBias: false, name: `conv_pw_${id}` }), x);
    x = apply(l.batchNormalization({ name: `conv_pw_${id}_bn` }), x);
    x = apply(l.reLU({ maxValue: 6, name: `conv_pw_${id}_relu` }), x);
  });
  const channels = width(1024);
  x = apply(l.globalAveragePooling2d({ name: 'global_average_pooling2d_1' }), x);
  x = apply(l.reshape({ targetShape: [1, 1, channels], name: 'reshape_1' }), x);
  x = apply(l.dropout({ rate: 1e-3, name: 'dropout' }), x);
  x = apply(l.conv2d({ filters: numClasses, kernelSize: 1, padding: 'same', name: 'conv_preds' }), x);
  x = apply(l.activation({ activation: 'softmax', name: 'act_softmax' }), x);
  const out = apply(l.reshape({ targetShape: [numClasses], name: 'reshape_2' }), x);
  return tf.model({ inputs: inp, outputs: out, name: `mobilenet_${alpha.toFixed(2)}_${inputShape[0]}` });
}

/** Keras's _make_divisible. */
function divisible(v: number, by = 8): number {
  const rounded = Math.max(by, Math.trunc((v + by / 2) / by) * by);
  return rounded < 0.9 * v ? rounded + by : rounded;
}

export function tfjsMobileNetV2(tf: TfModule, { alpha, inputShape, numClasses }: TfMobileNetOptions): Tf.LayersModel {
  const l = tf.layers;
  const bn = (name: string) => l.batchNormalization({ epsilon: 1e-3, momentum: 0.999, name });
  const inp = tf.input({ shape: inputShape, name: 'input_1' });
  let x = apply(l.conv2d({ filters: divisible(32 * alpha), kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'Conv1' }), inp);
  x = apply(bn('bn_Conv1'), x);
  x = apply(l.reLU({ maxValue: 6, name: 'Conv1_relu' }), x);
  const blocks: [number, number, number][] = [
    [16, 1, 1], [24, 2, 6], [24, 1, 6], [32, 2, 6], [32, 1, 6], [32, 1, 6], [64, 2, 6], [64, 1, 6], [64, 1, 6], [64, 1, 6],
    [96, 1, 6], [96, 1, 6], [96, 1, 6], [160, 2, 6], [160, 1, 6], [160, 1, 6], [320, 1, 6],
  ];
  blocks.forEach(([filters, stride, expansion], id) => {
    const inChannels = x.shape[3] as number;
    const out = divisible(Math.trunc(filters * alpha));
    const prefix = id ? `block_${id}_` : 'expanded_conv_';
    let y = x;
    if (id) {
      y = apply(l.conv2d({ filters: expansion * inChannels, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}expand` }), y);
      y = apply(bn(`${prefix}expand_BN`), y);
      y = apply(l.reLU({ maxValue: 6, name: `${prefix}expand_relu` }), y);
    }
    if (stride === 2) {
      const [h, w] = [y.shape[1] as number, y.shape[2] as number];
      y = apply(l.zeroPadding2d({ padding: [[h % 2, 1], [w % 2, 1]], name: `${prefix}pad` }), y);
    }
    y = apply(l.depthwiseConv2d({ kernelSize: 3, strides: stride, padding: stride === 1 ? 'same' : 'valid', useBias: false, name: `${prefix}depthwise` }), y);
    y = apply(bn(`${prefix}depthwise_BN`), y);
    y = apply(l.reLU({ maxValue: 6, name: `${prefix}depthwise_relu` }), y);
    y = apply(l.conv2d({ filters: out, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}project` }), y);
    y = apply(bn(`${prefix}project_BN`), y);
    x = inChannels === out && stride === 1 ? apply(l.add({ name: `${prefix}add` }), [x, y]) : y;
  });
  x = apply(l.conv2d({ filters: 1280, kernelSize: 1, useBias: false, name: 'Conv_1' }), x);
  x = apply(bn('Conv_1_bn'), x);
  x = apply(l.reLU({ maxValue: 6, name: 'out_relu' }), x);
  x = apply(l.globalAveragePooling2d({ name: 'global_average_pooling2d' }), x);
  const out = apply(l.dense({ units: numClasses, activation: 'softmax', name: 'predictions' }), x);
  return tf.model({ inputs: inp, outputs: out, name: `mobilenetv2_${alpha.toFixed(2)}_${inputShape[0]}` });
}

/**
 * Random batch-norm parameters and statistics (TF.js starts them at 1 and 0), so a file carries
 * more than initial values and inference-mode batch norm differs from training-mode.
 */
export function randomizeBatchNorm(tf: TfModule, model: Tf.LayersModel, seed: number): void {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const values = layer.weights.map((w) => {
      const positive = /gamma|moving_variance/.test(w.name);
      const size = w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
      const v = Float32Array.from({ length: size }, () => (positive ? 0.5 + next() : 0.4 * next() - 0.2));
      return tf.tensor(v, w.shape as number[]);
    });
    layer.setWeights(values);
    tf.dispose(values);
  }
}
