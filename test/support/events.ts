import fc from "fast-check";
import {
  canonicalBytes,
  currentEvents,
  type EventDraft,
  type EventOf,
  type EventType,
  eventId,
  type Producer,
} from "../../src/events/index.ts";
import { arbitraryFromSchema } from "./schema-arbitrary.ts";

/**
 * Valid event drafts for store tests: a few event types with small payloads, deterministic ids and a
 * fixed `at`, plus a fast-check arbitrary of drafts derived from the schemas.
 */
/** A draft of one event type (the log assigns `seq`). */
export type DraftOf<Type extends EventType> = Omit<EventOf<Type>, "seq">;

export const testProducer: Producer = { role: "coordinator", version: 0 };
export const testAt = "2026-01-01T00:00:00.000Z";

function envelope(runId: string, logicalKey: string) {
  return {
    runId,
    id: eventId(runId, testProducer, logicalKey),
    causationId: null,
    correlationId: null,
    producer: testProducer,
    at: testAt,
    v: 1,
  } as const;
}

export function iterationStartedDraft(runId: string, iteration: number): DraftOf<"IterationStarted"> {
  return { ...envelope(runId, `iteration/${iteration}`), type: "IterationStarted", payload: { iteration } };
}

export function iterationCompletedDraft(runId: string, iteration: number): DraftOf<"IterationCompleted"> {
  return {
    ...envelope(runId, `iteration-done/${iteration}`),
    type: "IterationCompleted",
    payload: { iteration, logChainHead: "0".repeat(64) },
  };
}

export function runFailedDraft(runId: string, logicalKey: string, message: string): DraftOf<"RunFailed"> {
  return {
    ...envelope(runId, `failed/${logicalKey}`),
    type: "RunFailed",
    payload: { errorName: "TestError", message },
  };
}

/**
 * The `index`-th event of a fixed script (0-based): the same draft for the same index in any process.
 * Iterations start and complete in turn; every fifth event is a RunFailed with a message of
 * `fillerBytes` characters, to vary record sizes.
 */
export function scriptedDraft(runId: string, index: number, fillerBytes = 200): EventDraft {
  if (index % 5 === 4)
    return runFailedDraft(runId, `script/${index}`, `failure ${index} `.padEnd(fillerBytes, "x"));
  const iteration = index + 1;
  return index % 2 === 0
    ? iterationStartedDraft(runId, iteration)
    : iterationCompletedDraft(runId, iteration);
}

export function scriptedDrafts(runId: string, count: number, first = 0): EventDraft[] {
  return Array.from({ length: count }, (_, position) => scriptedDraft(runId, first + position));
}

/** The same event content under another producer version: same id, different content hash. */
export function withOtherContent(draft: EventDraft): EventDraft {
  return { ...draft, producer: { ...draft.producer, version: draft.producer.version + 1 } };
}

const draftSchemas = [
  currentEvents.IterationStarted,
  currentEvents.IterationCompleted,
  currentEvents.RunFailed,
] as const;

/**
 * Arbitrary valid drafts of the given run, content drawn from the schemas. Ids are random 128-bit
 * hex, so distinct drafts practically never share an id; tests that need retries reuse a draft.
 */
export function arbitraryDraft(runId: string): fc.Arbitrary<EventDraft> {
  return fc.oneof(...draftSchemas.map((schema) => arbitraryFromSchema(schema))).map((event) => {
    const { seq: _assignedByTheLog, ...draft } = event;
    return { ...draft, runId };
  });
}

/**
 * A RewardScored as a log written before v2 stores it (RewardScored v1: the Solver response's index
 * as the `sample` component, the Proposer's `renderedCount` among the components), encoded as the
 * log writes it: canonical bytes, `at` first. Its logical key is `reward/<seq>` (producer scorer).
 */
export function storedRewardScoredV1(
  runId: string,
  seq: number,
  payload: {
    readonly role: "proposer" | "coder" | "solver";
    readonly step: number;
    readonly total: number;
    readonly components: Readonly<Record<string, number>>;
  },
): Uint8Array {
  const producer = { role: "scorer", version: 0 } as const;
  return canonicalBytes({
    ...envelope(runId, `reward/${seq}`),
    id: eventId(runId, producer, `reward/${seq}`),
    producer,
    seq,
    type: "RewardScored",
    payload: { ...payload, iteration: 1, sampleId: "0".repeat(32), configHash: "0".repeat(64) },
  });
}
