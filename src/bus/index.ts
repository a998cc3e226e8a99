/**
 * mmzero bus: public surface (the rest of the folder is internal).
 */
export { type Bus, type JsonValue, NoResponderError, RemoteError, RequestTimeoutError } from "./bus.ts";
export { createMemoryBus } from "./memory-bus.ts";
export { openNatsBus } from "./nats-bus.ts";
