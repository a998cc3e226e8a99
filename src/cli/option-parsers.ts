// Commander option parsers and help texts shared by the commands. Each parser turns a flag's text into
// a value or throws commander's InvalidArgumentError, which commander prints with the flag's name and
// exits non-zero.
import { InvalidArgumentError } from "commander";

/** Help of `--bench` wherever a command evaluates on a benchmark file. */
export const benchmarkFileHelp =
  "benchmark JSONL (bench/data/benchmark-shifted.jsonl: the generalisation check, docs/world.md §8a)";

export function wholeNumber(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new InvalidArgumentError(`expected a whole number, got "${text}"`);
  return value;
}

export function positiveWholeNumber(text: string): number {
  const value = wholeNumber(text);
  if (value === 0) throw new InvalidArgumentError(`expected a positive whole number, got "${text}"`);
  return value;
}

export function positiveNumber(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new InvalidArgumentError(`expected a positive number, got "${text}"`);
  return value;
}

/** Why (0, 5]: 0 is greedy decoding (its own flag), and above 5 a sample is all but uniform noise. */
export function samplingTemperature(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > 5)
    throw new InvalidArgumentError(`expected a temperature in (0, 5], got "${text}"`);
  return value;
}
