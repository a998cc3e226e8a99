#!/usr/bin/env node
// The `mmzero` command: loads the TypeScript CLI through tsx, so the project needs no build step.
import { register } from "tsx/esm/api";

// `mmzero log run | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

register();
const { main } = await import("../src/cli/index.ts");
process.exitCode = await main(process.argv.slice(2));
