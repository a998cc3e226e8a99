import type { Command } from "commander";
import { runIdOf } from "../../actors/index.ts";
import {
  configFileJsonSchema,
  readConfigFile,
  resolveRunConfig,
  runPresetNames,
} from "../../config/index.ts";

interface ConfigFlags {
  readonly print?: boolean;
  readonly schema?: boolean;
  readonly preset: string;
  readonly config?: string;
  readonly seed?: string;
}

export function registerConfigCommand(program: Command): void {
  program
    .command("config")
    .description(
      'Print the resolved run configuration (a preset, then a config file\'s fields, then --seed: exactly what `mmzero run` with the same flags would run, with its run id), or the JSON Schema of config files for editors (add "$schema" to a JSON file, or a yaml-language-server comment to a YAML file).',
    )
    .option("--print", "print the resolved configuration as JSON (the default)")
    .option("--schema", "print the JSON Schema of a config file")
    .option("-p, --preset <name>", `size preset (${runPresetNames.join(", ")})`, "quick")
    .option("-c, --config <file>", "JSON or YAML file of config fields laid over the preset")
    .option("-s, --seed <seed>", "run seed")
    .action(async (flags: ConfigFlags) => {
      if (flags.schema === true && flags.print === true) throw new Error("--print and --schema: pick one");
      if (flags.schema === true) {
        process.stdout.write(`${JSON.stringify(configFileJsonSchema(), null, 2)}\n`);
        return;
      }
      const config = resolveRunConfig(
        flags.preset,
        flags.config === undefined ? undefined : await readConfigFile(flags.config),
        flags.seed === undefined ? undefined : { seed: flags.seed },
      );
      process.stdout.write(`${JSON.stringify(config, null, 2)}\n`);
      const runId = runIdOf(config);
      process.stderr.write(`run id ${runId} (a hash of this configuration): runs/${runId}\n`);
    });
}
