import { runDirectories } from "../report/index.ts";
import { type RecordedEvent, readFileLogReadOnly } from "../store/index.ts";

/**
 * A run directory's events, read without the write lock; a directory without `events/`, or with
 * an empty log, is an error naming what was expected rather than an empty result.
 */
export async function* readRunEvents(runDirectory: string): AsyncGenerator<RecordedEvent> {
  const { events } = await runDirectories(runDirectory);
  let count = 0;
  for await (const recorded of readFileLogReadOnly(events)) {
    count += 1;
    yield recorded;
  }
  if (count === 0)
    throw new Error(`${events} holds no events: expected the log of a run written by \`mmzero run\``);
}
