// The weight encodings of TF.js's layers-model files: float32 and int32 (4
// bytes), bool (1 byte), and the converter's quantizations: affine uint8 and
// uint16 (value = q · scale + min) and float16. Decoding follows TF.js's
// io_utils.decodeWeights; encoding follows tensorflowjs_converter's
// quantize_weights (min and max nudged so that 0 is exactly representable).

import type { WeightQuantization, WeightSpec } from './types.js';

/** What model.save can quantize to. */
export type QuantizeDtype = 'uint8' | 'uint16' | 'float16';

const STORED_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Bytes one value of this spec takes in the file. */
export function bytesPerValue(spec: WeightSpec): number {
  return STORED_BYTES[spec.quantization?.dtype ?? spec.dtype ?? 'float32'];
}

export function valueCount(spec: WeightSpec): number {
  return spec.shape.reduce((a, b) => a * b, 1);
}

// ---- float16 ---------------------------------------------------------------

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half to float (subnormals, infinities and NaN included). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** Float to IEEE half, rounding to nearest even; beyond the half range gives ±Infinity. */
export function floatToHalf(v: number): number {
  f32[0] = v;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  const mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    // subnormal half (or zero): shift the full mantissa down, rounding to nearest even
    if (e < -10) return sign;
    const m = mantissa | 0x800000;
    const shift = 14 - e;
    const half = m >>> shift;
    const rest = m & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rest > mid || (rest === mid && (half & 1)) ? 1 : 0));
  }
  const half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // a carry out of the mantissa moves into the exponent, which is the right answer (up to infinity)
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && (half & 1)) ? 1 : 0));
}

// ---- affine uint8 / uint16 -------------------------------------------------

/** The converter's quantization range: scale, and min nudged so that 0 maps to an integer. */
export function affineRange(min: number, max: number, dtype: 'uint8' | 'uint16'): { scale: number; min: number } {
  const quantMax = dtype === 'uint8' ? 255 : 65535;
  // the range always holds 0, as the converter's
  const lo = Math.min(min, 0);
  const hi = Math.max(max, 0);
  if (hi === lo) return { scale: 1, min: lo };
  const scale = (hi - lo) / quantMax;
  const nudgedZero = Math.round(-lo / scale);
  return { scale, min: -nudgedZero * scale };
}

// ---- encode / decode ---------------------------------------------------------

/** One weight's values as stored: its spec gains `quantization` when quantized. */
export function encodeWeight(name: string, shape: readonly number[], values: Float32Array, quantize?: QuantizeDtype): { spec: WeightSpec; bytes: Uint8Array } {
  const spec: WeightSpec = { name, shape: [...shape], dtype: 'float32' };
  if (!quantize) return { spec, bytes: new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)) };
  if (quantize === 'float16') {
    const out = new Uint16Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = floatToHalf(values[i]);
    spec.quantization = { dtype: 'float16', original_dtype: 'float32' };
    return { spec, bytes: new Uint8Array(out.buffer) };
  }
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) throw new Error(`save: weight '${name}' holds ${v}; ${quantize} quantization needs finite values`);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (values.length === 0) min = max = 0;
  const range = affineRange(min, max, quantize);
  const quantMax = quantize === 'uint8' ? 255 : 65535;
  const out = quantize === 'uint8' ? new Uint8Array(values.length) : new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.min(quantMax, Math.max(0, Math.round((values[i] - range.min) / range.scale)));
  spec.quantization = { dtype: quantize, min: range.min, scale: range.scale, original_dtype: 'float32' };
  return { spec, bytes: new Uint8Array(out.buffer) };
}

/** A weight's values from its bytes (exactly bytesPerValue · count of them), as float32, dequantized as TF.js does. */
export function decodeWeight(spec: WeightSpec, bytes: ArrayBuffer): Float32Array {
  const n = valueCount(spec);
  const q: WeightQuantization | undefined = spec.quantization;
  const toInt = (spec.quantization?.original_dtype ?? spec.dtype) === 'int32';
  const view = new DataView(bytes);
  const out = new Float32Array(n);
  if (q) {
    if (q.dtype === 'float16') {
      for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
    } else {
      const scale = q.scale as number;
      const min = q.min as number;
      for (let i = 0; i < n; i++) {
        const v = (q.dtype === 'uint8' ? view.getUint8(i) : view.getUint16(2 * i, true)) * scale + min;
        out[i] = toInt ? Math.round(v) : v;
      }
    }
    return out;
  }
  if (spec.dtype === 'int32') for (let i = 0; i < n; i++) out[i] = view.getInt32(4 * i, true);
  else if (spec.dtype === 'bool') for (let i = 0; i < n; i++) out[i] = view.getUint8(i) ? 1 : 0;
  else for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}
