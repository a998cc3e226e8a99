import type { SolverItem } from "../pretrain/index.ts";
import type { ReportState } from "../report/index.ts";
import type { RecordedEvent } from "../store/index.ts";

/**
 * ANALYSIS ONLY. The Solver dataset items of a run whose pseudo-label the oracle could check, each
 * with the exact pixels the loop's Solver saw (the render's RGBA blob) and the true answer, so the
 * voting Solver's own greedy answer on the same items can be compared with its majority label.
 */

export interface DatasetProbe {
  readonly iteration: number;
  readonly imageId: string;
  /** Blob of the image's straight RGBA pixels (ImageRendered.pixelHash). */
  readonly pixelHash: string;
  readonly question: string;
  /** "easy" for an easy item replayed beside the hard ones (`filters.easyReplayRatio`). */
  readonly level: "easy" | "hard";
  readonly pseudoLabel: string;
  /** The oracle's answer. */
  readonly truth: string;
}

/** A probe as an evaluation item: answered on its recorded pixels (no SVG), scored by the oracle's answer. */
export function probeItem(probe: DatasetProbe): SolverItem {
  return {
    id: probe.imageId,
    svg: "",
    question: probe.question,
    answer: probe.truth,
    content_type: "solver-dataset",
    level: probe.level,
  };
}

interface Kept {
  readonly iteration: number;
  readonly imageId: string;
  readonly question: string;
  readonly level: "easy" | "hard";
  readonly pseudoLabel: string;
}

/** Watches a run's events for the Solver datasets and their images; `probes` joins them with the report's verdicts. */
export function datasetCollector() {
  const pixelHashes = new Map<string, string>();
  const kept: Kept[] = [];
  return {
    observe(recorded: RecordedEvent): void {
      const { event } = recorded;
      if (event.type === "ImageRendered") pixelHashes.set(event.id, event.payload.pixelHash);
      if (event.type === "DatasetBuilt" && event.payload.phase === "solver")
        for (const item of event.payload.items)
          kept.push({
            iteration: event.payload.iteration,
            imageId: item.imageId,
            question: item.question,
            level: item.level ?? "hard",
            pseudoLabel: item.pseudoLabel,
          });
    },
    probes(state: ReportState): DatasetProbe[] {
      const verdicts = new Map(
        state.datasets.flatMap((record) =>
          record.items.map((entry) => [entry.imageId, entry.verdict] as const),
        ),
      );
      return kept.flatMap((item) => {
        const verdict = verdicts.get(item.imageId);
        const pixelHash = pixelHashes.get(item.imageId);
        if (
          verdict === null ||
          verdict === undefined ||
          verdict.verdict === "unknown" ||
          pixelHash === undefined
        )
          return [];
        return [{ ...item, pixelHash, truth: verdict.truth }];
      });
    },
  };
}

/** The events of `events`, each shown to `observe` on the way through. */
export async function* tapEvents(
  events: AsyncIterable<RecordedEvent>,
  observe: (recorded: RecordedEvent) => void,
): AsyncGenerator<RecordedEvent> {
  for await (const recorded of events) {
    observe(recorded);
    yield recorded;
  }
}
