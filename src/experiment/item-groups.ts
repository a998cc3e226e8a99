/**
 * The breakdowns an experiment reports (pure): all items, then the items of each level, content
 * type and step count. Each breakdown partitions the items, so its group sizes sum to the total.
 */

/** What an item is grouped by (from the benchmark file). */
export interface ItemFacets {
  readonly id: string;
  readonly level: string;
  readonly contentType: string;
  /** Composition size: 1 for easy items, 2..6 for the public hard items. */
  readonly steps: number;
}

/** Item indices by group name, groups sorted by name (steps numerically). */
export type Groups = Readonly<Record<string, readonly number[]>>;

export interface ItemGroups {
  readonly overall: readonly number[];
  readonly byLevel: Groups;
  readonly byContentType: Groups;
  readonly bySteps: Groups;
}

function groupBy(items: readonly ItemFacets[], key: (item: ItemFacets) => string, numeric = false): Groups {
  const groups = new Map<string, number[]>();
  items.forEach((item, index) => {
    const name = key(item);
    const members = groups.get(name) ?? [];
    members.push(index);
    groups.set(name, members);
  });
  const names = [...groups.keys()].sort((left, right) =>
    numeric ? Number(left) - Number(right) : left < right ? -1 : left > right ? 1 : 0,
  );
  return Object.fromEntries(names.map((name) => [name, groups.get(name)!]));
}

export function itemGroups(items: readonly ItemFacets[]): ItemGroups {
  return {
    overall: items.map((_, index) => index),
    byLevel: groupBy(items, (item) => item.level),
    byContentType: groupBy(items, (item) => item.contentType),
    bySteps: groupBy(items, (item) => String(item.steps), true),
  };
}

/** A value per group of every breakdown, in the breakdowns' shape. */
export interface Breakdown<Value> {
  readonly overall: Value;
  readonly byLevel: Readonly<Record<string, Value>>;
  readonly byContentType: Readonly<Record<string, Value>>;
  readonly bySteps: Readonly<Record<string, Value>>;
}

export function mapGroups<Value>(
  groups: ItemGroups,
  measure: (indices: readonly number[]) => Value,
): Breakdown<Value> {
  const each = (named: Groups) =>
    Object.fromEntries(Object.entries(named).map(([name, indices]) => [name, measure(indices)]));
  return {
    overall: measure(groups.overall),
    byLevel: each(groups.byLevel),
    byContentType: each(groups.byContentType),
    bySteps: each(groups.bySteps),
  };
}

/** A breakdown's groups as named rows: overall, the levels, the content types, then "steps n". */
export function breakdownRows<Value>(breakdown: Breakdown<Value>): [string, Value][] {
  return [
    ["overall", breakdown.overall],
    ...Object.entries(breakdown.byLevel),
    ...Object.entries(breakdown.byContentType),
    ...Object.entries(breakdown.bySteps).map(([steps, value]): [string, Value] => [`steps ${steps}`, value]),
  ];
}
