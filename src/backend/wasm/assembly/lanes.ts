// Helpers the kernel families share (imported, not re-exported by index.ts):
// element addresses, multiply-adds, float32 lanes widened to f64x2 halves and rounded back
// once, and a float32 fill.

/** The address of float32 element i of the array at byte offset p. */
@inline export function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

/** c + a*b on f32x4: one fused multiply-add where the engine has relaxed SIMD (the module built with it), else a multiply and an add. */
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** acc + a*b on f64x2, never fused: the reference's f64 product, then its sum. */
@inline export function maddF64(acc: v128, a: v128, b: v128): v128 {
  return f64x2.add(acc, f64x2.mul(a, b));
}

/** Lanes 2 and 3 of four float32 lanes as an f64x2 (lanes 0 and 1: f64x2.promote_low_f32x4). */
@inline export function promoteHigh(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
}

/** Four float32 lanes from two f64x2 halves, each rounded once. */
@inline export function demote(lo: v128, hi: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** Writes `count` float32 copies of v at p. */
export function fillF32(p: usize, count: i32, v: f32): void {
  const lanes = f32x4.splat(v);
  let i = 0;
  for (; i + 4 <= count; i += 4) v128.store(p + (<usize>i << 2), lanes);
  for (; i < count; i++) store<f32>(p + (<usize>i << 2), v);
}
