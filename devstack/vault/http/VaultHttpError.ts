/**
 * An error the stand-in answers with Vault's error envelope `{"errors":[…]}` and a status code
 * (sdk/logical/response_util.go).
 */
export class VaultHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errors: string[],
  ) {
    super(errors[0] ?? `HTTP ${status}`);
    this.name = "VaultHttpError";
  }

  /** logical.ErrorResponse: 400 with the backend's message. */
  static badRequest(message: string): VaultHttpError {
    return new VaultHttpError(400, [message]);
  }

  /** A permission failure through the ACL path: 403 with the one-error multierror text. */
  static permissionDenied(): VaultHttpError {
    return new VaultHttpError(403, ["1 error occurred:\n\t* permission denied\n\n"]);
  }

  /**
   * A missing, invalid, expired or revoked token: OpenBao answers 403 with a bare "permission denied" (HashiCorp Vault
   * answers "2 errors occurred: permission denied, invalid token"; the product handles both).
   */
  static invalidToken(): VaultHttpError {
    return new VaultHttpError(403, ["permission denied"]);
  }

  /** A CodedError from a backend (e.g. kubernetes auth's 403s): status and message as given. */
  static coded(status: number, message: string): VaultHttpError {
    return new VaultHttpError(status, [message]);
  }

  /** A missing read or an empty list: 404 with no messages. */
  static notFound(): VaultHttpError {
    return new VaultHttpError(404, []);
  }

  /** A Go error from a backend with no response: 500 with its text. */
  static internal(message: string): VaultHttpError {
    return new VaultHttpError(500, [message]);
  }
}
