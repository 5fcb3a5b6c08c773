// Dawn (the `webgpu` package) installed as the page's WebGPU would be: its
// globals (GPUBufferUsage, ...) and navigator.gpu, which webcnn's backend and
// tfjs-backend-webgpu both look up. Must run before tfjs-backend-webgpu is
// imported: it registers itself only where navigator.gpu exists then.

/** What the table says of the adapter, from GPUAdapterInfo and its features. */
export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  timestampQuery: boolean;
  subgroups: boolean;
  /** Subgroup sizes the adapter reports, e.g. '32' or '4–128'; '' where it reports none. */
  subgroupSizes: string;
}

interface DawnModule { create: (flags: string[]) => GPU; globals: Record<string, unknown> }

export async function installDawn(): Promise<AdapterSummary> {
  const dawn = await import('webgpu') as unknown as DawnModule;
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  // Node 20 has no navigator; later Nodes have one without gpu.
  const nav = (globalThis as { navigator?: object }).navigator ?? {};
  Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  Object.defineProperty(globalThis, 'navigator', { value: nav, configurable: true });
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    throw new Error('Dawn found no WebGPU adapter: is a Vulkan driver there (VK_DRIVER_FILES / VK_ICD_FILENAMES) and libvulkan.so.1 on LD_LIBRARY_PATH?');
  }
  const info = adapter.info as GPUAdapterInfo & { subgroupMinSize?: number; subgroupMaxSize?: number; isFallbackAdapter?: boolean };
  const sizes = info.subgroupMinSize && info.subgroupMaxSize
    ? (info.subgroupMinSize === info.subgroupMaxSize ? String(info.subgroupMinSize) : `${info.subgroupMinSize}–${info.subgroupMaxSize}`) : '';
  return {
    vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description,
    isFallbackAdapter: info.isFallbackAdapter ?? false,
    timestampQuery: adapter.features.has('timestamp-query'),
    subgroups: adapter.features.has('subgroups' as GPUFeatureName),
    subgroupSizes: sizes,
  };
}
