// Quantized TF.js weight files, written as tensorflowjs_converter writes them
// (tensorflowjs/quantization.py and write_weights.py): each float32 weight on
// its own; uint8/uint16 as an affine map whose range is nudged so that 0 is
// exactly representable, the spec keeping dtype 'float32' and gaining
// `quantization: { dtype, min, scale }`; float16 as IEEE half with
// `quantization: { dtype: 'float16' }`. Other dtypes are copied as they are.

export type QuantizeDtype = 'uint8' | 'uint16' | 'float16';

export interface WeightSpecLike {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; min?: number; scale?: number };
}

export interface ArtifactsLike {
  weightSpecs?: WeightSpecLike[];
  weightData?: ArrayBuffer | ArrayBuffer[];
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** The weight data as one buffer (TF.js may hand it over in pieces). */
export function joinWeightData(data: ArrayBuffer | ArrayBuffer[] | undefined): ArrayBuffer {
  const parts = data === undefined ? [] : Array.isArray(data) ? data : [data];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), at);
    at += p.byteLength;
  }
  return out.buffer;
}

/** quantization.py's _get_affine_quantization_range: scale over the range, min nudged so that 0 maps to an integer. */
export function affineRange(min: number, max: number, quantMax: number): { scale: number; min: number; max: number } {
  const scale = (max - min) / quantMax;
  const nudgedMin = min <= 0 && max >= 0 ? -roundHalfEven(-min / scale) * scale : min;
  return { scale, min: nudgedMin, max: quantMax * scale + nudgedMin };
}

/** numpy's np.round: halves to the even integer. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 half bits of a float32, rounded to nearest even (numpy's astype(float16)). */
export function toFloat16Bits(v: number): number {
  f32[0] = v;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  // bits of the 24-bit significand dropped: 13 for a normal half, more for a subnormal one
  const m = e > 0 ? mant : mant | 0x800000;
  const shift = e > 0 ? 13 : 14 - e;
  if (shift > 24) return sign;
  let half = (e > 0 ? e << 10 : 0) | (m >>> shift);
  const rest = m & ((1 << shift) - 1);
  const halfway = 1 << (shift - 1);
  if (rest > halfway || (rest === halfway && (half & 1) === 1)) half++; // a carry into the exponent is right too
  return sign | half;
}

/** One float32 weight, quantized: its bytes and its spec's quantization entry. */
export function quantizeWeight(values: Float32Array, dtype: QuantizeDtype): { bytes: Uint8Array; quantization: NonNullable<WeightSpecLike['quantization']> } {
  if (dtype === 'float16') {
    const out = new Uint16Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = toFloat16Bits(values[i]);
    return { bytes: new Uint8Array(out.buffer), quantization: { dtype } };
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const out = dtype === 'uint8' ? new Uint8Array(values.length) : new Uint16Array(values.length);
  // a constant weight: every value the minimum, all zeros (the converter's scale 1)
  if (lo === hi) return { bytes: new Uint8Array(out.buffer), quantization: { dtype, min: lo, scale: 1 } };
  const r = affineRange(lo, hi, dtype === 'uint8' ? 255 : 65535);
  for (let i = 0; i < values.length; i++) out[i] = roundHalfEven((Math.min(Math.max(values[i], r.min), r.max) - r.min) / r.scale);
  return { bytes: new Uint8Array(out.buffer), quantization: { dtype, min: r.min, scale: r.scale } };
}

/** Artifacts with every float32 weight quantized to `dtype`, the rest (topology, other weights) as they were. */
export function quantizeArtifacts<A extends ArtifactsLike>(artifacts: A, dtype: QuantizeDtype): A {
  const data = joinWeightData(artifacts.weightData);
  const specs: WeightSpecLike[] = [];
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const spec of artifacts.weightSpecs ?? []) {
    if (spec.quantization) throw new Error(`tfjsQuantize: ${spec.name} is quantized already`);
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const bytes = count * BYTES[spec.dtype];
    const raw = data.slice(at, at + bytes);
    at += bytes;
    if (spec.dtype !== 'float32') {
      specs.push({ ...spec });
      parts.push(new Uint8Array(raw));
      continue;
    }
    const q = quantizeWeight(new Float32Array(raw), dtype);
    specs.push({ ...spec, quantization: q.quantization });
    parts.push(q.bytes);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return { ...artifacts, weightSpecs: specs, weightData: out.buffer };
}
