#!/usr/bin/env node
// The `mmzero` command: loads the TypeScript CLI through tsx, so the project needs no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
