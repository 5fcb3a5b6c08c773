// Tensor: a shape plus backend-owned storage, tracked so that tidy() and
// memory() can see it. Several tensors may share one storage (reshape views);
// the storage is released when the last of them is disposed.

import type { Backend, Shape } from './backend/types.js';
import type { ValueHint } from './valueHint.js';

interface StorageRecord {
  backend: Backend;
  bytes: number;
  refs: number;
}

const storages = new Map<unknown, StorageRecord>();
let liveTensors = 0;
/** Bytes of live storage, and the most there has been since resetPeakBytes (tests of streaming training read it). */
let liveBytes = 0;
let peakLiveBytes = 0;
let nextId = 0;

/** Tidy scopes: each collects the tensors created while it is innermost. */
const scopes: Set<Tensor>[] = [];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function shapeToString(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** Set by Tensor's static block: rehome()'s access to private state. */
let moveInto: (t: Tensor, from: Tensor) => void;

/**
 * float32, or int32 where TF.js returns integers (argMax's result, indices).
 * Storage is float32 in both cases (integers are exact up to 2^24); data()
 * returns an Int32Array for int32.
 */
export type DType = 'float32' | 'int32';

/** Set by the tape (src/autodiff/tape.ts): records reshape views so gradients flow through them. */
let onView: ((from: Tensor, view: Tensor) => void) | null = null;
export function setViewRecorder(fn: ((from: Tensor, view: Tensor) => void) | null): void {
  onView = fn;
}

export class Tensor {
  readonly id = nextId++;
  /** Set once, where a kernel makes an int32 result (asInt32). */
  dtype: DType = 'float32';
  readonly shape: readonly number[];
  readonly size: number;
  /**
   * Whether every value is finite, where that is known without reading the
   * backend: wc.tensor() scans the values it is given (they are on the CPU at
   * that moment, so the scan is cheap next to the upload) and reshape views
   * inherit it; null for what kernels write. fit, evaluate and predict use it
   * to refuse NaN/Inf inputs without a GPU readback (predict cannot wait for one).
   * An in-place op on such a tensor (wc.ops.sgdUpdate, say) leaves the hint as
   * it was; fit's NaN-loss guard (src/train/guard.ts) still stops what it misses.
   */
  finiteHint: boolean | null = null;
  /**
   * What wc.tensor() saw of the values (src/valueHint.ts), so that sparse
   * labels can be checked without a device read; reshape views inherit it,
   * and it is null for what kernels write. As with finiteHint, an in-place op
   * leaves it as it was.
   */
  valueHint: ValueHint | null = null;
  private disposed = false;
  private owner: Backend;
  private store: unknown;

  /** Backends create tensors through createTensor(), not this constructor. */
  constructor(backend: Backend, storage: unknown, shape: Shape) {
    this.owner = backend;
    this.store = storage;
    this.shape = Object.freeze([...shape]);
    this.size = sizeOf(shape);
  }

  /** The backend holding the values; it changes only when rehome() moves the tensor (restoring a checkpoint). */
  get backend(): Backend {
    return this.owner;
  }
  /** The backend's storage object (a GPU buffer record, a Float32Array). */
  get storage(): unknown {
    return this.store;
  }

  static {
    // rehome() below needs to move storage and retire a tensor; nothing else may.
    moveInto = (t, from) => {
      t.owner = from.owner;
      t.store = from.store;
      from.disposed = true;
    };
  }

  get rank(): number {
    return this.shape.length;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Throws if the tensor was disposed; `where` names the op or method for the message. */
  assertUsable(where: string): void {
    if (this.disposed) {
      throw new Error(`${where}: tensor #${this.id} of shape ${shapeToString(this.shape)} was used after dispose()`);
    }
  }

  /** The values, copied back from the backend (from the GPU on 'webgpu'): a Float32Array, an Int32Array for int32 (name the type, as in TF.js's data<'int32'>). */
  async data<T extends Float32Array | Int32Array = Float32Array>(): Promise<T> {
    this.assertUsable('Tensor.data');
    const values = await this.backend.read(this);
    return (this.dtype === 'int32' ? Int32Array.from(values) : values) as T;
  }

  /** Synchronous read, only where the backend allows it (the CPU backend). */
  dataSync<T extends Float32Array | Int32Array = Float32Array>(): T {
    this.assertUsable('Tensor.dataSync');
    if (!this.backend.readSync) {
      throw new Error(`Tensor.dataSync: the '${this.backend.name}' backend cannot read synchronously; use await tensor.data()`);
    }
    const values = this.backend.readSync(this);
    return (this.dtype === 'int32' ? Int32Array.from(values) : values) as T;
  }

  /** The values as nested arrays of this tensor's shape (a number for a scalar), as TF.js's array(). */
  async array(): Promise<NestedArray> {
    return toNested(await this.data(), this.shape);
  }

  /** array(), read synchronously: the CPU backend only. */
  arraySync(): NestedArray {
    return toNested(this.dataSync(), this.shape);
  }

  /** Logs the shape, dtype and values (await it on WebGPU, where values arrive asynchronously). */
  async print(verbose = false): Promise<void> {
    const values = await this.array();
    const head = verbose ? `Tensor\n  dtype: ${this.dtype}\n  rank: ${this.rank}\n  shape: ${shapeToString(this.shape)}\n  values:\n` : 'Tensor\n';
    console.log(`${head}    ${JSON.stringify(values)}`);
  }

  /** A copy with its own storage. */
  clone(): Tensor {
    this.assertUsable('Tensor.clone');
    const c = this.backend.clone(this);
    c.dtype = this.dtype;
    onView?.(this, c);
    return c;
  }

  /** A view with another shape of the same size, sharing this tensor's storage. */
  reshape(shape: Shape): Tensor {
    this.assertUsable('Tensor.reshape');
    const resolved = resolveReshape(this.shape, shape);
    const view = createTensor(this.backend, this.storage, resolved, 0);
    view.finiteHint = this.finiteHint;
    view.valueHint = this.valueHint;
    view.dtype = this.dtype;
    onView?.(this, view);
    return view;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    liveTensors--;
    for (const scope of scopes) scope.delete(this);
    const rec = storages.get(this.storage);
    if (rec && --rec.refs === 0) {
      storages.delete(this.storage);
      liveBytes -= rec.bytes;
      rec.backend.releaseStorage(this.storage);
    }
  }

  toString(): string {
    return `Tensor(${shapeToString(this.shape)}, ${this.backend.name})`;
  }
}

/**
 * Moves t onto the storage and backend of `from` (a tensor just made, sharing
 * its storage with nothing) and retires `from`. Whatever refers to t (a
 * layer's weight, an optimizer's slot, the caller's handle) stays valid:
 * restoring a checkpoint after device loss re-homes the weights this way,
 * since their old storage died with the device. t's old storage is released.
 */
export function rehome(t: Tensor, from: Tensor): void {
  t.assertUsable('rehome');
  from.assertUsable('rehome');
  if (t.size !== from.size) throw new Error(`rehome: tensor #${t.id} has ${t.size} values, the new storage ${from.size}`);
  if (storages.get(from.storage)?.refs !== 1) throw new Error(`rehome: tensor #${from.id} shares its storage; pass a fresh tensor`);
  const old = storages.get(t.storage);
  if (old && --old.refs === 0) {
    storages.delete(t.storage);
    liveBytes -= old.bytes;
    old.backend.releaseStorage(t.storage);
  }
  moveInto(t, from);
  liveTensors--;
  for (const scope of scopes) scope.delete(from);
}

/** What array() returns: nested arrays of numbers, or a number for a scalar. */
export type NestedArray = number | NestedArray[];

function toNested(values: ArrayLike<number>, shape: Shape): NestedArray {
  if (shape.length === 0) return values[0];
  const build = (offset: number, dim: number): NestedArray[] => {
    const n = shape[dim];
    const out: NestedArray[] = [];
    if (dim === shape.length - 1) {
      for (let i = 0; i < n; i++) out.push(values[offset + i]);
      return out;
    }
    const stride = sizeOf(shape.slice(dim + 1));
    for (let i = 0; i < n; i++) out.push(build(offset + i * stride, dim + 1));
    return out;
  };
  return build(0, 0);
}

/** Marks a tensor a kernel just made as holding integers (argMax, indices). */
export function asInt32<T extends Tensor>(t: T): T {
  t.dtype = 'int32';
  return t;
}

/** One -1 in the target shape is inferred, as in TF.js. */
function resolveReshape(from: Shape, to: Shape): number[] {
  const size = sizeOf(from);
  const out = [...to];
  const unknown = out.indexOf(-1);
  if (unknown >= 0) {
    const known = out.reduce((p, d, i) => (i === unknown ? p : p * d), 1);
    if (known <= 0 || size % known !== 0) {
      throw new Error(`reshape: cannot reshape ${shapeToString(from)} (size ${size}) to ${shapeToString(to)}`);
    }
    out[unknown] = size / known;
  }
  if (out.some((d) => !Number.isInteger(d) || d < 0) || sizeOf(out) !== size) {
    throw new Error(`reshape: cannot reshape ${shapeToString(from)} (size ${size}) to ${shapeToString(to)}: sizes differ`);
  }
  return out;
}

/**
 * Wraps backend storage in a tracked tensor. bytes is the storage's size the
 * first time it is wrapped (pass 0 for views of storage already tracked).
 */
export function createTensor(
  backend: Backend, storage: unknown, shape: Shape, bytes: number,
  make: (backend: Backend, storage: unknown, shape: Shape) => Tensor = (b, s, sh) => new Tensor(b, s, sh),
): Tensor {
  const t = make(backend, storage, shape);
  const rec = storages.get(storage);
  if (rec) rec.refs++;
  else {
    storages.set(storage, { backend, bytes, refs: 1 });
    liveBytes += bytes;
    if (liveBytes > peakLiveBytes) peakLiveBytes = liveBytes;
  }
  liveTensors++;
  scopes[scopes.length - 1]?.add(t);
  return t;
}

export interface MemoryInfo {
  /** Live (undisposed) tensors, views included. */
  numTensors: number;
  /** Bytes of the storage those tensors hold, each storage counted once. */
  numBytes: number;
}

export function memory(): MemoryInfo {
  let numBytes = 0;
  for (const rec of storages.values()) numBytes += rec.bytes;
  return { numTensors: liveTensors, numBytes };
}

/** The most bytes of tensor storage live at once since the last resetPeakBytes() (internal: memory tests). */
export function peakBytes(): number {
  return peakLiveBytes;
}

/** Starts a new peak from the bytes live now. */
export function resetPeakBytes(): void {
  peakLiveBytes = liveBytes;
}

/** Anything tidy() can return: its tensors survive the scope. */
export type TensorContainer = Tensor | readonly TensorContainer[] | { readonly [k: string]: TensorContainer } | number | string | boolean | null | undefined | void;

function collect(value: unknown, into: Set<Tensor>): void {
  if (value instanceof Tensor) into.add(value);
  else if (Array.isArray(value)) for (const v of value) collect(v, into);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) collect(v, into);
}

/**
 * Runs fn and disposes every tensor it created, except those it returns (and
 * those passed to keep()). Synchronous functions only, as in TF.js: GPU work is
 * recorded synchronously, so a tidy scope never spans an await.
 */
export function tidy<T extends TensorContainer>(fn: () => T): T {
  const scope = new Set<Tensor>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
    if (result instanceof Promise) throw new Error('tidy: the function must be synchronous (it returned a Promise)');
  } catch (err) {
    for (const t of scope) t.dispose();
    throw err;
  } finally {
    scopes.pop();
  }
  const kept = new Set<Tensor>();
  collect(result, kept);
  const parent = scopes[scopes.length - 1];
  for (const t of scope) {
    if (kept.has(t)) parent?.add(t);
    else t.dispose();
  }
  return result;
}

/** Keeps a tensor alive past the enclosing tidy scopes. */
export function keep<T extends Tensor>(t: T): T {
  for (const scope of scopes) scope.delete(t);
  return t;
}
