import { isVersionAtLeast } from "../store/jetstream/index.ts";

/** The first nats-server with `jetstream { sync_interval: always }` (nats-server PR 4483). */
export const syncAlwaysVersionMin = "2.10.0";

export interface EventStreamDurability {
  readonly serverVersion: string;
  /** num_replicas of MMZERO_EVENTS as the server stores it. */
  readonly replicas: number;
}

/**
 * What an acknowledged event means on this server, in one warning printed when a run starts: the
 * client cannot see (let alone set) the server's fsync policy, so it says what the version allows
 * and what the stream's replica count gives.
 */
export function durabilityNotice({ serverVersion, replicas }: EventStreamDurability): string {
  const sync = isVersionAtLeast(serverVersion, syncAlwaysVersionMin)
    ? `nats-server ${serverVersion} fsyncs an acknowledged event only when it runs with \`jetstream { sync_interval: always }\` ` +
      "(mmzero cannot see the server's configuration); otherwise"
    : `nats-server ${serverVersion} has no fsync setting:`;
  const copies =
    replicas >= 3
      ? `MMZERO_EVENTS has ${replicas} replicas, so an acknowledged event is on a quorum of servers and survives losing a minority of them`
      : `MMZERO_EVENTS has ${replicas} replica${replicas === 1 ? "" : "s"}, so one machine's disk holds the only copy`;
  return (
    `${sync} an acknowledged event survives the server process being killed but not a machine crash or power ` +
    `loss within the server's sync interval (2 minutes by default); ${copies}. ` +
    'For production see the README, "Durability on NATS" (sync_interval: always, a 3-replica stream).'
  );
}
