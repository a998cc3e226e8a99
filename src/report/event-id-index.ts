import assert from "node:assert/strict";

/**
 * A persistent (immutable) map from event ids to values, so the report's fold can grow indexes of
 * thousands of samples without copying them on every event: adding an entry copies only the path
 * of trie nodes to it (about log16(n) nodes of 16 slots). Event ids are 32 lowercase hex digits of a
 * SHA-256, evenly spread, so the trie stays balanced without rehashing.
 */

const eventIdPattern = /^[0-9a-f]{32}$/;
const fanOut = 16;

interface Leaf<Value> {
  readonly kind: "leaf";
  readonly key: string;
  readonly value: Value;
}

interface Branch<Value> {
  readonly kind: "branch";
  readonly children: readonly (TrieNode<Value> | undefined)[];
}

type TrieNode<Value> = Leaf<Value> | Branch<Value>;

export interface EventIdIndex<Value> {
  readonly size: number;
  readonly root: Branch<Value>;
}

export function emptyEventIdIndex<Value>(): EventIdIndex<Value> {
  return { size: 0, root: { kind: "branch", children: [] } };
}

function digitAt(key: string, depth: number): number {
  return Number.parseInt(key.charAt(depth), 16);
}

function withChild<Value>(branch: Branch<Value>, slot: number, child: TrieNode<Value>): Branch<Value> {
  const children = branch.children.slice();
  while (children.length < fanOut) children.push(undefined);
  children[slot] = child;
  return { kind: "branch", children };
}

/** A branch holding two leaves whose keys agree on the first `depth` digits. */
function split<Value>(first: Leaf<Value>, second: Leaf<Value>, depth: number): Branch<Value> {
  assert(depth < first.key.length, `keys ${first.key} and ${second.key} are equal`);
  const empty: Branch<Value> = { kind: "branch", children: [] };
  const firstSlot = digitAt(first.key, depth);
  const secondSlot = digitAt(second.key, depth);
  if (firstSlot === secondSlot) return withChild(empty, firstSlot, split(first, second, depth + 1));
  return withChild(withChild(empty, firstSlot, first), secondSlot, second);
}

function inserted<Value>(
  branch: Branch<Value>,
  leaf: Leaf<Value>,
  depth: number,
): { node: Branch<Value>; added: boolean } {
  const slot = digitAt(leaf.key, depth);
  const child = branch.children[slot];
  if (child === undefined) return { node: withChild(branch, slot, leaf), added: true };
  if (child.kind === "leaf") {
    if (child.key === leaf.key) return { node: withChild(branch, slot, leaf), added: false };
    return { node: withChild(branch, slot, split(child, leaf, depth + 1)), added: true };
  }
  const below = inserted(child, leaf, depth + 1);
  return { node: withChild(branch, slot, below.node), added: below.added };
}

/** The index with `key` set to `value` (replacing an existing value); the given index is unchanged. */
export function eventIdIndexSet<Value>(
  index: EventIdIndex<Value>,
  key: string,
  value: Value,
): EventIdIndex<Value> {
  assert(eventIdPattern.test(key), `"${key}" is not an event id (32 lowercase hex digits)`);
  const { node, added } = inserted(index.root, { kind: "leaf", key, value }, 0);
  return { size: index.size + (added ? 1 : 0), root: node };
}

export function eventIdIndexGet<Value>(index: EventIdIndex<Value>, key: string): Value | undefined {
  let node: TrieNode<Value> | undefined = index.root;
  for (let depth = 0; node !== undefined && node.kind === "branch"; depth++) {
    if (depth >= key.length) return undefined;
    node = node.children[digitAt(key, depth)];
  }
  return node !== undefined && node.key === key ? node.value : undefined;
}

/** Every value, in key order. */
export function* eventIdIndexValues<Value>(index: EventIdIndex<Value>): Generator<Value> {
  const stack: TrieNode<Value>[] = [index.root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind === "leaf") {
      yield node.value;
      continue;
    }
    for (let slot = node.children.length - 1; slot >= 0; slot--) {
      const child = node.children[slot];
      if (child !== undefined) stack.push(child);
    }
  }
}
