// What wc.profile needs from every backend: a session that times kernel calls
// while it is open, the wrapper of Backend.run that names them, and the
// per-kernel summary. The wrapper is an own property of the backend instance
// for the session only, so the class stays untouched.

import type { Backend } from './types.js';
import type { Kernel } from '../kernels/kernel.js';

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
  /** The kernel (CPU: 'conv2d'); on WebGPU also the shader it dispatched ('conv2d/gemm'). */
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

/**
 * Wraps the backend's run for the session: around(name, call) must run call()
 * and return its result. Kernels run from inside another kernel are seen once,
 * at the outermost call; queries pass straight through. Returns the function
 * that restores run as it was (verification mode's stays underneath).
 */
export function wrapRun(target: Backend, around: (name: string, call: () => unknown) => unknown): () => void {
  const before = Object.getOwnPropertyDescriptor(target, 'run');
  const inner = target.run.bind(target);
  let depth = 0;
  const wrapped = <A extends readonly unknown[], R>(kernel: Kernel<A, R>, args: A): R => {
    const call = (): R => inner(kernel, args);
    if (depth > 0 || kernel.query) return call();
    depth++;
    try {
      return around(kernel.name, call) as R;
    } finally {
      depth--;
    }
  };
  target.run = wrapped;
  return () => {
    if (before) Object.defineProperty(target, 'run', before);
    else delete (target as { run?: unknown }).run;
  };
}

/** The CPU side: every kernel call timed with performance.now() (kernels run synchronously there). */
export function startCpuProfile(target: Backend): ProfileSession {
  const calls: TimedCall[] = [];
  const unwrap = wrapRun(target, (name, call) => {
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
