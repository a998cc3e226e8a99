import type { Command } from "commander";
import { eventTypes, type MmzeroEvent } from "../../events/index.ts";
import { type ReadOnlyTail, readFileLogReadOnly, runEventsDirectory } from "../../store/index.ts";
import { natsSourceOption, type RunSourceFlags, runIdOption, withRunSource } from "../run-source.ts";

interface LogFlags extends RunSourceFlags {
  readonly type?: string[];
  readonly hash?: boolean;
  readonly json?: boolean;
  readonly width: string;
}

/** Why: long arrays (tokens, log-probs, samples) drown the line; their length says enough. */
const inlineArrayItemsMax = 6;

function abbreviate(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.length > inlineArrayItemsMax ? `[${value.length} items]` : value.map(abbreviate);
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, abbreviate(child)]));
  }
  if (typeof value === "string" && value.length > 40) return `${value.slice(0, 37)}...`;
  return value;
}

export function formatEventLine(event: MmzeroEvent, width: number): string {
  const producer = `${event.producer.role}@${event.producer.version}`;
  const head = `${String(event.seq).padStart(6)}  ${event.type.padEnd(18)}  ${producer.padEnd(14)}  `;
  const payload = JSON.stringify(abbreviate(event.payload));
  const room = Math.max(20, width - head.length);
  return head + (payload.length > room ? `${payload.slice(0, room - 1)}…` : payload);
}

async function printLog(runDir: string, flags: LogFlags): Promise<void> {
  const unknown = (flags.type ?? []).filter((type) => !(eventTypes as readonly string[]).includes(type));
  if (unknown.length > 0)
    throw new Error(`unknown event type ${unknown.join(", ")} (known: ${eventTypes.join(", ")})`);
  const wanted = flags.type === undefined ? null : new Set(flags.type);
  const tail: { value?: ReadOnlyTail } = {};
  let count = 0;
  let chainHead = "";
  for await (const recorded of readFileLogReadOnly(await runEventsDirectory(runDir), tail)) {
    count += 1;
    chainHead = recorded.chainHash;
    if (flags.hash) continue;
    if (wanted !== null && !wanted.has(recorded.event.type)) continue;
    process.stdout.write(
      flags.json
        ? `${JSON.stringify(recorded.event)}\n`
        : `${formatEventLine(recorded.event, Number(flags.width))}\n`,
    );
  }
  if (flags.hash) process.stdout.write(`${count} ${chainHead || "0".repeat(64)}\n`);
  const incomplete = tail.value?.incompleteTail;
  if (incomplete) {
    process.stderr.write(
      `mmzero log: the last record at ${incomplete.segment}:${incomplete.offset} is incomplete (${incomplete.reason}); a writer may still be appending\n`,
    );
  }
}

export function registerLogCommand(program: Command): void {
  program
    .command("log")
    .description(
      "Print a run's events readably (seq, type, producer, short payload), or its event count and hash-chain head.",
    )
    .argument("[run-dir]", "run directory (or its events/ directory; or use --nats and --run)")
    .option("-t, --type <type...>", `only these event types (${eventTypes.join(", ")})`)
    .option(
      "--hash",
      "print only the event count and the head of the hash chain (compare two runs from the shell)",
    )
    .option("--json", "one JSON event per line (full payloads)")
    .option("--width <columns>", "line width for the readable form", String(process.stdout.columns ?? 160))
    .addOption(natsSourceOption())
    .addOption(runIdOption())
    .action((runDir: string | undefined, flags: LogFlags) =>
      withRunSource(runDir, flags, { blobs: false }, (source) => printLog(source.directory, flags)),
    );
}
