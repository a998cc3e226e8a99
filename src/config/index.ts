/**
 * mmzero config: public surface (the rest of the folder is internal).
 */
export { InvalidRunConfigError, isRunPresetName, resolveRunConfig } from "./presets.ts";
export { RunConfig, runPresetNames } from "./run-config.ts";
