// wc.profile on WebGPU. While a profile is open the scheduler submits each
// recorded dispatch in a compute pass of its own (scheduler.ts, submitList)
// and asks the profiler here for that pass's timestamp writes; the backend's
// run is wrapped so each dispatch is named after the kernel that recorded it
// and its shader ('conv2dBackwardFilter/gemm'). There are two ways to time,
// chosen by what the device offers (the two classes below).

import { wrapRun, type ProfileSession, type TimedCall } from '../profiling.js';
import type { WebGpuBackend } from './index.js';
import type { DispatchProfiler, Scheduler } from './scheduler.js';

/** Dispatches per query set (two timestamps each; a set holds at most 4,096 queries). */
const SET_DISPATCHES = 512;

interface Named extends DispatchProfiler {
  /** The outermost kernel running now, if any. */
  op: string | null;
  /** Waits for what was recorded and returns the timed dispatches in order. */
  finish(scheduler: Scheduler): Promise<TimedCall[]>;
}

const nameOf = (op: string | null, shader: string): string => (op ? `${op}/${shader}` : shader);

interface QueryBlock {
  set: GPUQuerySet;
  names: string[];
  /** Set once the block's timestamps are resolved into it (recorded, not yet read). */
  read?: GPUBuffer;
  resolved?: GPUBuffer;
}

/** 'timestamp-query': the GPU writes a timestamp at the start and end of each pass into a query set, read back once at the end. */
class TimestampProfiler implements Named {
  op: string | null = null;
  readonly submitsEach = false;
  private readonly blocks: QueryBlock[] = [];

  constructor(private readonly device: GPUDevice) {}

  nameOf(shader: string): string {
    return nameOf(this.op, shader);
  }

  beginDispatch(name: string, encoder: GPUCommandEncoder): GPUComputePassTimestampWrites {
    let block = this.blocks[this.blocks.length - 1];
    if (!block || block.names.length === SET_DISPATCHES) {
      if (block) this.resolve(block, encoder);
      block = { set: this.device.createQuerySet({ label: 'webcnn profile', type: 'timestamp', count: 2 * SET_DISPATCHES }), names: [] };
      this.blocks.push(block);
    }
    const i = block.names.length;
    block.names.push(name);
    return { querySet: block.set, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 };
  }

  endDispatch(): void { /* the timestamps are already recorded in the pass */ }

  private resolve(block: QueryBlock, encoder: GPUCommandEncoder): void {
    const bytes = 16 * block.names.length;
    block.resolved = this.device.createBuffer({ label: 'webcnn profile timestamps', size: bytes, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
    block.read = this.device.createBuffer({ label: 'webcnn profile readback', size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    encoder.resolveQuerySet(block.set, 0, 2 * block.names.length, block.resolved, 0);
    encoder.copyBufferToBuffer(block.resolved, 0, block.read, 0, bytes);
  }

  async finish(scheduler: Scheduler): Promise<TimedCall[]> {
    const last = this.blocks[this.blocks.length - 1];
    if (last && !last.read) scheduler.record((encoder) => this.resolve(last, encoder));
    scheduler.flush();
    const calls: TimedCall[] = [];
    for (const block of this.blocks) {
      const read = block.read!;
      await read.mapAsync(GPUMapMode.READ);
      const stamps = new BigUint64Array(read.getMappedRange());
      block.names.forEach((name, i) => {
        // Nanoseconds; an implementation may report end < begin (clock quirks): count that as zero.
        const ns = stamps[2 * i + 1] > stamps[2 * i] ? Number(stamps[2 * i + 1] - stamps[2 * i]) : 0;
        calls.push({ name, ms: ns / 1e6 });
      });
      read.unmap();
      read.destroy();
      block.resolved?.destroy();
      block.set.destroy();
    }
    return calls;
  }
}

/**
 * 'submitted-work-done': each dispatch is submitted alone and timed from
 * max(its submit, the previous one's completion) to when the queue says it is
 * done. Approximate: it includes submit and wake-up overhead, and a completion
 * the page sees late (while JavaScript is busy recording) adds to that time.
 */
class WorkDoneProfiler implements Named {
  op: string | null = null;
  readonly submitsEach = true;
  private lastDone = 0;
  private readonly timed: Promise<TimedCall>[] = [];

  constructor(private readonly queue: GPUQueue) {}

  nameOf(shader: string): string {
    return nameOf(this.op, shader);
  }

  beginDispatch(): undefined {
    return undefined;
  }

  /** Called right after the dispatch's own submit. */
  endDispatch(name: string): void {
    const submitted = performance.now();
    // Completions resolve in submission order (one queue), so lastDone is the previous dispatch's.
    this.timed.push(this.queue.onSubmittedWorkDone().then(() => {
      const done = performance.now();
      const ms = done - Math.max(submitted, this.lastDone);
      this.lastDone = done;
      return { name, ms };
    }));
  }

  async finish(): Promise<TimedCall[]> {
    return Promise.all(this.timed);
  }
}

/**
 * Opens a profile on a WebGPU backend: work recorded before it is waited for
 * first, so it is not charged to the profiled code.
 */
export async function startWebGpuProfile(backend: WebGpuBackend, timing?: 'timestamp-query' | 'submitted-work-done'): Promise<ProfileSession> {
  const { scheduler, gpu } = backend.ctx;
  if (scheduler.profiler) throw new Error('profile: a profile is already running on this backend; profiles do not nest');
  const useTimestamps = timing ? timing === 'timestamp-query' : gpu.timestampQuery;
  if (useTimestamps && !gpu.timestampQuery) {
    throw new Error("profile: this WebGPU device has no 'timestamp-query' feature (the adapter does not offer it); use timing: 'submitted-work-done'");
  }
  await scheduler.sync();
  const profiler: Named = useTimestamps ? new TimestampProfiler(gpu.device) : new WorkDoneProfiler(gpu.device.queue);
  const unwrap = wrapRun(backend, (name, call) => {
    profiler.op = name;
    try {
      return call();
    } finally {
      profiler.op = null;
    }
  });
  scheduler.profiler = profiler;
  return {
    timing: useTimestamps ? 'timestamp-query' : 'submitted-work-done',
    async stop() {
      unwrap();
      // What the profiled code recorded is submitted while the profiler still times it.
      scheduler.flush();
      scheduler.profiler = null;
      await scheduler.sync();
      return profiler.finish(scheduler);
    },
  };
}
