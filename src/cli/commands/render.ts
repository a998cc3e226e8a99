// `mmzero render <file.svg|-> [--size N] --out <file.png>`: renders a Coder output or an SVG file
// through the same sandbox the loop uses, for people debugging what the Coder wrote.
import { readFileSync, writeFileSync } from "node:fs";
import { type Command, InvalidArgumentError } from "commander";
import { createRenderPool, outputSizeMax, outputSizeMin } from "../../render/index.ts";

interface RenderCommandOptions {
  readonly size: number;
  readonly out: string;
  readonly extract: boolean;
  readonly timeoutMs: number;
}

function positiveInteger(minimum: number, maximum: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < minimum || value > maximum) {
      throw new InvalidArgumentError(
        `expected an integer in [${minimum}, ${maximum}], got ${JSON.stringify(text)}`,
      );
    }
    return value;
  };
}

async function renderFile(file: string, options: RenderCommandOptions): Promise<number> {
  const input = file === "-" ? readFileSync(0) : readFileSync(file);
  const pool = createRenderPool({ workerCount: 1, renderTimeoutMs: options.timeoutMs });
  try {
    const outcome = await pool.render(input, { size: options.size, extract: options.extract });
    if (outcome.kind !== "ok") {
      process.stderr.write(`mmzero render: ${outcome.kind}: ${outcome.message}\n`);
      return 1;
    }
    writeFileSync(options.out, outcome.image.png);
    const { width, height, pixelSha256 } = outcome.image;
    process.stdout.write(
      `wrote ${options.out} (${width}x${height}, SVG from ${outcome.source}, pixels sha256 ${pixelSha256})\n`,
    );
    return 0;
  } finally {
    await pool.close();
  }
}

export function registerRenderCommand(program: Command): void {
  program
    .command("render")
    .description("render a Coder output (or an SVG file) to PNG through the rendering sandbox")
    .argument("<file>", "the SVG file or model output to render; - reads stdin")
    .option(
      "--size <pixels>",
      "side of the square output image",
      positiveInteger(outputSizeMin, outputSizeMax),
      256,
    )
    .requiredOption("--out <file.png>", "where to write the PNG")
    .option(
      "--no-extract",
      "treat the whole input as one SVG document instead of finding the SVG in a model output",
    )
    .option("--timeout-ms <ms>", "wall-clock limit of the render", positiveInteger(1, 600_000), 2000)
    .action(async (file: string, options: RenderCommandOptions) => {
      process.exitCode = await renderFile(file, options);
    });
}
