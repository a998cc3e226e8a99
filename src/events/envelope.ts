import { Schema } from "effect";

/** Hex SHA-256 (content hashes, blob references, weight hashes). */
export const Sha256Hex = Schema.String.check(Schema.isPattern(/^[0-9a-f]{64}$/));
/** Event ids are 32 hex characters (128 bits of a SHA-256): unique enough per run, short in logs. */
export const EventId = Schema.String.check(Schema.isPattern(/^[0-9a-f]{32}$/));
export const PositiveInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1));
export const NonNegativeInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0));

export const policyRoles = ["proposer", "coder", "solver"] as const;
export const PolicyRole = Schema.Literals(policyRoles);
export type PolicyRole = typeof PolicyRole.Type;

export const producerRoles = [
  ...policyRoles,
  "coordinator",
  "trainer",
  "renderer",
  "scorer",
  "evaluator",
  "runtime",
] as const;
export const ProducerRole = Schema.Literals(producerRoles);

/** Who produced an event: a role and, for policies, the version (0 for services and the base). */
export const Producer = Schema.Struct({ role: ProducerRole, version: NonNegativeInt });
export type Producer = typeof Producer.Type;

/**
 * The envelope fields every event carries (DESIGN.md, "The event contract"). `type`, `v` and
 * `payload` are added per event type in the catalog. `at` is wall-clock metadata: never hashed and
 * never read by logic.
 */
export const envelopeFields = {
  runId: Schema.String.check(Schema.isPattern(/^[A-Za-z0-9_.-]{1,64}$/)),
  seq: PositiveInt,
  id: EventId,
  causationId: Schema.NullOr(EventId),
  correlationId: Schema.NullOr(EventId),
  producer: Producer,
  at: Schema.String,
} as const;

/** Envelope fields excluded from the content hash. */
export const unhashedFields = ["at"] as const;
