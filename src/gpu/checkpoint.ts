import assert from "node:assert/strict";
import os from "node:os";
import { Schema } from "effect";
import { canonicalBytes, sha256Hex } from "../events/index.ts";
import type { BlobStore } from "../store/index.ts";
import { ModelConfig } from "./config.ts";
import { readFloat32 } from "./layers.ts";
import { compareNames, VisionLanguageModel } from "./model.ts";
import { AdamW } from "./optimizer.ts";

/**
 * Checkpoints. The weights serialise deterministically: tensors sorted by name, each as its UTF-8
 * name, rank, dimensions and float32 little-endian values, behind a magic and a version. A policy is
 * identified by the SHA-256 of those bytes (its weight hash). A checkpoint blob wraps the weights
 * with a canonical-JSON header (model shape, weight hash, optimizer hyper-parameters) and, optionally,
 * the AdamW moments, so training resumes bit-exactly.
 */

/** Little-endian is the format; Float32Array uses the platform's order, so insist on it. */
assert.equal(os.endianness(), "LE", "checkpoint encoding assumes a little-endian machine");

const weightsMagic = "MMZW";
const checkpointMagic = "MMZC";
const formatVersion = 1;

export interface NamedTensor {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** Bytes that are not a checkpoint this version can read, or whose weights fail their hash. */
export class CheckpointFormatError extends Error {
  override readonly name = "CheckpointFormatError";
  constructor(readonly reason: string) {
    super(
      `not a readable mmzero checkpoint: ${reason}; re-create it, or load it with the version that wrote it`,
    );
  }
}

const OptimizerHeader = Schema.Struct({
  step: Schema.Int,
  learningRate: Schema.Finite,
  beta1: Schema.Finite,
  beta2: Schema.Finite,
  epsilon: Schema.Finite,
  weightDecay: Schema.Finite,
  bytes: Schema.Int,
});

const CheckpointHeader = Schema.Struct({
  format: Schema.Literal("mmzero-checkpoint"),
  version: Schema.Literal(formatVersion),
  model: ModelConfig,
  weightHash: Schema.String,
  weightBytes: Schema.Int,
  optimizer: Schema.NullOr(OptimizerHeader),
});

/** Serialises named tensors in sorted name order (see the module comment for the layout). */
export function encodeTensors(tensors: ReadonlyMap<string, NamedTensor>): Uint8Array {
  const names = [...tensors.keys()].sort(compareNames);
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [encoder.encode(weightsMagic), u32s([formatVersion, names.length])];
  for (const name of names) {
    const { shape, values } = tensors.get(name)!;
    assert.equal(
      values.length,
      shape.reduce((product, dimension) => product * dimension, 1),
      `${name}: size mismatch`,
    );
    const nameBytes = encoder.encode(name);
    chunks.push(u32s([nameBytes.length]), nameBytes, u32s([shape.length, ...shape]));
    chunks.push(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }
  return concatBytes(chunks);
}

/** Reads what encodeTensors wrote; CheckpointFormatError on anything else. */
export function decodeTensors(bytes: Uint8Array): Map<string, NamedTensor> {
  const reader = new ByteReader(bytes);
  if (reader.text(4) !== weightsMagic) throw new CheckpointFormatError("weights do not start with MMZW");
  if (reader.u32() !== formatVersion) throw new CheckpointFormatError("unknown weights version");
  const count = reader.u32();
  const tensors = new Map<string, NamedTensor>();
  for (let index = 0; index < count; index++) {
    const name = reader.text(reader.u32());
    const shape = Array.from({ length: reader.u32() }, () => reader.u32());
    const size = shape.reduce((product, dimension) => product * dimension, 1);
    tensors.set(name, { shape, values: reader.floats(size) });
  }
  if (!reader.done) throw new CheckpointFormatError("trailing bytes after the last tensor");
  return tensors;
}

/** The model's weights, read to the CPU. */
export async function readWeights(model: VisionLanguageModel): Promise<Map<string, NamedTensor>> {
  const weights = new Map<string, NamedTensor>();
  for (const [name, variable] of model.parameters) {
    weights.set(name, { shape: variable.shape, values: await readFloat32(variable) });
  }
  return weights;
}

/** SHA-256 hex of the serialised weights: the policy's identity. */
export async function weightHash(model: VisionLanguageModel): Promise<string> {
  return sha256Hex(encodeTensors(await readWeights(model)));
}

/** Checkpoint bytes: header, weights and (when given) the optimizer's moments. */
export async function encodeCheckpoint(
  model: VisionLanguageModel,
  optimizer: AdamW | null = null,
): Promise<{ bytes: Uint8Array; weightHash: string }> {
  const weights = encodeTensors(await readWeights(model));
  const hash = sha256Hex(weights);
  const state = optimizer === null ? null : await optimizer.state();
  const moments = state === null ? new Uint8Array(0) : encodeTensors(state.moments);
  const header = {
    format: "mmzero-checkpoint",
    version: formatVersion,
    model: model.config,
    weightHash: hash,
    weightBytes: weights.length,
    optimizer:
      optimizer === null || state === null
        ? null
        : {
            step: state.step,
            learningRate: optimizer.learningRate,
            beta1: optimizer.beta1,
            beta2: optimizer.beta2,
            epsilon: optimizer.epsilon,
            weightDecay: optimizer.weightDecay,
            bytes: moments.length,
          },
  };
  const headerBytes = canonicalBytes(header);
  const bytes = concatBytes([
    new TextEncoder().encode(checkpointMagic),
    u32s([formatVersion, headerBytes.length]),
    headerBytes,
    weights,
    moments,
  ]);
  return { bytes, weightHash: hash };
}

export interface LoadedCheckpoint {
  readonly model: VisionLanguageModel;
  readonly weightHash: string;
  /** The optimizer with its moments restored, when the checkpoint carried one. */
  readonly optimizer: AdamW | null;
}

/** Builds the model (and optimizer) from checkpoint bytes, verifying the weight hash. */
export function decodeCheckpoint(bytes: Uint8Array): LoadedCheckpoint {
  const reader = new ByteReader(bytes);
  if (reader.text(4) !== checkpointMagic) throw new CheckpointFormatError("bytes do not start with MMZC");
  if (reader.u32() !== formatVersion) throw new CheckpointFormatError("unknown checkpoint version");
  let header: typeof CheckpointHeader.Type;
  try {
    header = Schema.decodeUnknownSync(CheckpointHeader)(JSON.parse(reader.text(reader.u32())));
  } catch (error) {
    throw new CheckpointFormatError(`bad header (${error instanceof Error ? error.message : String(error)})`);
  }
  const weights = reader.bytes(header.weightBytes);
  const actualHash = sha256Hex(weights);
  if (actualHash !== header.weightHash) {
    throw new CheckpointFormatError(`weights hash to ${actualHash}, header says ${header.weightHash}`);
  }
  const model = VisionLanguageModel.fromValues(header.model, decodeTensors(weights));
  let optimizer: AdamW | null = null;
  if (header.optimizer !== null) {
    const { step, bytes: momentBytes, ...options } = header.optimizer;
    optimizer = new AdamW(model, options);
    optimizer.restore({ step, moments: decodeTensors(reader.bytes(momentBytes)) });
  }
  if (!reader.done) throw new CheckpointFormatError("trailing bytes after the checkpoint");
  return { model, weightHash: actualHash, optimizer };
}

/** Stores the checkpoint; returns its blob hash and the policy's weight hash. */
export async function saveCheckpoint(
  store: BlobStore,
  model: VisionLanguageModel,
  optimizer: AdamW | null = null,
): Promise<{ checkpoint: string; weightHash: string }> {
  const { bytes, weightHash: hash } = await encodeCheckpoint(model, optimizer);
  return { checkpoint: await store.put(bytes), weightHash: hash };
}

/** Loads a checkpoint by its blob hash (the store verifies the blob, decoding the weights). */
export async function loadCheckpoint(store: BlobStore, checkpoint: string): Promise<LoadedCheckpoint> {
  return decodeCheckpoint(await store.get(checkpoint));
}

function u32s(values: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((value, index) => {
    assert(Number.isInteger(value) && value >= 0 && value < 2 ** 32, `${value} does not fit in u32`);
    view.setUint32(index * 4, value, true);
  });
  return bytes;
}

function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/** A bounds-checked cursor over bytes: running past the end is a format error, not a crash. */
class ByteReader {
  private offset = 0;

  constructor(private readonly source: Uint8Array) {}

  get done(): boolean {
    return this.offset === this.source.length;
  }

  bytes(length: number): Uint8Array {
    if (this.offset + length > this.source.length)
      throw new CheckpointFormatError(`truncated at byte ${this.offset}`);
    const slice = this.source.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  u32(): number {
    const bytes = this.bytes(4);
    return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
  }

  text(length: number): string {
    const bytes = this.bytes(length);
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new CheckpointFormatError(`invalid UTF-8 before byte ${this.offset}`);
    }
  }

  /** Copies, so the floats are aligned whatever the offset. */
  floats(count: number): Float32Array {
    // A copy with its own buffer: a Node Buffer's slice() shares (and offsets into) its pool.
    return new Float32Array(Uint8Array.from(this.bytes(count * 4)).buffer);
  }
}
