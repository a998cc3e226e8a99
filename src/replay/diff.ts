/** The first place two JSON values differ, as a field path like `payload.samples[2].answer`. */
export interface FieldDifference {
  readonly path: string;
  readonly recorded: unknown;
  readonly recomputed: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Depth-first, keys in sorted order (the canonical order), so the answer is deterministic. */
export function firstDifference(recorded: unknown, recomputed: unknown, path = ""): FieldDifference | null {
  if (Object.is(recorded, recomputed)) return null;
  if (Array.isArray(recorded) && Array.isArray(recomputed)) {
    const length = Math.max(recorded.length, recomputed.length);
    for (let index = 0; index < length; index++) {
      const found = firstDifference(recorded[index], recomputed[index], `${path}[${index}]`);
      if (found !== null) return found;
    }
    return null;
  }
  if (isObject(recorded) && isObject(recomputed)) {
    const keys = [...new Set([...Object.keys(recorded), ...Object.keys(recomputed)])].sort();
    for (const key of keys) {
      const found = firstDifference(recorded[key], recomputed[key], path === "" ? key : `${path}.${key}`);
      if (found !== null) return found;
    }
    return null;
  }
  // -0 and 0 encode the same canonically.
  if (typeof recorded === "number" && typeof recomputed === "number" && recorded === recomputed) return null;
  return { path: path === "" ? "<root>" : path, recorded, recomputed };
}
