import type { GenerationMessage, GenerationRequestMessage, LoopServices } from "../actors/index.ts";
import type { PolicyRole } from "../events/index.ts";
import type { RecordedEvent } from "../store/index.ts";

/** A sampling request whose generation is not in the log: the replay cannot answer it without the model. */
export class MissingRecordedSampleError extends Error {
  override readonly name = "MissingRecordedSampleError";
  constructor(
    readonly role: PolicyRole,
    readonly sampleKey: string,
  ) {
    super(
      `the log has no ${role} sample "${sampleKey}": the re-executed loop asked for a sample the run never drew ` +
        "(replay with --resample to sample it from the model)",
    );
  }
}

function indexKey(role: PolicyRole, sampleKey: string): string {
  return `${role}|${sampleKey}`;
}

/**
 * The policies' recorded samples by role and logical sample key, so a replay can re-execute
 * everything after sampling (scoring, filtering, datasets, GRPO updates) without running the models.
 * Keys follow the loop: a proposal or code sample is keyed by its sampleKey, the i-th Solver answer
 * of an item by `<item key>/<i>`.
 */
export function recordedGenerations(
  recorded: readonly RecordedEvent[],
): ReadonlyMap<string, GenerationMessage> {
  const index = new Map<string, GenerationMessage>();
  for (const { event } of recorded) {
    switch (event.type) {
      case "ProposalSampled":
      case "CodeSampled": {
        const { text, tokens, logProbs, sampleKey } = event.payload;
        index.set(indexKey(event.type === "ProposalSampled" ? "proposer" : "coder", sampleKey), {
          text,
          tokens,
          logProbs,
        });
        break;
      }
      case "AnswersSampled":
        event.payload.samples.forEach((sample, position) => {
          const { text, tokens, logProbs } = sample;
          index.set(indexKey("solver", `${event.payload.sampleKey}/${position}`), { text, tokens, logProbs });
        });
        break;
      default:
        break;
    }
  }
  return index;
}

/** The logical sample key of a request: the loop keys draws by [role, version, sampleKey]. */
function sampleKeyOf(request: GenerationRequestMessage): string {
  return String(request.key.at(-1));
}

/**
 * Services for a verifying replay: sampled generations come from the log (unless `resample`), while
 * rendering, greedy evaluation and GRPO updates run for real and are compared through the events.
 */
export function replayServices(
  real: LoopServices,
  recorded: readonly RecordedEvent[],
  resample: boolean,
): LoopServices {
  if (resample) return real;
  const index = recordedGenerations(recorded);
  return {
    render: (outputs, size) => real.render(outputs, size),
    update: (request) => real.update(request),
    async generate(role, policy, requests) {
      if (requests.every((request) => request.greedy)) return real.generate(role, policy, requests);
      return requests.map((request) => {
        const generation = index.get(indexKey(role, sampleKeyOf(request)));
        if (generation === undefined) throw new MissingRecordedSampleError(role, sampleKeyOf(request));
        return generation;
      });
    },
  };
}
