// The transfer-learning demo's engine work, apart from the worker's messages
// so that it runs in Node too: cut a MobileNet into a frozen embedder, turn
// pixels into its input, build and train the small head on the embeddings.

import * as wc from '../src/index.js';

/** Where Keras's MobileNet V2 (and Teachable Machine's copy of it) ends its convolutions. */
export const DEFAULT_CUT = 'out_relu';

export interface Embedder {
  /** The frozen base up to the cut, then global average pooling: one vector per image. */
  model: wc.LayersModel;
  /** The base's input height and width. */
  size: [number, number];
  /** Length of one embedding. */
  dim: number;
  /** The layer it was cut after. */
  cutAt: string;
}

/**
 * The layer to cut after: `name` when the base has it, otherwise the last layer
 * whose output is still a feature map (rank 4), so that a MobileNet with its
 * classifier, or another CNN, can serve as the base too.
 */
export function cutLayer(base: wc.LayersModel, name = DEFAULT_CUT): wc.Layer {
  const named = base.layers.find((l) => l.name === name);
  if (named) return named;
  const maps = base.layers.filter((l) => l.output.rank === 4);
  const last = maps.at(-1);
  if (!last) throw new Error(`the base model has no layer named '${name}' and no layer with a 4-D (feature map) output to cut after`);
  return last;
}

/** The base cut at `cutAt` (see cutLayer), pooled to one vector per image, frozen. */
export function makeEmbedder(base: wc.LayersModel, cutAt = DEFAULT_CUT): Embedder {
  const inShape = base.inputs[0].shape;
  const [h, w, c] = [inShape[1], inShape[2], inShape[3]];
  if (inShape.length !== 4 || c !== 3 || !h || !w) {
    throw new Error(`the base model must take RGB images of a fixed size, [batch, height, width, 3]; its input is [${inShape.map(String).join(', ')}]`);
  }
  const layer = cutLayer(base, cutAt);
  const out = layer.output;
  const pooled = out.rank === 4 ? wc.layers.globalAveragePooling2d({ name: 'embedding_pool' }).apply(out) as wc.SymbolicTensor : out;
  if (pooled.rank !== 2) throw new Error(`the layer '${layer.name}' gives a rank-${out.rank} output; expected a feature map (rank 4) or a vector (rank 2)`);
  const model = wc.model({ inputs: base.inputs, outputs: pooled, name: 'embedder' });
  // Frozen: its batch norms run in inference mode, and nothing of it is trained.
  model.trainable = false;
  return { model, size: [h, w], dim: Number(pooled.shape[1]), cutAt: layer.name };
}

/**
 * Pixels ([height, width, 3], values 0 to 255, as browser.fromPixels gives
 * them) to one MobileNet input: resized to the base's size and scaled to
 * [-1, 1], as Keras's mobilenet_v2.preprocess_input does.
 */
export function toInput(pixels: wc.Tensor, [h, w]: [number, number]): wc.Tensor {
  return wc.tidy(() => {
    const resized = wc.image.resizeBilinear(pixels, [h, w]);
    return resized.div(127.5).sub(1).expandDims(0);
  });
}

/** One embedding per image: a [1, dim] tensor for each pixels tensor. */
export function embed(embedder: Embedder, pixels: wc.Tensor): wc.Tensor {
  return wc.tidy(() => embedder.model.predict(toInput(pixels, embedder.size)) as wc.Tensor);
}

export interface HeadOptions {
  /** Units of the hidden dense layer (0: none, a plain softmax regression). */
  hidden: number;
  learningRate: number;
}

export const HEAD_DEFAULTS: HeadOptions = { hidden: 64, learningRate: 0.003 };

/** The trainable classifier on top of the embeddings: dense (relu), dense (softmax). */
export function makeHead(dim: number, classes: number, o: HeadOptions = HEAD_DEFAULTS): wc.Sequential {
  const head = wc.sequential({ name: 'head' });
  if (o.hidden > 0) {
    head.add(wc.layers.dense({ inputShape: [dim], units: o.hidden, activation: 'relu', name: 'head_hidden' }));
    head.add(wc.layers.dense({ units: classes, activation: 'softmax', name: 'head_out' }));
  } else {
    head.add(wc.layers.dense({ inputShape: [dim], units: classes, activation: 'softmax', name: 'head_out' }));
  }
  head.compile({ optimizer: wc.train.adam(o.learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return head;
}

/** The head's input length and class count, to check it fits the base and the classes. */
export function headShape(head: wc.LayersModel): { dim: number; classes: number } {
  return { dim: Number(head.inputs[0].shape[1]), classes: Number(head.outputs[0].shape[1]) };
}
