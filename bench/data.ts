// Inputs for the bench: seeded uniform values and one-hot labels. Speed does
// not depend on what the images show, so no data set is loaded.

/** Uniform values in [0, 1) from a seeded mulberry32 generator. */
export function uniform(count: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  return out;
}

/** One-hot rows [batch, classes], the class of row i being i mod classes. */
export function oneHot(batch: number, classes: number): Float32Array {
  const out = new Float32Array(batch * classes);
  for (let i = 0; i < batch; i++) out[i * classes + (i % classes)] = 1;
  return out;
}

export const MNIST_SHAPE = [28, 28, 1] as const;
export const CLASSES = 10;
