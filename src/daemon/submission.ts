import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { Result, Schema } from "effect";
import { runIdOf } from "../actors/index.ts";
import { InvalidRunConfigError, RunConfig, resolveRunConfig } from "../config/index.ts";
import { writeFileDurably } from "./durable-file.ts";

/** A submission the daemon cannot accept as given; the HTTP API answers 400 with its message. */
export class InvalidSubmissionError extends Error {
  override readonly name: string = "InvalidSubmissionError";
}

/** Why 16: a submission is four levels deep ({config: {model: {checkpoint}}}); far deeper is hostile. */
export const submissionDepthMax = 16;
/** Keys that reach an object's prototype when merged: never a config field. */
const prototypeKeys = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Refuses bodies no submission can be, before any schema or merge sees them: nesting deeper than
 * submissionDepthMax and prototype keys (`__proto__`, `constructor`, `prototype`) as unknown
 * fields. Iterative, so no depth of nesting can overflow the stack.
 */
export function checkSubmissionShape(body: unknown): void {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: body, path: "", depth: 0 }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { value, path, depth } = item;
    if (typeof value !== "object" || value === null) continue;
    const where = path === "" ? "the top level" : path;
    if (depth >= submissionDepthMax)
      throw new InvalidSubmissionError(
        `the body nests deeper than ${submissionDepthMax} levels (at ${where}); a submission is {"preset": "<name>", "config": {<fields over the preset>}}`,
      );
    for (const [key, child] of Object.entries(value)) {
      const name = JSON.stringify(key.slice(0, 60));
      if (prototypeKeys.has(key)) throw new InvalidSubmissionError(`unknown field ${name} at ${where}`);
      pending.push({ value: child, path: path === "" ? name : `${path}.${name}`, depth: depth + 1 });
    }
  }
}

/** The file in `<runs-dir>/<runId>/` that makes a run the daemon's: written before the submission is acknowledged. */
export const submissionFileName = "submission.json";

const ConfigOverrides = Schema.Record(Schema.String, Schema.Unknown);

/** The body of `POST /runs`: a preset and config fields laid over it, as `mmzero run --preset --config`. */
export const SubmissionRequest = Schema.Struct({
  preset: Schema.String,
  config: Schema.optionalKey(ConfigOverrides),
});
export type SubmissionRequest = typeof SubmissionRequest.Type;

/** What `submission.json` holds; `config` is the resolved configuration, so a later preset change cannot alter the run. */
export const StoredSubmission = Schema.Struct({
  format: Schema.Literal(1),
  runId: Schema.String,
  /** Acceptance order: unfinished runs resume, and queued runs start, in increasing sequence. */
  sequence: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
  preset: Schema.String,
  overrides: Schema.NullOr(ConfigOverrides),
  config: RunConfig,
});
export type StoredSubmission = typeof StoredSubmission.Type;

/** A validated submission: the resolved config and the run id it determines. */
export interface ResolvedSubmission {
  readonly runId: string;
  readonly preset: string;
  readonly overrides: Readonly<Record<string, unknown>> | null;
  readonly config: RunConfig;
}

/** Decodes a request body and resolves its config; InvalidSubmissionError says what is wrong. */
export function resolveSubmission(body: unknown): ResolvedSubmission {
  checkSubmissionShape(body);
  const decoded = Schema.decodeUnknownResult(SubmissionRequest, { errors: "all", onExcessProperty: "error" })(
    body,
  );
  if (Result.isFailure(decoded)) {
    throw new InvalidSubmissionError(
      `a submission is {"preset": "<name>", "config": {<fields over the preset>}}: ${decoded.failure.message}`,
    );
  }
  const { preset, config: overrides } = decoded.success;
  try {
    const config = resolveRunConfig(preset, overrides);
    return { runId: runIdOf(config), preset, overrides: overrides ?? null, config };
  } catch (error) {
    if (error instanceof InvalidRunConfigError) throw new InvalidSubmissionError(error.message);
    throw error;
  }
}

/** Writes `submission.json` durably (durable-file.ts): a crash leaves no submission or a whole one. */
export async function writeSubmission(runDirectory: string, submission: StoredSubmission): Promise<void> {
  // Why first: a value that cannot be serialised must leave no directory or file behind.
  const text = `${JSON.stringify(submission, null, 2)}\n`;
  await writeFileDurably(runDirectory, submissionFileName, text);
}

/** A run directory whose submission could not be read; the daemon logs it and leaves the directory alone. */
export interface UnreadableSubmission {
  readonly directory: string;
  readonly reason: string;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function readOneSubmission(directory: string): Promise<StoredSubmission | UnreadableSubmission | null> {
  let text: string;
  try {
    text = await readFile(join(directory, submissionFileName), "utf8");
  } catch (error) {
    // Why: run directories without a submission (`mmzero run` output) are not the daemon's.
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return null;
    return { directory, reason: errorText(error) };
  }
  try {
    const stored = Schema.decodeUnknownSync(StoredSubmission)(JSON.parse(text));
    const recomputed = runIdOf(stored.config);
    if (recomputed !== stored.runId)
      return { directory, reason: `its config gives run id ${recomputed}, not the recorded ${stored.runId}` };
    return stored;
  } catch (error) {
    return { directory, reason: errorText(error) };
  }
}

/** Every submission under the runs directory, in acceptance order, and the directories that could not be read. */
export async function readSubmissions(
  runsDirectory: string,
): Promise<{ submissions: StoredSubmission[]; unreadable: UnreadableSubmission[] }> {
  const submissions: StoredSubmission[] = [];
  const unreadable: UnreadableSubmission[] = [];
  const entries = await readdir(runsDirectory, { withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const found = await readOneSubmission(join(runsDirectory, entry.name));
    if (found === null) continue;
    if ("reason" in found) unreadable.push(found);
    else if (found.runId !== entry.name)
      unreadable.push({
        directory: join(runsDirectory, entry.name),
        reason: `it holds run ${found.runId}; a run's directory is named by its id`,
      });
    else submissions.push(found);
  }
  submissions.sort((left, right) => left.sequence - right.sequence);
  return { submissions, unreadable };
}
