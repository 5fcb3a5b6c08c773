// Instantiates the kernels module (compiled by scripts/build-wasm.mjs and
// inlined as base64, so nothing is fetched) on a memory that JS owns.

import { WASM_BASE64, type WasmExports } from './module.generated.js';

export type { WasmExports };

export interface WasmInstance {
  exports: WasmExports;
  memory: WebAssembly.Memory;
}

let compiled: Promise<WebAssembly.Module> | null = null;

function bytes(): Uint8Array {
  const text = atob(WASM_BASE64);
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

export async function instantiateKernels(): Promise<WasmInstance> {
  if (!hasWasmSimd()) throw new Error('wasm backend: this JavaScript engine has no WebAssembly SIMD (128-bit), which the kernels need');
  compiled ??= WebAssembly.compile(bytes() as Uint8Array<ArrayBuffer>);
  const module = await compiled;
  const memory = new WebAssembly.Memory({ initial: 16 });
  const instance = await WebAssembly.instantiate(module, {
    env: {
      memory,
      abort: (_msg: number, _file: number, line: number, column: number) => {
        throw new Error(`wasm backend: a kernel aborted at ${line}:${column}`);
      },
    },
  });
  return { exports: instance.exports as unknown as WasmExports, memory };
}
