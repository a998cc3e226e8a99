/**
 * Errors of the reward module. Both are operating errors the caller must handle: a reward is never
 * computed from inconsistent inputs (a missing Solver result is not a zero), and a configuration that
 * fails validation is never used.
 */

/** Inputs whose shape contradicts the configuration or each other (wrong sample counts, ragged arrays). */
export class InconsistentInputError extends Error {
  override readonly name = "InconsistentInputError";
  readonly subject: string;
  readonly expected: string;
  readonly actual: string;

  constructor(subject: string, expected: string, actual: string) {
    super(
      `${subject}: expected ${expected}, got ${actual}. ` +
        "Reward inputs must be complete: retry or drop the failed Solver/Coder call instead of scoring it.",
    );
    this.subject = subject;
    this.expected = expected;
    this.actual = actual;
  }
}

/** A reward or GRPO configuration that fails its schema (out-of-range constant, unknown preset, typo). */
export class InvalidConfigError extends Error {
  override readonly name = "InvalidConfigError";
  readonly configKind: "reward" | "grpo";
  readonly issues: string;

  constructor(configKind: "reward" | "grpo", issues: string, options?: { cause?: unknown }) {
    super(
      `invalid ${configKind} configuration: ${issues}. Fix the listed fields or start from a named preset.`,
      options,
    );
    this.configKind = configKind;
    this.issues = issues;
  }
}
