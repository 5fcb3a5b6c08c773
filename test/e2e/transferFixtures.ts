// What the transfer-learning demo's tests feed it: a MobileNet V2 with random
// weights whose embeddings still tell images apart, and synthetic images of
// three classes (a shape and a colour each, on noise, placed at random).

import { PNG } from 'pngjs';
import * as wc from '../../src/index.js';

export const CLASS_NAMES = ['red discs', 'green squares', 'blue stripes'] as const;

/** A small deterministic generator (mulberry32), so that a failure can be replayed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RgbaImage { width: number; height: number; data: Uint8Array }

/**
 * One size x size image of class `cls` (0, 1 or 2): a reddish disc, a greenish
 * square or bluish diagonal stripes, at a random place and size, on a noisy
 * gray background. Class -1 is a calibration image: random colour blobs.
 */
export function syntheticImage(cls: number, seed: number, size: number): RgbaImage {
  const r = rng(seed * 7919 + cls * 104729 + 1);
  const data = new Uint8Array(size * size * 4);
  const bg = 110 + 40 * r();
  const cx = size * (0.45 + 0.1 * r()), cy = size * (0.45 + 0.1 * r()), rad = size * (0.3 + 0.06 * r());
  const tint = (base: number) => Math.min(255, Math.max(0, base + 50 * (r() - 0.5)));
  const colors = [[tint(220), tint(40), tint(40)], [tint(40), tint(200), tint(60)], [tint(40), tint(70), tint(220)]];
  const blob = [255 * r(), 255 * r(), 255 * r()];
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    const inside = cls === 0 ? (x - cx) ** 2 + (y - cy) ** 2 < rad * rad
      : cls === 1 ? Math.abs(x - cx) < rad && Math.abs(y - cy) < rad
        : cls === 2 ? Math.abs(x - cx) < rad * 1.3 && Math.abs(y - cy) < rad * 1.3 && Math.floor((x + y) / 4) % 2 === 0
          : (x - cx) ** 2 + (y - cy) ** 2 < 2 * rad * rad;
    const c = cls >= 0 ? colors[cls] : blob;
    for (let k = 0; k < 3; k++) {
      const v = (inside ? c[k] : bg) + 16 * (r() - 0.5);
      data[(y * size + x) * 4 + k] = Math.min(255, Math.max(0, Math.round(v)));
    }
    data[(y * size + x) * 4 + 3] = 255;
  }
  return { width: size, height: size, data };
}

export function pngOf(img: RgbaImage): Buffer {
  const png = new PNG({ width: img.width, height: img.height });
  png.data = Buffer.from(img.data);
  return PNG.sync.write(png);
}

/** The RGB values of an image as a [height, width, 3] tensor (browser.fromPixels's layout). */
export function pixelsOf(img: RgbaImage): wc.Tensor {
  const rgb = new Float32Array(img.width * img.height * 3);
  for (let i = 0; i < img.width * img.height; i++) for (let k = 0; k < 3; k++) rgb[i * 3 + k] = img.data[i * 4 + k];
  return wc.tensor(rgb, [img.height, img.width, 3]);
}

/**
 * Sets every batch norm's moving mean and variance to the statistics of its
 * input over `images` (MobileNet inputs in [-1, 1]), layer after layer, and
 * its beta to 3, so that relu6 works mostly in its linear range (the last one's to 0:
 * features around zero, as a trained MobileNet's, not one large common offset). With the initial
 * statistics the activations fade to nothing within a few blocks and every
 * image embeds alike; calibrated, each layer hands on unit-scale features, as
 * in a trained network.
 */
export async function calibrateBatchNorms(model: wc.LayersModel, images: wc.Tensor): Promise<void> {
  const norms = model.layers.filter((l) => l.className === 'BatchNormalization');
  const last = norms.at(-1);
  // The model runs layer by layer on the images (its layers are in graph
  // order), so each batch norm is set from its input before it is applied.
  const values = new Map<number, wc.Tensor>([[model.inputs[0].id, images]]);
  for (const layer of model.layers) {
    if (layer.className === 'InputLayer') continue;
    const ins = ([] as wc.SymbolicTensor[]).concat(layer.input).map((s) => values.get(s.id)!);
    if (layer.className === 'BatchNormalization') {
      const x = ins[0];
      const c = x.shape[x.shape.length - 1];
      const v = await x.data();
      const mean = new Float64Array(c), sq = new Float64Array(c);
      for (let i = 0; i < v.length; i++) { mean[i % c] += v[i]; sq[i % c] += v[i] * v[i]; }
      const n = v.length / c;
      const m = Float32Array.from(mean, (s) => s / n);
      const variance = Float32Array.from(sq, (s, k) => Math.max(s / n - m[k] ** 2, 1e-4));
      const [gamma] = layer.getWeights();
      layer.setWeights([wc.onesLike(gamma), wc.fill([c], layer === last ? 0 : 3), wc.tensor(m, [c]), wc.tensor(variance, [c])]);
    }
    values.set(layer.output.id, layer.apply(ins.length === 1 ? ins[0] : ins) as wc.Tensor);
  }
  for (const [id, t] of values) if (id !== model.inputs[0].id) t.dispose();
}

/**
 * Makes every spatial kernel (3x3 conv and depthwise) a noisy box filter
 * times a random gain per channel pair. Random zero-mean kernels are high-pass
 * filters: stacked, they keep pixel noise and lose the colours and shapes that
 * a trained MobileNet's features respond to; low-pass ones keep them.
 */
export function smoothSpatialKernels(model: wc.LayersModel, seed: number): void {
  const r = rng(seed);
  for (const layer of model.layers) {
    if (layer.className !== 'Conv2D' && layer.className !== 'DepthwiseConv2D') continue;
    const [kernel, ...rest] = layer.getWeights();
    const [kh, kw, ci, co] = kernel.shape;
    if (kh * kw === 1) continue;
    const pairs = ci * co;
    const gain = Float32Array.from({ length: pairs }, () => (r() - 0.5) * 2);
    const values = new Float32Array(kh * kw * pairs);
    for (let i = 0; i < values.length; i++) values[i] = gain[i % pairs] * (1 + 0.3 * (r() - 0.5));
    layer.setWeights([wc.tensor(values, kernel.shape), ...rest]);
  }
}

/** MobileNet V2 (alpha 0.35) with random weights and calibrated batch norms, for `size` x `size` RGB inputs. */
export async function randomMobileNet(size: number, seed = 7): Promise<wc.LayersModel> {
  const base = wc.models.mobilenetV2({ alpha: 0.35, inputShape: [size, size, 3], numClasses: 10 });
  smoothSpatialKernels(base, seed);
  const calib = Array.from({ length: 12 }, (_, i) => pixelsOf(syntheticImage(-1, seed * 100 + i, size)));
  const batch = wc.tidy(() => wc.stack(calib).div(127.5).sub(1));
  await calibrateBatchNorms(base, batch);
  batch.dispose();
  for (const t of calib) t.dispose();
  return base;
}
