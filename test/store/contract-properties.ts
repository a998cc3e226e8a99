/**
 * The model-based property of the EventLog contract. Goal: any sequence of appends, including
 * retries (with another `at` or a stale expectedSeq), stale or future expectedSeqs and id
 * conflicts, leaves the log equal to a plain list that follows the port's rules. Method: fast-check
 * draws command lists; each command's outcome is predicted from the model and checked, and at the
 * end the whole log is read and compared, and its chain verified.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { type EventDraft, eventId, type MmzeroEvent } from "../../src/events/index.ts";
import { AppendConflictError, type EventLog, IdConflictError, verifyChain } from "../../src/store/index.ts";
import { arbitraryDraft, testProducer, withOtherContent } from "../support/events.ts";
import { assertSameEvents, atSeq, readAll, seqsOf } from "./contract-helpers.ts";

type Expectation = "none" | "head" | "stale" | "ahead";

type Command =
  | { readonly kind: "append"; readonly drafts: readonly EventDraft[]; readonly expectation: Expectation }
  | {
      readonly kind: "retry";
      readonly pick: number;
      readonly newAt: boolean;
      readonly staleExpectation: boolean;
    }
  | { readonly kind: "conflict"; readonly pick: number };

/** Drafts are drawn for this run and moved to the log's own run when appended. */
const drawnRunId = "drawn-run";

const commandArbitrary: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("append" as const),
      drafts: fc.array(arbitraryDraft(drawnRunId), { maxLength: 3 }),
      expectation: fc.constantFrom<Expectation>("none", "head", "stale", "ahead"),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("retry" as const),
      pick: fc.nat(),
      newAt: fc.boolean(),
      staleExpectation: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("conflict" as const), pick: fc.nat() }) },
);

/** The model: the events the log must hold, and the batches it accepted (for retries). */
interface Model {
  readonly events: MmzeroEvent[];
  readonly batches: { drafts: readonly EventDraft[]; seqs: readonly number[] }[];
  nextKey: number;
}

export function runEventLogProperties(openFreshLog: () => Promise<EventLog>, numRuns: number): void {
  test("property: any sequence of appends, retries and conflicts leaves the log equal to the model", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandArbitrary, { maxLength: 12 }), async (commands) => {
        await using log = await openFreshLog();
        const model: Model = { events: [], batches: [], nextKey: 0 };
        for (const command of commands) await runCommand(log, model, command);
        const read = await readAll(log);
        assertSameEvents(
          read.map((recorded) => recorded.event),
          model.events,
        );
        const verified = await verifyChain(read);
        assert.ok(verified.ok);
        assert.deepEqual(await log.head(), verified.head);
      }),
      { numRuns },
    );
  });
}

async function runCommand(log: EventLog, model: Model, command: Command): Promise<void> {
  if (command.kind === "append") return runAppend(log, model, command.drafts, command.expectation);
  const batch = model.batches[command.pick % Math.max(1, model.batches.length)];
  if (batch === undefined) return;
  if (command.kind === "retry") {
    const drafts = command.newAt
      ? batch.drafts.map((draft) => ({ ...draft, at: `${draft.at}+retry` }))
      : batch.drafts;
    const options = command.staleExpectation ? { expectedSeq: 0 } : {};
    assert.deepEqual(seqsOf(await log.append(drafts, options)), batch.seqs);
    return;
  }
  const victim = batch.drafts[command.pick % batch.drafts.length];
  assert.ok(victim !== undefined);
  await assert.rejects(log.append([withOtherContent(victim)]), IdConflictError);
}

async function runAppend(
  log: EventLog,
  model: Model,
  generated: readonly EventDraft[],
  expectation: Expectation,
) {
  // Why new ids: generated ids are random; giving each draft a fresh logical key keeps them unique.
  const drafts = generated.map((draft) => ({
    ...draft,
    runId: log.runId,
    id: eventId(log.runId, testProducer, `property/${model.nextKey++}`),
  }));
  const head = model.events.length;
  const expectedSeq = { none: undefined, head, stale: head - 1, ahead: head + 1 }[expectation];
  const options = expectedSeq === undefined || expectedSeq < 0 ? {} : { expectedSeq };
  if (options.expectedSeq !== undefined && options.expectedSeq !== head) {
    await assert.rejects(log.append(drafts, options), AppendConflictError);
    return;
  }
  const recorded = await log.append(drafts, options);
  const seqs = drafts.map((_, position) => head + 1 + position);
  assert.deepEqual(seqsOf(recorded), seqs);
  drafts.forEach((draft, position) => {
    model.events.push(atSeq(draft, head + 1 + position));
  });
  if (drafts.length > 0) model.batches.push({ drafts, seqs });
}
