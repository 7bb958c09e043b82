import { parseDurationSeconds } from "./durations.js";
import { VaultHttpError } from "../http/VaultHttpError.js";

/** Field types of Vault's framework that the stand-in understands (sdk/framework/field_type.go). */
export type FieldType = "string" | "int" | "bool" | "duration" | "commaList" | "list" | "map" | "any";

/** Declares the fields one path accepts: name → type. */
export type FieldSchema = Record<string, FieldType>;

/** Coerced input: only the fields present in the request, plus the unknown names (for Vault's warning). */
export interface CoercedFields {
  values: Record<string, unknown>;
  unknown: string[];
}

/** Converts raw JSON input to the schema's types the way Vault's FieldData does; throws 400 on bad input. */
export function coerceFields(schema: FieldSchema, raw: Record<string, unknown>): CoercedFields {
  const values: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const type = schema[key];
    if (!type) {
      unknown.push(key);
      continue;
    }
    try {
      values[key] = coerceOne(type, value);
    } catch (err) {
      throw VaultHttpError.badRequest(
        `error converting input ${JSON.stringify(value)} for field "${key}": ${(err as Error).message}`,
      );
    }
  }
  unknown.sort();
  return { values, unknown };
}

/** The framework's warning for parameters no field declares. */
export function unknownParamsWarning(unknown: string[]): string[] {
  return unknown.length ? [`Endpoint ignored these unrecognized parameters: [${unknown.join(" ")}]`] : [];
}

function coerceOne(type: FieldType, value: unknown): unknown {
  switch (type) {
    case "string":
      if (value === null || value === undefined) return "";
      if (typeof value === "object") throw new Error(`expected string, got ${typeof value}`);
      return String(value);
    case "int": {
      const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
      if (typeof n !== "number" || !Number.isInteger(n)) throw new Error("cannot parse as integer");
      return n;
    }
    case "bool":
      return parseBool(value);
    case "duration":
      return parseDurationSeconds(value);
    case "commaList":
      return toList(value, true);
    case "list":
      return toList(value, false);
    case "map":
      if (value === null || value === undefined || value === "") return {};
      if (typeof value !== "object" || Array.isArray(value)) throw new Error("expected a map");
      return value;
    case "any":
      return value;
  }
}

/** parseutil.ParseBool: "1", "t", "T", "TRUE", "true", "True" and the false forms, or a JSON bool. */
export function parseBool(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "string") {
    if (["1", "t", "T", "TRUE", "true", "True"].includes(value)) return true;
    if (["0", "f", "F", "FALSE", "false", "False", ""].includes(value)) return false;
  }
  throw new Error(`strconv.ParseBool: parsing ${JSON.stringify(String(value))}: invalid syntax`);
}

function toList(value: unknown, splitCommas: boolean): string[] {
  if (value === null || value === undefined || value === "") return [];
  const items = Array.isArray(value) ? value.map((v) => String(v)) : [String(value)];
  const out = splitCommas ? items.flatMap((s) => s.split(",")) : items;
  return out.map((s) => s.trim()).filter((s) => s !== "");
}
