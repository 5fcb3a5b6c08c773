// The shapes and configs that layers, initializers, regularizers and the size
// limit share; kept apart from layer.ts so that those modules need not import it.

/** A shape whose batch axis (first) may be unknown. */
export type SymShape = readonly (number | null)[];

/** What getConfig() returns: JSON-compatible values. */
export type ConfigValue = number | string | boolean | null | readonly ConfigValue[] | { readonly [key: string]: ConfigValue };
export type LayerConfig = { [key: string]: ConfigValue };
