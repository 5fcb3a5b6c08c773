// Seeded random numbers: the generator behind initializers, dropout seeds and
// the random creation ops (wc.randomNormal, ...). A given seed gives the same
// values on every backend, since they are drawn here and uploaded.

/** mulberry32: small, fast, seeded; uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const seedSource = seededRandom(0x5eed);
/** A fresh seed for an unseeded initializer or layer. */
export function nextSeed(): number {
  return Math.floor(seedSource() * 4294967296);
}

/** Standard normal draws by Box-Muller. */
export function gaussian(rand: () => number): () => number {
  return () => {
    const u = 1 - rand(); // (0, 1]: log stays finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
}

/** Normal draws; truncated ones are redrawn beyond two standard deviations, as TF does. */
export function normalValues(n: number, mean: number, stddev: number, truncated: boolean, seed: number | null): Float32Array {
  const g = gaussian(seededRandom(seed ?? nextSeed()));
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let z = g();
    while (truncated && Math.abs(z) > 2) z = g();
    out[i] = mean + stddev * z;
  }
  return out;
}

