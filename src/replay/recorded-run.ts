import { Schema } from "effect";
import type { BasePolicy } from "../actors/index.ts";
import { RunConfig } from "../config/index.ts";
import { type EventOf, Sha256Hex } from "../events/index.ts";
import {
  decodeGrpoConfig,
  decodeRewardConfig,
  type GrpoConfig,
  type RewardConfig,
} from "../rewards/index.ts";
import {
  type ReadOnlyTail,
  type RecordedEvent,
  readFileLogReadOnly,
  runEventsDirectory,
} from "../store/index.ts";

/** A run directory whose log cannot be replayed as it is. */
export class UnreplayableRunError extends Error {
  override readonly name = "UnreplayableRunError";
}

const RecordedSettings = Schema.Struct({
  run: RunConfig,
  rewards: Schema.Unknown,
  grpo: Schema.Unknown,
  base: Schema.Struct({ checkpoint: Sha256Hex, weightHash: Sha256Hex }),
});

export interface RecordedRun {
  readonly directory: string;
  readonly events: readonly RecordedEvent[];
  readonly runStarted: EventOf<"RunStarted">;
  readonly config: RunConfig;
  readonly rewards: RewardConfig;
  readonly grpo: GrpoConfig;
  readonly base: BasePolicy;
  readonly incompleteTail: ReadOnlyTail["incompleteTail"];
  /** Seconds spent reading and checking the log. */
  readonly readSeconds: number;
}

/** Reads a run directory's log (read-only, chain recomputed) and the settings its RunStarted recorded. */
export async function readRecordedRun(directory: string): Promise<RecordedRun> {
  const started = performance.now(); // wall-clock-ok: speed report only
  const tail: { value?: ReadOnlyTail } = {};
  const events: RecordedEvent[] = [];
  const eventsDirectory = await runEventsDirectory(directory);
  for await (const recorded of readFileLogReadOnly(eventsDirectory, tail)) events.push(recorded);
  const readSeconds = (performance.now() - started) / 1000; // wall-clock-ok: speed report only
  const first = events[0]?.event;
  if (first?.type !== "RunStarted")
    throw new UnreplayableRunError(`${directory}: the log does not start with RunStarted`);
  let settings: typeof RecordedSettings.Type;
  try {
    settings = Schema.decodeUnknownSync(RecordedSettings)(first.payload.config);
  } catch (error) {
    throw new UnreplayableRunError(
      `${directory}: the recorded configuration is not one this version can replay (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  return {
    directory,
    events,
    runStarted: first,
    config: settings.run,
    rewards: decodeRewardConfig(settings.rewards),
    grpo: decodeGrpoConfig(settings.grpo),
    base: settings.base,
    incompleteTail: tail.value?.incompleteTail ?? null,
    readSeconds,
  };
}
