/**
 * Errors of rescoring. Both are operating errors the CLI reports: a configuration that would need
 * other samples than the recorded ones, and (src/decisions) a log that lacks an event a recorded
 * score was built from.
 */
import type { ConfigChange } from "./config-changes.ts";

/** The requested reward configuration changes sample counts or judges: rescoring cannot answer that. */
export class NotRescorableConfigError extends Error {
  override readonly name = "NotRescorableConfigError";
  readonly changes: readonly ConfigChange[];

  constructor(changes: readonly ConfigChange[]) {
    const listed = changes
      .map(
        (change) =>
          `${change.path} ${JSON.stringify(change.recorded)} -> ${JSON.stringify(change.requested)}`,
      )
      .join(", ");
    super(
      `the reward configuration changes what is sampled, not how it is scored (${listed}); rescore keeps ` +
        "the recorded samples, so keep these fields as recorded, or re-run with the new configuration",
    );
    this.changes = changes;
  }
}

export { IncompleteLogError } from "../decisions/index.ts";
