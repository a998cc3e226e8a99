/**
 * What each role reads and the Proposer writes, as text made of vocabulary tokens:
 *   Proposer reads  `<topic> chart and graph understanding</topic>`
 *   Proposer writes `<content_type> data_chart</content_type><caption> bar chart red 5 ...</caption>
 *                    <easy_question> ...</easy_question><easy_answer> 5</easy_answer><hard_question> ...
 *                    </hard_question><hard_answer> 2</hard_answer>` (one line, no newlines)
 *   Coder reads     the proposal in the same six-field form; writes ```svg\n<svg ...>...</svg>\n```
 *   Solver reads    `<question> value red minus value blue</question>` (plus the image)
 * Field text is re-spaced word by word ({@link spacedTokens}): the release's parser strips the spaces
 * next to tags, and a prompt rebuilt from parsed fields must tokenize the same way as generated text.
 */
import { textWords, type WorldContentType, wordToken } from "./lexicon.ts";

/** The release's eight topic strings (the Proposer's only input). */
export const topics = [
  "chart and graph understanding",
  "statistical and trend analysis",
  "mathematical and quantitative reasoning",
  "spatial and geometric reasoning",
  "logical and abstract reasoning",
  "diagram and structural comprehension",
  "visual text recognition",
  "basic shape and object perception",
] as const;
export type Topic = (typeof topics)[number];

/**
 * Which content types a topic's proposals use in the pretraining corpus (weights sum to 1). There is
 * no text in this world, so "visual text recognition" reads table cells, the nearest thing to reading.
 */
export const topicContentTypeWeights: Readonly<Record<Topic, Readonly<Record<WorldContentType, number>>>> = {
  "chart and graph understanding": { data_chart: 0.6, geometry: 0, table: 0.2, diagram: 0.2 },
  "statistical and trend analysis": { data_chart: 0.6, geometry: 0, table: 0.4, diagram: 0 },
  "mathematical and quantitative reasoning": { data_chart: 0.4, geometry: 0.3, table: 0.3, diagram: 0 },
  "spatial and geometric reasoning": { data_chart: 0, geometry: 0.7, table: 0.3, diagram: 0 },
  "logical and abstract reasoning": { data_chart: 0, geometry: 0.25, table: 0.25, diagram: 0.5 },
  "diagram and structural comprehension": { data_chart: 0, geometry: 0, table: 0.2, diagram: 0.8 },
  "visual text recognition": { data_chart: 0.3, geometry: 0, table: 0.7, diagram: 0 },
  "basic shape and object perception": { data_chart: 0.2, geometry: 0.8, table: 0, diagram: 0 },
};

export const topicOpenToken = "<topic>";
export const topicCloseToken = "</topic>";
export const questionOpenToken = "<question>";
export const questionCloseToken = "</question>";

/** The six fields of a proposal, in output order. */
export const proposalTags = [
  "content_type",
  "caption",
  "easy_question",
  "easy_answer",
  "hard_question",
  "hard_answer",
] as const;
export type ProposalTag = (typeof proposalTags)[number];

export interface ProposalFields {
  readonly contentType: string;
  readonly caption: string;
  readonly easyQuestion: string;
  readonly easyAnswer: string;
  readonly hardQuestion: string;
  readonly hardAnswer: string;
}

/** The words of a text as tokens, each with its leading space (lower-cased, whitespace collapsed). */
export function spacedTokens(text: string): string[] {
  return textWords(text).map(wordToken);
}

export function proposerPromptTokens(topic: Topic): string[] {
  return [topicOpenToken, ...spacedTokens(topic), topicCloseToken];
}

export function proposerPromptText(topic: Topic): string {
  return proposerPromptTokens(topic).join("");
}

function fieldText(fields: ProposalFields, tag: ProposalTag): string {
  switch (tag) {
    case "content_type":
      return fields.contentType;
    case "caption":
      return fields.caption;
    case "easy_question":
      return fields.easyQuestion;
    case "easy_answer":
      return fields.easyAnswer;
    case "hard_question":
      return fields.hardQuestion;
    case "hard_answer":
      return fields.hardAnswer;
  }
}

/** A proposal as tokens: the Proposer's output, and the Coder's prompt. */
export function proposalTokens(fields: ProposalFields): string[] {
  return proposalTags.flatMap((tag) => [`<${tag}>`, ...spacedTokens(fieldText(fields, tag)), `</${tag}>`]);
}

export function proposalText(fields: ProposalFields): string {
  return proposalTokens(fields).join("");
}

/** The Solver's text prompt for a question (its image comes separately). */
export function solverPromptTokens(question: string): string[] {
  return [questionOpenToken, ...spacedTokens(question), questionCloseToken];
}

export function solverPromptText(question: string): string {
  return solverPromptTokens(question).join("");
}

/** Every tag token of the prompts and proposals. */
export function promptTagTokens(): string[] {
  return [
    ...proposalTags.flatMap((tag) => [`<${tag}>`, `</${tag}>`]),
    topicOpenToken,
    topicCloseToken,
    questionOpenToken,
    questionCloseToken,
  ];
}
