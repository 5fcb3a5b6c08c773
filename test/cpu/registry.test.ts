// The kernel registry and the uniforms declared once: names line up, the
// generated WGSL declares what the TypeScript packs, in that order.

import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { KERNELS, PIPELINES, kernelNamed } from '../../src/kernels/registry.js';
import { packUniforms, paramsDeclaration } from '../../src/backend/webgpu/uniforms.js';
import { pipelineKey, shaderSource } from '../../src/backend/webgpu/pipelines.js';
import { withLibrary } from '../../src/backend/webgpu/shaderLibrary.js';

describe('kernel registry', () => {
  it('lists each kernel under its own name, once, with a CPU reference and a WebGPU program', () => {
    const entries = Object.entries(KERNELS);
    expect(entries.length).toBeGreaterThanOrEqual(45);
    for (const [key, k] of entries) {
      expect(k.name, key).toBe(key);
      expect(typeof k.check, key).toBe('function');
      expect(typeof k.cpu, key).toBe('function');
      expect(typeof k.webgpu, key).toBe('function');
    }
    expect(new Set(entries.map(([, k]) => k)).size).toBe(entries.length);
  });

  it('gives every kernel but the queries a public op of the same name', () => {
    const ops = wc.ops as unknown as Record<string, unknown>;
    const missing = Object.values(KERNELS).filter((k) => !('query' in k && k.query) && typeof ops[k.name] !== 'function').map((k) => k.name);
    expect(missing).toEqual([]);
  });

  it('names the kernels it has when asked for one it has not', () => {
    expect(kernelNamed('mul')).toBe(KERNELS.mul);
    expect(() => kernelNamed('mull')).toThrow(/^no kernel named "mull"; expected one of conv2d, conv2dColumns, /);
  });

  it('lists every pipeline once (by shader and constants)', () => {
    const keys = PIPELINES.map(pipelineKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('runs a kernel on the backend that owns the tensors, after its checks', () => {
    const y = wc.ops.mul(wc.tensor([1, 2, 3], [3]), wc.tensor([4, 5, 6], [3]));
    expect([...y.dataSync()]).toEqual([4, 10, 18]);
    expect(() => wc.ops.mul(wc.tensor([1], [1]), wc.tensor([1, 2], [2]))).toThrow(/^mul: a and b must have the same shape/);
  });
});

describe('uniforms declared once', () => {
  const u = { n: 'u32', alpha: 'f32', shift: 'i32' } as const;

  it('declares the struct in declared order and binds it as p', () => {
    expect(paramsDeclaration(u)).toBe('struct Params {\n  n: u32,\n  alpha: f32,\n  shift: i32,\n}\n@group(0) @binding(0) var<uniform> p: Params;\n');
  });

  it('packs the values in declared order, whatever order the call writes them in', () => {
    const params = packUniforms('test', u, { shift: -2, alpha: 0.5, n: 7 });
    expect(params.byteLength).toBe(16);
    const view = new DataView(new ArrayBuffer(16));
    params.writeTo(view, 0);
    expect([view.getUint32(0, true), view.getFloat32(4, true), view.getInt32(8, true)]).toEqual([7, 0.5, -2]);
  });

  it('refuses a missing, extra or non-finite value, naming the program and the field', () => {
    expect(() => packUniforms('sgd', u, { n: 1, alpha: 2 } as never)).toThrow('webgpu backend: sgd: uniform shift is undefined');
    expect(() => packUniforms('sgd', u, { n: 1, alpha: 2, shift: 0, extra: 1 } as never)).toThrow('webgpu backend: sgd: no uniform named extra');
    expect(() => packUniforms('sgd', u, { n: 1, alpha: Number.NaN, shift: 0 })).toThrow('webgpu backend: sgd: uniform alpha is NaN');
  });

  it('puts the declaration after a shader\'s leading directives, and the library blocks in place', () => {
    const code = '// a shader\nenable subgroups;\ndiagnostic(off, subgroup_uniformity);\n//! include lib/invocation.wgsl\nfn item(i: u32) {}\n';
    const src = shaderSource({ name: 'demo', code, uniforms: { n: 'u32' } });
    const struct = src.indexOf('struct Params');
    expect(struct).toBeGreaterThan(src.indexOf('diagnostic(off, subgroup_uniformity);'));
    expect(src).toContain('fn main(@builtin(global_invocation_id) g: vec3u');
    expect(src).not.toContain('//! include');
    expect(() => withLibrary('demo', '//! include lib/nothing.wgsl\n')).toThrow('webgpu backend: demo.wgsl includes lib/nothing.wgsl, which shaders/lib does not have');
  });
});
