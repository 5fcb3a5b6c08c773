// The TF.js layers-model format (its types in types.ts): model.json (the Keras
// topology and a weights manifest) plus binary shards of little-endian
// weights (float32, int32, bool, or quantized: weightCodec.ts), concatenated in
// manifest order. Checks, decodes and encodes them.

import type { Json } from './keras.js';
import { checkDepth } from './bounded.js';
import { clipped, preview } from '../preview.js';
import { checkDistinctPaths } from './containment.js';
import type { ModelArtifacts, ModelJson, WeightSpec, WeightsManifestGroup } from './types.js';
import { bytesPerValue, decodeWeight, valueCount } from './weightCodec.js';

export const FORMAT = 'layers-model';
export const GENERATED_BY = 'webcnn 0.1.0';
/** TF.js writes shards of at most 4 MB. */
export const SHARD_BYTES = 4 * 1024 * 1024;
/** The dtypes a weight may have (webcnn holds each as float32), and the quantizations TF.js's converter writes. */
const DTYPES = ['float32', 'int32', 'bool'];
const QUANTIZATIONS = ['uint8', 'uint16', 'float16'];

function fail(where: string, message: string): never {
  throw new Error(`${where}: ${message}`);
}

/** What a value is, for messages: 'an array', 'null', 'a string', ... */
export function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof ArrayBuffer) return 'an ArrayBuffer';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkFormat(format: unknown, where: string): void {
  if (format !== undefined && format !== null && format !== FORMAT) {
    fail(where, `unsupported model format ${typeof format === 'string' ? `'${clipped(format)}'` : kindOf(format)}: expected '${FORMAT}' (TF.js layers-model); graph models are not supported`);
  }
}

/** Parses model.json text; see checkModelJson. */
export function parseModelJson(text: string, where: string): ModelJson {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    fail(where, `model.json is not valid JSON (${clipped((err as Error).message)})`);
  }
  return checkModelJson(raw, where);
}

/** Checks a model.json's shape and returns it typed; every problem names what was expected. */
export function checkModelJson(raw: unknown, where: string): ModelJson {
  if (!isRecord(raw)) fail(where, `model.json must hold an object, got ${kindOf(raw)}`);
  checkDepth(raw, where, 'model.json');
  const m = raw;
  checkFormat(m.format, where);
  if (!isRecord(m.modelTopology)) fail(where, `model.json's modelTopology must be an object, got ${kindOf(m.modelTopology)}`);
  const manifest = m.weightsManifest ?? [];
  if (!Array.isArray(manifest)) fail(where, `weightsManifest must be an array, got ${kindOf(manifest)}`);
  manifest.forEach((g: unknown, i: number) => {
    if (!isRecord(g) || !Array.isArray(g.paths) || !Array.isArray(g.weights) || !g.paths.every((p) => typeof p === 'string')) {
      fail(where, `weightsManifest[${i}] must have 'paths' (strings) and 'weights' arrays, got ${preview(g)}`);
    }
    (g.weights as unknown[]).forEach((w, j) => checkSpec(w, `${where}: weightsManifest[${i}].weights[${j}]`));
  });
  checkDistinctPaths(manifest as WeightsManifestGroup[], where);
  return {
    format: FORMAT, generatedBy: typeof m.generatedBy === 'string' ? m.generatedBy : '', convertedBy: typeof m.convertedBy === 'string' ? m.convertedBy : null,
    modelTopology: m.modelTopology as Json, weightsManifest: manifest as WeightsManifestGroup[],
  };
}

/** Bytes as one ArrayBuffer: an ArrayBuffer, a typed array or DataView, or a list of those (TF.js 4 hands one per shard). */
function weightBytes(data: unknown, where: string): ArrayBuffer {
  const one = (d: unknown, what: string): Uint8Array => {
    if (d instanceof ArrayBuffer) return new Uint8Array(d);
    if (ArrayBuffer.isView(d)) return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
    fail(where, `${what} must be an ArrayBuffer (or a typed array), got ${kindOf(d)}`);
  };
  if (data instanceof ArrayBuffer) return data;
  const parts = Array.isArray(data) ? data.map((d, i) => one(d, `weightData[${i}]`)) : [one(data, 'weightData')];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) { out.set(p, offset); offset += p.byteLength; }
  return out.buffer;
}

/**
 * In-memory artifacts (TF.js's ModelArtifacts, from a caller or an IO
 * handler's load()) checked field by field before anything reads them.
 */
export function checkArtifacts(raw: unknown, where: string): ModelArtifacts {
  if (!isRecord(raw)) fail(where, `expected model artifacts (an object with modelTopology, weightSpecs, weightData), got ${kindOf(raw)}`);
  checkDepth(raw, where, 'the model artifacts');
  checkFormat(raw.format, where);
  if (!isRecord(raw.modelTopology)) fail(where, `modelTopology must be an object (the Keras model config), got ${kindOf(raw.modelTopology)}`);
  const specs = raw.weightSpecs ?? [];
  if (!Array.isArray(specs)) fail(where, `weightSpecs must be an array, got ${kindOf(specs)}`);
  specs.forEach((w: unknown, i: number) => checkSpec(w, `${where}: weightSpecs[${i}]`));
  const data = raw.weightData === undefined || raw.weightData === null ? new ArrayBuffer(0) : weightBytes(raw.weightData, where);
  return {
    modelTopology: raw.modelTopology as Json, weightSpecs: specs as WeightSpec[], weightData: data,
    format: FORMAT, generatedBy: typeof raw.generatedBy === 'string' ? raw.generatedBy : undefined,
    convertedBy: typeof raw.convertedBy === 'string' ? raw.convertedBy : null,
  };
}

function checkSpec(w: unknown, where: string): asserts w is WeightSpec {
  const s = w as Record<string, unknown>;
  if (!isRecord(w) || typeof s.name !== 'string') throw new Error(`${where}: expected a weight spec {name, shape, dtype} with a string name, got ${preview(w)}`);
  const name = clipped(s.name);
  if (!Array.isArray(s.shape) || !s.shape.every((d) => Number.isInteger(d) && d >= 0 && d < 2 ** 31)) {
    throw new Error(`${where}: weight '${name}' has an invalid shape ${preview(s.shape)}`);
  }
  const dtype = s.dtype ?? 'float32';
  if (typeof dtype !== 'string' || !DTYPES.includes(dtype)) {
    throw new Error(`${where}: weight '${name}' has dtype ${preview(dtype)}; webcnn reads ${DTYPES.join(', ')} weights (and ${QUANTIZATIONS.join(', ')} quantizations)`);
  }
  s.dtype = dtype;
  const q = (s as { quantization?: unknown }).quantization;
  if (q === undefined || q === null) {
    delete (s as { quantization?: unknown }).quantization;
    return;
  }
  const qr = q as Record<string, unknown>;
  if (!isRecord(q) || typeof qr.dtype !== 'string' || !QUANTIZATIONS.includes(qr.dtype)) {
    throw new Error(`${where}: weight '${name}' has quantization ${preview(q)}; expected { dtype: ${QUANTIZATIONS.map((d) => `'${d}'`).join(' | ')}, ... }`);
  }
  if (qr.dtype !== 'float16' && !(Number.isFinite(qr.min) && Number.isFinite(qr.scale))) {
    throw new Error(`${where}: weight '${name}' is ${qr.dtype}-quantized without a finite min and scale (got ${preview({ min: qr.min, scale: qr.scale })})`);
  }
  if (qr.original_dtype !== undefined && qr.original_dtype !== 'float32' && qr.original_dtype !== 'int32') {
    throw new Error(`${where}: weight '${name}' has original_dtype ${preview(qr.original_dtype)}; expected 'float32' or 'int32'`);
  }
}

/** The bytes a manifest's weights take in the file (every spec checked). */
export function declaredBytes(specs: readonly WeightSpec[]): number {
  return specs.reduce((s, w) => s + bytesPerValue(w) * valueCount(w), 0);
}

/** Splits the concatenated weight bytes into named float32 arrays, checking the total size. */
export function decodeWeights(specs: readonly WeightSpec[], data: ArrayBuffer, where: string): Map<string, { shape: number[]; values: Float32Array }> {
  const out = new Map<string, { shape: number[]; values: Float32Array }>();
  const needed = declaredBytes(specs);
  if (data.byteLength !== needed) {
    fail(where, `the weight data holds ${data.byteLength} bytes but the manifest's ${specs.length} weights need ${needed} (truncated or mismatched .bin files?)`);
  }
  let offset = 0;
  for (const spec of specs) {
    const bytes = bytesPerValue(spec) * valueCount(spec);
    // Copy: a shard's offset need not be aligned in a combined buffer.
    const values = decodeWeight(spec, data.slice(offset, offset + bytes));
    offset += bytes;
    if (out.has(spec.name)) fail(where, `weight '${clipped(spec.name)}' appears twice in the manifest`);
    out.set(spec.name, { shape: spec.shape, values });
  }
  return out;
}

/** The weights' bytes, in spec order. */
export function encodeWeights(weights: readonly { bytes: Uint8Array }[]): ArrayBuffer {
  const total = weights.reduce((s, w) => s + w.bytes.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const w of weights) {
    out.set(w.bytes, offset);
    offset += w.bytes.byteLength;
  }
  return out.buffer;
}

/** model.json for artifacts whose weights are stored in the given shard files. */
export function modelJsonFor(artifacts: ModelArtifacts, paths: string[]): ModelJson {
  return {
    format: FORMAT, generatedBy: GENERATED_BY, convertedBy: null, modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths, weights: artifacts.weightSpecs }],
  };
}

/** Cuts the weight bytes into TF.js-sized shards. */
export function shards(data: ArrayBuffer): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (let s = 0; s < data.byteLength; s += SHARD_BYTES) out.push(data.slice(s, Math.min(data.byteLength, s + SHARD_BYTES)));
  return out.length ? out : [new ArrayBuffer(0)];
}

export function shardNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `group1-shard${i + 1}of${count}.bin`);
}
