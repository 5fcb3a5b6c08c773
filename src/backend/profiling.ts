// What wc.profile needs from every backend: a session that times kernel calls
// while it is open, the method wrapper that names them, and the per-kernel
// summary. Nothing here runs unless a profile is open: the wrappers are own
// properties installed on the backend instance for the session and removed
// after it, so the class methods stay untouched.

import type { Backend } from './types.js';
import { KERNEL_NAMES, type KernelName } from './kernelNames.js';

/**
 * How a profile's times were taken:
 * - 'timestamp-query': GPU timestamps around each dispatch (WebGPU with the feature);
 * - 'submitted-work-done': each dispatch submitted alone and timed from the CPU
 *   by when the queue reports it done (includes submit overhead; approximate);
 * - 'performance-now': each kernel call timed on the CPU (the CPU backend).
 */
export type ProfileTiming = 'timestamp-query' | 'submitted-work-done' | 'performance-now';

/** One timed kernel call (CPU) or dispatch (WebGPU). */
export interface TimedCall {
  name: string;
  ms: number;
}

/** Per-kernel totals of a profile, slowest first. */
export interface KernelTime {
  /** The contract kernel (CPU: 'conv2d'); on WebGPU also the shader it dispatched ('conv2d/gemm'). */
  name: string;
  calls: number;
  totalMs: number;
  /** totalMs over the profile's total: the shares sum to 1. */
  share: number;
}

export interface ProfileSession {
  readonly timing: ProfileTiming;
  /** Ends the session: waits for the work it saw, detaches, and returns every timed call in order. */
  stop(): Promise<TimedCall[]>;
}

type Method = (...args: unknown[]) => unknown;

/**
 * Installs a wrapper around every kernel method of `target`: around(name, call)
 * must run call() and return its result. Kernels called from inside another
 * kernel run unwrapped, so each call is seen once, at its outermost level.
 * Returns the function that removes the wrappers (restoring any own property
 * that was there before, such as verification mode's wrappers).
 */
export function wrapKernels(target: Backend, around: (name: KernelName, call: () => unknown) => unknown): () => void {
  const table = target as unknown as Record<string, Method>;
  const saved = new Map<string, PropertyDescriptor | undefined>();
  let depth = 0;
  for (const name of KERNEL_NAMES) {
    saved.set(name, Object.getOwnPropertyDescriptor(target, name));
    const inner = table[name];
    table[name] = function wrapped(this: unknown, ...args: unknown[]): unknown {
      const call = () => inner.apply(target, args);
      if (depth > 0) return call();
      depth++;
      try {
        return around(name, call);
      } finally {
        depth--;
      }
    };
  }
  return () => {
    for (const [name, before] of saved) {
      if (before) Object.defineProperty(target, name, before);
      else delete table[name];
    }
    saved.clear();
  };
}

/** The CPU side: every kernel call timed with performance.now() (kernels run synchronously there). */
export function startCpuProfile(target: Backend): ProfileSession {
  const calls: TimedCall[] = [];
  const unwrap = wrapKernels(target, (name, call) => {
    const t0 = performance.now();
    try {
      return call();
    } finally {
      calls.push({ name, ms: performance.now() - t0 });
    }
  });
  return {
    timing: 'performance-now',
    async stop() {
      unwrap();
      return calls;
    },
  };
}

/** Groups timed calls by name, slowest total first; shares of the summed time. */
export function summarize(calls: readonly TimedCall[]): { kernels: KernelTime[]; totalMs: number } {
  const byName = new Map<string, KernelTime>();
  let totalMs = 0;
  for (const c of calls) {
    const k = byName.get(c.name) ?? { name: c.name, calls: 0, totalMs: 0, share: 0 };
    k.calls++;
    k.totalMs += c.ms;
    totalMs += c.ms;
    byName.set(c.name, k);
  }
  const kernels = [...byName.values()].sort((a, b) => b.totalMs - a.totalMs || a.name.localeCompare(b.name));
  for (const k of kernels) k.share = totalMs > 0 ? k.totalMs / totalMs : 0;
  return { kernels, totalMs };
}
