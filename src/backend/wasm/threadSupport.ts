// Whether this JavaScript engine can run the kernels on several threads, and
// how many to use by default: shared WebAssembly memory, Atomics, workers,
// and in a browser cross-origin isolation (COOP same-origin + COEP
// require-corp), without which SharedArrayBuffer is withheld.

/** Threads at most by default: past this the kernels' batches are too small to share. */
export const DEFAULT_MAX_THREADS = 8;

export type WorkerKind = 'node' | 'web';

export interface ThreadSupport {
  /** How workers are made here; null when threads are impossible. */
  kind: WorkerKind | null;
  /** Why threads are impossible (kind null). */
  reason?: string;
  /** The machine's logical cores, as the engine reports them. */
  cores: number;
}

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

function sharedMemoryWorks(): boolean {
  try {
    const m = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return m.buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

export async function threadSupport(): Promise<ThreadSupport> {
  if (isNode()) {
    const os = await import('node:os');
    const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
    if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object' || !sharedMemoryWorks()) {
      return { kind: null, reason: 'this Node has no shared WebAssembly memory', cores };
    }
    return { kind: 'node', cores };
  }
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  const cores = nav?.hardwareConcurrency ?? 1;
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== true) {
    return { kind: null, reason: 'the page is not cross-origin isolated (serve it with COOP same-origin and COEP require-corp)', cores };
  }
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object' || !sharedMemoryWorks()) {
    return { kind: null, reason: 'this browser has no shared WebAssembly memory', cores };
  }
  if (typeof Worker !== 'function' || typeof Blob !== 'function' || typeof URL?.createObjectURL !== 'function') {
    return { kind: null, reason: 'this context cannot start Web Workers', cores };
  }
  return { kind: 'web', cores };
}

/**
 * The thread count to run with: what was asked for (default the cores,
 * capped), 1 where threads are impossible, with the reason.
 */
export function chooseThreads(asked: number | undefined, support: ThreadSupport): { threads: number; reason?: string } {
  if (asked !== undefined && (!Number.isInteger(asked) || asked < 1)) {
    throw new Error(`wasm backend: threads must be a whole number of at least 1, got ${asked}`);
  }
  if (support.kind === null) return { threads: 1, reason: support.reason };
  return { threads: asked ?? Math.max(1, Math.min(support.cores, DEFAULT_MAX_THREADS)) };
}
