// A strict reader for the YAML subset deploy/compose.yaml is written in (the project has no YAML
// parser): block mappings and block lists by two-space indentation, comment lines, and scalars that
// mean the same in YAML and JSON: double-quoted strings, integers, JSON-style flow lists and `{}`.
// Anything else (a plain scalar such as `yes` or `on`, a tab, a trailing comment, a duplicate key, a
// stray indentation) is an error naming its line, so what this reads is what a YAML parser reads.

export class YamlSubsetError extends Error {
  override readonly name = "YamlSubsetError";
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

export type YamlValue = string | number | YamlValue[] | { [key: string]: YamlValue };

interface Line {
  readonly number: number;
  readonly indent: number;
  readonly text: string;
}

function scalar(text: string, line: number): YamlValue {
  if (/^-?\d+$/.test(text)) return Number(text);
  if (text === "{}") return {};
  if (text.startsWith('"') || text.startsWith("[")) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new YamlSubsetError(line, `${text} is not a JSON string or list (${String(error)})`);
    }
    const items = Array.isArray(value) ? value : [value];
    if (!items.every((item) => typeof item === "string" || Number.isInteger(item)))
      throw new YamlSubsetError(line, `${text}: only strings and integers`);
    return value as YamlValue;
  }
  throw new YamlSubsetError(line, `plain scalar ${text}: write it double-quoted`);
}

export function parseYamlSubset(source: string): { [key: string]: YamlValue } {
  const lines: Line[] = [];
  for (const [index, raw] of source.split("\n").entries()) {
    if (/^\s*(#.*)?$/.test(raw)) continue;
    if (raw.includes("\t")) throw new YamlSubsetError(index + 1, "a tab: indent with spaces");
    const indent = raw.length - raw.trimStart().length;
    if (indent % 2 !== 0) throw new YamlSubsetError(index + 1, "indentation is not a multiple of two");
    lines.push({ number: index + 1, indent, text: raw.trim() });
  }
  let position = 0;

  const block = (indent: number): YamlValue =>
    lines[position]!.text.startsWith("- ") ? list(indent) : mapping(indent);

  const mapping = (indent: number): { [key: string]: YamlValue } => {
    const result: { [key: string]: YamlValue } = {};
    while (position < lines.length && lines[position]!.indent === indent) {
      const line = lines[position]!;
      const match = /^([A-Za-z_][\w.-]*):(?: (.+))?$/.exec(line.text);
      if (match === null) throw new YamlSubsetError(line.number, `not "key: value" or "key:": ${line.text}`);
      const key = match[1]!;
      if (Object.hasOwn(result, key)) throw new YamlSubsetError(line.number, `duplicate key ${key}`);
      position += 1;
      if (match[2] !== undefined) {
        result[key] = scalar(match[2], line.number);
        continue;
      }
      const next = lines[position];
      if (next === undefined || next.indent <= indent)
        throw new YamlSubsetError(line.number, `${key} has no value (write "" or {})`);
      result[key] = block(next.indent);
    }
    const stray = lines[position];
    if (stray !== undefined && stray.indent > indent)
      throw new YamlSubsetError(stray.number, "unexpected indentation");
    return result;
  };

  const list = (indent: number): YamlValue[] => {
    const items: YamlValue[] = [];
    while (position < lines.length && lines[position]!.indent === indent) {
      const line = lines[position]!;
      if (!line.text.startsWith("- "))
        throw new YamlSubsetError(line.number, "a list holds only `- <scalar>` items here");
      items.push(scalar(line.text.slice(2), line.number));
      position += 1;
    }
    const stray = lines[position];
    if (stray !== undefined && stray.indent > indent)
      throw new YamlSubsetError(stray.number, "unexpected indentation");
    return items;
  };

  if (lines.length === 0) throw new YamlSubsetError(1, "empty document");
  if (lines[0]!.indent !== 0) throw new YamlSubsetError(lines[0]!.number, "the document starts indented");
  const document = mapping(0);
  if (position < lines.length) throw new YamlSubsetError(lines[position]!.number, "unexpected line");
  return document;
}
