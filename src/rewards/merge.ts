/** Deep merge of configuration overrides onto a preset; the result is validated by a schema afterwards. */

/** Every field optional, at every depth: the shape of a configuration override. */
export type DeepPartial<T> = {
  readonly [Key in keyof T]?: T[Key] extends object ? DeepPartial<T[Key]> : T[Key];
};

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * `override` laid over `base`: plain objects merge key by key, anything else replaces, and an
 * `undefined` override keeps the base value. Keys absent from `base` are kept so the schema can reject
 * them as typos.
 */
export function mergeDeep(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = mergeDeep(base[key], value);
  return merged;
}
