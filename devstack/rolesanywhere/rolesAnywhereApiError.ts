/** An error answer of the Roles Anywhere stand-in, shaped like the AWS REST-JSON errors of CreateSession. */

/** Error codes the stand-in answers with (sent in X-Amzn-ErrorType). */
export type RolesAnywhereErrorCode =
  "AccessDeniedException" | "ValidationException" | "ResourceNotFoundException" | "ThrottlingException";

const STATUS: Record<RolesAnywhereErrorCode, number> = {
  AccessDeniedException: 403,
  ValidationException: 400,
  ResourceNotFoundException: 404,
  ThrottlingException: 429,
};

/** Thrown inside the stand-in; the handler turns it into `{"message": …}` with X-Amzn-ErrorType and the HTTP status. */
export class RolesAnywhereApiError extends Error {
  readonly code: RolesAnywhereErrorCode;
  readonly status: number;

  constructor(code: RolesAnywhereErrorCode, message: string) {
    super(message);
    this.name = "RolesAnywhereApiError";
    this.code = code;
    this.status = STATUS[code];
  }
}

/** 403 AccessDeniedException. */
export const accessDenied = (message: string) => new RolesAnywhereApiError("AccessDeniedException", message);
/** 400 ValidationException. */
export const validationError = (message: string) => new RolesAnywhereApiError("ValidationException", message);
/** 404 ResourceNotFoundException. */
export const notFound = (message: string) => new RolesAnywhereApiError("ResourceNotFoundException", message);
