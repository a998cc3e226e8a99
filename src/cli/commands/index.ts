import type { Command } from "commander";

/**
 * Every `mmzero` subcommand registers itself here: one module per command under src/cli/commands/.
 * Add one import and one array entry per command.
 */
export const commandRegistrations: ReadonlyArray<(program: Command) => void> = [];
