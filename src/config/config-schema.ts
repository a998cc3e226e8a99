import { Schema } from "effect";
import { schemaKey } from "./config-file.ts";
import { RunConfig } from "./run-config.ts";

type JsonObject = { [key: string]: unknown };

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The schema with no `required` lists: a config file overrides any subset of the preset's fields. */
function withoutRequired(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutRequired);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== "required")
      .map(([key, child]) => [key, withoutRequired(child)]),
  );
}

/**
 * The JSON Schema (draft 2020-12) of a config file, generated from the RunConfig Effect schema:
 * every field optional (a file is laid over a preset), unknown fields rejected as the loader does,
 * and `$schema` allowed so editors find it.
 */
export function configFileJsonSchema(): JsonObject {
  const document = Schema.toJsonSchemaDocument(RunConfig, { onExcessProperty: "error" });
  const schema = withoutRequired(document.schema);
  if (!isObject(schema) || !isObject(schema.properties))
    throw new Error("the RunConfig JSON Schema is not an object schema");
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "mmzero run configuration (fields laid over a preset)",
    ...schema,
    properties: { [schemaKey]: { type: "string" }, ...schema.properties },
    ...(Object.keys(document.definitions).length === 0
      ? {}
      : { $defs: withoutRequired(document.definitions) }),
  };
}
