import { Schema } from "effect";
import { compiledSchema } from "./compiled-schema.ts";
import { envelopeFields } from "./envelope.ts";
import * as payloads from "./payloads.ts";

/** An event schema: the envelope plus a literal type, a literal version and the payload. */
function defineEvent<const Type extends string, const Version extends number, Payload extends Schema.Top>(
  type: Type,
  version: Version,
  payload: Payload,
) {
  return Schema.Struct({
    ...envelopeFields,
    type: Schema.Literal(type),
    v: Schema.Literal(version),
    payload,
  });
}

/** The current version of every event type: what the engine writes and what logic reads. */
export const currentEvents = {
  RunStarted: defineEvent("RunStarted", 2, payloads.RunStartedV2),
  IterationStarted: defineEvent("IterationStarted", 1, payloads.IterationStarted),
  IterationCompleted: defineEvent("IterationCompleted", 1, payloads.IterationCompleted),
  PhaseStarted: defineEvent("PhaseStarted", 1, payloads.PhaseStarted),
  PhaseCompleted: defineEvent("PhaseCompleted", 1, payloads.PhaseCompleted),
  StepCompleted: defineEvent("StepCompleted", 1, payloads.StepCompleted),
  ProposalSampled: defineEvent("ProposalSampled", 1, payloads.ProposalSampled),
  CodeSampled: defineEvent("CodeSampled", 1, payloads.CodeSampled),
  ImageRendered: defineEvent("ImageRendered", 1, payloads.ImageRendered),
  RenderFailed: defineEvent("RenderFailed", 1, payloads.RenderFailed),
  AnswersSampled: defineEvent("AnswersSampled", 1, payloads.AnswersSampled),
  RewardScored: defineEvent("RewardScored", 2, payloads.RewardScoredV2),
  GroupScored: defineEvent("GroupScored", 1, payloads.GroupScored),
  DatasetBuilt: defineEvent("DatasetBuilt", 1, payloads.DatasetBuilt),
  PolicyUpdated: defineEvent("PolicyUpdated", 1, payloads.PolicyUpdated),
  BenchmarkEvaluated: defineEvent("BenchmarkEvaluated", 1, payloads.BenchmarkEvaluated),
  RunCompleted: defineEvent("RunCompleted", 1, payloads.RunCompleted),
  RunFailed: defineEvent("RunFailed", 1, payloads.RunFailed),
  EventRejected: defineEvent("EventRejected", 1, payloads.EventRejected),
} as const;

/** Older versions still found in logs; each has an upcaster in upcast.ts. */
export const legacyEvents = {
  RunStartedV1: defineEvent("RunStarted", 1, payloads.RunStartedV1),
  RewardScoredV1: defineEvent("RewardScored", 1, payloads.RewardScoredV1),
} as const;

export type EventType = keyof typeof currentEvents;
export const eventTypes = Object.keys(currentEvents).sort() as readonly EventType[];

export const MmzeroEvent = compiledSchema(Schema.Union(Object.values(currentEvents)));
/** Any event as the engine reads and writes it (current version). */
export type MmzeroEvent = typeof MmzeroEvent.Type;
/** The event of one type. */
export type EventOf<Type extends EventType> = Extract<MmzeroEvent, { type: Type }>;
/** An event's payload by type. */
export type PayloadOf<Type extends EventType> = EventOf<Type>["payload"];

export const StoredEvent = compiledSchema(
  Schema.Union([...Object.values(currentEvents), ...Object.values(legacyEvents)]),
);
/** Any event version a log may hold. */
export type StoredEvent = typeof StoredEvent.Type;
