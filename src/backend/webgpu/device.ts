// Adapter and device set-up, and the one place GPU errors become JavaScript
// errors. WebGPU reports validation errors and device loss asynchronously; we
// collect them here and throw the first one at the next sync point (read,
// sync), so a broken kernel never shows up as a tensor of silent zeros.

import type { AdapterInfo } from '../types.js';

export type AdapterSummary = AdapterInfo;

export interface GpuDevice {
  device: GPUDevice;
  adapter: AdapterSummary;
  limits: {
    maxStorageBufferBindingSize: number;
    maxBufferSize: number;
    maxComputeWorkgroupsPerDimension: number;
    minUniformBufferOffsetAlignment: number;
  };
  /** The device has 'timestamp-query' (requested where the adapter offers it): wc.profile times each dispatch on the GPU. */
  timestampQuery: boolean;
  /**
   * The device has 'subgroups', every subgroup is exactly 4 invocations and
   * WGSL knows subgroup_id (SwiftShader: one SSE register per value): the
   * GEMM's lanes can share their loads (gemmEntrySubgroup.wgsl).
   */
  fourLaneSubgroups: boolean;
  /** Throws the first uncaptured error or device loss seen since the last call. */
  throwIfFailed(): void;
  /** The device-loss error once the device is gone; null while it works. */
  readonly lostError: Error | null;
  /**
   * After a read failed (a map rejects with the browser's AbortError when the
   * device goes): waits briefly for device.lost, so that throwIfFailed()
   * names the loss and the way to recover instead.
   */
  settleLoss(): Promise<void>;
  /** An allocation failed (buffers.ts): thrown at the next sync point, ahead of the validation errors it causes. */
  reportOutOfMemory(err: Error): void;
}

/** How long a failed read waits for device.lost before giving up on naming the loss. */
const LOSS_SETTLE_MS = 1000;

const HOW_TO_ENABLE =
  'WebGPU needs a browser that exposes navigator.gpu on a secure page (https, http://127.0.0.1 or http://localhost): ' +
  'Chrome/Edge 113+, or Chromium started with --enable-unsafe-webgpu (headless: add --headless=new; without a GPU, ' +
  "Chromium falls back to its SwiftShader adapter). In Node, pass a GPU object: setBackend('webgpu', { gpu }).";

/** The limits the kernels depend on: we ask for the adapter's maxima, not the defaults. */
const WANTED_LIMITS = ['maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupsPerDimension'] as const;

export async function createGpuDevice(gpu: GPU | undefined, powerPreference: GPUPowerPreference | undefined): Promise<GpuDevice> {
  const source = gpu ?? (typeof navigator !== 'undefined' ? navigator.gpu : undefined);
  if (!source) throw new Error(`webgpu backend: navigator.gpu is missing. ${HOW_TO_ENABLE}`);
  const adapter = await source.requestAdapter(powerPreference ? { powerPreference } : undefined);
  if (!adapter) throw new Error(`webgpu backend: navigator.gpu.requestAdapter() found no adapter. ${HOW_TO_ENABLE}`);

  const requiredLimits: Record<string, number> = {};
  for (const name of WANTED_LIMITS) requiredLimits[name] = adapter.limits[name];
  // Timestamps cost nothing until a query set is written, and wc.profile needs them to time kernels on the GPU itself.
  // Subgroups let the lanes of the GEMM share loads where they are 4 wide (matmul.ts).
  const requiredFeatures = (['timestamp-query', 'subgroups'] as const).filter((f) => adapter.features.has(f));
  const device = await adapter.requestDevice({ label: 'webcnn', requiredLimits, requiredFeatures });

  // The first failure wins: later errors are usually consequences of it.
  let failure: Error | null = null;
  let lost: Error | null = null;
  // An out-of-memory error outranks validation errors: commands that use the
  // buffer that could not be made fail validation too, and may be reported first.
  let outOfMemory: Error | null = null;
  device.addEventListener('uncapturederror', (event) => {
    const e = (event as GPUUncapturedErrorEvent).error;
    failure ??= new Error(`webgpu backend: GPU error (${e.constructor.name}): ${e.message}`);
  });
  const lostSignal = device.lost.then((info) => {
    lost = new Error(`webgpu backend: the GPU device was lost (${info.reason}): ${info.message}. ` +
      "Create a new backend with setBackend('webgpu') after the page recovers.");
  });

  const info = adapter.info;
  return {
    device,
    adapter: {
      vendor: info.vendor,
      architecture: info.architecture,
      description: info.description,
      isFallbackAdapter: info.isFallbackAdapter ?? false,
      ...(info.subgroupMinSize !== undefined && info.subgroupMinSize === info.subgroupMaxSize ? { subgroupSize: info.subgroupMinSize } : {}),
    },
    limits: {
      maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
      maxBufferSize: device.limits.maxBufferSize,
      maxComputeWorkgroupsPerDimension: device.limits.maxComputeWorkgroupsPerDimension,
      minUniformBufferOffsetAlignment: device.limits.minUniformBufferOffsetAlignment,
    },
    timestampQuery: device.features.has('timestamp-query'),
    fourLaneSubgroups: device.features.has('subgroups') && info.subgroupMinSize === 4 && info.subgroupMaxSize === 4 &&
      (source.wgslLanguageFeatures?.has('subgroup_id') ?? false),
    throwIfFailed() {
      // A lost device stays lost: every later sync point throws too.
      if (lost) throw lost;
      if (outOfMemory) {
        const err = outOfMemory;
        outOfMemory = null;
        failure = null;
        throw err;
      }
      if (failure) {
        const err = failure;
        failure = null;
        throw err;
      }
    },
    get lostError() {
      return lost;
    },
    async settleLoss() {
      if (lost) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([lostSignal, new Promise<void>((resolve) => { timer = setTimeout(resolve, LOSS_SETTLE_MS); })]);
      clearTimeout(timer);
    },
    reportOutOfMemory(err: Error) {
      outOfMemory ??= err;
    },
  };
}
