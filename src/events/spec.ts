import { currentEvents, type EventType, type MmzeroEvent, type PayloadOf } from "./catalog.ts";
import { type EventDraft, eventId } from "./codec.ts";
import type { Producer } from "./envelope.ts";

/**
 * An event as its producer states it, before the recorder completes the envelope (id, version,
 * seq, chain): what decisions return and the loop records (distributive over event types).
 */
export type EventSpec<Type extends EventType = EventType> = Type extends EventType
  ? {
      readonly type: Type;
      readonly producer: Producer;
      /** What the event is about; with run and producer it determines the event id. */
      readonly logicalKey: string;
      readonly payload: PayloadOf<Type>;
      readonly causationId?: string | null;
      readonly correlationId?: string | null;
    }
  : never;

/** The version each event type is written at: the literal `v` of its current schema in the catalog. */
function currentVersionOf(type: EventType): number {
  return currentEvents[type].fields.v.literal;
}

/** The envelope completed around a spec, stamped `at` (metadata only); the log assigns seq. */
export function draftOf(runId: string, spec: EventSpec, at: string): EventDraft {
  // The one cast of the envelope: it pairs `type` with its payload, which TypeScript cannot
  // correlate across the union; the log's append validates the event against its schema.
  return {
    runId,
    id: eventId(runId, spec.producer, spec.logicalKey),
    type: spec.type,
    v: currentVersionOf(spec.type),
    causationId: spec.causationId ?? null,
    correlationId: spec.correlationId ?? null,
    producer: spec.producer,
    payload: spec.payload,
    at,
  } as EventDraft;
}

/** A draft placed at `seq`: the event it becomes (to hash it against a recorded one). */
export function draftAt(draft: EventDraft, seq: number): MmzeroEvent {
  // Same correlation limit as draftOf: a draft of one type with a seq is an event of that type.
  return { ...draft, seq } as MmzeroEvent;
}
