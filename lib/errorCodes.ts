/**
 * The catalogue of every stable error code the project throws: what it usually means, what to do, the exit code.
 * The README's troubleshooting table is generated from it (scripts/updateReadmeSettings.ts).
 */

import { ERROR_CODE_GROUPS, type ErrorCodeEntry } from "./errorCodes/errorCodeEntry.js";
import { CONFIG_ERRORS } from "./errorCodes/configErrors.js";
import { FILES_ERRORS } from "./errorCodes/filesErrors.js";
import { VAULT_ERRORS } from "./errorCodes/vaultErrors.js";
import { ROLES_ANYWHERE_ERRORS } from "./errorCodes/rolesAnywhereErrors.js";
import { NETWORK_ERRORS } from "./errorCodes/networkErrors.js";
import { OUTPUT_ERRORS } from "./errorCodes/outputErrors.js";
import { VAULT_CONFIG_ERRORS } from "./errorCodes/vaultConfigErrors.js";
import { WEBHOOK_ERRORS } from "./errorCodes/webhookErrors.js";
import { LIFECYCLE_ERRORS } from "./errorCodes/lifecycleErrors.js";
import { DEVSTACK_ERRORS } from "./errorCodes/devstackErrors.js";

export { ERROR_CODE_GROUPS, type ErrorCodeEntry };

const CATALOGUE = {
  ...CONFIG_ERRORS,
  ...FILES_ERRORS,
  ...VAULT_ERRORS,
  ...ROLES_ANYWHERE_ERRORS,
  ...NETWORK_ERRORS,
  ...OUTPUT_ERRORS,
  ...VAULT_CONFIG_ERRORS,
  ...WEBHOOK_ERRORS,
  ...LIFECYCLE_ERRORS,
  ...DEVSTACK_ERRORS,
} as const;

/** A code from the catalogue. */
export type ErrorCode = keyof typeof CATALOGUE;

/** Every error code, with its meaning, hint and exit codes. */
export const ERROR_CODES: Readonly<Record<ErrorCode, ErrorCodeEntry>> = CATALOGUE;
