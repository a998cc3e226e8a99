import type { payloads } from "../events/index.ts";
import type { Stage, UnitKey } from "./unit-metrics.ts";

/**
 * Where the report places a sample: its unit (a GRPO step, or the dataset building before step 0)
 * and its order in the log. The samples themselves and their joins are the decision core's sample
 * graph (src/decisions); this is only the report's view of a sample's unit.
 */

export interface SamplePosition extends UnitKey {
  readonly seq: number;
  readonly purpose: payloads.SamplePurpose;
  readonly sampleKey: string;
}

const stepSegmentPattern = /^s\d+$/;

/**
 * Whether a sample belongs to a GRPO step or to dataset building, from its logical key: the loop
 * keys step samples `i<iteration>/<phase>/s<step>/...` and dataset samples
 * `i<iteration>/<phase>/candidates|dataset/...` (src/actors/loop).
 */
export function stageOfSampleKey(sampleKey: string): Stage {
  return stepSegmentPattern.test(sampleKey.split("/")[2] ?? "") ? "step" : "dataset";
}

/** Where a sample event sits: its unit (dataset samples share step 0) and its order in the log. */
export function samplePosition(event: {
  readonly seq: number;
  readonly payload: {
    readonly iteration: number;
    readonly phase: UnitKey["phase"];
    readonly step: number;
    readonly purpose: payloads.SamplePurpose;
    readonly sampleKey: string;
  };
}): SamplePosition {
  const { payload } = event;
  const stage = stageOfSampleKey(payload.sampleKey);
  return {
    seq: event.seq,
    iteration: payload.iteration,
    phase: payload.phase,
    stage,
    step: stage === "dataset" ? 0 : payload.step,
    purpose: payload.purpose,
    sampleKey: payload.sampleKey,
  };
}
