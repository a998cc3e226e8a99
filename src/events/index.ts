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
  type EventDraft,
  EventDecodeError,
  EventTooLargeError,
  encodeEvent,
  eventBytesMax,
  eventId,
} from "./codec.ts";
export {
  EventId,
  NonNegativeInt,
  PolicyRole,
  type Producer,
  PositiveInt,
  policyRoles,
  producerRoles,
  Sha256Hex,
} from "./envelope.ts";
export { chainGenesis, chainNext, sha256Hex } from "./hash.ts";
export * as payloads from "./payloads.ts";
export { upcast } from "./upcast.ts";
