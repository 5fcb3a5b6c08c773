// How deep a model's JSON may nest. The check is iterative, so a hostile file
// cannot make the checker itself run out of stack. (How much of an input a
// message quotes: src/preview.ts.)

/** Deeper than any Keras or TF.js model.json nests (a few levels per nested model). */
export const MAX_JSON_DEPTH = 100;

const isLeaf = (v: unknown): boolean => typeof v !== 'object' || v === null || v instanceof ArrayBuffer || ArrayBuffer.isView(v);

/**
 * The container nesting of a JSON-like value, counted up to `limit + 1`: an
 * object or array is one level, a scalar none. Shared objects are revisited
 * only when reached deeper, and a cycle counts as too deep.
 */
export function jsonDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  const deepest = new Map<object, number>();
  const stack: [unknown, number][] = [[value, 0]];
  let max = 0;
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (isLeaf(v)) continue;
    const level = d + 1;
    if (level > max) max = level;
    if (max > limit) return max;
    const o = v as object;
    if ((deepest.get(o) ?? 0) >= level) continue;
    deepest.set(o, level);
    for (const child of Object.values(o)) if (!isLeaf(child)) stack.push([child, level]);
  }
  return max;
}

/** Refuses JSON nested deeper than MAX_JSON_DEPTH, naming the call, what was read and the limit. */
export function checkDepth(value: unknown, where: string, what: string): void {
  if (jsonDepth(value) > MAX_JSON_DEPTH) {
    throw new Error(`${where}: the nesting of ${what} exceeds ${MAX_JSON_DEPTH} levels; webcnn reads JSON up to ${MAX_JSON_DEPTH} levels deep`);
  }
}
