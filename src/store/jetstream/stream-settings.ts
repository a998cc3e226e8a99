import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from "@nats-io/jetstream";
import { millis, nanos } from "@nats-io/transport-node";
import { eventBytesMax } from "../../events/index.ts";
import type { JetStreamConnection } from "./connection.ts";
import { StreamSettingsError, type StreamSettingViolation } from "./errors.ts";

/** One stream holds every run's events; each run is one subject, so per-run sequence checks work on 2.9. */
export const eventStreamName = "MMZERO_EVENTS";
export const eventSubjectPrefix = "mmzero.events";
/** Why 2 minutes: the server's default; retries later than this are caught by the log's id index. */
export const eventDuplicateWindowMsDefault = 2 * 60_000;
/** Why: room for the Nats-Msg-Id and expectation headers on top of the largest event. */
export const eventHeaderBytesMax = 1024;

/**
 * The run's subject. Dots in a run id would split the subject into tokens (and ".." is not a valid
 * subject), so they become "~", which run ids cannot contain: the mapping stays one-to-one.
 */
export function runSubject(runId: string): string {
  return `${eventSubjectPrefix}.${runId.replaceAll(".", "~")}`;
}

/**
 * The event stream as an event log: file storage, no age, count or size limits (so the discard
 * policy never fires), no rollups, deletes and purges denied, one replica, a dedupe window.
 * Durability: a publish is acknowledged once the server has written it to its file store; that
 * survives the server process being killed. On 2.9 the server syncs to disk on its own interval, so a
 * machine crash can lose the most recent writes; on 2.10+ set `sync_interval: always` to close that.
 */
export function eventStreamConfig(duplicateWindowMs: number): Partial<StreamConfig> & { name: string } {
  return {
    name: eventStreamName,
    description: "mmzero event log: one subject per run, never trimmed",
    subjects: [`${eventSubjectPrefix}.>`],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_msgs: -1,
    max_bytes: -1,
    max_age: 0,
    max_msgs_per_subject: -1,
    max_msg_size: -1,
    discard: DiscardPolicy.Old,
    num_replicas: 1,
    duplicate_window: nanos(duplicateWindowMs),
    allow_rollup_hdrs: false,
    deny_delete: true,
    deny_purge: true,
  };
}

function isLimited(value: number | undefined): value is number {
  return value !== undefined && value > 0;
}

/**
 * Settings under which a stream could drop, expire or silently lose stored messages. `retention` is
 * what the stream is for: limits (a log: keep everything) or workqueue (remove work once acknowledged).
 */
export function retentionViolations(
  config: StreamConfig,
  retention: RetentionPolicy = RetentionPolicy.Limits,
): StreamSettingViolation[] {
  const found: StreamSettingViolation[] = [];
  const add = (setting: string, actual: unknown, required: string, risk: string) =>
    found.push({ setting, actual: String(actual), required, risk });
  if (config.retention !== retention) {
    add("retention", config.retention, retention, "messages are removed at the wrong time or never");
  }
  if (config.storage !== StorageType.File)
    add("storage", config.storage, "file", "a server restart loses them all");
  if (isLimited(config.max_msgs))
    add("max_msgs", config.max_msgs, "-1", "old messages are dropped beyond it");
  if (isLimited(config.max_bytes))
    add("max_bytes", config.max_bytes, "-1", "old messages are dropped beyond it");
  if (isLimited(config.max_age)) {
    add("max_age", `${millis(config.max_age)} ms`, "0 (forever)", "messages expire after that age");
  }
  if (isLimited(config.max_msgs_per_subject)) {
    add("max_msgs_per_subject", config.max_msgs_per_subject, "-1", "a subject's old messages are dropped");
  }
  if (config.sealed === true) add("sealed", true, "false", "the stream accepts no new messages");
  if (config.mirror !== undefined)
    add("mirror", config.mirror.name, "none", "a mirror accepts no direct writes");
  if (config.no_ack === true) add("no_ack", true, "false", "writes are never acknowledged");
  return found;
}

/** What an event log stream must also have: the subjects, no rollups, room for the largest event. */
export function eventStreamViolations(config: StreamConfig): StreamSettingViolation[] {
  const found = retentionViolations(config);
  const wildcard = `${eventSubjectPrefix}.>`;
  if (!config.subjects.includes(wildcard)) {
    found.push({
      setting: "subjects",
      actual: JSON.stringify(config.subjects),
      required: `to include ${wildcard}`,
      risk: "runs' events would not be stored",
    });
  }
  if (config.allow_rollup_hdrs) {
    found.push({
      setting: "allow_rollup_hdrs",
      actual: "true",
      required: "false",
      risk: "a rollup header purges a run",
    });
  }
  if (isLimited(config.max_msg_size) && config.max_msg_size < eventBytesMax + eventHeaderBytesMax) {
    found.push({
      setting: "max_msg_size",
      actual: String(config.max_msg_size),
      required: `-1 or >= ${eventBytesMax + eventHeaderBytesMax}`,
      risk: "large valid events are refused",
    });
  }
  return found;
}

/**
 * Creates the stream with `config` when absent; otherwise leaves it as it is. Either way its stored
 * settings are then checked and any violation is a StreamSettingsError.
 */
export async function ensureStream(
  connection: JetStreamConnection,
  config: Partial<StreamConfig> & { name: string },
  violationsOf: (config: StreamConfig) => StreamSettingViolation[],
): Promise<StreamConfig> {
  let stored: StreamConfig;
  try {
    stored = (await connection.manager.streams.info(config.name)).config;
  } catch (error) {
    if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.StreamNotFound) throw error;
    // Two processes may race to create it: an identical config is accepted twice by the server.
    stored = (await connection.manager.streams.add(config)).config;
  }
  const violations = violationsOf(stored);
  if (violations.length > 0) throw new StreamSettingsError(config.name, violations);
  return stored;
}
