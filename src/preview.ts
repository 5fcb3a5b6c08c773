// How error messages quote a value they were given: JSON-like, but at most a
// bounded prefix, so a huge or deeply nested argument (a model.json field, a
// JavaScript caller's object) cannot make the message itself huge or overflow
// the stack while it is being written.

/** Characters of a quoted value before it is cut with an ellipsis. */
export const PREVIEW_CHARS = 100;

const ELLIPSIS = '...';

/**
 * The value as a message shows it: numbers as String() writes them (JSON would
 * write NaN and Infinity as null), strings quoted, arrays and plain objects
 * JSON-like, anything else by its type; cut to `max` characters plus '...'.
 */
export function preview(value: unknown, max = PREVIEW_CHARS): string {
  const out: string[] = [];
  let length = 0;
  // false once the budget is spent: the walk stops there, so its depth and work stay bounded by max
  const emit = (s: string): boolean => {
    out.push(s);
    length += s.length;
    return length <= max;
  };
  const seen = new Set<object>();
  const write = (v: unknown): boolean => {
    if (v === null) return emit('null');
    if (v === undefined) return emit('undefined');
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return emit(String(v));
    if (typeof v === 'string') return emit(JSON.stringify(v.length > max ? v.slice(0, max + 1) : v));
    if (typeof v === 'function') return emit('a function');
    if (typeof v === 'symbol') return emit(v.toString());
    const obj = v as object;
    if (seen.has(obj)) return emit('(circular)');
    seen.add(obj);
    try {
      if (Array.isArray(obj)) {
        if (!emit('[')) return false;
        for (let i = 0; i < obj.length; i++) {
          if (i > 0 && !emit(',')) return false;
          if (!write(obj[i] as unknown)) return false;
        }
        return emit(']');
      }
      if (ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer) return emit(`a ${obj.constructor.name}`);
      const proto = Object.getPrototypeOf(obj) as object | null;
      if (proto !== null && proto !== Object.prototype) return emit(`a ${(obj.constructor as { name?: string } | undefined)?.name || 'object'}`);
      if (!emit('{')) return false;
      let first = true;
      for (const key of Object.keys(obj)) {
        if (!first && !emit(',')) return false;
        first = false;
        if (!emit(`${JSON.stringify(key.length > max ? key.slice(0, max + 1) : key)}:`)) return false;
        if (!write((obj as Record<string, unknown>)[key])) return false;
      }
      return emit('}');
    } finally {
      seen.delete(obj);
    }
  };
  write(value);
  const text = out.join('');
  return text.length > max ? `${text.slice(0, max)}${ELLIPSIS}` : text;
}

/** A string as a message quotes it inside its own quotes: at most `max` characters, then '...'. */
export function clipped(text: string, max = PREVIEW_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}${ELLIPSIS}` : text;
}

/** Names a message lists before it only counts the rest, and the characters it shows of each. */
export const LISTED_NAMES = 8;
const LISTED_NAME_CHARS = 40;

/** The first few names, comma-separated, and how many there are in all when there are more. */
export function listed(names: readonly string[], max = LISTED_NAMES): string {
  const shown = names.slice(0, max).map((n) => clipped(n, LISTED_NAME_CHARS));
  return names.length <= max ? shown.join(', ') : `${shown.join(', ')}, ... (${names.length} in all)`;
}
