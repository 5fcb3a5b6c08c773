// Verification mode: setBackend('webgpu', { verify: true }) runs every kernel
// on the CPU reference too and throws on the first disagreement beyond
// TOLERANCE, naming the kernel, its input shapes and arguments, the worst
// element and both values. The CPU backend is the oracle in the user's own
// browser, not only in our tests.

import type { Kernel } from '../../kernels/kernel.js';
import { Tensor, shapeToString } from '../../tensor.js';
import { CpuBackend } from '../cpu/index.js';
import { cpuTensor } from '../cpu/storage.js';
import { buf, type GpuContext } from './context.js';
import { TOLERANCE, worstMismatch } from './tolerance.js';

type AnyKernel = Kernel<readonly unknown[], unknown>;

/** Kernel calls recorded before a background check starts. */
const CHECK_EVERY = 256;

/** A tensor's values as they were at a point of the recorded work. */
interface Snapshot { staging: GPUBuffer; shape: readonly number[]; values?: Float32Array }

/** An argument as the CPU replay needs it: tensors become snapshots. */
type Arg = { snap: Snapshot } | { snaps: Snapshot[] } | { value: unknown };

interface Pending {
  kernel: AnyKernel;
  args: Arg[];
  /** Named GPU results: the returned tensor(s), or for in-place kernels the updated arguments. */
  outputs: { name: string; snap: Snapshot; argIndex?: number }[];
}

/**
 * Kernels record synchronously and the GPU runs later, so each call copies its
 * inputs and results (in-place kernels: their arguments after it) into staging
 * buffers in the same encoder; at the next sync point check() maps them,
 * replays the kernel on the CPU and compares. Past CHECK_EVERY calls a check
 * runs in the background, so copies do not pile up; its failure waits for the
 * next sync point.
 */
export class Verifier {
  private pending: Pending[] = [];
  private background: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  private backgroundQueued = false;
  private inKernel = false;
  /** Test hook: after the named kernel, its first output's element 0 is overwritten (proves the check bites). */
  corruptNext: string | null = null;
  /** Kernel calls compared so far. */
  checked = 0;

  constructor(private readonly ctx: GpuContext) {
    // The replay makes CPU tensors: they need the CPU backend to exist (the engine usually made it already).
    try {
      cpuTensor(new Float32Array(0), [0]).dispose();
    } catch {
      new CpuBackend();
    }
  }

  private snap(t: Tensor, what: string): Snapshot {
    return { staging: this.ctx.scheduler.snapshot(buf(t), 4 * t.size, `verify ${what}`), shape: t.shape };
  }

  /** Runs a kernel on the GPU and records what the CPU replay needs (the backend's run calls this). */
  run(kernel: AnyKernel, args: readonly unknown[]): unknown {
    const original = (...a: readonly unknown[]) => kernel.webgpu(this.ctx, ...a);
    // Kernels built from other kernels are checked once, at the outermost call.
    if (this.inKernel) return original(...args);
    const snapArgs: Arg[] = args.map((a) =>
      a instanceof Tensor ? { snap: this.snap(a, kernel.name) }
        : Array.isArray(a) && a.length > 0 && a.every((t) => t instanceof Tensor) ? { snaps: a.map((t: Tensor) => this.snap(t, kernel.name)) }
          : { value: a });
    this.inKernel = true;
    let result: unknown;
    try {
      result = original(...args);
    } finally {
      this.inKernel = false;
    }
    const outputs: Pending['outputs'] = [];
    if (result instanceof Tensor) outputs.push({ name: 'result', snap: this.snap(result, kernel.name) });
    else if (Array.isArray(result)) result.forEach((t: Tensor, i) => outputs.push({ name: `result[${i}]`, snap: this.snap(t, kernel.name) }));
    else if (result && typeof result === 'object') {
      for (const [k, t] of Object.entries(result)) if (t instanceof Tensor) outputs.push({ name: k, snap: this.snap(t, kernel.name) });
    } else {
      // In place: every tensor argument's state after the kernel.
      args.forEach((a, i) => { if (a instanceof Tensor) outputs.push({ name: `argument ${i} (in place)`, snap: this.snap(a, kernel.name), argIndex: i }); });
    }
    if (this.corruptNext === kernel.name && outputs.length > 0) {
      this.corruptNext = null;
      this.corrupt(result, args, outputs[0]);
    }
    this.pending.push({ kernel, args: snapArgs, outputs });
    if (this.pending.length >= CHECK_EVERY && !this.backgroundQueued) {
      this.backgroundQueued = true;
      this.background = this.background.then(() => {
        this.backgroundQueued = false;
        return this.compareBatch();
      }).catch((err: unknown) => {
        this.failure ??= err as Error;
      });
    }
    return result;
  }

  /** Writes a wrong value into the output before its snapshot is taken (test hook). */
  private corrupt(result: unknown, args: readonly unknown[], out: Pending['outputs'][number]): void {
    const target = out.argIndex !== undefined ? args[out.argIndex] : result instanceof Tensor ? result : null;
    if (!(target instanceof Tensor)) return;
    this.ctx.scheduler.upload(buf(target), Float32Array.of(12345));
    // The snapshot was recorded before the upload; record it again after.
    out.snap = this.snap(target, 'corrupted');
  }

  /** Replays everything recorded since the last check on the CPU; throws on the first disagreement. */
  async check(): Promise<void> {
    await this.background;
    try {
      if (this.failure) throw this.failure;
      await this.compareBatch();
    } finally {
      this.failure = null;
    }
  }

  private async compareBatch(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const scheduler = this.ctx.scheduler;
    scheduler.flush();
    const snaps: Snapshot[] = [];
    for (const p of batch) {
      for (const a of p.args) if ('snap' in a) snaps.push(a.snap); else if ('snaps' in a) snaps.push(...a.snaps);
      for (const o of p.outputs) snaps.push(o.snap);
    }
    await Promise.all(snaps.map(async (s) => {
      s.values = await scheduler.mapStaging(s.staging, 4 * s.shape.reduce((x, y) => x * y, 1));
    }));
    for (const p of batch) this.compare(p);
  }

  private compare(p: Pending): void {
    const made: Tensor[] = [];
    const toCpu = (s: Snapshot): Tensor => {
      const t = cpuTensor(Float32Array.from(s.values ?? []), s.shape);
      made.push(t);
      return t;
    };
    try {
      const cpuArgs = p.args.map((a) => ('snap' in a ? toCpu(a.snap) : 'snaps' in a ? a.snaps.map(toCpu) : a.value));
      const result = p.kernel.cpu(...cpuArgs);
      if (result instanceof Tensor) made.push(result);
      else if (Array.isArray(result)) made.push(...(result as Tensor[]));
      else if (result && typeof result === 'object') made.push(...Object.values(result).filter((t): t is Tensor => t instanceof Tensor));
      for (const out of p.outputs) {
        const expected = out.argIndex !== undefined ? cpuArgs[out.argIndex]
          : out.name === 'result' ? result
            : out.name.startsWith('result[') ? (result as Tensor[])[Number(out.name.slice(7, -1))]
              : (result as Record<string, unknown>)[out.name];
        if (!(expected instanceof Tensor)) throw new Error(`webgpu verify: the CPU ${p.kernel.name} returned no ${out.name}`);
        const cpuValues = expected.dataSync();
        const gpuValues = out.snap.values ?? new Float32Array(0);
        const i = gpuValues.length !== cpuValues.length ? 0 : worstMismatch(gpuValues, cpuValues);
        if (i >= 0) throw new Error(this.describe(p, out.name, i, gpuValues[i], cpuValues[i]));
      }
      this.checked++;
    } finally {
      for (const t of made) t.dispose();
    }
  }

  private describe(p: Pending, output: string, i: number, gpu: number | undefined, cpu: number | undefined): string {
    const args = p.args.map((a) =>
      'snap' in a ? shapeToString(a.snap.shape)
        : 'snaps' in a ? `[${a.snaps.map((s) => shapeToString(s.shape)).join(', ')}]`
          : a.value instanceof Int32Array ? `Int32Array(${a.value.length})` : JSON.stringify(a.value));
    return `webgpu verify: ${p.kernel.name}(${args.join(', ')}) disagrees with the CPU reference: ${output} element ${i} ` +
      `is ${gpu} on the GPU, ${cpu} on the CPU (tolerance |gpu - cpu| <= ${TOLERANCE.atol} + ${TOLERANCE.rtol} * |cpu|)`;
  }
}
