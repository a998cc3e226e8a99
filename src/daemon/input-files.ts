import { constants, type FileHandle, open, realpath } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import { committedBasePath } from "../app/index.ts";
import type { RunConfig } from "../config/index.ts";
import { grpoPresetNames, rewardPresetNames } from "../rewards/index.ts";
import { errorCode } from "../store/index.ts";
import { InvalidSubmissionError } from "./submission.ts";

/**
 * Confinement of the files a submitted config makes the daemon read. A client names paths
 * (model.checkpoint, benchmark.path, a reward or GRPO .json file, and model.preset, which names a
 * committed checkpoint), so every one must lie, after resolving `..` and symlinks, inside a
 * directory the operator allows, and be a regular file of a sane size that starts as its kind of
 * file does, before anything reads it. Refusals name the field, the path given and the rule broken,
 * never anything read from the file.
 */

/** The project's own input folders: the committed checkpoints and the public benchmark. */
export const readDirectoriesDefault: readonly string[] = [
  resolve(import.meta.dirname, "../../models"),
  resolve(import.meta.dirname, "../../bench/data"),
];

/** One kind of input file: how large it may be and how its first bytes must look. */
interface InputKind {
  readonly description: string;
  readonly bytesMax: number;
  /** Whether the file's first bytes (up to headerBytes) are this kind's. */
  matches(header: Buffer): boolean;
}

const headerBytes = 16;
const mebibyte = 1024 * 1024;

/** Why the first non-blank byte: JSON and JSONL files may start with a newline or a BOM-free blank. */
function startsWithJsonObject(header: Buffer): boolean {
  const first = header.find((byte) => byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09);
  return first === 0x7b;
}

const inputKinds = {
  // Why these bounds: the committed base is under 1 MiB and the largest preset's checkpoint with its
  // optimizer moments far below 256 MiB; a benchmark of thousands of items is a few MiB.
  checkpoint: {
    description: "an mmzero checkpoint (starting MMZC)",
    bytesMax: 256 * mebibyte,
    matches: (header) => header.subarray(0, 4).toString("latin1") === "MMZC",
  },
  benchmark: {
    description: "a JSONL benchmark (one JSON object per line)",
    bytesMax: 64 * mebibyte,
    matches: startsWithJsonObject,
  },
  settings: {
    description: "a JSON object of settings",
    bytesMax: mebibyte,
    matches: startsWithJsonObject,
  },
} satisfies Record<string, InputKind>;

/** A submitted path the daemon will not read; a 400 on submission. */
export class InputFileRefusedError extends InvalidSubmissionError {
  override readonly name = "InputFileRefusedError";
  constructor(
    readonly field: string,
    readonly path: string,
    readonly rule: string,
  ) {
    super(`${field} ${JSON.stringify(path)} refused: ${rule}`);
  }
}

/** The allowed directories as real paths (symlinks resolved), so containment compares like with like. */
export async function resolveReadDirectories(directories: readonly string[]): Promise<readonly string[]> {
  return Promise.all(
    directories.map(async (directory) => {
      try {
        return await realpath(resolve(directory));
      } catch (error) {
        throw new Error(`read directory ${directory} cannot be used: ${errorCode(error) ?? String(error)}`);
      }
    }),
  );
}

function isInside(path: string, directory: string): boolean {
  const relation = relative(directory, path);
  return relation === "" || (!relation.startsWith("..") && !isAbsolute(relation));
}

/** Checks that a run's input files may be read: call before persisting a submission and before running it. */
export type RunInputCheck = (config: RunConfig) => Promise<void>;

/** A check confining every input of a config to `directories` (real paths, from resolveReadDirectories). */
export function confineRunInputs(directories: readonly string[]): RunInputCheck {
  const where = `the daemon reads only regular files under ${directories.join(", ")} (its --read-dir flags)`;
  const checkFile = (field: string, path: string, kind: InputKind) =>
    checkInputFile(field, path, kind, { directories, where });
  return async (config) => {
    if (config.model.checkpoint === "") {
      await checkFile("model.preset", committedBasePath(config.model.preset), inputKinds.checkpoint);
    } else {
      await checkFile("model.checkpoint", config.model.checkpoint, inputKinds.checkpoint);
    }
    await checkFile("benchmark.path", config.benchmark.path, inputKinds.benchmark);
    if (!(rewardPresetNames as readonly string[]).includes(config.rewards))
      await checkFile("rewards", config.rewards, inputKinds.settings);
    if (!(grpoPresetNames as readonly string[]).includes(config.grpo))
      await checkFile("grpo", config.grpo, inputKinds.settings);
  };
}

interface Confinement {
  readonly directories: readonly string[];
  readonly where: string;
}

async function checkInputFile(
  field: string,
  path: string,
  kind: InputKind,
  confinement: Confinement,
): Promise<void> {
  const refuse = (rule: string) => new InputFileRefusedError(field, path, rule);
  if (path === "" || path.includes("\0")) throw refuse("not a file path");
  // Why check the path as written first: a path outside is refused without touching the file system.
  const written = resolve(path);
  if (!confinement.directories.some((directory) => isInside(written, directory)))
    throw refuse(confinement.where);
  let real: string;
  try {
    real = await realpath(written);
  } catch (error) {
    if (errorCode(error) === "ENOENT") throw refuse("no such file");
    throw refuse(`cannot be resolved (${errorCode(error) ?? "error"})`);
  }
  if (!confinement.directories.some((directory) => isInside(real, directory)))
    throw refuse(`it leads outside the allowed directories through a symbolic link; ${confinement.where}`);
  await checkOpenedFile(real, kind, refuse);
}

/**
 * Opens without following a last symlink and without blocking (a FIFO would otherwise hang the
 * open), then judges the opened file itself: a regular file, within the size bound, with its kind's header.
 */
async function checkOpenedFile(
  path: string,
  kind: InputKind,
  refuse: (rule: string) => Error,
): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    throw refuse(`cannot be opened (${errorCode(error) ?? "error"})`);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw refuse("not a regular file (a device, FIFO or directory is never read)");
    if (stats.size === 0) throw refuse("the file is empty");
    if (stats.size > kind.bytesMax)
      throw refuse(`${stats.size} bytes, more than the ${kind.bytesMax} allowed for ${kind.description}`);
    const header = Buffer.alloc(Math.min(headerBytes, stats.size));
    const { bytesRead } = await handle.read(header, 0, header.length, 0);
    if (!kind.matches(header.subarray(0, bytesRead))) throw refuse(`not ${kind.description}`);
  } finally {
    await handle.close();
  }
}
