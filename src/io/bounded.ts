// Limits on what reading a model may cost: how deep its JSON may nest, and how
// much of any input an error message repeats. Both checks are iterative, so a
// hostile file cannot make the checker itself run out of stack.

/** Deeper than any Keras or TF.js model.json nests (a few levels per nested model). */
export const MAX_JSON_DEPTH = 100;
/** The most characters of one input value an error message quotes. */
export const QUOTE_CHARS = 100;

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

/** `text` cut to `max` characters, with an ellipsis when cut. */
export function clip(text: string, max = QUOTE_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

type Frame = { kind: 'value'; v: unknown } | { kind: 'text'; s: string };

/**
 * JSON.stringify's spelling of a value, stopped after `max` characters: the
 * work and the message stay bounded however large, deep or cyclic the input.
 * Bytes and functions are named, not spelled out.
 */
export function quote(value: unknown, max = QUOTE_CHARS): string {
  let out = '';
  const stack: Frame[] = [{ kind: 'value', v: value }];
  while (stack.length && out.length <= max) {
    const f = stack.pop()!;
    if (f.kind === 'text') { out += f.s; continue; }
    const v = f.v;
    if (v === null || v === undefined) out += String(v);
    else if (typeof v === 'string') out += JSON.stringify(v.length > max ? v.slice(0, max + 1) : v);
    else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') out += String(v);
    else if (typeof v === 'function') out += '[function]';
    else if (typeof v === 'symbol') out += v.toString();
    else if (v instanceof ArrayBuffer) out += `[ArrayBuffer ${v.byteLength} bytes]`;
    else if (ArrayBuffer.isView(v)) out += `[${v.constructor.name} ${v.byteLength} bytes]`;
    else if (Array.isArray(v)) {
      out += '[';
      // pushed in reverse, so they pop in order; only as many as could still be shown
      const items: Frame[] = [];
      for (let i = 0; i < v.length && i <= max; i++) {
        if (i > 0) items.push({ kind: 'text', s: ',' });
        items.push({ kind: 'value', v: v[i] });
      }
      stack.push({ kind: 'text', s: ']' }, ...items.reverse());
    } else {
      out += '{';
      const items: Frame[] = [];
      let i = 0;
      for (const key in v as object) {
        if (!Object.hasOwn(v as object, key)) continue;
        if (i > max) break;
        if (i++ > 0) items.push({ kind: 'text', s: ',' });
        items.push({ kind: 'text', s: `${JSON.stringify(key.length > max ? key.slice(0, max + 1) : key)}:` }, { kind: 'value', v: (v as Record<string, unknown>)[key] });
      }
      stack.push({ kind: 'text', s: '}' }, ...items.reverse());
    }
  }
  return clip(out, max);
}

/** A list of names for a message: each clipped, at most `maxItems` shown, then how many in all. */
export function quoteList(items: readonly string[], maxItems = 8): string {
  const shown = items.slice(0, maxItems).map((s) => clip(s, 40)).join(', ');
  return items.length > maxItems ? `${shown}, … (${items.length} in all)` : shown;
}
