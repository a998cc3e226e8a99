/**
 * JetStream event log throughput through the adapter against raw JetStream publishes and reads of
 * the same bytes, measured in the same run on one fresh loopback nats-server. Prints medians of
 * several rounds and the ratios adapter / raw (the median of each round's ratio).
 *
 *   node bin/run-ts.js bench/jetstream.ts [--events N] [--rounds N]
 *
 * Appends (each round a fresh run subject, configurations interleaved so machine noise hits them alike,
 * in reverse order every other round):
 * - raw, sequential + OCC: js.publish of the pre-encoded event bytes one at a time with Nats-Msg-Id
 *   and the expected last subject sequence of the previous ack: the least a correct appender does.
 * - raw, pipelined: 256 publishes in flight with Nats-Msg-Id only (the ~15k/s reference; it cannot
 *   check sequences, so it is an upper bound, not an alternative).
 * - adapter, 1 per append / 16 per append: JetStreamEventLog.append (validation, encoding, hashing,
 *   the chain, the index, the conditional publish per event).
 * Replay of the round's log (after one untimed replay, so none of them meets a cold server):
 * - raw: an ordered consumer over the run's subject, bytes only; raw + JSON.parse: the same, parsing
 *   each event (the least any reader must do).
 * - adapter open: openJetStreamLog replays the run once to build and verify its index (decode,
 *   schema validation, content hash, chain per event).
 * - adapter read(): log.read() on the open log (the same checks, plus the index's hashes).
 */
import { encodeEvent } from "../src/events/index.ts";
import {
  connectNats,
  eventStreamName,
  type JetStreamConnection,
  openJetStreamLog,
  replaySubject,
  runSubject,
} from "../src/store/jetstream/index.ts";
import { scriptedDrafts } from "../test/support/events.ts";
import { startNatsServer } from "../test/support/nats-server.ts";
import { median, option } from "./common.ts";

const eventCount = option("events", 3000);
const rounds = option("rounds", 5);
const pipelineWindow = 256;
const textDecoder = new TextDecoder();

async function eventsPerSecond(count: number, work: () => Promise<void>): Promise<number> {
  const startedMs = performance.now();
  await work();
  return count / ((performance.now() - startedMs) / 1000);
}

/** The events of a run exactly as the adapter publishes them (ids, seqs, canonical bytes). */
function encodedRun(runId: string) {
  return scriptedDrafts(runId, eventCount).map((draft, position) => {
    const event = { ...draft, seq: position + 1 };
    return { id: event.id, bytes: encodeEvent(event).bytes };
  });
}

async function rawSequential(connection: JetStreamConnection, runId: string): Promise<void> {
  let lastSubjectSequence = 0;
  for (const { id, bytes } of encodedRun(runId)) {
    const ack = await connection.jetstream.publish(runSubject(runId), bytes, {
      msgID: id,
      expect: { lastSubjectSequence },
    });
    lastSubjectSequence = ack.seq;
  }
}

async function rawPipelined(connection: JetStreamConnection, runId: string): Promise<void> {
  const events = encodedRun(runId);
  for (let first = 0; first < events.length; first += pipelineWindow) {
    const window = events.slice(first, first + pipelineWindow);
    await Promise.all(
      window.map(({ id, bytes }) => connection.jetstream.publish(runSubject(runId), bytes, { msgID: id })),
    );
  }
}

async function adapterAppends(connection: JetStreamConnection, runId: string, batch: number): Promise<void> {
  await using log = await openJetStreamLog(connection, runId);
  const drafts = scriptedDrafts(runId, eventCount);
  for (let first = 0; first < drafts.length; first += batch)
    await log.append(drafts.slice(first, first + batch));
}

/** An ordered consumer over the run's subject: bytes only, or bytes and JSON.parse of each (the least a reader does). */
async function rawReplay(connection: JetStreamConnection, runId: string, parse: boolean): Promise<void> {
  const info = await connection.manager.streams.getMessage(eventStreamName, {
    last_by_subj: runSubject(runId),
  });
  let count = 0;
  const messages = replaySubject(connection, {
    stream: eventStreamName,
    subject: runSubject(runId),
    fromStreamSequence: 1,
    toStreamSequence: info?.seq ?? 0,
    batchMessages: 512,
    pullExpiresMs: 2000,
  });
  for await (const message of messages) {
    if (parse) JSON.parse(textDecoder.decode(message.data));
    count += message.data.length > 0 ? 1 : 0;
  }
  if (count !== eventCount) throw new Error(`raw replay saw ${count} of ${eventCount} events`);
}

/** Opening a log replays the run once to build and verify its index; a read() then replays it again. */
async function adapterReplay(
  connection: JetStreamConnection,
  runId: string,
): Promise<{ openRate: number; readRate: number }> {
  let log: Awaited<ReturnType<typeof openJetStreamLog>> | undefined;
  const openRate = await eventsPerSecond(eventCount, async () => {
    log = await openJetStreamLog(connection, runId);
  });
  if (log === undefined) throw new Error("the log did not open");
  const opened = log;
  let count = 0;
  const readRate = await eventsPerSecond(eventCount, async () => {
    for await (const _recorded of opened.read()) count++;
  });
  await opened.close();
  if (count !== eventCount) throw new Error(`adapter replay saw ${count} of ${eventCount} events`);
  return { openRate, readRate };
}

type Measure = "raw sequential + OCC" | "raw pipelined" | "adapter, 1 per append" | "adapter, 16 per append";
type ReplayMeasure =
  | "raw ordered consumer"
  | "raw + JSON.parse"
  | "adapter open (index load)"
  | "adapter read()";

async function main(): Promise<void> {
  await using server = await startNatsServer();
  await using connection = await connectNats(server.url);
  // Warm-up: creates the stream and lets the JIT compile encoding and decoding before timing.
  await adapterAppends(connection, "warm-up", 16);
  await adapterReplay(connection, "warm-up");
  const appendRates = new Map<Measure, number[]>();
  const replayRates = new Map<ReplayMeasure, number[]>();
  const record = <Key>(map: Map<Key, number[]>, key: Key, rate: number) =>
    map.set(key, [...(map.get(key) ?? []), rate]);
  for (let round = 0; round < rounds; round++) {
    const runs: [Measure, string, (runId: string) => Promise<void>][] = [
      ["raw sequential + OCC", `raw-seq-${round}`, (runId) => rawSequential(connection, runId)],
      ["raw pipelined", `raw-pipe-${round}`, (runId) => rawPipelined(connection, runId)],
      ["adapter, 1 per append", `adapter-1-${round}`, (runId) => adapterAppends(connection, runId, 1)],
      ["adapter, 16 per append", `adapter-16-${round}`, (runId) => adapterAppends(connection, runId, 16)],
    ];
    // Why reversed every other round: what runs first in a round meets the server's colder caches.
    const inOrder = <Item>(items: Item[]) => (round % 2 === 0 ? items : items.reverse());
    for (const [measure, runId, work] of inOrder(runs))
      record(appendRates, measure, await eventsPerSecond(eventCount, () => work(runId)));
    const replayed = `adapter-16-${round}`;
    await rawReplay(connection, replayed, false);
    const replays = [
      async () =>
        record(
          replayRates,
          "raw ordered consumer",
          await eventsPerSecond(eventCount, () => rawReplay(connection, replayed, false)),
        ),
      async () =>
        record(
          replayRates,
          "raw + JSON.parse",
          await eventsPerSecond(eventCount, () => rawReplay(connection, replayed, true)),
        ),
      async () => {
        const { openRate, readRate } = await adapterReplay(connection, replayed);
        record(replayRates, "adapter open (index load)", openRate);
        record(replayRates, "adapter read()", readRate);
      },
    ];
    for (const replay of inOrder(replays)) await replay();
  }
  report(appendRates, replayRates);
}

function report(appendRates: Map<Measure, number[]>, replayRates: Map<ReplayMeasure, number[]>): void {
  const eventBytes = encodedRun("bench").reduce((sum, { bytes }) => sum + bytes.length, 0) / eventCount;
  const row = (label: string, rate: number, ratios: string) =>
    `  ${label.padEnd(24)} ${Math.round(rate).toString().padStart(8)} events/s  ${ratios}`;
  // Why the median of each round's ratio: on a shared machine the load drifts between rounds, and a
  // measure and its baseline of the same round met the same load.
  const ratio = <Key>(map: Map<Key, number[]>, measure: Key, baseline: Key) => {
    const baselineRates = map.get(baseline) ?? [];
    const perRound = (map.get(measure) ?? []).map(
      (rate, round) => rate / (baselineRates[round] ?? Number.NaN),
    );
    return `x${median(perRound).toFixed(2)}`;
  };
  process.stdout.write(
    `JetStream event log, ${eventCount} events of ${Math.round(eventBytes)} B (mean) per round, ${rounds} rounds: ` +
      "median rates, median of each round's ratio\n",
  );
  process.stdout.write("append:\n");
  for (const [measure, rates] of appendRates) {
    const ratios = `${ratio(appendRates, measure, "raw sequential + OCC")} of raw sequential, ${ratio(appendRates, measure, "raw pipelined")} of raw pipelined`;
    process.stdout.write(`${row(measure, median(rates), ratios)}\n`);
  }
  process.stdout.write("replay:\n");
  for (const [measure, rates] of replayRates) {
    const ratios = `${ratio(replayRates, measure, "raw ordered consumer")} of raw, ${ratio(replayRates, measure, "raw + JSON.parse")} of raw + JSON.parse`;
    process.stdout.write(`${row(measure, median(rates), ratios)}\n`);
  }
}

await main();
