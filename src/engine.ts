// Which backend runs new work. Backends register a factory; setBackend()
// creates (once) and selects one. Tensors remember the backend that made them,
// and an op refuses tensors of two different backends.

import type { AdapterInfo, Backend, BackendName, KernelChoice, WasmBackendInfo } from './backend/types.js';
import { Tensor, createTensor } from './tensor.js';
import { toFloat32, type TensorLike } from './tensorLike.js';
import { summarizeValues } from './valueHint.js';

export interface BackendOptions {
  /** WebGPU and wasm: run every kernel on the CPU reference too and throw on the first disagreement. */
  verify?: boolean;
  /** WebGPU: a GPU object to use instead of navigator.gpu (for example the `webgpu` package in Node). */
  gpu?: GPU;
  /** WebGPU: request a high-performance or low-power adapter. */
  powerPreference?: GPUPowerPreference;
  /**
   * WebGPU: time the GEMM's workgroup shapes on the model's own matrix sizes
   * after its first training step and keep the fastest (default true; choices
   * are cached per adapter, in IndexedDB in browsers). False keeps the
   * heuristic shapes.
   */
  autotune?: boolean;
  /**
   * WebGPU: where the device runs subgroups of exactly 4 invocations (as
   * SwiftShader does), the GEMM's lanes share their loads of A through
   * subgroup broadcasts (default true). False runs the kernel in which every
   * invocation loads its own, as on other adapters.
   */
  subgroups?: boolean;
  /**
   * wasm: threads the kernels run on, the calling thread included (default
   * the machine's cores, at most 8). Threads need shared WebAssembly memory:
   * Node, or a cross-origin-isolated page (COOP same-origin, COEP
   * require-corp); elsewhere the backend runs one thread and
   * backendInfo().wasm.threadsReason says why.
   */
  threads?: number;
}

type BackendFactory = (options: BackendOptions) => Promise<Backend>;

const factories = new Map<BackendName, BackendFactory>();
const instances = new Map<string, Backend>();
let current: Backend | null = null;
/** Why setBackend('auto') picked the current backend. */
let autoReason: string | undefined;

export function registerBackend(name: BackendName, factory: BackendFactory): void {
  factories.set(name, factory);
}

function instanceKey(name: BackendName, options: BackendOptions): string {
  return `${name}:${options.verify ? 'verify' : 'plain'}:${options.gpu ? 'injected' : 'default'}:${options.powerPreference ?? ''}:${options.autotune === false ? 'fixed' : 'tuned'}:${options.subgroups === false ? 'nosg' : 'sg'}:${options.threads ?? ''}`;
}

/**
 * Selects (creating on first use) the backend that runs new work. 'auto'
 * picks WebGPU on a hardware adapter, measures WebGPU against wasm on a
 * software one, and takes wasm without WebGPU (the CPU where the engine has no
 * WebAssembly SIMD); backendInfo().reason says why.
 */
export async function setBackend(name: BackendName | 'auto', options: BackendOptions = {}): Promise<void> {
  if (name === 'auto') {
    const { chooseBackend } = await import('./autoBackend.js');
    const choice = await chooseBackend(async (n) => { await setBackend(n, options); return current as Backend; });
    current = choice.backend;
    autoReason = choice.reason;
    return;
  }
  autoReason = undefined;
  const factory = factories.get(name);
  if (!factory) {
    throw new Error(`setBackend: unknown backend '${String(name)}'; expected one of ${[...factories.keys()].map((k) => `'${k}'`).join(', ')}`);
  }
  const key = instanceKey(name, options);
  let backend = instances.get(key);
  // A backend whose device was lost cannot run anything again: make a new one in its place.
  if (backend?.isLost?.()) {
    forgetBackend(backend);
    backend = undefined;
  }
  if (!backend) {
    backend = await factory(options);
    instances.set(key, backend);
  }
  current = backend;
}

/** Forgets a created backend (after device loss, say) so that the next setBackend makes a new one. */
export function forgetBackend(backend: Backend): void {
  for (const [key, b] of instances) if (b === backend) instances.delete(key);
  if (current === backend) current = null;
}

export function getBackend(): BackendName {
  return backend().name;
}

/** The selected backend; the CPU backend when none was chosen yet. */
export function backend(): Backend {
  if (!current) {
    const cpu = instances.get(instanceKey('cpu', {}));
    if (!cpu) throw new Error("webcnn: no backend selected; call await wc.setBackend('cpu' | 'webgpu' | 'wasm') first");
    current = cpu;
  }
  return current;
}

export interface BackendInfo {
  name: BackendName;
  /** The WebGPU adapter; absent on the CPU. */
  adapter?: AdapterInfo;
  /** One line for logs: 'webgpu on google/swiftshader (fallback)' or 'cpu'. */
  description: string;
  /** Kernel variants the backend picked by measuring, per shape (WebGPU's GEMM workgroups). */
  kernels: KernelChoice[];
  /** Why setBackend('auto') chose this backend; absent when it was named. */
  reason?: string;
  /** The wasm backend: SIMD, threads, and which kernels fall back to the CPU reference. */
  wasm?: WasmBackendInfo;
}

/** What the selected backend runs on. */
export function backendInfo(): BackendInfo {
  const b = backend();
  const a = b.adapter;
  const wasm = b.info?.();
  const description = a ? `${b.name} on ${a.vendor || 'unknown vendor'}/${a.architecture || 'unknown architecture'}${a.isFallbackAdapter ? ' (fallback)' : ''}`
    : wasm ? `${b.name} (${wasm.relaxedSimd ? 'relaxed SIMD' : 'SIMD'}, ${wasm.threads} thread${wasm.threads === 1 ? '' : 's'})` : b.name;
  return { name: b.name, adapter: a, description, kernels: b.kernelChoices?.() ?? [], ...(wasm ? { wasm } : {}), ...(autoReason ? { reason: autoReason } : {}) };
}

/** Installs a created backend directly (the CPU backend needs no async set-up). */
export function installBackend(b: Backend, options: BackendOptions = {}, select = false): void {
  instances.set(instanceKey(b.name, options), b);
  if (select) current = b;
}

/**
 * wc.tensor(values, shape?): a float32 tensor on the selected backend, as
 * tf.tensor makes one: nested arrays give their shape, a number a scalar
 * (src/tensorLike.ts says what is accepted and refused).
 */
export function tensor(values: TensorLike, shape?: readonly number[] | null): Tensor {
  const made = toFloat32(values, shape);
  const t = backend().fromValues(made.values, made.shape);
  // the values are on the CPU now: what fit's checks need of them costs one pass here, not a device read later
  t.valueHint = summarizeValues(made.values);
  t.finiteHint = t.valueHint.finite;
  return t;
}

export { createTensor };
