/**
 * mmzero config: public surface (the rest of the folder is internal).
 */
export { readConfigFile } from "./config-file.ts";
export { configFileJsonSchema } from "./config-schema.ts";
export { InvalidRunConfigError, isRunPresetName, resolveRunConfig } from "./presets.ts";
export { phaseOptimizer, RunConfig, runPresetNames } from "./run-config.ts";
