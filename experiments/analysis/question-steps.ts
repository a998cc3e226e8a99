// Questions counted by their step count (the world's grammar), as the analyses of what the loop asks
// report them.
import { parseQuestion, questionSteps } from "../../src/world/index.ts";

/** A question's step count as text; "unparsed" outside the grammar. */
export function stepsKey(question: string): string {
  const parsed = parseQuestion(question);
  return parsed.ok ? String(questionSteps(parsed.value)) : "unparsed";
}

/** How often each key occurs among `keys`, as "key share%" in key order. */
export function sharesText(keys: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, count]) => `${key} ${((100 * count) / keys.length).toFixed(0)}%`)
    .join(", ");
}
