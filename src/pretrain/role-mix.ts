import assert from "node:assert/strict";
import type { CorpusRole } from "../world/index.ts";
import { corpusRoles } from "../world/index.ts";

/**
 * Which role's batch each optimiser step trains on. A step is one role's batch because the model
 * packs a batch as all image+text (Solver) or all text (Proposer, Coder) rows; the roles interleave in
 * a fixed cycle, so every stretch of a few steps sees every role and the mix is exact per cycle.
 */

/** Steps per cycle given to each role (whole numbers; a cycle is their sum). */
export type RoleMix = Readonly<Record<CorpusRole, number>>;

/** A cycle of roles and, per cycle position, how many earlier positions of the cycle have the same role. */
export interface RoleCycle {
  readonly mix: RoleMix;
  readonly roles: readonly CorpusRole[];
  readonly rankInCycle: readonly number[];
}

/**
 * Smooth weighted round-robin (nginx's): each position goes to the role furthest behind its share,
 * ties to the earlier role in corpusRoles order. The result spreads each role evenly over the cycle.
 */
export function roleCycle(mix: RoleMix): RoleCycle {
  for (const role of corpusRoles) {
    assert(
      Number.isInteger(mix[role]) && mix[role] >= 0,
      `${role} steps per cycle ${mix[role]} must be a whole number`,
    );
  }
  const length = corpusRoles.reduce((sum, role) => sum + mix[role], 0);
  assert(length > 0, "the role mix gives no role any steps");
  const credit = new Map<CorpusRole, number>(corpusRoles.map((role) => [role, 0]));
  const seen = new Map<CorpusRole, number>(corpusRoles.map((role) => [role, 0]));
  const roles: CorpusRole[] = [];
  const rankInCycle: number[] = [];
  for (let position = 0; position < length; position++) {
    let chosen: CorpusRole | undefined;
    for (const role of corpusRoles) {
      credit.set(role, credit.get(role)! + mix[role]);
      if (mix[role] > 0 && (chosen === undefined || credit.get(role)! > credit.get(chosen)!)) chosen = role;
    }
    assert(chosen !== undefined);
    credit.set(chosen, credit.get(chosen)! - length);
    roles.push(chosen);
    rankInCycle.push(seen.get(chosen)!);
    seen.set(chosen, seen.get(chosen)! + 1);
  }
  return { mix, roles, rankInCycle };
}

/** The role of step `step` and its index among that role's batches (0, 1, 2, ... with no gaps). */
export function roleBatchAt(cycle: RoleCycle, step: number): { role: CorpusRole; roleBatch: number } {
  assert(Number.isSafeInteger(step) && step >= 0, `step ${step} must be a whole number`);
  const position = step % cycle.roles.length;
  const role = cycle.roles[position]!;
  const roleBatch = Math.floor(step / cycle.roles.length) * cycle.mix[role] + cycle.rankInCycle[position]!;
  return { role, roleBatch };
}
