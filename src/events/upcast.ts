import type { EventOf, MmzeroEvent, StoredEvent } from "./catalog.ts";

/**
 * Upcasters turn an old event version into the current shape, so old logs still fold and replay.
 * A new version of an event type needs: the old schema kept in `legacyEvents`, an upcaster here,
 * and a fixture of the old version in the tests.
 */

/** RunStarted v1 -> v2: the seed becomes a string (seeds may exceed 2^53) and the generator is named. */
function upcastRunStartedV1(
  event: Extract<StoredEvent, { type: "RunStarted"; v: 1 }>,
): EventOf<"RunStarted"> {
  const { seed, ...rest } = event.payload;
  return {
    ...event,
    v: 2,
    payload: { ...rest, seed: String(seed), rngAlgorithm: "threefry2x32-20" },
  };
}

export function upcast(event: StoredEvent): MmzeroEvent {
  if (event.type === "RunStarted" && event.v === 1) return upcastRunStartedV1(event);
  return event;
}
