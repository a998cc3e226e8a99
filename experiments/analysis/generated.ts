// What read-vote-generate.mts writes and the analyses read: one row per hard benchmark item.
import { readFile } from "node:fs/promises";

export interface GeneratedRow {
  readonly id: string;
  readonly question: string;
  readonly answer: string;
  readonly contentType: string;
  readonly steps: number;
  readonly greedy: string;
  readonly samples: readonly string[];
}

export async function readGenerated(path: string): Promise<GeneratedRow[]> {
  return JSON.parse(await readFile(path, "utf8"));
}
