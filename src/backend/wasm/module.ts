// Instantiates the kernels module (compiled by scripts/build-wasm.mjs and
// inlined as base64, so nothing is fetched) on a memory that JS owns.

import { WASM_BASE64, WASM_RELAXED_BASE64, WASM_SHARED_BASE64, WASM_SHARED_RELAXED_BASE64, type WasmExports } from './module.generated.js';

export type { WasmExports };

export interface WasmInstance {
  exports: WasmExports;
  memory: WebAssembly.Memory;
  /** The compiled module: workers instantiate it again on the same (shared) memory. */
  module: WebAssembly.Module;
  /** Whether this is the build with relaxed SIMD (fused multiply-adds in the GEMM). */
  relaxedSimd: boolean;
  /** A shared memory's declared maximum in pages; undefined: wasm32's 4 GiB. */
  maxPages?: number;
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
 * A shared memory's cap, in pages: it must declare one, and engines reserve
 * address space for it up front. All of wasm32 (4 GiB) where the engine
 * grants that, else 2 GiB, else 1 GiB.
 */
const SHARED_CAPS = [65536, 32768, 16384] as const;

/** A shared memory with the largest cap the engine grants. */
function sharedMemory(): { memory: WebAssembly.Memory; maxPages: number } {
  for (const maximum of SHARED_CAPS) {
    try {
      return { memory: new WebAssembly.Memory({ initial: 16, maximum, shared: true }), maxPages: maximum };
    } catch (e) {
      if (!(e instanceof RangeError) || maximum === SHARED_CAPS[SHARED_CAPS.length - 1]) throw e;
    }
  }
  throw new Error('unreachable');
}

/** The imports every instance of the module gets (the main thread's and each worker's). */
export function kernelImports(memory: WebAssembly.Memory): WebAssembly.Imports {
  return {
    env: {
      memory,
      abort: (_msg: number, _file: number, line: number, column: number) => {
        throw new Error(`wasm backend: a kernel aborted at ${line}:${column}`);
      },
    },
  };
}

/**
 * The kernels module on a fresh memory: the relaxed-SIMD build where the
 * engine validates it, else the SIMD128 one; `relaxed: false` forces the
 * latter (tests compare the two). `shared`: the threaded build, on a shared
 * memory that workers can import too.
 */
export async function instantiateKernels(relaxed = true, shared = false): Promise<WasmInstance> {
  if (!hasWasmSimd()) throw new Error('wasm backend: this JavaScript engine has no WebAssembly SIMD (128-bit), which the kernels need');
  const relaxedBytes = relaxed ? bytes(shared ? WASM_SHARED_RELAXED_BASE64 : WASM_RELAXED_BASE64) : null;
  const relaxedSimd = relaxedBytes !== null && WebAssembly.validate(relaxedBytes);
  const key = `${relaxedSimd ? 'relaxed' : 'simd'}:${shared ? 'shared' : 'own'}`;
  let pending = compiled.get(key);
  if (!pending) {
    pending = WebAssembly.compile(relaxedSimd && relaxedBytes ? relaxedBytes : bytes(shared ? WASM_SHARED_BASE64 : WASM_BASE64));
    compiled.set(key, pending);
  }
  const module = await pending;
  const { memory, maxPages } = shared ? sharedMemory() : { memory: new WebAssembly.Memory({ initial: 16 }), maxPages: undefined };
  const instance = await WebAssembly.instantiate(module, kernelImports(memory));
  return { exports: instance.exports as unknown as WasmExports, memory, module, relaxedSimd, maxPages };
}
