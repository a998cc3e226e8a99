/**
 * The public benchmark (bench/data/benchmark.jsonl): 300 items, 75 per content type, of which 25 easy
 * and 50 hard (2-6 step compositions). Scenes come only from the benchmark partition (partition.ts),
 * which the pretraining corpus can never draw, and from their own seed. Regenerate with
 * `node bin/run-ts.js scripts/make-benchmark.ts`; a test checks the committed file equals the output.
 */
import assert from "node:assert/strict";
import { Schema } from "effect";
import { type KeyPart, keyedRandom } from "../rng/index.ts";
import { captionText } from "./caption.ts";
import { answerWord } from "./evaluate.ts";
import { type WorldContentType, worldContentTypes } from "./lexicon.ts";
import { sampleSceneIn } from "./partition.ts";
import { type Level, questionSteps } from "./question.ts";
import {
  type GeneratedQuestion,
  type HardQuestionLimits,
  sampleEasyQuestion,
  sampleHardQuestion,
} from "./question-sampler.ts";
import { questionText } from "./question-text.ts";
import { sceneSvg } from "./svg-writer.ts";

export const benchmarkSeed = "mmzero-world-benchmark-v1";
export const benchmarkEasyPerContentType = 25;
export const benchmarkHardPerContentType = 50;
export const benchmarkHardLimits: HardQuestionLimits = {
  stepsMin: 2,
  stepsMax: 6,
  termsMax: 4,
  wordsMax: 12,
};
/** Why: a repeated (scene, question) pair would count twice; redraws are rare, 16 is plenty. */
export const benchmarkRedrawsMax = 16;

export const BenchmarkItem = Schema.Struct({
  id: Schema.String,
  svg: Schema.String,
  caption: Schema.String,
  question: Schema.String,
  answer: Schema.String,
  content_type: Schema.Literals(worldContentTypes),
  level: Schema.Literals(["easy", "hard"]),
  /** Composition size (question.ts, questionSteps): 1 for easy items. */
  steps: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 12 })),
});
export type BenchmarkItem = typeof BenchmarkItem.Type;

/** A benchmark file line that is not a valid item. */
export class BenchmarkFormatError extends Error {
  override readonly name = "BenchmarkFormatError";
  readonly lineNumber: number;

  constructor(lineNumber: number, options: { cause: unknown }) {
    super(
      `benchmark line ${lineNumber} is not a valid item (${options.cause instanceof Error ? options.cause.message : String(options.cause)}). ` +
        "Regenerate the file with scripts/make-benchmark.ts or fix the line.",
      options,
    );
    this.lineNumber = lineNumber;
  }
}

function benchmarkQuestion(
  seed: KeyPart,
  contentType: WorldContentType,
  index: number,
  level: Level,
  redraw: number,
) {
  const random = keyedRandom(seed, "world-benchmark", contentType, index, redraw);
  const scene = sampleSceneIn(random.fork("scene"), contentType, "benchmark");
  const generated: GeneratedQuestion =
    level === "easy"
      ? sampleEasyQuestion(random.fork("question"), scene)
      : sampleHardQuestion(random.fork("question"), scene, benchmarkHardLimits);
  return { scene, generated };
}

function contentTypeItems(seed: KeyPart, contentType: WorldContentType, seen: Set<string>): BenchmarkItem[] {
  const items: BenchmarkItem[] = [];
  const total = benchmarkEasyPerContentType + benchmarkHardPerContentType;
  for (let index = 0; index < total; index++) {
    const level: Level = index < benchmarkEasyPerContentType ? "easy" : "hard";
    for (let redraw = 0; redraw < benchmarkRedrawsMax; redraw++) {
      const { scene, generated } = benchmarkQuestion(seed, contentType, index, level, redraw);
      const caption = captionText(scene).trim();
      const question = questionText(generated.question).trim();
      if (seen.has(`${caption}|${question}`)) continue;
      seen.add(`${caption}|${question}`);
      items.push({
        id: `${contentType}-${String(index).padStart(3, "0")}`,
        svg: sceneSvg(scene),
        caption,
        question,
        answer: answerWord(generated.evaluation.answer),
        content_type: contentType,
        level,
        steps: questionSteps(generated.question),
      });
      break;
    }
  }
  assert.equal(
    items.length,
    total,
    `${contentType}: ${benchmarkRedrawsMax} redraws left an item without a new pair`,
  );
  return items;
}

/** The benchmark items, in content-type order, easy items first within each type. */
export function generateBenchmark(seed: KeyPart = benchmarkSeed): BenchmarkItem[] {
  const seen = new Set<string>();
  return worldContentTypes.flatMap((contentType) => contentTypeItems(seed, contentType, seen));
}

/** One JSON object per line, fields in schema order, newline at the end. */
export function benchmarkJsonl(items: readonly BenchmarkItem[]): string {
  return items.map((item) => `${JSON.stringify(Schema.decodeUnknownSync(BenchmarkItem)(item))}\n`).join("");
}

const decodeItem = Schema.decodeUnknownSync(BenchmarkItem);

/** Decodes a benchmark JSONL text (blank lines ignored); throws {@link BenchmarkFormatError}. */
export function parseBenchmarkJsonl(text: string): BenchmarkItem[] {
  const items: BenchmarkItem[] = [];
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim().length === 0) continue;
    try {
      items.push(decodeItem(JSON.parse(line)));
    } catch (cause) {
      throw new BenchmarkFormatError(index + 1, { cause });
    }
  }
  return items;
}
