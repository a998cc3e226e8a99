export { CanonicalEncodingError, canonicalBytes, canonicalJson } from "./canonical.ts";
export {
  currentEvents,
  type EventOf,
  type EventType,
  eventTypes,
  legacyEvents,
  MmzeroEvent,
  type PayloadOf,
  StoredEvent,
} from "./catalog.ts";
export {
  contentHash,
  decodeEvent,
  decodeEventValue,
  decodeValidatedEvent,
  EventDecodeError,
  type EventDraft,
  EventTooLargeError,
  encodeEvent,
  eventBytesMax,
  eventId,
} from "./codec.ts";
export { compiledSchema } from "./compiled-schema.ts";
export {
  EventId,
  NonNegativeInt,
  PolicyRole,
  PositiveInt,
  type Producer,
  policyRoles,
  producerRoles,
  Sha256Hex,
} from "./envelope.ts";
export { chainGenesis, chainNext, sha256Hex } from "./hash.ts";
export * as payloads from "./payloads.ts";
export { draftAt, draftOf, type EventSpec } from "./spec.ts";
export { EventFromNewerVersionError, hasLegacyVersions, upcast } from "./upcast.ts";
