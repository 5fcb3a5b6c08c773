// A program's uniforms, declared once in TypeScript: the WGSL `struct Params`
// (bound as `p` at binding 0) and the packing of each call's values are both
// made from that declaration, so no field order is kept by hand.

import { Params } from './scheduler.js';

export type UniformType = 'u32' | 'i32' | 'f32';

/** Field names and types in struct order (object keys keep their insertion order). */
export type Uniforms = Readonly<Record<string, UniformType>>;

/** One value per declared field. */
export type UniformValues<U extends Uniforms> = { readonly [K in keyof U]: number };

/** The WGSL declaration of the struct and its binding, put in front of the shader when its module is made. */
export function paramsDeclaration(uniforms: Uniforms): string {
  const fields = Object.entries(uniforms).map(([name, type]) => `  ${name}: ${type},`);
  return `struct Params {\n${fields.join('\n')}\n}\n@group(0) @binding(0) var<uniform> p: Params;\n`;
}

/** Packs the values in declared order; a missing, extra or non-finite value is a bug in the caller. */
export function packUniforms<U extends Uniforms>(program: string, uniforms: U, values: UniformValues<U>): Params {
  const params = new Params();
  for (const [name, type] of Object.entries(uniforms)) {
    const v = (values as Record<string, number>)[name];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`webgpu backend: ${program}: uniform ${name} is ${String(v)}`);
    params[type](v);
  }
  for (const name of Object.keys(values)) {
    if (!(name in uniforms)) throw new Error(`webgpu backend: ${program}: no uniform named ${name}`);
  }
  return params;
}
