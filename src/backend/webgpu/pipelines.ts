// Compute-pipeline cache keyed by (shader name, override constants).
//
// Shapes never change a pipeline: sizes travel in each shader's Params
// uniform, variants (workgroup size, transposes, activation kind) in WGSL
// `override` constants, so one pipeline serves every size and the cache stays
// small. Pipeline creation is async (createComputePipelineAsync) but kernels
// record synchronously, so the backend creates every pipeline it uses up
// front in prepare(); a pipeline missing at dispatch is created synchronously
// and counted, and tests assert that count stays 0.

export interface PipelineSpec {
  /** The shader's file name without .wgsl: also the pipeline's label. */
  name: string;
  /** WGSL source, imported with Vite's ?raw (never assembled from strings). */
  code: string;
  /** Values for the shader's `override` declarations. */
  constants?: Readonly<Record<string, number>>;
}

export function pipelineKey(spec: PipelineSpec): string {
  const c = spec.constants ?? {};
  const parts = Object.keys(c).sort().map((k) => `${k}=${c[k]}`);
  return `${spec.name}(${parts.join(',')})`;
}

export class PipelineCache {
  private readonly modules = new Map<string, GPUShaderModule>();
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private readonly building = new Set<string>();
  /** Pipelines created synchronously at dispatch because prepare() did not list them. */
  syncCreated = 0;

  constructor(private readonly device: GPUDevice) {}

  get size(): number {
    return this.pipelines.size;
  }

  private module(spec: PipelineSpec): GPUShaderModule {
    let m = this.modules.get(spec.name);
    if (!m) {
      m = this.device.createShaderModule({ label: spec.name, code: spec.code });
      this.modules.set(spec.name, m);
    }
    return m;
  }

  private descriptor(spec: PipelineSpec): GPUComputePipelineDescriptor {
    return {
      label: pipelineKey(spec),
      layout: 'auto',
      compute: { module: this.module(spec), entryPoint: 'main', constants: { ...spec.constants } },
    };
  }

  /** Creates all given pipelines in parallel; compile errors name the shader. */
  async prepare(specs: readonly PipelineSpec[]): Promise<void> {
    await Promise.all(specs.map(async (spec) => {
      const key = pipelineKey(spec);
      if (this.pipelines.has(key)) return;
      try {
        this.pipelines.set(key, await this.device.createComputePipelineAsync(this.descriptor(spec)));
      } catch (err) {
        // The pipeline error only says the module is invalid; the compiler's messages say why.
        const info = await this.module(spec).getCompilationInfo();
        const lines = info.messages.map((m) => `${spec.name}.wgsl:${m.lineNum}:${m.linePos} ${m.type}: ${m.message}`);
        throw new Error(`webgpu backend: cannot create pipeline ${key}: ${(err as Error).message}${lines.length ? `\n${lines.join('\n')}` : ''}`);
      }
    }));
  }

  has(spec: PipelineSpec): boolean {
    return this.pipelines.has(pipelineKey(spec));
  }

  /**
   * Starts creating pipelines without waiting (a variant chosen while a step
   * records); get() finds them once built. A failure here is left for the
   * awaited prepare() of the same spec to report.
   */
  prepareLater(specs: readonly PipelineSpec[]): void {
    for (const spec of specs) {
      const key = pipelineKey(spec);
      if (this.pipelines.has(key) || this.building.has(key)) continue;
      this.building.add(key);
      this.device.createComputePipelineAsync(this.descriptor(spec))
        .then((p) => { this.pipelines.set(key, p); }, () => undefined)
        .finally(() => this.building.delete(key));
    }
  }

  get(spec: PipelineSpec): GPUComputePipeline {
    const key = pipelineKey(spec);
    let p = this.pipelines.get(key);
    if (!p) {
      // Not prepared: still correct, but it stalls the step, so count it for the tests.
      this.syncCreated++;
      p = this.device.createComputePipeline(this.descriptor(spec));
      this.pipelines.set(key, p);
    }
    return p;
  }
}
