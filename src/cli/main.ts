import { Command, CommanderError } from "commander";
import { type CommandEntry, commandEntries } from "./commands/index.ts";

const description = `MM-Zero self-evolution as an actor-model, event-sourced simulation engine.

A Proposer invents visual concepts with an easy and a hard question, a Coder writes SVG that renders them, a Solver answers questions about the rendered image; each role improves by GRPO from rewards that need zero external data. Every sample is an event in the run's log.`;

/** The command argv names: `mmzero <name> ...` or `mmzero help <name>`; undefined for the top level. */
function invokedEntry(argv: readonly string[], entries: readonly CommandEntry[]): CommandEntry | undefined {
  const [first, second] = argv;
  const name = first === "help" ? second : first;
  return entries.find((entry) => entry.name === name);
}

/**
 * The program with every command listed by its light metadata, and only the invoked command's
 * module loaded (its options, action and dependencies), so start-up costs one command at most.
 */
export async function buildProgram(
  argv: readonly string[],
  entries: readonly CommandEntry[] = commandEntries,
): Promise<Command> {
  const program = new Command("mmzero")
    .description(description)
    .version("0.1.0")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  const invoked = invokedEntry(argv, entries);
  for (const entry of entries) {
    if (entry === invoked) (await entry.load())(program);
    else program.command(entry.name).summary(entry.summary);
  }
  return program;
}

/** Parses argv, runs the command, returns the exit code (never calls process.exit itself). */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const program = await buildProgram(argv);
    await program.parseAsync([...argv], { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`mmzero: ${message}\n`);
    return 1;
  }
}
