// bench/RESULTS-gpu.md: the browser bench's table (bench/table.ts) under a
// header that says where it ran: the adapter first, then the command, the
// Vulkan driver, Node and Dawn, the machine and how each cell was taken.
// Pure (tested in test/bench/deviceReport.test.ts).

import type { ModelName, Row } from '../plan.js';
import { FIGURES_EXPLAINED, fmtTime, resultsTable, resultsTail, type Results } from '../table.js';
import type { StepProfile } from '../webcnnCells.js';
import type { AdapterSummary } from './dawn.js';

export interface DeviceRun {
  /** The command that produced the table, as one would type it again. */
  command: string;
  /** When the run started. */
  date: Date;
  /** Seconds the run has taken so far. */
  seconds: number;
  adapter: AdapterSummary;
  /** The Vulkan driver manifest(s) the loader was pointed at, or how it found one. */
  vulkanDriver: string;
  node: string;
  /** The `webgpu` package's version (Dawn). */
  webgpu: string;
  tfjs: string;
  /** webcnn's commit, as prepare.sh found it. */
  git: string;
  /** CPUs, memory and system of the machine. */
  machine: string;
  budget: number;
  maxCall: number;
  cellLimit: number;
  deadline: number;
  /** Cells done and planned: the table is rewritten after each cell, so a stopped run leaves a partial one. */
  cellsDone: number;
  cellsPlanned: number;
}

/** SwiftShader and Mesa's CPU drivers: WebGPU on the CPU. */
export const isSoftware = (a: AdapterSummary): boolean => a.isFallbackAdapter || /swiftshader|llvmpipe|lavapipe/i.test(`${a.vendor} ${a.architecture} ${a.description}`);

export function adapterLine(a: AdapterSummary): string {
  const name = `${a.vendor || '?'} / ${a.architecture || '?'}`;
  const more = [a.description, a.device && a.device !== a.description ? `device ${a.device}` : ''].filter(Boolean).join('; ');
  const subgroups = a.subgroups ? `yes${a.subgroupSizes ? ` (sizes ${a.subgroupSizes})` : ''}` : 'no';
  return `${name}${more ? ` (${more})` : ''}; fallback adapter: ${a.isFallbackAdapter ? 'yes' : 'no'}; timestamp-query: ${a.timestampQuery ? 'yes' : 'no'}; subgroups: ${subgroups}`;
}

export function renderDeviceResults(run: DeviceRun, rows: readonly Row[], results: Results, profiles: readonly { model: ModelName; profile: StepProfile }[]): string {
  const a = run.adapter;
  const date = run.date.toISOString().replace('T', ' ').slice(0, 16);
  const lines = [
    `# webcnn benchmark results on ${a.vendor || '?'} / ${a.architecture || '?'}: WebGPU in Node (Dawn)`,
    '',
    `- WebGPU adapter: ${adapterLine(a)}`,
  ];
  if (isSoftware(a)) {
    lines.push('', '**A software adapter (SwiftShader runs WebGPU on the CPU): not a GPU.** These figures check that the runner works; they say nothing of a GPU.');
  }
  if (run.cellsDone < run.cellsPlanned) {
    lines.push('', `**Partial: ${run.cellsDone} of ${run.cellsPlanned} cells done when this was written.**`);
  }
  lines.push(
    '',
    `Taken ${date} UTC in ${fmtTime(run.seconds)} by:`,
    '',
    '```sh',
    run.command,
    '```',
    '',
    `- Vulkan driver: ${run.vulkanDriver}`,
    `- Runtime: Node ${run.node}, Dawn from the \`webgpu\` package ${run.webgpu}; no browser`,
    `- Machine: ${run.machine}`,
    `- Libraries: webcnn at git ${run.git}; TensorFlow.js ${run.tfjs} (tfjs-core, tfjs-layers and tfjs-backend-webgpu on the same Dawn)`,
    `- Each cell: a Node process of its own (a fresh WebGPU device), webcnn and TF.js alternating within each row; one warm-up call, then ${run.budget} s of timed calls ` +
      `(at least one), the last result read back before the clock stops. A cell whose one call is estimated over ${run.maxCall} s is not run and has no figure ` +
      `(a conv pass runs at a smaller batch instead, \`~\`); a cell past ${run.cellLimit} s is stopped; the run stops starting cells after ${run.deadline} s`,
    '- First trained step: a fresh process per engine and model; webcnn\'s autotuner runs after it (as fit does after its first batch), before the batch-64 training cell; the other webcnn cells run untuned (heuristic) kernels',
    '- Data: seeded synthetic batches (bench/data.ts), not MNIST images: speed does not depend on what the images show',
    '',
    '## Figures',
    '',
    resultsTable(rows, results),
    '',
    FIGURES_EXPLAINED,
    '',
    ...resultsTail(rows, results, profiles),
  );
  return `${lines.join('\n')}\n`;
}
