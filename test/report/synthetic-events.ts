import {
  chainGenesis,
  chainNext,
  decodeEventValue,
  type EventOf,
  type EventType,
  eventId,
  type PayloadOf,
  type PolicyRole,
  type Producer,
  sha256Hex,
} from "../../src/events/index.ts";
import type { RecordedEvent } from "../../src/store/index.ts";

/**
 * Hand-built event sequences for projection tests: each event is decoded through the catalog's
 * schema (so a payload the engine could not write fails here too) and chained like a log would.
 */

const runId = "synthetic-run";
const at = "2026-01-01T00:00:00.000Z";

export const hashOf = (text: string) => sha256Hex(text);

export class EventScript {
  readonly events: RecordedEvent[] = [];
  #chainHash = chainGenesis;

  add<Type extends EventType>(
    type: Type,
    logicalKey: string,
    payload: PayloadOf<Type>,
    role: Producer["role"] = "coordinator",
  ): EventOf<Type> {
    const producer: Producer = { role, version: 0 };
    const version = type === "RunStarted" ? 2 : 1;
    const value = {
      runId,
      seq: this.events.length + 1,
      id: eventId(runId, producer, logicalKey),
      type,
      v: version,
      causationId: null,
      correlationId: null,
      producer,
      at,
      payload,
    };
    const { event, contentHash } = decodeEventValue(value);
    if (event.type !== type) throw new Error(`decoded ${event.type}, expected ${type}`);
    this.#chainHash = chainNext(this.#chainHash, contentHash);
    this.events.push({ event, contentHash, chainHash: this.#chainHash });
    // Why the cast: the check above narrows at run time; TypeScript cannot narrow a generic union.
    return event as EventOf<Type>;
  }
}

export interface Position {
  readonly iteration: number;
  readonly phase: PolicyRole;
  readonly step: number;
}

const sampleDefaults = { tokens: [1, 2], logProbs: [-0.5, -0.5] };

export function proposal(
  script: EventScript,
  position: Position,
  sampleKey: string,
  proposalFields: PayloadOf<"ProposalSampled">["proposal"],
  purpose: PayloadOf<"ProposalSampled">["purpose"] = "rollout",
): EventOf<"ProposalSampled"> {
  return script.add(
    "ProposalSampled",
    sampleKey,
    {
      ...position,
      ...sampleDefaults,
      sampleKey,
      purpose,
      text: proposalFields?.caption ?? "garbage",
      topic: "t",
      proposal: proposalFields,
    },
    "proposer",
  );
}

export function code(
  script: EventScript,
  position: Position,
  sampleKey: string,
  proposalId: string,
  text: string,
  purpose: PayloadOf<"CodeSampled">["purpose"] = "judge",
): EventOf<"CodeSampled"> {
  return script.add(
    "CodeSampled",
    sampleKey,
    { ...position, ...sampleDefaults, sampleKey, purpose, text, proposalId },
    "coder",
  );
}

export function rendered(script: EventScript, codeEvent: EventOf<"CodeSampled">): EventOf<"ImageRendered"> {
  return script.add(
    "ImageRendered",
    `${codeEvent.payload.sampleKey}/render`,
    {
      codeId: codeEvent.id,
      width: 32,
      height: 32,
      pixelHash: hashOf(`pixels ${codeEvent.id}`),
      png: hashOf(`png ${codeEvent.id}`),
    },
    "renderer",
  );
}

export function renderFailed(
  script: EventScript,
  codeEvent: EventOf<"CodeSampled">,
  message = "no svg",
): EventOf<"RenderFailed"> {
  return script.add(
    "RenderFailed",
    `${codeEvent.payload.sampleKey}/render`,
    { codeId: codeEvent.id, outcome: "NoCode", message, noCodeExtracted: true, notSvgLike: true },
    "renderer",
  );
}

export function answers(
  script: EventScript,
  position: Position,
  codeEvent: EventOf<"CodeSampled">,
  image: EventOf<"ImageRendered">,
  question: "easy" | "hard",
  votes: readonly string[],
): EventOf<"AnswersSampled"> {
  const sampleKey = `${codeEvent.payload.sampleKey}/${question}`;
  return script.add(
    "AnswersSampled",
    sampleKey,
    {
      ...position,
      sampleKey,
      purpose: codeEvent.payload.purpose === "dataset" ? "dataset" : "judge",
      imageId: image.id,
      question,
      questionText: `${question} question`,
      samples: votes.map((answer) => ({
        ...sampleDefaults,
        text: `\\boxed{${answer}}`,
        answer,
        formatOk: true,
      })),
    },
    "solver",
  );
}
