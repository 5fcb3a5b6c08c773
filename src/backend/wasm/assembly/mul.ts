// mul, in place of the CPU reference in src/kernels/mul.ts: the product of two
// float32 values is exact in f64, so float32 lanes round it as the CPU does.

import { at } from './lanes';

/** c = a * b over n elements. */
export function mul(a: usize, b: usize, c: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(c, i), f32x4.mul(v128.load(at(a, i)), v128.load(at(b, i))));
  for (; i < n; i++) store<f32>(at(c, i), load<f32>(at(a, i)) * load<f32>(at(b, i)));
}
