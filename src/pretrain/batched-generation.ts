import { type Generation, type GenerationRequest, generate, type VisionLanguageModel } from "../gpu/index.ts";

/** Why: the loop's model service decodes at most 64 rows at once (throughput flattens beyond). */
export const generationRowsMax = 64;

export interface BatchedGenerationOptions {
  readonly seed: string;
  readonly maxNewTokens: number;
  readonly temperature: number;
  readonly greedy: boolean;
  /** Rows generated so far, after every batch. */
  readonly onRows?: (rows: number) => void;
}

/**
 * Generates for any number of requests, `generationRowsMax` rows at a time, results in request order.
 * Each row's draws depend only on its own key (src/gpu/sampling.ts), so the batching never changes them.
 */
export async function generateInBatches(
  model: VisionLanguageModel,
  requests: readonly GenerationRequest[],
  options: BatchedGenerationOptions,
): Promise<Generation[]> {
  const results: Generation[] = [];
  for (let start = 0; start < requests.length; start += generationRowsMax) {
    const batch = requests.slice(start, start + generationRowsMax);
    results.push(
      ...(await generate(model, batch, {
        seed: options.seed,
        maxNewTokens: options.maxNewTokens,
        temperature: options.temperature,
        greedy: options.greedy,
      })),
    );
    options.onRows?.(results.length);
  }
  return results;
}
