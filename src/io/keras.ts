// The boundary between webcnn's camelCase layer configs and the snake_case
// Keras JSON that TF.js and Keras write into model.json. Same rules as
// TF.js's serialization: keys and string values change case, except layer
// names, class names, and the layer names that open inbound-node entries.

import { clipped } from '../preview.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** 'kernelSize' -> 'kernel_size', 'MaxPooling2D' -> 'max_pooling2d'. */
export function toSnakeCase(s: string): string {
  return s.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** 'kernel_size' -> 'kernelSize'. */
export function toCamelCase(s: string): string {
  return s.replace(/[_-]([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

const NAME_LISTS = new Set(['inboundNodes', 'outputLayers', 'inputLayers', 'inbound_nodes', 'output_layers', 'input_layers']);

/** Deeper than any Keras config; a file nested further is refused before the recursion runs out of stack. */
const MAX_DEPTH = 64;

function convert(value: Json, key: string, caseOf: (s: string) => string, keepValueOf: ReadonlySet<string>, depth = 0): Json {
  if (depth > MAX_DEPTH) throw new Error(`model config: nested more than ${MAX_DEPTH} levels deep (at '${clipped(key, 40)}'); expected a Keras layer config`);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return caseOf(value);
  if (Array.isArray(value)) {
    // [layerName, nodeIndex, tensorIndex, kwargs] entries keep the layer name as written.
    return value.map((item, i) => (NAME_LISTS.has(key) && i === 0 && typeof item === 'string' ? item : convert(item, key, caseOf, keepValueOf, depth + 1)));
  }
  const out: { [k: string]: Json } = {};
  for (const [k, v] of Object.entries(value)) {
    // defineProperty: a '__proto__' key from a file must stay a plain key, not replace the prototype
    Object.defineProperty(out, caseOf(k), {
      value: keepValueOf.has(k) && typeof v === 'string' ? v : convert(v, caseOf(k), caseOf, keepValueOf, depth + 1),
      enumerable: true, writable: true, configurable: true,
    });
  }
  return out;
}

export function tsToPythonic(config: Json): Json {
  return convert(config, '', toSnakeCase, new Set(['name', 'className']));
}

export function pythonicToTs(config: Json): Json {
  return convert(config, '', toCamelCase, new Set(['name', 'class_name']));
}
