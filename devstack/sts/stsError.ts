/** An error answer of the STS stand-in: STS's query-protocol error codes and HTTP statuses. */

/** Thrown inside the STS stand-in; rendered as `<ErrorResponse><Error><Type>Sender</Type>…`. */
export class StsError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = "StsError";
    this.status = status;
    this.code = code;
  }
}

/** 403 SignatureDoesNotMatch with STS's wording unless told otherwise. */
export const signatureDoesNotMatch = (
  message = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
) => new StsError(403, "SignatureDoesNotMatch", message);

/** 403 InvalidClientTokenId: unknown access key or a security token that does not belong to it. */
export const invalidClientTokenId = () =>
  new StsError(403, "InvalidClientTokenId", "The security token included in the request is invalid.");

/** 400 ExpiredToken. */
export const expiredToken = () =>
  new StsError(400, "ExpiredToken", "The security token included in the request is expired");

/** 400 ValidationError. */
export const stsValidationError = (message: string) => new StsError(400, "ValidationError", message);
