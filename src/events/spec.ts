import type { EventType, PayloadOf } from "./catalog.ts";
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
