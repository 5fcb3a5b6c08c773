// Argument checks shared by the layer constructors: each error names the
// layer, the argument, what was expected and what was given.

import { preview } from '../preview.js';

/** The given value as a message shows it (a bounded prefix; numbers as String() writes them). */
export function shown(v: unknown): string {
  return preview(v);
}

export function positiveInt(where: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new Error(`${where}: ${what} must be a positive integer, got ${shown(v)}`);
  }
  return v;
}

/** A number or a pair of numbers -> a pair of positive integers (kernelSize: 3 -> [3, 3]). */
export function positivePair(where: string, what: string, v: number | readonly number[] | undefined, fallback: readonly [number, number]): [number, number] {
  if (v === undefined) return [fallback[0], fallback[1]];
  const pair: unknown[] = typeof v === 'number' ? [v, v] : Array.isArray(v) ? [...v] : [];
  if (pair.length !== 2 || pair.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 1)) {
    throw new Error(`${where}: ${what} must be a positive integer or two positive integers, got ${shown(v)}`);
  }
  return [pair[0] as number, pair[1] as number];
}

export function oneOf<T extends string>(where: string, what: string, v: T | undefined, allowed: readonly T[], fallback: T): T {
  if (v === undefined) return fallback;
  if (!allowed.includes(v)) {
    throw new Error(`${where}: ${what} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${shown(v)}`);
  }
  return v;
}

export function numberIn(where: string, what: string, v: number | undefined, fallback: number, lo: number, hi: number, hiOpen = false): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || (hiOpen ? v >= hi : v > hi)) {
    throw new Error(`${where}: ${what} must be a number in [${lo}, ${hi}${hiOpen ? ')' : ']'}, got ${shown(v)}`);
  }
  return v;
}

/** TF.js only knows channels-last here; reject the other layout loudly. */
export function channelsLast(where: string, v: string | undefined): void {
  if (v !== undefined && v !== 'channelsLast') {
    throw new Error(`${where}: only dataFormat 'channelsLast' (NHWC) is supported, got '${v}'`);
  }
}
