import type { FieldDifference } from "./diff.ts";

/**
 * Replay found that the code, as written, does not reproduce the recorded run: like a workflow
 * engine's non-determinism error, it names the first differing event and field.
 */
export class ReplayDivergenceError extends Error {
  override readonly name = "ReplayDivergenceError";
  constructor(
    readonly seq: number,
    readonly type: string,
    readonly difference: FieldDifference,
  ) {
    super(
      `replay diverged at seq ${seq} (${type}), field ${difference.path}: recorded ${preview(difference.recorded)}, ` +
        `recomputed ${preview(difference.recomputed)}. The code or backend as it is now is not compatible with this run's log.`,
    );
  }
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
