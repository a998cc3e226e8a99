/**
 * Proposer output parsing and content types, as the release does it: tags are lower case, whitespace
 * around `<`, `>` and `/` is removed first, the first occurrence of a repeated tag wins, and the format
 * is valid iff caption, both questions and both answers are present (an empty field counts as present).
 */
import { collapseTagWhitespace, stripWhitespace } from "./text.ts";

export const contentTypes = [
  "data_chart",
  "diagram",
  "geometry",
  "timeline",
  "map",
  "table",
  "other",
] as const;
export type ContentType = (typeof contentTypes)[number];

/** A parsed proposal. `contentType` is the declared type, normalised ("other" when missing or invalid). */
export interface Proposal {
  readonly contentType: ContentType;
  readonly caption: string;
  readonly easyQuestion: string;
  readonly easyAnswer: string;
  readonly hardQuestion: string;
  readonly hardAnswer: string;
}

export const requiredProposalFields = [
  "caption",
  "easy_question",
  "easy_answer",
  "hard_question",
  "hard_answer",
] as const;
export type RequiredProposalField = (typeof requiredProposalFields)[number];

export type ProposalParse =
  | { readonly ok: true; readonly proposal: Proposal }
  | { readonly ok: false; readonly missingFields: readonly RequiredProposalField[] };

/** The stripped content of the first `<tag>...</tag>` in already tag-normalised text. */
function firstTagContent(text: string, tag: string): string | undefined {
  const opening = `<${tag}>`;
  const start = text.indexOf(opening);
  if (start < 0) return undefined;
  const contentStart = start + opening.length;
  const end = text.indexOf(`</${tag}>`, contentStart);
  return end < 0 ? undefined : stripWhitespace(text.slice(contentStart, end));
}

/** Parses a raw Proposer output (`re.search(r"<tag>([\s\S]*?)</tag>")` per field after normalisation). */
export function parseProposal(output: string): ProposalParse {
  const text = collapseTagWhitespace(output);
  const [caption, easyQuestion, easyAnswer, hardQuestion, hardAnswer] = requiredProposalFields.map((field) =>
    firstTagContent(text, field),
  );
  if (
    caption === undefined ||
    easyQuestion === undefined ||
    easyAnswer === undefined ||
    hardQuestion === undefined ||
    hardAnswer === undefined
  ) {
    const contents = [caption, easyQuestion, easyAnswer, hardQuestion, hardAnswer];
    return {
      ok: false,
      missingFields: requiredProposalFields.filter((_, index) => contents[index] === undefined),
    };
  }
  const contentType = normaliseContentType(firstTagContent(text, "content_type") ?? "");
  return { ok: true, proposal: { contentType, caption, easyQuestion, easyAnswer, hardQuestion, hardAnswer } };
}

const contentTypeSet: ReadonlySet<string> = new Set(contentTypes);
function isContentType(value: string): value is ContentType {
  return contentTypeSet.has(value);
}

/** `Data Chart` and `DATACHART` become `data_chart`; anything not in {@link contentTypes} becomes "other". */
export function normaliseContentType(raw: string): ContentType {
  const lowered = stripWhitespace(raw).toLowerCase().replaceAll(" ", "_");
  if (isContentType(lowered)) return lowered;
  return lowered === "datachart" ? "data_chart" : "other";
}

/** Keyword lists in the release's order; the first list with a keyword in the caption wins. */
export const contentTypeKeywords: readonly (readonly [ContentType, readonly string[]])[] = [
  [
    "diagram",
    [
      "flowchart",
      "flow chart",
      "network diagram",
      "org chart",
      "state diagram",
      "circuit diagram",
      "block diagram",
    ],
  ],
  [
    "data_chart",
    [
      "bar chart",
      "line chart",
      "pie chart",
      "scatter",
      "histogram",
      "area chart",
      "stacked",
      "heatmap",
      "treemap",
      "radar chart",
      "bubble chart",
    ],
  ],
  [
    "geometry",
    [
      "angle",
      "triangle",
      "circle",
      "radius",
      "coordinate",
      "geometry",
      "perpendicular",
      "chord",
      "polygon",
      "rectangle",
    ],
  ],
  ["timeline", ["timeline", "schedule", "gantt"]],
  ["map", ["map", "region", "geographic", "country"]],
  ["table", ["table", "grid", "comparison table"]],
];

/** The keyword fallback classifier: substring match on the lower-cased caption, "other" when none hits. */
export function classifyCaption(caption: string): ContentType {
  const lowered = caption.toLowerCase();
  for (const [contentType, keywords] of contentTypeKeywords) {
    if (keywords.some((keyword) => lowered.includes(keyword))) return contentType;
  }
  return "other";
}

/** The type used for the content-type spread: the declared one, or the caption's when that is "other". */
export function resolveContentType(proposal: Proposal): ContentType {
  return proposal.contentType === "other" ? classifyCaption(proposal.caption) : proposal.contentType;
}
