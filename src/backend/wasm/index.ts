// The WebAssembly backend: tensors live in the kernels module's linear memory
// (heap.ts), kernels with a wasm program (src/kernels/*/wasm.ts, SIMD128,
// compiled from src/backend/wasm/assembly) run it, the rest run their CPU
// reference on copies (cpuBridge.ts). Kernels run synchronously: on the
// calling thread, or split across a pool of workers on a shared memory
// (threadPool.ts) where the engine allows threads.

import type { Backend, Shape, WasmBackendInfo } from '../types.js';
import type { Kernel } from '../../kernels/kernel.js';
import type { Tensor } from '../../tensor.js';
import type { BackendOptions } from '../../engine.js';
import { CpuBackend } from '../cpu/index.js';
import { cpuTensor } from '../cpu/storage.js';
import { WasmContext, storageOf, type WasmStorage } from './context.js';
import { WasmHeap } from './heap.js';
import { instantiateKernels } from './module.js';
import { ThreadPool } from './threadPool.js';
import { chooseThreads, threadSupport } from './threadSupport.js';
import { runOnCpu } from './cpuBridge.js';
import { WasmVerifier } from './verify.js';

type AnyKernel = Kernel<readonly unknown[], unknown>;

export class WasmBackend implements Backend {
  readonly name = 'wasm' as const;
  readonly ctx: WasmContext;
  /** Set in verification mode: checks every wasm kernel against the CPU reference. */
  readonly verifier: WasmVerifier | null;

  private constructor(ctx: (owner: Backend) => WasmContext, private readonly kernels: readonly AnyKernel[], verify: boolean,
    private readonly relaxedSimd: boolean, private readonly threadsReason: string | undefined) {
    this.ctx = ctx(this);
    this.verifier = verify ? new WasmVerifier(this.ctx) : null;
    // The fallback makes CPU tensors: they need the CPU backend to exist (the engine usually made it already).
    try {
      cpuTensor(new Float32Array(0), [0]).dispose();
    } catch {
      new CpuBackend();
    }
  }

  /**
   * kernels: the registry's kernels (src/kernels/registry.ts), for the list of those that fall back.
   * options.threads: threads including the caller (default the cores, at most 8); 1 where the engine has no threads.
   */
  static async create(kernels: readonly Kernel<never, unknown>[], options: BackendOptions = {}): Promise<WasmBackend> {
    const support = await threadSupport();
    const chosen = chooseThreads(options.threads, support);
    let reason = chosen.reason;
    const { exports, memory, module, relaxedSimd, maxPages } = await instantiateKernels(true, chosen.threads > 1);
    let pool: ThreadPool | null = null;
    if (chosen.threads > 1 && support.kind) {
      // Workers can still be refused (a Content-Security-Policy without blob: workers, say): then one thread.
      try {
        pool = await ThreadPool.start(support.kind, chosen.threads - 1, module, memory, exports);
      } catch (e) {
        reason = `the workers failed to start (${(e as Error).message ?? String(e)})`;
      }
    }
    const heap = new WasmHeap(memory, exports.heapBase(), maxPages);
    return new WasmBackend((owner) => new WasmContext(exports, heap, owner, pool), kernels as unknown as AnyKernel[], options.verify ?? false, relaxedSimd, reason);
  }

  info(): WasmBackendInfo {
    return {
      simd: true,
      relaxedSimd: this.relaxedSimd,
      threads: this.ctx.threads,
      ...(this.threadsReason ? { threadsReason: this.threadsReason } : {}),
      fallbackKernels: this.kernels.filter((k) => !k.wasm && !k.query).map((k) => k.name),
    };
  }

  /** Stops the workers (the engine forgets this backend; its tensors must not be used after). */
  dispose(): void {
    this.ctx.pool?.close();
  }

  // ---- memory
  fromValues(values: Float32Array, shape: Shape): Tensor {
    const t = this.ctx.output(shape, 'fromValues');
    this.ctx.values(t).set(values);
    return t;
  }
  zeros(shape: Shape): Tensor {
    const t = this.ctx.output(shape, 'zeros');
    this.ctx.values(t).fill(0);
    return t;
  }
  clone(x: Tensor): Tensor {
    const t = this.ctx.output(x.shape, 'clone');
    this.ctx.values(t).set(this.ctx.values(x));
    return t;
  }
  assign(dst: Tensor, src: Tensor): void { this.ctx.values(dst).set(this.ctx.values(src)); }
  async read(x: Tensor): Promise<Float32Array> { return this.readSync(x); }
  readSync(x: Tensor): Float32Array { return Float32Array.from(this.ctx.values(x)); }
  releaseStorage(storage: unknown): void { this.ctx.heap.release((storage as WasmStorage).ptr); }
  async sync(): Promise<void> { /* kernels run as they are called */ }

  // ---- kernels: a kernel's wasm program where it has one, else its CPU reference on copies
  run<A extends readonly unknown[], R>(kernel: Kernel<A, R>, args: A): R {
    const k = kernel as unknown as AnyKernel;
    const mark = this.ctx.mark();
    try {
      if (!k.wasm) return runOnCpu(this.ctx, k.cpu, args) as R;
      const wasm = k.wasm;
      const call = (...a: readonly unknown[]) => wasm(this.ctx, ...a);
      if (this.verifier && !k.query) return this.verifier.run(k, args, call) as R;
      return call(...args) as R;
    } finally {
      this.ctx.releaseTo(mark);
    }
  }
}

export { storageOf };
