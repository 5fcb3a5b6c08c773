// What the runner asks of one child process, and the child's side: install
// Dawn, load both libraries, run the cell through the browser bench's own
// dispatch (bench/dispatch.ts), and print the result as one marked JSON line.
// A process per cell: each engine meets a fresh device (as the browser bench's
// fresh browser per first step), and a cell past its time limit is ended by
// ending its process, GPU work and all.

import type { CellResult } from '../cell.js';
import type { MeasureOptions } from '../measure.js';
import type { Engine, ModelName, Task } from '../plan.js';
import type { StepProfile } from '../webcnnCells.js';
import { installDawn, type AdapterSummary } from './dawn.js';

export type Job =
  | { kind: 'info' }
  | { kind: 'cell'; engine: Engine; task: Task; o: MeasureOptions; tune: boolean }
  | { kind: 'firstStep'; engine: Engine; model: ModelName; batch: number; o: MeasureOptions; profileTop: number };

export type JobResult =
  | { kind: 'info'; adapter: AdapterSummary; tfjsVersion: string }
  | { kind: 'cell'; cell: CellResult }
  | { kind: 'firstStep'; first: CellResult; train: CellResult; profile: StepProfile | null };

/** Marks the child's answer among whatever else the libraries print. */
export const RESULT_MARK = '@@webcnn-device-bench ';
/** Marks a first step's figure, printed before its training cell runs: it stands if that cell is stopped. */
export const FIRST_MARK = '@@webcnn-device-bench-first ';

export async function runJob(job: Job): Promise<JobResult> {
  const adapter = await installDawn();
  const wc = await import('../../src/index.js');
  const tf = await import('@tensorflow/tfjs');
  await import('@tensorflow/tfjs-backend-webgpu');
  if (job.kind === 'info') return { kind: 'info', adapter, tfjsVersion: tf.version.tfjs };
  const { cellRunner } = await import('../dispatch.js');
  const cells = cellRunner(wc, tf);
  if (job.kind === 'cell') return { kind: 'cell', cell: await cells.run(job.engine, job.task, job.o, job.tune) };
  const onFirst = (first: CellResult) => { process.stdout.write(`${FIRST_MARK}${JSON.stringify(first)}\n`); };
  return { kind: 'firstStep', ...await cells.firstStepAndTrain(job.engine, job.model, job.batch, job.o, job.profileTop, onFirst) };
}

/** The child's answer from its stdout; null when it printed none (it crashed or was stopped). */
export function parseResult(stdout: string): JobResult | null {
  const line = stdout.split('\n').reverse().find((l) => l.startsWith(RESULT_MARK));
  return line ? JSON.parse(line.slice(RESULT_MARK.length)) as JobResult : null;
}

/** The first step's figure a firstStep child printed before its training cell; null if none. */
export function parseFirst(stdout: string): CellResult | null {
  const line = stdout.split('\n').find((l) => l.startsWith(FIRST_MARK));
  return line ? JSON.parse(line.slice(FIRST_MARK.length)) as CellResult : null;
}
