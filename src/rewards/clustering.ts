/**
 * Average-linkage agglomerative clustering on a precomputed distance matrix, cut at a distance
 * threshold: clusters merge while their average-linkage distance is below the threshold
 * (scikit-learn's `AgglomerativeClustering(linkage="average", metric="precomputed",
 * distance_threshold=t)`, which the release uses).
 *
 * Algorithm: the nearest-neighbour chain with Lance-Williams updates, O(n^2) time on an n x n matrix,
 * following SciPy's `nn_chain` step for step (chain start, tie preference, which slot keeps the merged
 * cluster) so that even tied distances resolve as the release's stack resolves them. Average linkage is
 * reducible, so a merge below the threshold only ever joins clusters built from merges below it; the
 * cut is therefore the union of all merges whose distance is below the threshold.
 */
import assert from "node:assert/strict";
import type { DistanceMatrix } from "./bleu.ts";

function findRoot(parents: Int32Array, point: number): number {
  let root = point;
  while (parents[root] !== root) root = parents[root]!;
  let current = point;
  while (parents[current] !== root) {
    const next = parents[current]!;
    parents[current] = root;
    current = next;
  }
  return root;
}

/** The nearest active neighbour of `cluster`, preferring `preferred` (the previous chain link) on ties. */
function nearestNeighbour(
  distances: Float64Array,
  sizes: Int32Array,
  count: number,
  cluster: number,
  preferred: number,
): { neighbour: number; distance: number } {
  let neighbour = preferred;
  let distance = preferred < 0 ? Number.POSITIVE_INFINITY : distances[cluster * count + preferred]!;
  for (let other = 0; other < count; other += 1) {
    if (sizes[other] === 0 || other === cluster) continue;
    const candidate = distances[cluster * count + other]!;
    if (candidate < distance) {
      distance = candidate;
      neighbour = other;
    }
  }
  assert(
    neighbour >= 0,
    `cluster ${cluster} has no neighbour at a finite distance; distances must be finite`,
  );
  return { neighbour, distance };
}

/** Lance-Williams update for average linkage after `absorbed` merged into slot `kept`. */
function mergeRows(
  distances: Float64Array,
  sizes: Int32Array,
  count: number,
  absorbed: number,
  kept: number,
): void {
  const absorbedSize = sizes[absorbed]!;
  const keptSize = sizes[kept]!;
  const mergedSize = absorbedSize + keptSize;
  sizes[absorbed] = 0;
  sizes[kept] = mergedSize;
  for (let other = 0; other < count; other += 1) {
    if (sizes[other] === 0 || other === kept) continue;
    const merged =
      (absorbedSize * distances[other * count + absorbed]! + keptSize * distances[other * count + kept]!) /
      mergedSize;
    distances[other * count + kept] = merged;
    distances[kept * count + other] = merged;
  }
}

/**
 * Cluster labels (0, 1, ... numbered by each cluster's first point) for average linkage cut at
 * `threshold`. Threshold 0 gives singletons; a threshold above every distance gives one cluster.
 */
export function averageLinkageClusters(matrix: DistanceMatrix, threshold: number): Int32Array {
  const count = matrix.size;
  assert(
    matrix.values.length === count * count,
    `distance matrix of ${matrix.values.length} values is not ${count}^2`,
  );
  const distances = Float64Array.from(matrix.values);
  const sizes = new Int32Array(count).fill(1);
  const parents = Int32Array.from({ length: count }, (_, point) => point);
  const chain: number[] = [];
  for (let merge = 0; merge < count - 1; merge += 1) {
    if (chain.length === 0) chain.push(sizes.findIndex((size) => size > 0));
    let current: { neighbour: number; distance: number };
    for (;;) {
      assert(chain.length <= count, "nearest-neighbour chain longer than the number of clusters");
      const tip = chain[chain.length - 1]!;
      const previous = chain.length > 1 ? chain[chain.length - 2]! : -1;
      current = nearestNeighbour(distances, sizes, count, tip, previous);
      if (current.neighbour === previous) break;
      chain.push(current.neighbour);
    }
    const first = chain.pop()!;
    const second = chain.pop()!;
    // SciPy's convention: the lower slot is dropped and the higher slot holds the merged cluster.
    const absorbed = Math.min(first, second);
    const kept = Math.max(first, second);
    if (current.distance < threshold) parents[findRoot(parents, absorbed)] = findRoot(parents, kept);
    mergeRows(distances, sizes, count, absorbed, kept);
  }
  return labelsByFirstMember(parents);
}

function labelsByFirstMember(parents: Int32Array): Int32Array {
  const labels = new Int32Array(parents.length);
  const labelOfRoot = new Map<number, number>();
  for (let point = 0; point < parents.length; point += 1) {
    const root = findRoot(parents, point);
    let label = labelOfRoot.get(root);
    if (label === undefined) {
      label = labelOfRoot.size;
      labelOfRoot.set(root, label);
    }
    labels[point] = label;
  }
  return labels;
}

/** Each point's cluster size divided by the number of points. */
export function clusterShares(labels: Int32Array): number[] {
  const sizes = new Map<number, number>();
  for (const label of labels) sizes.set(label, (sizes.get(label) ?? 0) + 1);
  return Array.from(labels, (label) => (sizes.get(label) ?? 0) / labels.length);
}
