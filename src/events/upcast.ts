import {
  currentEvents,
  type EventOf,
  type EventType,
  legacyEvents,
  type MmzeroEvent,
  type StoredEvent,
} from "./catalog.ts";

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

/**
 * RewardScored v1 -> v2: the bookkeeping v1 kept among the components leaves them. The Solver's
 * `sample` becomes the named `sampleIndex`; the Proposer's `renderedCount` is dropped (the sample
 * graph derives it: the proposal's judge codes that rendered). Every other component is kept as is.
 */
function upcastRewardScoredV1(
  event: Extract<StoredEvent, { type: "RewardScored"; v: 1 }>,
): EventOf<"RewardScored"> {
  const { payload } = event;
  if (payload.role === "solver") {
    const { sample, renderedCount: _derived, ...components } = payload.components;
    return { ...event, v: 2, payload: { ...payload, sampleIndex: sample, components } };
  }
  const { sample: _none, renderedCount: _derived, ...components } = payload.components;
  return { ...event, v: 2, payload: { ...payload, components } };
}

export function upcast(event: StoredEvent): MmzeroEvent {
  if (event.type === "RunStarted" && event.v === 1) return upcastRunStartedV1(event);
  if (event.type === "RewardScored" && event.v === 1) return upcastRewardScoredV1(event);
  return event;
}

const typesWithLegacyVersions: ReadonlySet<string> = new Set(
  Object.values(legacyEvents).map((schema) => schema.fields.type.literal),
);

/**
 * Whether a type has older versions still read from logs: an event of it may be stored in an older
 * version, whose content hash (over the stored bytes) the upcast event in hand cannot reproduce.
 */
export function hasLegacyVersions(type: EventType): boolean {
  return typesWithLegacyVersions.has(type);
}

/**
 * An event this mmzero cannot read because a newer mmzero wrote it: a version above the newest this
 * code knows for its type. Not corruption: upgrading reads it. (An unknown type stays an
 * EventDecodeError: it may as well be damage.)
 */
export class EventFromNewerVersionError extends Error {
  override readonly name = "EventFromNewerVersionError";
  constructor(
    readonly eventType: EventType,
    readonly version: number,
    /** The newest version of this type this mmzero reads. */
    readonly newestKnown: number,
  ) {
    super(
      `${eventType} v${version} was written by a newer mmzero (this one reads ${eventType} up to v${newestKnown}); read this log with an mmzero that knows ${eventType} v${version}`,
    );
  }
}

function newestVersion(type: EventType): number {
  return currentEvents[type].fields.v.literal;
}

/**
 * The error for a value that fails the event schema only because a newer mmzero wrote it, or null.
 * Why only integer versions and string types: anything else is damage, not a newer writer.
 */
export function newerVersionError(value: unknown): EventFromNewerVersionError | null {
  if (typeof value !== "object" || value === null) return null;
  const { type, v } = value as { type?: unknown; v?: unknown };
  if (typeof type !== "string" || typeof v !== "number" || !Number.isSafeInteger(v) || v < 1) return null;
  if (!Object.hasOwn(currentEvents, type)) return null;
  const newest = newestVersion(type as EventType);
  return v > newest ? new EventFromNewerVersionError(type as EventType, v, newest) : null;
}
