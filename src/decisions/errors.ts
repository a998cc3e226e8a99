/**
 * The error of a sample graph that lacks a link a decision needs: an operating error the CLI reports
 * (rescore, report), and a bug when the loop meets it (the loop records every link before deciding).
 */

/** The log lacks (or contradicts) an event that a recorded score or dataset was built from. */
export class IncompleteLogError extends Error {
  override readonly name = "IncompleteLogError";
  readonly subject: string;

  constructor(subject: string, problem: string) {
    super(
      `${subject}: ${problem}; the log is truncated or was written by an incompatible engine version ` +
        "(check it with `mmzero replay --mode fold`)",
    );
    this.subject = subject;
  }
}
