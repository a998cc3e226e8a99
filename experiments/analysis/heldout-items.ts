// Held-out Solver items for the E39 analyses: corpus examples under a seed no pretraining uses, drawn
// from the distribution every step-wise base was pretrained on, so a form has tens of items instead of
// the public file's handful.
import { pretrainPresets, type SolverItem } from "../../src/pretrain/index.ts";
import { corpusExample } from "../../src/world/index.ts";

export const heldOutSeed = "heldout-e39";

export type HeldOutItem = SolverItem & { readonly steps: number };

/** The Solver examples among corpus indices [0, count) under the held-out seed. */
export function heldOutSolverItems(count: number): HeldOutItem[] {
  const corpus = pretrainPresets["stepwise-48-medium"].corpus;
  const items: HeldOutItem[] = [];
  for (let index = 0; index < count; index++) {
    const example = corpusExample(heldOutSeed, "solver", index, corpus);
    if (example.role !== "solver") continue;
    items.push({
      id: `${heldOutSeed}/${index}`,
      svg: example.svg,
      question: example.question,
      answer: example.answer,
      content_type: example.contentType,
      level: example.level,
      steps: example.steps,
    });
  }
  return items;
}
