import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { sha256Hex } from "../events/index.ts";
import { createRenderPool } from "../render/index.ts";
import { type BenchmarkItem, parseBenchmarkJsonl } from "../world/index.ts";
import {
  type EvaluationSummary,
  evaluateSolver,
  type ItemResult,
  releaseHardConsistencyBand,
  rowsOf,
  summariseEvaluation,
} from "./benchmark-evaluation.ts";
import { type CoderNumbers, coderNumbers, type ProposerNumbers, proposerNumbers } from "./role-numbers.ts";
import { loadSolver } from "./solver-source.ts";
import { analyseVoteDraws, type VoteDrawsAnalysis } from "./vote-draws.ts";

/** Everything `mmzero eval` reports (its --json output). */
export interface EvaluationReport {
  readonly solver: { readonly source: string; readonly weightHash: string };
  readonly benchmark: { readonly path: string; readonly sha256: string; readonly itemsInFile: number };
  readonly seed: string;
  /** Temperature of the sampled answers behind the majority vote. */
  readonly temperature: number;
  readonly summary: EvaluationSummary;
  readonly results: readonly ItemResult[];
  /** With `draws` > 1: the hard-item precondition averaged over that many independent votes (vote-draws.ts). */
  readonly voteDraws: VoteDrawsAnalysis | null;
  /** With `roleSamples` > 0: what the same checkpoint does as Proposer and Coder. */
  readonly roles: {
    readonly samples: number;
    readonly proposer: ProposerNumbers;
    readonly coder: CoderNumbers;
  } | null;
}

export interface EvaluationRequest {
  /** Checkpoint file or run directory (solver-source.ts). */
  readonly solverPath: string;
  readonly benchmarkPath: string;
  readonly seed: string;
  readonly samples: number;
  /** Temperature of the sampled answers (greedy answers are decoded greedily whatever it is). */
  readonly temperature: number;
  /**
   * Independent votes of `samples` answers per item (default 1). The first is the one `results` and
   * `summary` report; with more, `voteDraws` averages the precondition over all of them.
   */
  readonly draws?: number;
  /** Evaluate this many items, evenly spaced through the file (0: all). */
  readonly limit: number;
  /** Proposer and Coder samples for the role numbers (0: skip them). */
  readonly roleSamples: number;
  /** Rows generated so far out of `total`. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** `limit` items evenly spaced through the file, so a slice keeps its mix of content types and levels. */
export function evenlySpaced<Item>(items: readonly Item[], limit: number): readonly Item[] {
  assert(Number.isInteger(limit) && limit >= 0, `limit ${limit} must be a whole number`);
  if (limit === 0 || limit >= items.length) return items;
  return Array.from({ length: limit }, (_, index) => items[Math.floor((index * items.length) / limit)]!);
}

export async function evaluateCheckpoint(request: EvaluationRequest): Promise<EvaluationReport> {
  const text = await readFile(resolve(request.benchmarkPath), "utf8");
  const all: readonly BenchmarkItem[] = parseBenchmarkJsonl(text);
  const items = evenlySpaced(all, request.limit);
  const draws = request.draws ?? 1;
  if (!Number.isInteger(draws) || draws < 1)
    throw new RangeError(`draws ${draws} must be a whole number >= 1`);
  if (draws > 1 && request.samples === 0)
    throw new RangeError(`draws ${draws} need sampled answers: samples is 0`);
  const solver = await loadSolver(request.solverPath);
  const drawRows = rowsOf(items.length, request.samples);
  const solverRows = draws * drawRows;
  const total = solverRows + 2 * request.roleSamples;
  try {
    // Why one evaluateSolver call per draw: draw 0 is then exactly the single-vote report. Each call
    // decodes the same greedy answers again, 1/(k+1) of its rows.
    const drawn: ItemResult[][] = [];
    for (let draw = 0; draw < draws; draw += 1)
      drawn.push(
        await evaluateSolver(solver.model, items, {
          seed: request.seed,
          samples: request.samples,
          temperature: request.temperature,
          firstSample: draw * request.samples,
          onRows: (done) => request.onProgress?.(draw * drawRows + done, total),
        }),
      );
    const results = drawn[0]!;
    let roles: EvaluationReport["roles"] = null;
    if (request.roleSamples > 0) {
      const proposer = await proposerNumbers(solver.model, {
        seed: request.seed,
        samples: request.roleSamples,
        onRows: (done) => request.onProgress?.(solverRows + done, total),
      });
      await using pool = createRenderPool({ workerCount: 1 });
      const coder = await coderNumbers(solver.model, pool, {
        seed: request.seed,
        samples: request.roleSamples,
        onRows: (done) => request.onProgress?.(solverRows + request.roleSamples + done, total),
      });
      roles = { samples: request.roleSamples, proposer, coder };
    }
    return {
      solver: { source: solver.source, weightHash: solver.weightHash },
      benchmark: { path: resolve(request.benchmarkPath), sha256: sha256Hex(text), itemsInFile: all.length },
      seed: request.seed,
      temperature: request.temperature,
      summary: summariseEvaluation(results, request.samples),
      results,
      voteDraws: draws > 1 ? analyseVoteDraws(drawn, releaseHardConsistencyBand) : null,
      roles,
    };
  } finally {
    solver.model.dispose();
  }
}
