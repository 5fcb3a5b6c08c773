// wc.profile(fn): where the time of some work goes, kernel by kernel, on the
// selected backend. On WebGPU each dispatch is timed with GPU timestamps where
// the device has 'timestamp-query', else from the CPU by queue completion
// (the result says which); on the CPU each kernel call is timed with
// performance.now(). Outside a profile nothing is timed and nothing is wrapped.

import { backend } from './engine.js';
import type { BackendName } from './backend/types.js';
import { startCpuProfile, summarize, type KernelTime, type ProfileSession, type ProfileTiming } from './backend/profiling.js';
import type { WebGpuBackend } from './backend/webgpu/index.js';

export type { KernelTime, ProfileTiming };

export interface ProfileOptions {
  /** WebGPU: force a timing method (default: timestamps where the device has them). */
  timing?: 'timestamp-query' | 'submitted-work-done';
}

export interface Profile<T> {
  /** One row per kernel (WebGPU: per kernel and shader), slowest total first. */
  kernels: KernelTime[];
  timing: ProfileTiming;
  /** Sum of the kernels' times, in milliseconds (the denominator of the shares). */
  totalMs: number;
  /** Wall-clock milliseconds of fn and of waiting for the work it queued (profiling overhead included). */
  wallMs: number;
  backend: BackendName;
  /** What fn returned. */
  result: T;
}

/**
 * Runs fn on the selected backend and times every kernel it runs. Profiling
 * changes how work is submitted (on WebGPU one pass, or one submit, per
 * dispatch), so use it to see shares, and time throughput without it.
 */
export async function profile<T>(fn: () => T | Promise<T>, options: ProfileOptions = {}): Promise<Profile<T>> {
  const b = backend();
  let session: ProfileSession;
  if (b.name === 'webgpu') {
    // Loaded on demand, as the WebGPU backend itself is.
    const { startWebGpuProfile } = await import('./backend/webgpu/profiler.js');
    session = await startWebGpuProfile(b as WebGpuBackend, options.timing);
  } else {
    session = startCpuProfile(b);
  }
  const t0 = performance.now();
  let result: T;
  try {
    result = await fn();
  } catch (err) {
    // The session must close either way; fn's error is the one worth seeing.
    await session.stop().catch(() => undefined);
    throw err;
  }
  const calls = await session.stop();
  const wallMs = performance.now() - t0;
  return { ...summarize(calls), timing: session.timing, wallMs, backend: b.name, result };
}
