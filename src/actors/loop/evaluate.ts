import { answersEquivalent, extractFinalAnswer } from "../../rewards/index.ts";
import type { EvaluationItem, LoopRun } from "./context.ts";

interface Tally {
  correct: number;
  total: number;
}

function tallyInto(tallies: Record<string, Tally>, key: string, correct: boolean): void {
  const tally = tallies[key] ?? { correct: 0, total: 0 };
  tally.total += 1;
  if (correct) tally.correct += 1;
  tallies[key] = tally;
}

/**
 * The benchmark items evaluated during a run: `sliceSize` items evenly spaced through the file
 * (0 = all), so a slice keeps the file's mix of content types and levels.
 */
export function benchmarkSlice(run: LoopRun): readonly EvaluationItem[] {
  const items = run.benchmark.items;
  const size = run.config.benchmark.sliceSize;
  if (size === 0 || size >= items.length) return items;
  return Array.from({ length: size }, (_, index) => items[Math.floor((index * items.length) / size)]!);
}

/**
 * Greedy Solver accuracy on the public benchmark slice, overall and per level and content type.
 * Ground truth comes from the benchmark file (held out from pretraining), never from the loop.
 */
export async function evaluateBenchmark(run: LoopRun, iteration: number): Promise<void> {
  const items = benchmarkSlice(run);
  const renders = await run.services.render(
    items.map((item) => item.svg),
    run.config.render.imageSize,
  );
  const solvable = items.flatMap((item, index) => {
    const render = renders[index]!;
    if (render.kind !== "ok") throw new Error(`benchmark item ${item.id} does not render: ${render.message}`);
    return [{ item, pixelHash: render.pixelHash }];
  });
  const policy = run.policies.current.solver;
  const generations = await run.services.generate(
    "solver",
    run.policies.checkpoints.solver,
    solvable.map(({ item, pixelHash }) => ({
      seed: run.config.seed,
      key: ["benchmark", item.id],
      prompt: run.formats.solverPrompt(item.question),
      image: pixelHash,
      temperature: 1,
      greedy: true,
    })),
  );
  const overall: Tally = { correct: 0, total: 0 };
  const byLevel: Record<string, Tally> = {};
  const byContentType: Record<string, Tally> = {};
  solvable.forEach(({ item }, index) => {
    const correct = answersEquivalent(extractFinalAnswer(generations[index]!.text), item.answer);
    overall.total += 1;
    if (correct) overall.correct += 1;
    tallyInto(byLevel, item.level, correct);
    tallyInto(byContentType, item.contentType, correct);
  });
  run.progress.metrics(`iteration ${iteration} benchmark`, {
    accuracy: overall.total === 0 ? 0 : overall.correct / overall.total,
    ...Object.fromEntries(
      Object.entries(byLevel).map(([level, tally]) => [level, tally.correct / tally.total]),
    ),
  });
  await run.record([
    {
      type: "BenchmarkEvaluated",
      producer: run.producer("evaluator"),
      logicalKey: `evaluate/${iteration}`,
      payload: {
        iteration,
        weightHash: policy,
        benchmarkHash: run.benchmark.hash,
        overall,
        byLevel,
        byContentType,
      },
    },
  ]);
}
