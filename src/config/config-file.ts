import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { parse as parseYaml } from "yaml";

/** The key an editor reads to find a file's JSON Schema; not a config field, so it is dropped on load. */
export const schemaKey = "$schema";

export class ConfigFileError extends Error {
  override readonly name = "ConfigFileError";
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`cannot read config file ${path}: ${reason}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A config file's fields: YAML for `.yaml`/`.yml`, JSON otherwise; an object of config fields
 * (validated later, over a preset), without the editor's `$schema` key.
 */
export async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigFileError(path, error instanceof Error ? error.message : String(error));
  }
  const yaml = [".yaml", ".yml"].includes(extname(path).toLowerCase());
  let parsed: unknown;
  try {
    parsed = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new ConfigFileError(
      path,
      `not valid ${yaml ? "YAML" : "JSON"}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!isRecord(parsed)) throw new ConfigFileError(path, "expected an object of config fields");
  const { [schemaKey]: _schema, ...fields } = parsed;
  return fields;
}
