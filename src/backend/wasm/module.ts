// Instantiates the kernels module (compiled by scripts/build-wasm.mjs and
// inlined as base64, so nothing is fetched) on a memory that JS owns.

import { WASM_BASE64, WASM_RELAXED_BASE64, type WasmExports } from './module.generated.js';

export type { WasmExports };

export interface WasmInstance {
  exports: WasmExports;
  memory: WebAssembly.Memory;
  /** Whether this is the build with relaxed SIMD (fused multiply-adds in the GEMM). */
  relaxedSimd: boolean;
}

const compiled = new Map<string, Promise<WebAssembly.Module>>();

function bytes(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** Whether this engine runs WebAssembly with 128-bit SIMD (the module needs it). */
export function hasWasmSimd(): boolean {
  // The smallest module with a v128 value: (func (result v128) (v128.const i32x4 0 0 0 0))
  const probe = Uint8Array.of(0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11);
  return typeof WebAssembly === 'object' && WebAssembly.validate(probe);
}

/**
 * The kernels module on a fresh memory: the relaxed-SIMD build where the
 * engine validates it, else the SIMD128 one; `relaxed: false` forces the
 * latter (tests compare the two).
 */
export async function instantiateKernels(relaxed = true): Promise<WasmInstance> {
  if (!hasWasmSimd()) throw new Error('wasm backend: this JavaScript engine has no WebAssembly SIMD (128-bit), which the kernels need');
  const relaxedBytes = relaxed ? bytes(WASM_RELAXED_BASE64) : null;
  const relaxedSimd = relaxedBytes !== null && WebAssembly.validate(relaxedBytes);
  const key = relaxedSimd ? 'relaxed' : 'simd';
  let pending = compiled.get(key);
  if (!pending) {
    pending = WebAssembly.compile(relaxedSimd && relaxedBytes ? relaxedBytes : bytes(WASM_BASE64));
    compiled.set(key, pending);
  }
  const module = await pending;
  const memory = new WebAssembly.Memory({ initial: 16 });
  const instance = await WebAssembly.instantiate(module, {
    env: {
      memory,
      abort: (_msg: number, _file: number, line: number, column: number) => {
        throw new Error(`wasm backend: a kernel aborted at ${line}:${column}`);
      },
    },
  });
  return { exports: instance.exports as unknown as WasmExports, memory, relaxedSimd };
}
