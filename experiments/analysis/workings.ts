// The Solver's step-wise workings as the analyses read them: the reward's own reader
// (src/rewards/workings.ts, used by the `requireConsistentWorkings` deviation), with the response-level
// consistency check the analyses share. Only the response's own tokens are read: no oracle.
import { workingsConsistent as consistentWithAnswer, extractFinalAnswer } from "../../src/rewards/index.ts";

export { isWorkingsOperator, parseWorkings, replayWorkings, type Workings } from "../../src/rewards/index.ts";

/** Whether a response's workings are arithmetically consistent and lead to its own boxed answer. */
export function workingsConsistent(response: string): boolean {
  return consistentWithAnswer(response, extractFinalAnswer(response));
}
