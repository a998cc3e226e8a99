import { escapeHtml, hashHtml, tableHtml } from "./html.ts";
import type { RunInfo } from "./run-info.ts";

/** The run's identity as HTML: configuration, seed, backend, hashes of the log and of every policy. */

function pairsHtml(pairs: readonly (readonly [string, string])[]): string {
  const rows = pairs.map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td>${value}</td></tr>`);
  return `<table class="pairs"><tbody>${rows.join("")}</tbody></table>`;
}

/** The base policy recorded in the resolved config (RunStarted.config.base), when present. */
function baseOf(
  config: Readonly<Record<string, unknown>> | undefined,
): { checkpoint: string; weightHash: string } | null {
  const base = config?.base;
  if (typeof base !== "object" || base === null) return null;
  const checkpoint = "checkpoint" in base && typeof base.checkpoint === "string" ? base.checkpoint : null;
  const weightHash = "weightHash" in base && typeof base.weightHash === "string" ? base.weightHash : null;
  return checkpoint === null || weightHash === null ? null : { checkpoint, weightHash };
}

function identityHtml(run: RunInfo): string {
  const started = run.started;
  const backend = started?.backend;
  const base = baseOf(started?.config);
  return pairsHtml([
    ["run id", escapeHtml(run.runId ?? "–")],
    ["status", escapeHtml(run.status)],
    ["engine version", escapeHtml(started?.engineVersion ?? "–")],
    ["seed", started === null ? "–" : `<code>${escapeHtml(started.seed)}</code>`],
    ["random generator", escapeHtml(started?.rngAlgorithm ?? "–")],
    [
      "backend",
      backend === undefined
        ? "–"
        : escapeHtml(
            `${backend.name} (${backend.version}), ${backend.threads} thread(s), SIMD ${backend.simd ? "on" : "off"}`,
          ),
    ],
    ["base checkpoint", hashHtml(base?.checkpoint, 64)],
    ["base weights", hashHtml(base?.weightHash, 64)],
    ["events", String(run.eventCount)],
    ["log chain head", `<code>${escapeHtml(run.chainHead)}</code>`],
    ["first event at", escapeHtml(run.firstAt ?? "–")],
    ["last event at", escapeHtml(run.lastAt ?? "–")],
  ]);
}

function phasesHtml(run: RunInfo): string {
  if (run.phases.length === 0) return "";
  const rows = run.phases.map((phase) => [
    String(phase.iteration),
    escapeHtml(phase.phase),
    `${phase.stepsCompleted}/${phase.steps}`,
    String(phase.stepsWithoutUpdate),
    hashHtml(phase.policiesAtStart[phase.phase]),
    hashHtml(phase.weightHashAtEnd),
  ]);
  return `<h3>Phases</h3>${tableHtml(["iteration", "phase", "steps done", "steps without update", "weights at start", "weights at end"], rows)}`;
}

function updatesHtml(run: RunInfo): string {
  if (run.updates.length === 0) return "";
  const rows = run.updates.map((update) => [
    String(update.iteration),
    escapeHtml(update.role),
    String(update.step),
    hashHtml(update.fromWeightHash),
    hashHtml(update.weightHash),
    hashHtml(update.checkpoint),
  ]);
  return `<details><summary>${run.updates.length} policy updates (weight and checkpoint hashes)</summary>
${tableHtml(["iteration", "role", "step", "from weights", "to weights", "checkpoint blob"], rows)}</details>`;
}

function finalPoliciesHtml(run: RunInfo): string {
  const policies = run.finalPolicies;
  if (policies === null) return "";
  return `<h3>Final policies</h3>${pairsHtml([
    ["proposer", hashHtml(policies.proposer, 64)],
    ["coder", hashHtml(policies.coder, 64)],
    ["solver", hashHtml(policies.solver, 64)],
  ])}`;
}

function eventCountsHtml(run: RunInfo): string {
  const names = Object.keys(run.eventCounts).sort();
  const rows = names.map((name) => [escapeHtml(name), String(run.eventCounts[name])]);
  return `<details><summary>Events by type</summary>${tableHtml(["type", "count"], rows)}</details>`;
}

export function metadataHtml(run: RunInfo): string {
  const config = run.started === null ? "" : JSON.stringify(run.started.config, null, 2);
  return `${identityHtml(run)}
${phasesHtml(run)}
${updatesHtml(run)}
${finalPoliciesHtml(run)}
${eventCountsHtml(run)}
${config === "" ? "" : `<details><summary>Resolved configuration (RunStarted)</summary><pre>${escapeHtml(config)}</pre></details>`}`;
}
