// model.summary(): TF.js's table of layer (name and type), output shape and
// parameter count, with the totals underneath.

import type { Layer } from '../layers/layer.js';
import { symShapeToString } from '../layers/layer.js';

export interface SummaryRow {
  layer: Layer;
  outputShape: string;
  /** Names of the layers feeding this one (functional models only). */
  receives: string;
}

export function formatSummary(modelName: string, rows: readonly SummaryRow[], sequential: boolean, printFn: (line: string) => void): void {
  const columns = sequential ? ['Layer (type)', 'Output shape', 'Param #'] : ['Layer (type)', 'Output shape', 'Param #', 'Receives inputs'];
  const cells = rows.map((r) => {
    const c = [`${r.layer.name} (${r.layer.className})`, r.outputShape, String(r.layer.built ? r.layer.countParams() : 0)];
    if (!sequential) c.push(r.receives);
    return c;
  });
  // a reduce, not Math.max(...cells): spreading one argument per layer overflows the stack on deep models
  const widths = columns.map((h, i) => cells.reduce((w, c) => Math.max(w, c[i].length), h.length) + 3);
  const line = (c: readonly string[]) => c.map((s, i) => s.padEnd(widths[i])).join('').trimEnd();
  const total = widths.reduce((a, b) => a + b, 0);
  const layers = rows.map((r) => r.layer);
  const count = (trainable: boolean) => layers.reduce((s, l) => s + (trainable ? l.trainableWeights : l.nonTrainableWeights).reduce((a, v) => a + v.value.size, 0), 0);
  printFn(`Model: ${modelName}`);
  printFn('_'.repeat(total));
  printFn(line(columns));
  printFn('='.repeat(total));
  cells.forEach((c, i) => {
    printFn(line(c));
    printFn((i === cells.length - 1 ? '=' : '_').repeat(total));
  });
  const trainable = count(true);
  const nonTrainable = count(false);
  printFn(`Total params: ${trainable + nonTrainable}`);
  printFn(`Trainable params: ${trainable}`);
  printFn(`Non-trainable params: ${nonTrainable}`);
  printFn('_'.repeat(total));
}

export function outputShapeString(layer: Layer): string {
  const shapes = [...new Set(layer.inboundNodes.map((n) => symShapeToString(n.output.shape)))];
  return shapes.length === 1 ? shapes[0] : shapes.length === 0 ? 'multiple' : 'multiple';
}
