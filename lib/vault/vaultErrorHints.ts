import type { ErrorCode } from "../errorCodes.js";
import type { VaultCallContext } from "./vaultCallContext.js";

/** Code, hint and retry decision for one HTTP answer from Vault. */
export interface StatusVerdict {
  code: ErrorCode;
  hint: string;
  retryable: boolean;
}

const capabilityOf = { GET: "read", LIST: "list", POST: "create/update", DELETE: "delete" } as const;

/** How Vault worded the answer, beyond its unwrapped messages. */
export interface AnswerShape {
  /**
   * errors[] was exactly ["permission denied"], not Go's multierror form. OpenBao 2.x answers a missing, expired,
   * revoked or unknown token (and a login on a path with no auth mount) that way; an ACL denial is always the
   * multierror "1 error occurred:\n\t* permission denied\n\n".
   */
  bareDenial?: boolean;
}

/** Decides code, hint and retryability of a non-2xx Vault answer, from the status, Vault's messages and the call. */
export function verdictForStatus(
  status: number,
  messages: string[],
  ctx: VaultCallContext,
  shape: AnswerShape = {},
): StatusVerdict {
  const text = messages.join("; ");
  if (status === 503 && /sealed/i.test(text)) {
    return {
      code: "VAULT_SEALED",
      retryable: true,
      hint: "Vault is sealed; unseal it (vault operator unseal) or wait for auto-unseal.",
    };
  }
  if (status === 429) {
    return {
      code: "VAULT_RATE_LIMITED",
      retryable: true,
      hint: "Vault is rate limiting (or answered 429 as an unsealed standby); retry later or raise the quota.",
    };
  }
  if (status === 412 || (status >= 500 && status !== 501)) {
    return { code: "VAULT_SERVER_ERROR", retryable: true, hint: serverHint(status, text, ctx) };
  }
  if (status === 501) {
    return {
      code: "VAULT_SERVER_ERROR",
      retryable: false,
      hint: "Vault answered 501: it is not initialised (vault operator init) or does not implement this request.",
    };
  }
  if (ctx.operation !== "login" && status === 403 && (/invalid token/i.test(text) || shape.bareDenial)) {
    return {
      code: "VAULT_TOKEN_INVALID",
      retryable: false,
      hint: "The Vault token expired, was revoked or is not valid in this namespace; log in again.",
    };
  }
  switch (ctx.operation) {
    case "login":
      return loginVerdict(status, text, ctx, shape);
    case "pki":
      return pkiVerdict(status, text, ctx);
    case "token":
      return tokenVerdict(status, text);
    default:
      return genericVerdict(status, ctx);
  }
}

function serverHint(status: number, text: string, ctx: VaultCallContext): string {
  if (/could not load backend configuration/i.test(text)) {
    return `The Kubernetes auth method at auth/${ctx.mount} has no config; write auth/${ctx.mount}/config (kubernetes_host, kubernetes_ca_cert).`;
  }
  if (/could not fetch the CA certificate/i.test(text)) {
    return `The PKI mount ${ctx.mount} has no issuer; import the signed intermediate (${ctx.mount}/intermediate/set-signed) or set config/issuers.`;
  }
  return `Vault answered ${status}; this is usually temporary (standby, restart, overload). Check Vault's server log if it persists.`;
}

function saName(ctx: VaultCallContext): string {
  const sa = ctx.serviceAccount;
  return sa?.namespace && sa?.name ? `${sa.namespace}/${sa.name}` : "<namespace>/<service account>";
}

function loginVerdict(status: number, text: string, ctx: VaultCallContext, shape: AnswerShape): StatusVerdict {
  const role = ctx.role ?? "<role>";
  const sa = ctx.serviceAccount;
  if (status === 403) {
    let hint: string;
    if (/service account name not authori[sz]ed/i.test(text)) {
      hint = `Add "${sa?.name ?? "<service account>"}" to bound_service_account_names of role "${role}" (auth/${ctx.mount}/role/${role}); this pod runs as "${saName(ctx)}".`;
    } else if (/namespace not authori[sz]ed/i.test(text)) {
      hint = `Add "${sa?.namespace ?? "<namespace>"}" to bound_service_account_namespaces of role "${role}" (auth/${ctx.mount}/role/${role}); this pod runs as "${saName(ctx)}".`;
    } else if (/aud/i.test(text)) {
      const auds = sa?.audiences?.length
        ? `the token's audiences are ${JSON.stringify(sa.audiences)}`
        : "the token has no audience";
      hint = `The role "${role}" expects another audience; ${auds}. Set the role's audience, or project the token with that audience (serviceAccountToken.audience).`;
    } else if (sa?.expiresAtMs !== undefined && ctx.nowMs !== undefined && sa.expiresAtMs <= ctx.nowMs) {
      hint = `The service account token expired at ${new Date(sa.expiresAtMs).toISOString()}; mount a projected token (kubelet refreshes it) and read it fresh before each login.`;
    } else {
      hint =
        "Vault's TokenReview rejected the service account token: it may be expired, revoked (pod deleted) or of an audience the Kubernetes API does not accept. " +
        `Also check auth/${ctx.mount}/config (kubernetes_host, token_reviewer_jwt with system:auth-delegator).`;
      // OpenBao answers a login on a path where nothing is mounted with the same bare "permission denied"
      if (shape.bareDenial) {
        hint += ` Or no Kubernetes auth method is mounted at auth/${ctx.mount}; check the mount path (vault auth list).`;
      }
    }
    return { code: "VAULT_LOGIN_DENIED", retryable: false, hint };
  }
  if (status === 404 || status === 405) {
    return {
      code: "VAULT_LOGIN_INVALID",
      retryable: false,
      hint: `No Kubernetes auth method is mounted at auth/${ctx.mount}${ctx.namespace ? ` in namespace "${ctx.namespace}"` : ""}; check the mount path (vault auth list).`,
    };
  }
  let hint = "Vault refused the login request; see Vault's message.";
  if (/missing role/i.test(text)) hint = "Set the Vault role to log in with (VAULT_ROLE / --vault-role).";
  else if (/missing jwt/i.test(text)) hint = "The service account token is empty; check the token file path.";
  else if (/invalid role name/i.test(text)) {
    hint = `Role "${role}" does not exist at auth/${ctx.mount}/role/${role}; create it or fix the name (Vault stores role names lower-cased).`;
  }
  return { code: "VAULT_LOGIN_INVALID", retryable: false, hint };
}

function pkiVerdict(status: number, text: string, ctx: VaultCallContext): StatusVerdict {
  if (status === 403) {
    // OpenBao gives the same bare "permission denied" for an unknown (expired, revoked) token
    const hint = `The token's policy must allow "update" on ${ctx.path}, and the token must still be valid.`;
    return { code: "VAULT_PKI_DENIED", retryable: false, hint };
  }
  if (/unknown role|no role found/i.test(text)) {
    return {
      code: "VAULT_PKI_ROLE_MISSING",
      retryable: false,
      hint: `Create the role ${ctx.mount}/roles/${ctx.role}, or fix the role name.`,
    };
  }
  if (status === 404 || status === 405) {
    return {
      code: "VAULT_PKI_ROLE_MISSING",
      retryable: false,
      hint: `No PKI secrets engine answers at ${ctx.mount}/ (or the role is missing); check the mount path (vault secrets list).`,
    };
  }
  let hint = `Vault's PKI role ${ctx.mount}/roles/${ctx.role} refused the request; see Vault's message.`;
  if (/^common name .* not allowed by this role|common_name field is required/i.test(text)) {
    hint = `The role's allowed_domains / allow_any_name / cn_validations must admit common name ${JSON.stringify(ctx.commonName ?? "")}.`;
  } else if (/URI Subject Alternative Name|subject alternate name|not allowed by this role/i.test(text)) {
    hint =
      `The role's allowed_uri_sans (with allowed_uri_sans_template) must admit the requested SAN ${JSON.stringify(ctx.uriSans ?? [])}` +
      ` (common name ${JSON.stringify(ctx.commonName ?? "")}); the pod can only request its own service account identity, and tokens without an entity (root, token/create) never match a template.`;
  } else if (/csr|request signature|key/i.test(text)) {
    hint = `The CSR does not suit role ${ctx.role} (key type and size, signature); check the role's key_type and key_bits.`;
  } else if (/ttl|notafter|not_after/i.test(text)) {
    hint = "Ask for a shorter TTL: it must fit the role's max_ttl and the issuing CA's validity.";
  }
  return { code: "VAULT_PKI_REFUSED", retryable: false, hint };
}

function tokenVerdict(status: number, text: string): StatusVerdict {
  if (/not renewable/i.test(text)) {
    return {
      code: "VAULT_TOKEN_NOT_RENEWABLE",
      retryable: false,
      hint: "The token cannot be renewed; log in again before it expires.",
    };
  }
  if (status === 403) {
    return {
      code: "VAULT_TOKEN_INVALID",
      retryable: false,
      hint: "The Vault token expired, was revoked or lacks the default policy; log in again.",
    };
  }
  return { code: "VAULT_BAD_REQUEST", retryable: false, hint: "Vault refused the token request; see Vault's message." };
}

function genericVerdict(status: number, ctx: VaultCallContext): StatusVerdict {
  if (status === 403) {
    return {
      code: "VAULT_DENIED",
      retryable: false,
      hint: `The token's policy must allow "${capabilityOf[ctx.method]}" on ${ctx.path}.`,
    };
  }
  if (status === 404) {
    return {
      code: "VAULT_NOT_FOUND",
      retryable: false,
      hint: `Nothing answers at ${ctx.path}; check that the mount exists (vault secrets list / vault auth list).`,
    };
  }
  return {
    code: "VAULT_BAD_REQUEST",
    retryable: false,
    hint: `Vault refused the request to ${ctx.path}; see Vault's message.`,
  };
}
