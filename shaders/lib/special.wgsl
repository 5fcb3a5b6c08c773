// NaN and infinity, made through a var: WGSL's constant evaluation refuses a
// NaN or infinite value.
fn nan() -> f32 { var bits = 0x7fc00000u; return bitcast<f32>(bits); }
fn inf() -> f32 { var bits = 0x7f800000u; return bitcast<f32>(bits); }
fn isNan(v: f32) -> bool { return !(v == v); }
