/**
 * mmzero experiment: several seeds of a configuration run (or resumed) to completion, every
 * iteration's Solver evaluated on the benchmark, and the paired analysis as text and a page.
 */
export { runExperiment } from "./experiment.ts";
export { deltaText, formatExperimentText } from "./format-text.ts";
export { experimentPageHtml } from "./page.ts";
export { parseSeeds, planExperiment } from "./plan.ts";
