// A pool of workers that run the kernels module's exports on the shared
// memory, so one kernel call can be split across threads. The calling thread
// hands each worker a list of export calls through a shared task block,
// bumps that worker's sequence word (Atomics.notify wakes it), runs its own
// list, then waits for the done word to count every worker. Node's main
// thread may block in Atomics.wait; a browser's main thread may not, so it
// spins on Atomics.load (the workers' share takes microseconds to
// milliseconds).

import type { WasmExports } from './module.js';
import { NODE_WORKER_SOURCE, WEB_WORKER_SOURCE } from './workerSource.js';
import type { WorkerKind } from './threadSupport.js';

export type ExportName = { [K in keyof WasmExports]: WasmExports[K] extends (...a: never[]) => void ? K : never }[keyof WasmExports];

/** One call of an export, its arguments as numbers (booleans as 0 and 1). */
export interface WasmCall {
  readonly fn: ExportName;
  readonly args: readonly number[];
}

/** A typed WasmCall: the export's own parameter list is checked. */
export function call<K extends ExportName>(fn: K, ...args: Parameters<WasmExports[K]>): WasmCall {
  return { fn, args: (args as readonly (number | boolean)[]).map(Number) };
}

/**
 * The control words (Int32, one 64-byte line per worker so their writes do
 * not share a cache line): [0] done count; per worker at 16*(slot+1):
 * +0 sequence (negative: stop), +1 calls run, +2 error flag.
 */
const LINE = 16;
/** Float64 slots in one worker's task block: 64 KiB, hundreds of calls; longer lists run in rounds. */
const CAPACITY = 8192;

interface AnyWorker {
  postMessage(message: unknown): void;
  terminate(): unknown;
}

export class ThreadPool {
  private readonly control: Int32Array;
  private readonly tasks: Float64Array;
  private readonly index: Map<string, number>;
  /** Whether this thread may block in Atomics.wait (a browser's main thread may not). */
  private readonly canWait: boolean;
  private sequence = 0;
  private closed = false;

  private constructor(private readonly exports: WasmExports, private readonly workers: AnyWorker[], control: SharedArrayBuffer, tasks: SharedArrayBuffer, names: readonly string[]) {
    this.control = new Int32Array(control);
    this.tasks = new Float64Array(tasks);
    this.index = new Map(names.map((n, i) => [n, i]));
    this.canWait = blockingAllowed(this.control);
  }

  /** Starts `count` workers on the module and memory; resolves when each has instantiated it. */
  static async start(kind: WorkerKind, count: number, module: WebAssembly.Module, memory: WebAssembly.Memory, exports: WasmExports): Promise<ThreadPool> {
    const names = Object.keys(exports).filter((n) => typeof (exports as unknown as Record<string, unknown>)[n] === 'function');
    const control = new SharedArrayBuffer(4 * LINE * (count + 1));
    const tasks = new SharedArrayBuffer(8 * CAPACITY * Math.max(count, 1));
    const starting = Array.from({ length: count }, (_, slot) => {
      const setup = { module, memory, control, tasks, names, slot, capacity: CAPACITY, slotBase: LINE * (slot + 1) };
      return kind === 'node' ? startNodeWorker(setup) : startWebWorker(setup);
    });
    const started = await Promise.allSettled(starting);
    const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) {
      for (const w of workers) void w.terminate();
      throw (failed as PromiseRejectedResult).reason;
    }
    return new ThreadPool(exports, workers, control, tasks, names);
  }

  /** Threads in all: the workers and the calling thread. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /** Export calls run by workers so far (tests: the work really was shared). */
  workerCalls(): number {
    let n = 0;
    for (let w = 0; w < this.workers.length; w++) n += Atomics.load(this.control, LINE * (w + 1) + 1);
    return n;
  }

  /**
   * Runs parts[0] on this thread and parts[i] on worker i-1, all at once;
   * returns when every part has finished. Each part's calls run in order;
   * parts must not write what another part reads or writes.
   */
  run(parts: readonly (readonly WasmCall[])[]): void {
    if (this.closed) throw new Error('wasm backend: the thread pool was closed');
    if (parts.length > this.threads) throw new Error(`wasm backend: ${parts.length} parts for ${this.threads} threads`);
    const cursors = parts.map(() => 0);
    while (cursors.some((c, i) => c < parts[i].length)) this.round(parts, cursors);
  }

  /** One dispatch: as many calls of each part as fit its worker's task block. */
  private round(parts: readonly (readonly WasmCall[])[], cursors: number[]): void {
    Atomics.store(this.control, 0, 0);
    let started = 0;
    for (let p = 1; p < parts.length; p++) {
      const slot = p - 1;
      const from = cursors[p];
      const to = this.encode(slot, parts[p], from);
      cursors[p] = to;
      if (to === from) continue;
      const at = LINE * (slot + 1);
      this.sequence = (this.sequence % 0x3fffffff) + 1;
      Atomics.store(this.control, at, this.sequence);
      Atomics.notify(this.control, at);
      started++;
    }
    let failure: unknown = null;
    try {
      const mine = parts[0] ?? [];
      // This thread's share is not bounded by a task block: run all of it now.
      for (let i = cursors[0]; i < mine.length; i++) {
        const c = mine[i];
        (this.exports[c.fn] as (...a: number[]) => void)(...c.args);
      }
      cursors[0] = mine.length;
    } catch (e) {
      failure = e;
    }
    this.waitFor(started);
    for (let w = 0; w < this.workers.length; w++) {
      const flag = LINE * (w + 1) + 2;
      if (Atomics.load(this.control, flag) !== 0) {
        Atomics.store(this.control, flag, 0);
        failure ??= new Error(`wasm backend: a kernel failed on worker ${w + 1}`);
      }
    }
    if (failure) throw failure;
  }

  /** Writes a part's calls from `from` on into a worker's block, as many as fit; returns the index it stopped at. */
  private encode(slot: number, calls: readonly WasmCall[], from: number): number {
    const base = slot * CAPACITY;
    let at = base + 1;
    let i = from;
    for (; i < calls.length; i++) {
      const c = calls[i];
      if (at + 2 + c.args.length > base + CAPACITY) break;
      const index = this.index.get(c.fn);
      if (index === undefined) throw new Error(`wasm backend: no export '${c.fn}'`);
      this.tasks[at] = index;
      this.tasks[at + 1] = c.args.length;
      for (let j = 0; j < c.args.length; j++) this.tasks[at + 2 + j] = c.args[j];
      at += 2 + c.args.length;
    }
    if (i === from && i < calls.length) throw new Error(`wasm backend: a call to '${calls[i].fn}' does not fit a task block`);
    this.tasks[base] = i - from;
    return i;
  }

  private waitFor(count: number): void {
    for (;;) {
      const done = Atomics.load(this.control, 0);
      if (done >= count) return;
      if (this.canWait) Atomics.wait(this.control, 0, done);
    }
  }

  /** Stops and terminates the workers; the pool cannot run again. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (let w = 0; w < this.workers.length; w++) {
      const at = LINE * (w + 1);
      Atomics.store(this.control, at, -1);
      Atomics.notify(this.control, at);
      void this.workers[w].terminate();
    }
  }
}

function blockingAllowed(control: Int32Array): boolean {
  try {
    // A word that never holds 1: returns 'not-equal' at once where blocking is allowed, throws where it is not.
    Atomics.wait(control, 1, 1, 0);
    return true;
  } catch {
    return false;
  }
}

interface Setup {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  tasks: SharedArrayBuffer;
  names: readonly string[];
  slot: number;
  capacity: number;
  slotBase: number;
}

interface WorkerMessage { ready?: boolean; error?: string }

async function startNodeWorker(setup: Setup): Promise<AnyWorker> {
  const { Worker } = await import('node:worker_threads');
  const worker = new Worker(NODE_WORKER_SOURCE, { eval: true });
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m: WorkerMessage) => {
      if (m.ready) resolve();
      // After set-up the caller learns of a failure from the error flag; the text goes to the console.
      else if (m.error) console.error(`webcnn wasm worker ${setup.slot + 1}: ${m.error}`);
    });
    worker.postMessage(setup);
  });
  // Waiting workers must not keep a Node process alive. (Only after the listeners: adding one refs the worker again.)
  worker.unref();
  return worker;
}

async function startWebWorker(setup: Setup): Promise<AnyWorker> {
  const url = URL.createObjectURL(new Blob([WEB_WORKER_SOURCE], { type: 'text/javascript' }));
  try {
    const worker = new Worker(url);
    await new Promise<void>((resolve, reject) => {
      worker.onerror = (e) => reject(new Error(`wasm backend: a worker failed to start: ${e.message}`));
      worker.onmessage = (e: MessageEvent<WorkerMessage>) => {
        if (e.data.ready) resolve();
        else if (e.data.error) console.error(`webcnn wasm worker ${setup.slot + 1}: ${e.data.error}`);
      };
      worker.postMessage(setup);
    });
    return worker;
  } finally {
    URL.revokeObjectURL(url);
  }
}
