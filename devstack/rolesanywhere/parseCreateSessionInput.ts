/**
 * Reads CreateSession's parameters: ARNs from the query string (as the official helper sends them) or the JSON body.
 */
import { validationError } from "./rolesAnywhereApiError.js";

/** CreateSession's parameters, validated for shape and range (not yet for the profile's own cap). */
export interface CreateSessionInput {
  trustAnchorArn: string;
  profileArn: string;
  roleArn: string;
  durationSeconds: number;
  roleSessionName?: string;
}

/** AWS's absolute upper bound for a Roles Anywhere session, in seconds. */
const MAX_DURATION_SECONDS = 43200;
/** Role session names AWS accepts. */
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const ARN_FIELDS = ["trustAnchorArn", "profileArn", "roleArn"] as const;

function parseBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw validationError("Request body is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw validationError("Request body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

/** Validates the parameters; `minDurationSeconds` is 900 at AWS (tests lower it for short sessions). */
export function parseCreateSessionInput(
  rawQuery: string,
  body: Buffer,
  minDurationSeconds: number,
): CreateSessionInput {
  const query = new URLSearchParams(rawQuery);
  const json = parseBody(body);
  const arns = {} as Record<(typeof ARN_FIELDS)[number], string>;
  for (const field of ARN_FIELDS) {
    const fromQuery = query.get(field);
    const fromBody = json[field];
    const value = fromQuery ? fromQuery : typeof fromBody === "string" ? fromBody : "";
    if (value === "") {
      throw validationError(
        `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
      );
    }
    arns[field] = value;
  }
  const duration = json.durationSeconds ?? 3600;
  if (typeof duration !== "number" || !Number.isInteger(duration)) {
    throw validationError("durationSeconds must be an integer");
  }
  if (duration < minDurationSeconds || duration > MAX_DURATION_SECONDS) {
    throw validationError(
      `1 validation error detected: Value '${duration}' at 'durationSeconds' failed to satisfy constraint: ` +
        `Member must have value between ${minDurationSeconds} and ${MAX_DURATION_SECONDS}`,
    );
  }
  const name = json.roleSessionName;
  if (name !== undefined && (typeof name !== "string" || !SESSION_NAME.test(name))) {
    throw validationError(
      "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint: " +
        "Member must satisfy regular expression pattern: [\\w+=,.@-]{2,64}",
    );
  }
  return { ...arns, durationSeconds: duration, roleSessionName: name as string | undefined };
}
