import { Command, CommanderError } from "commander";
import { commandRegistrations } from "./commands/index.ts";

const description = `MM-Zero self-evolution as an actor-model, event-sourced simulation engine.

A Proposer invents visual concepts with an easy and a hard question, a Coder writes SVG that renders them, a Solver answers questions about the rendered image; each role improves by GRPO from rewards that need zero external data. Every sample is an event in the run's log.`;

export function buildProgram(): Command {
  const program = new Command("mmzero")
    .description(description)
    .version("0.1.0")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  for (const register of commandRegistrations) register(program);
  return program;
}

/** Parses argv, runs the command, returns the exit code (never calls process.exit itself). */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`mmzero: ${message}\n`);
    return 1;
  }
}
