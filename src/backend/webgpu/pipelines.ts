// Compute-pipeline cache keyed by (shader name, override constants). Shapes
// never change a pipeline: sizes travel in each shader's Params uniform and
// variants (workgroup size, transposes, activation kind) in WGSL `override`
// constants, so the cache stays small. Pipelines are made on first use,
// asynchronously and in parallel, and the scheduler holds back the submit that
// needs one still compiling, so a model compiles only the kernels it runs.

import { paramsDeclaration, type Uniforms } from './uniforms.js';
import { withLibrary } from './shaderLibrary.js';

export interface PipelineSpec<U extends Uniforms = Uniforms> {
  /** The shader's file name without .wgsl (or its variant's, e.g. gemmSubgroup): also the pipeline's label. */
  name: string;
  /** WGSL source, imported with Vite's ?raw: one file, or a fixed entry file in front of it (never values spliced in). */
  code: string;
  /** The uniform fields the shader reads as `p.<name>`: its `struct Params` is made from them. */
  uniforms?: U;
  /** Values for the shader's `override` declarations. */
  constants?: Readonly<Record<string, number>>;
}

/** A source's leading directives (enable, requires, diagnostic) and comments: WGSL wants them before every declaration. */
const LEADING_DIRECTIVES = /^(?:\s*(?:\/\/[^\n]*|(?:enable|requires|diagnostic)\b[^;]*;))*/;

/** The module's full source: the shader's leading directives, the Params declaration, then the rest with its library blocks in place. */
export function shaderSource(spec: PipelineSpec): string {
  const body = withLibrary(spec.name, spec.code);
  if (!spec.uniforms) return body;
  const head = LEADING_DIRECTIVES.exec(body)?.[0] ?? '';
  return `${head}\n${paramsDeclaration(spec.uniforms)}\n${body.slice(head.length)}`;
}

export function pipelineKey(spec: PipelineSpec): string {
  const c = spec.constants ?? {};
  const parts = Object.keys(c).sort().map((k) => `${k}=${c[k]}`);
  return `${spec.name}(${parts.join(',')})`;
}

export class PipelineCache {
  private readonly modules = new Map<string, GPUShaderModule>();
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private readonly building = new Map<string, Promise<GPUComputePipeline>>();
  /** Pipelines created synchronously (getSync: only tests ask for it). */
  syncCreated = 0;

  constructor(private readonly device: GPUDevice) {}

  /** Pipelines created so far. */
  get size(): number {
    return this.pipelines.size;
  }

  /** Pipelines being created. */
  get pending(): number {
    return this.building.size;
  }

  private module(spec: PipelineSpec): GPUShaderModule {
    let m = this.modules.get(spec.name);
    if (!m) {
      m = this.device.createShaderModule({ label: spec.name, code: shaderSource(spec) });
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

  /** Starts creating one pipeline (once); the promise rejects with the compiler's messages. */
  private build(spec: PipelineSpec): Promise<GPUComputePipeline> {
    const key = pipelineKey(spec);
    let p = this.building.get(key);
    if (p) return p;
    p = this.device.createComputePipelineAsync(this.descriptor(spec)).then((pipeline) => {
      this.pipelines.set(key, pipeline);
      this.building.delete(key);
      return pipeline;
    }, async (err: unknown) => {
      // Forgotten, so a later use tries again and reports again.
      this.building.delete(key);
      // The pipeline error only says the module is invalid; the compiler's messages say why.
      const info = await this.module(spec).getCompilationInfo();
      const lines = info.messages.map((m) => `${spec.name}.wgsl:${m.lineNum}:${m.linePos} ${m.type}: ${m.message}`);
      throw new Error(`webgpu backend: cannot create pipeline ${key}: ${(err as Error).message}${lines.length ? `\n${lines.join('\n')}` : ''}`);
    });
    this.building.set(key, p);
    return p;
  }

  /** Creates all given pipelines in parallel; compile errors name the shader. */
  async prepare(specs: readonly PipelineSpec[]): Promise<void> {
    await Promise.all(specs.filter((s) => !this.has(s)).map((s) => this.build(s)));
  }

  has(spec: PipelineSpec): boolean {
    return this.pipelines.has(pipelineKey(spec));
  }

  /**
   * Starts creating pipelines without waiting (a variant chosen while a step
   * records); acquire() finds them once built. A failure here is left for a
   * later use of the same spec to report.
   */
  prepareLater(specs: readonly PipelineSpec[]): void {
    for (const spec of specs) if (!this.has(spec)) this.build(spec).catch(() => undefined);
  }

  /** The pipeline, or a promise of it when it is not built yet (its creation started). */
  acquire(spec: PipelineSpec): GPUComputePipeline | Promise<GPUComputePipeline> {
    return this.pipelines.get(pipelineKey(spec)) ?? this.build(spec);
  }

  /** The pipeline now, created synchronously if need be (it blocks on the compiler, so it is counted). */
  getSync(spec: PipelineSpec): GPUComputePipeline {
    const key = pipelineKey(spec);
    let p = this.pipelines.get(key);
    if (!p) {
      this.syncCreated++;
      p = this.device.createComputePipeline(this.descriptor(spec));
      this.pipelines.set(key, p);
    }
    return p;
  }
}
