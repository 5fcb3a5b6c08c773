// Augmentation of MNIST digits for training (npm run train -- --augment /
// --elastic, and the demo's switch): random layers placed in front of a zoo
// model, active in fit only, so prediction and evaluation see the digits as they are.

import type * as Wc from '../src/index.js';

export interface AugmentChoice {
  /** Random rotation (±10°), translation (±10% each way) and zoom (±10%). */
  augment?: boolean;
  /** Elastic distortion (Simard et al., 2003), with the layer's defaults alpha 34 and sigma 4. */
  elastic?: boolean;
}

export const augments = (c: AugmentChoice): boolean => Boolean(c.augment || c.elastic);

const MNIST_SHAPE = [28, 28, 1];

/** The augmentation layers for a choice; digits are white on black, so what a move uncovers is filled with 0. */
export function mnistAugmentation(wc: typeof Wc, choice: AugmentChoice, seed: number): Wc.Layer[] {
  const fill = { fillMode: 'constant', fillValue: 0 } as const;
  const layers: Wc.Layer[] = [];
  if (choice.augment) {
    layers.push(
      wc.layers.randomRotation({ factor: 10 / 360, ...fill, seed }),
      wc.layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1, ...fill, seed: seed + 1 }),
      wc.layers.randomZoom({ heightFactor: 0.1, ...fill, seed: seed + 2 }),
    );
  }
  if (choice.elastic) layers.push(wc.layers.randomElasticDeformation({ ...fill, seed: seed + 3 }));
  return layers;
}

/** The zoo model with the augmentation layers in front (the model itself when there are none). */
export function withAugmentation(wc: typeof Wc, base: Wc.Sequential, augmentation: Wc.Layer[]): Wc.Sequential {
  if (augmentation.length === 0) return base;
  return wc.sequential({ layers: [wc.layers.inputLayer({ inputShape: MNIST_SHAPE }), ...augmentation, ...base.layers] });
}

/**
 * `count` digits ([count * 784] pixels in [0, 1]) run through the layers as
 * fit runs them (training mode): each call draws new distortions.
 */
export async function augmentedDigits(wc: typeof Wc, augmentation: Wc.Layer[], digits: Float32Array, count: number): Promise<Float32Array> {
  let x = wc.tensor(digits.subarray(0, count * 784), [count, 28, 28, 1]);
  for (const layer of augmentation) {
    const y = layer.apply(x, { training: true });
    if (y !== x) x.dispose();
    x = y;
  }
  try {
    return await x.data();
  } finally {
    x.dispose();
  }
}
