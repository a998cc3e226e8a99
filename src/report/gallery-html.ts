import { policyRoles } from "../events/index.ts";
import { type GalleryOutcome, type GallerySample, galleryOutcomes, type Judgement } from "./gallery.ts";
import { escapeHtml, formatNumber } from "./html.ts";
import type { AnswerVerdict } from "./oracle-checks.ts";

/**
 * The gallery as HTML cards with filters. Captions, questions, answers, code and failure messages
 * are model outputs: every one goes through escapeHtml.
 */

const outcomeNames: Readonly<Record<GalleryOutcome, string>> = {
  rendered: "rendered",
  "render-failed": "render failed",
  "invalid-proposal": "invalid proposal",
  pending: "render pending",
};

/** Why: a 32x32 image is unreadable at its size; 3x with pixelated scaling keeps its pixels crisp. */
export const galleryImageSidePx = 96;

function votesHtml(judgement: Judgement | null): string {
  if (judgement === null) return "";
  const votes = judgement.answers.map((answer) => escapeHtml(answer)).join(", ");
  const label = judgement.label === "" ? "none" : escapeHtml(judgement.label);
  return `<dt>votes</dt><dd class="votes">${votes} → <b>${label}</b> (c ${formatNumber(judgement.consistency)})</dd>`;
}

function verdictHtml(verdict: AnswerVerdict | null): string {
  if (verdict === null) return "";
  if (verdict.verdict === "unknown")
    return ` <span class="verdict-unknown" title="${escapeHtml(verdict.reason)}">(oracle: ?)</span>`;
  const mark = verdict.verdict === "correct" ? "✓" : `✗ true: ${escapeHtml(verdict.truth)}`;
  return ` <span class="verdict-${verdict.verdict}">(oracle ${mark})</span>`;
}

function thumbHtml(sample: GallerySample, imageUrl: string | undefined): string {
  if (sample.image !== null && imageUrl !== undefined) {
    const alt = `render of ${sample.sampleKey}`;
    return `<div class="thumb"><img src="${escapeHtml(imageUrl)}" width="${galleryImageSidePx}" height="${galleryImageSidePx}" alt="${escapeHtml(alt)}" title="${sample.image.width}x${sample.image.height} px"></div>`;
  }
  if (sample.outcome === "render-failed" && sample.failure !== null)
    return `<div class="thumb failed"><span>render failed<br><b>${escapeHtml(sample.failure.kind)}</b></span></div>`;
  if (sample.outcome === "invalid-proposal")
    return `<div class="thumb invalid"><span>proposal does not parse</span></div>`;
  return `<div class="thumb invalid"><span>${escapeHtml(outcomeNames[sample.outcome])}</span></div>`;
}

function questionsHtml(sample: GallerySample): string {
  const proposal = sample.proposal;
  if (proposal === null) return "";
  return `<dl>
<dt>type</dt><dd>${escapeHtml(proposal.contentType)}</dd>
<dt>easy Q</dt><dd>${escapeHtml(proposal.easyQuestion)}</dd>
<dt>answer</dt><dd>${escapeHtml(proposal.easyAnswer)}${verdictHtml(sample.proposerAnswers.easy)}</dd>
${votesHtml(sample.votes.easy)}
<dt>hard Q</dt><dd>${escapeHtml(proposal.hardQuestion)}</dd>
<dt>answer</dt><dd>${escapeHtml(proposal.hardAnswer)}${verdictHtml(sample.proposerAnswers.hard)}</dd>
${votesHtml(sample.votes.hard)}
</dl>`;
}

function notesHtml(sample: GallerySample): string {
  const rewards = [
    sample.rewards.proposer === null ? "" : `Proposer reward ${formatNumber(sample.rewards.proposer, 3)}`,
    sample.rewards.coder === null ? "" : `Coder reward ${formatNumber(sample.rewards.coder, 3)}`,
  ].filter((text) => text !== "");
  const lines: string[] = [];
  if (rewards.length > 0) lines.push(`<div class="rewards">${rewards.join(" · ")}</div>`);
  if (sample.keptAsCoderPrompt) lines.push(`<div class="rewards">kept as a Coder prompt</div>`);
  if (sample.datasetItem !== null) {
    const item = sample.datasetItem;
    lines.push(
      `<div class="rewards">Solver dataset item, pseudo-label <b>${escapeHtml(item.pseudoLabel)}</b>${verdictHtml(item.verdict)}</div>`,
    );
  }
  if (sample.depiction !== null) {
    const depiction =
      sample.depiction.verdict === "depicts"
        ? "draws its caption exactly"
        : sample.depiction.verdict === "differs"
          ? `differs from its caption: ${escapeHtml(sample.depiction.reason)}`
          : "caption not checkable";
    lines.push(`<div class="oracle-line">oracle: ${depiction}</div>`);
  }
  if (sample.failure !== null)
    lines.push(`<div class="verdict-wrong">${escapeHtml(sample.failure.message)}</div>`);
  return lines.join("\n");
}

function cardHtml(sample: GallerySample, imageUrls: ReadonlyMap<string, string>): string {
  const imageUrl = sample.image === null ? undefined : imageUrls.get(sample.image.png);
  const where = `i${sample.iteration} · ${sample.phase} · ${sample.stage === "step" ? `step ${sample.step + 1}` : "dataset"} · ${sample.purpose}`;
  const caption = sample.proposal?.caption ?? "";
  const raw = sample.proposalText === null ? "" : `<pre>${escapeHtml(sample.proposalText)}</pre>`;
  const code =
    sample.code === null
      ? ""
      : `<details><summary>Coder output</summary><pre>${escapeHtml(sample.code)}</pre></details>`;
  return `<article class="card" data-gallery-card data-iteration="${sample.iteration}" data-phase="${escapeHtml(sample.phase)}" data-outcome="${escapeHtml(sample.outcome)}">
<div class="head">${thumbHtml(sample, imageUrl)}<div>
<div class="outcome ${escapeHtml(sample.outcome)}">${escapeHtml(outcomeNames[sample.outcome])}</div>
<div class="where">${escapeHtml(where)}</div>
<div class="where"><code>${escapeHtml(sample.sampleKey)}</code></div>
<div class="where">topic: ${escapeHtml(sample.topic)}</div></div></div>
${caption === "" ? "" : `<p class="caption">${escapeHtml(caption)}</p>`}${raw}
${questionsHtml(sample)}
${notesHtml(sample)}
${code}
</article>`;
}

function selectHtml(
  name: string,
  label: string,
  options: readonly { value: string; text: string }[],
): string {
  const choices = [{ value: "", text: "all" }, ...options]
    .map((option) => `<option value="${escapeHtml(option.value)}">${escapeHtml(option.text)}</option>`)
    .join("");
  return `<label>${label}<select data-gallery-filter="${name}" aria-label="${label}">${choices}</select></label>`;
}

export function galleryHtml(
  samples: readonly GallerySample[],
  candidateCount: number,
  imageUrls: ReadonlyMap<string, string>,
): string {
  if (samples.length === 0) return `<p class="lead">No samples recorded yet.</p>`;
  const iterations = [...new Set(samples.map((sample) => sample.iteration))].sort((a, b) => a - b);
  const phases = policyRoles.filter((role) => samples.some((sample) => sample.phase === role));
  const outcomes = galleryOutcomes.filter((outcome) => samples.some((sample) => sample.outcome === outcome));
  const filters = [
    selectHtml(
      "iteration",
      "iteration",
      iterations.map((iteration) => ({ value: String(iteration), text: String(iteration) })),
    ),
    selectHtml(
      "phase",
      "phase",
      phases.map((phase) => ({ value: phase, text: phase })),
    ),
    selectHtml(
      "outcome",
      "outcome",
      outcomes.map((outcome) => ({ value: outcome, text: outcomeNames[outcome] })),
    ),
  ];
  return `<div class="filters">${filters.join("\n")}<span id="gallery-count">${samples.length} of ${samples.length} shown</span>
<span class="muted">(${samples.length} chosen evenly from ${candidateCount} samples in the run)</span></div>
<div class="gallery">${samples.map((sample) => cardHtml(sample, imageUrls)).join("\n")}</div>`;
}
