import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";

/**
 * The few primitives the model is built from, written for tfjs-wasm's fast path: XNNPACK serves only
 * plain 2-D, non-transposed matMul, and wasm lacks gather's gradient (UnsortedSegmentSum) while its
 * gather and oneHot kernels are slow. Each primitive is a custom-gradient op whose forward and
 * backward stay on fast kernels or on the CPU; on other backends they compute the same values.
 */

/** Layer-norm variance floor. */
export const layerNormEpsilon = 1e-5;

/**
 * A custom-gradient op over `inputs`. The forward reads the inputs from the closure; the backward
 * gets `saved` back, because tfjs frees every intermediate tensor of the forward pass before the
 * backward pass runs (saving is skipped when no gradient tape records).
 */
function customOp<T extends tf.Tensor>(
  inputs: readonly tf.Tensor[],
  saved: readonly tf.Tensor[],
  forward: () => T,
  backward: (dy: T, saved: readonly tf.Tensor[]) => tf.Tensor[],
): T {
  const op = tf.customGrad<T>((...args) => {
    const save = args[args.length - 1];
    assert(typeof save === "function", "tfjs passes the save function last");
    save([...saved]);
    return { value: forward(), gradFunc: backward };
  });
  return op(...inputs);
}

/** `a @ b` for 2-D tensors; its gradients are plain 2-D products with the transposes materialised. */
export function matMul2d(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return customOp(
    [a, b],
    [a, b],
    () => tf.matMul(a, b),
    (dy, [left, right]) => [tf.matMul(dy, tf.transpose(right!)), tf.matMul(tf.transpose(left!), dy)],
  );
}

/** An id that selects no row of its table (image slots have a position but no token). */
export const noRow = -1;

/** One embedding lookup: a table and the row id of every output row. */
export interface Lookup {
  readonly table: tf.Tensor2D;
  readonly ids: Int32Array;
}

/** A float32 tensor's values on the CPU, synchronously (inside gradient functions). */
function readFloat32Sync(tensor: tf.Tensor): Float32Array {
  const values = tensor.dataSync();
  assert(values instanceof Float32Array, `expected a float32 tensor, got ${tensor.dtype}`);
  return values;
}

/** A float32 tensor's values on the CPU. */
export async function readFloat32(tensor: tf.Tensor): Promise<Float32Array> {
  const values = await tensor.data();
  assert(values instanceof Float32Array, `expected a float32 tensor, got ${tensor.dtype}`);
  return values;
}

/**
 * The sum of several embedding lookups, `out[r] = sum_k table_k[ids_k[r]]`, gathered on the CPU and
 * uploaded once; each table's gradient is the scatter-add of `dy` by its ids, also on the CPU, in row
 * order (deterministic). Tables are small (vocabulary or context x width), so the reads are cheap;
 * on wasm this beats gather + oneHot-matMul by several milliseconds per lookup.
 */
export function embeddingSum(lookups: readonly Lookup[]): tf.Tensor2D {
  assert(lookups.length > 0, "embeddingSum needs a lookup");
  const rows = lookups[0]!.ids.length;
  const width = lookups[0]!.table.shape[1];
  for (const { table, ids } of lookups) {
    assert(ids.length === rows && table.shape[1] === width, "lookups must agree in rows and width");
    assert(
      ids.every((id) => id === noRow || (id >= 0 && id < table.shape[0])),
      "embedding id out of range",
    );
  }
  const forward = () => {
    const output = new Float32Array(rows * width);
    for (const { table, ids } of lookups) {
      const values = readFloat32Sync(table);
      ids.forEach((id, row) => {
        if (id === noRow) return;
        for (let column = 0; column < width; column++)
          output[row * width + column]! += values[id * width + column]!;
      });
    }
    return tf.tensor2d(output, [rows, width]);
  };
  const backward = (dy: tf.Tensor2D) => {
    const gradient = readFloat32Sync(dy);
    return lookups.map(({ table, ids }) => {
      const tableGradient = new Float32Array(table.size);
      ids.forEach((id, row) => {
        if (id === noRow) return;
        for (let column = 0; column < width; column++)
          tableGradient[id * width + column]! += gradient[row * width + column]!;
      });
      return tf.tensor2d(tableGradient, table.shape);
    });
  };
  return customOp(
    lookups.map((lookup) => lookup.table),
    [],
    forward,
    backward,
  );
}

/** Layer norm over the last axis of a 2-D tensor, with learned gain and bias. */
export function layerNorm(x: tf.Tensor2D, gain: tf.Tensor1D, bias: tf.Tensor1D): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, -1, true);
  const normalised = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, layerNormEpsilon)));
  return tf.add(tf.mul(normalised, gain), bias);
}
