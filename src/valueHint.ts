// What wc.tensor() learns of its values while they are still on the CPU, so
// that fit can judge them later without reading a device back: whether every
// value is finite, and where the first non-integer, the first negative value
// and the running maxima are. The maxima are enough to find the first value
// >= k for any k, since that value is always a new running maximum: sparse
// labels are checked against the model's class count this way (src/train/labels.ts).

/** A value and its flat (row-major) index. */
export interface ValueAt {
  at: number;
  value: number;
}

export interface ValueHint {
  /** Number of values summarized. */
  size: number;
  finite: boolean;
  /** The first value that is not an integer (NaN and infinities are not), if any. */
  firstNonInteger: ValueAt | null;
  /** The first value below zero (-0 is not), if any. */
  firstNegative: ValueAt | null;
  /** Each value larger than every value before it, in order, up to MAX_MAXIMA of them. */
  maxima: ValueAt[];
  /** The flat index up to which `maxima` is complete: size, or where the first dropped maximum was. */
  maximaEnd: number;
}

/** Sorted data makes a maximum of every value: the list stops here and the rest is judged by a device read. */
const MAX_MAXIMA = 256;

/** One pass over the values. */
export function summarizeValues(values: ArrayLike<number>): ValueHint {
  const n = values.length;
  let finite = true;
  let firstNonInteger: ValueAt | null = null;
  let firstNegative: ValueAt | null = null;
  const maxima: ValueAt[] = [];
  let maximaEnd = n;
  let top = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    // v - v is NaN exactly for NaN and the infinities
    const isFinite = v - v === 0;
    if (!isFinite) finite = false;
    if (firstNonInteger === null && (!isFinite || v !== Math.floor(v))) firstNonInteger = { at: i, value: v };
    if (firstNegative === null && v < 0) firstNegative = { at: i, value: v };
    if (v > top) {
      top = v;
      if (maximaEnd === n) {
        if (maxima.length < MAX_MAXIMA) maxima.push({ at: i, value: v });
        else maximaEnd = i;
      }
    }
  }
  return { size: n, finite, firstNonInteger, firstNegative, maxima, maximaEnd };
}

/**
 * The first value (in flat order) that is not a class index for `classes`
 * classes, an integer in [0, classes); null when every value is one, and
 * undefined when the hint cannot tell (its list of maxima was cut short).
 */
export function firstNonClass(hint: ValueHint, classes: number): ValueAt | null | undefined {
  const tooLarge = hint.maxima.find((m) => !(m.value < classes)) ?? null;
  const found = [hint.firstNonInteger, hint.firstNegative, tooLarge].filter((c): c is ValueAt => c !== null);
  const first = found.length ? found.reduce((a, b) => (b.at < a.at ? b : a)) : null;
  // past maximaEnd a too-large value may hide, unless something earlier already offends
  if (!tooLarge && hint.maximaEnd < hint.size && (first === null || first.at > hint.maximaEnd)) return undefined;
  return first;
}

/** firstNonClass on the values themselves (read from the CPU backend, or back from a device). */
export function firstNonClassIn(values: ArrayLike<number>, classes: number): ValueAt | null {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= 0 && v < classes && v === Math.floor(v))) return { at: i, value: v };
  }
  return null;
}
