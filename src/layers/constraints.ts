// Weight constraints (TF.js's kernelConstraint, biasConstraint, ...): webcnn
// does not apply any, so a layer given one is refused rather than trained
// without it. The names are TF.js's, so the message says whether the
// constraint is one TF.js knows (and webcnn lacks) or no constraint at all.

import { clipped, preview } from '../preview.js';

/** TF.js's constraint classes, and the identifiers its layer arguments take for them. */
export const CONSTRAINT_CLASSES: Readonly<Record<string, string>> = {
  MaxNorm: 'maxNorm', MinMaxNorm: 'minMaxNorm', NonNeg: 'nonNeg', UnitNorm: 'unitNorm',
};

const known = (): string => Object.entries(CONSTRAINT_CLASSES).map(([cls, id]) => `${cls} ('${id}')`).join(', ');

/** Throws unless `value` (the layer argument or model.json field `key`) is absent. */
export function refuseConstraint(where: string, key: string, value: unknown): void {
  if (value === undefined || value === null) return;
  const name = typeof value === 'string' ? value
    : typeof value === 'object' && !Array.isArray(value) && typeof (value as { className?: unknown }).className === 'string' ? (value as { className: string }).className
      : null;
  const cls = name === null ? undefined
    : Object.hasOwn(CONSTRAINT_CLASSES, name) ? name : Object.keys(CONSTRAINT_CLASSES).find((c) => CONSTRAINT_CLASSES[c] === name);
  if (cls) {
    throw new Error(`${where}: ${key} ${cls}: weight constraints are not supported (none of TF.js's ${known()}); remove ${key}, and the weights train unconstrained`);
  }
  throw new Error(`${where}: unknown constraint ${name === null ? preview(value) : `'${clipped(name)}'`} for ${key}; TF.js's constraints are ${known()}, and webcnn supports none of them`);
}
