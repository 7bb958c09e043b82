import type { ErrorCode } from "../errorCodes.js";
import { ConfigError, IamraError, isIamraError } from "../errors.js";
import { callVault, type CallContext, type CallPolicy } from "./callVault.js";
import { createVaultHttp, type VaultHttpRequest } from "./vaultHttp.js";
import { serviceAccountFacts } from "./serviceAccountFacts.js";
import type {
  IssuedCertificate,
  PkiIssueRequest,
  PkiSignRequest,
  VaultClient,
  VaultClientOptions,
} from "./VaultClient.js";
import { kubernetesAuthMount, pkiMount, vaultPath } from "./vaultPath.js";
import { toIssuedCertificate, toTokenInfo, toVaultAuth, toVaultHealth } from "./vaultResponses.js";

export type { VaultClient, VaultClientOptions } from "./VaultClient.js";

type Json = Record<string, unknown>;

function required(value: unknown, name: string, code: ErrorCode, step: string): string {
  if (typeof value === "string" && value.trim()) return value.trim();
  throw new IamraError({ code, message: `${name} is empty.`, hint: `Provide ${name}.`, retryable: false, step });
}

function asJson(body: unknown): Json | null {
  return body && typeof body === "object" && !Array.isArray(body) ? (body as Json) : null;
}

/**
 * Creates the project's Vault client on its own HTTP layer (vaultHttp.ts). The token is kept here and sent per request
 * as X-Vault-Token, logins POST to auth/<mount>/login, and lists use GET ?list=true (Node's HTTP server and some
 * proxies reject the LIST verb). Nothing is taken from the process environment.
 */
export function createVaultClient(opts: VaultClientOptions): VaultClient {
  if (!Number.isInteger(opts.maxAttempts) || opts.maxAttempts < 1) {
    throw new ConfigError({ message: `Vault maxAttempts must be an integer >= 1, got ${opts.maxAttempts}.` });
  }
  const vaultHttp = createVaultHttp({ ...opts, now: () => opts.clock.now() });
  const close = () => vaultHttp.close();
  // a stop ends the requests in flight (each listens to the signal); this also closes the idle connections
  opts.signal?.addEventListener("abort", close, { once: true });
  type Send = Omit<VaultHttpRequest, "step" | "signal">;
  /** Sends one request of the call `ctx` and returns Vault's JSON (undefined for an empty body, e.g. 204). */
  const send = (ctx: CallContext, req: Send) => async () =>
    (await vaultHttp.send({ ...req, step: ctx.step, signal: opts.signal })).body;
  const log = opts.log.child({ component: "vault" });
  const policy: CallPolicy = {
    addr: opts.addr,
    namespace: opts.namespace,
    timeoutMs: opts.timeoutMs,
    maxAttempts: opts.maxAttempts,
    baseMs: opts.backoffBaseMs ?? 250,
    capMs: opts.backoffCapMs ?? 10_000,
    clock: opts.clock,
    log,
    random: opts.random,
    signal: opts.signal,
    throttleBudgetMs: opts.throttleBudgetMs,
  };
  let token: string | undefined;

  /** Runs a call that needs the token; the token is scrubbed from any text the failure carries. */
  function authed(ctx: CallContext, req: Send): Promise<unknown> {
    const current = token;
    if (!current) {
      return Promise.reject(
        new IamraError({
          code: "VAULT_NOT_AUTHENTICATED",
          message: `${ctx.action} at ${ctx.path} needs a Vault token, and none is set.`,
          hint: "Log in first (kubernetes auth) or provide a token (VAULT_TOKEN or a token file).",
          step: ctx.step,
        }),
      );
    }
    const secrets = [...(ctx.secrets ?? []), current];
    return callVault(policy, { ...ctx, secrets }, send(ctx, { ...req, token: current }));
  }

  async function pkiRequest(
    kind: "sign" | "issue",
    req: PkiSignRequest | PkiIssueRequest,
    body: Json,
  ): Promise<IssuedCertificate> {
    const step = `vault-pki-${kind}`;
    const mount = pkiMount(req.mount);
    const role = required(req.role, "the PKI role", "VAULT_PKI_ROLE_MISSING", step);
    const path = vaultPath(`${mount}/${kind}/${role}`);
    const names = "namesInCsr" in req ? req.namesInCsr : undefined;
    if (req.commonName) body.common_name = req.commonName;
    if (req.uriSans?.length) body.uri_sans = req.uriSans.join(",");
    if (req.ttlSec !== undefined) body.ttl = `${Math.floor(req.ttlSec)}s`;
    body.format = "pem";
    const ctx: CallContext = {
      operation: "pki",
      step,
      action: `Vault PKI ${kind}`,
      method: "POST",
      path,
      role,
      mount,
      commonName: req.commonName || names?.commonName,
      uriSans: req.uriSans?.length ? req.uriSans : names?.uriSans,
    };
    const answer = await authed(ctx, { method: "POST", path, body });
    const cert = toIssuedCertificate(answer, kind === "issue", { step, path });
    if (cert.warnings.length) log.warn({ step, path, warnings: cert.warnings }, "vault returned warnings");
    log.debug(
      { step, mount, role, serialNumber: cert.serialNumber, expirationSec: cert.expirationSec },
      "vault pki answered",
    );
    return cert;
  }

  type Method = "GET" | "POST" | "DELETE" | "LIST";
  async function generic(method: Method, rawPath: string, nullOn404: boolean, body?: Json): Promise<Json | null> {
    const path = vaultPath(rawPath);
    const step = `vault-${method.toLowerCase()}`;
    const verb = { GET: "read", POST: "write", DELETE: "delete", LIST: "list" }[method];
    const ctx: CallContext = { operation: "generic", step, action: `Vault ${verb}`, method, path };
    try {
      const req: Send = method === "LIST" ? { method: "GET", path, query: { list: "true" } } : { method, path, body };
      return asJson(await authed(ctx, req));
    } catch (err) {
      if (nullOn404 && isIamraError(err) && err.status === 404) return null;
      throw err;
    }
  }

  return {
    async loginKubernetes({ mountPath, role, jwt }) {
      const step = "vault-login";
      const mount = kubernetesAuthMount(mountPath);
      const roleName = required(role, "the Vault role", "VAULT_LOGIN_INVALID", step);
      const saJwt = required(jwt, "the service account token", "VAULT_LOGIN_INVALID", step);
      const path = `auth/${mount}/login`;
      const serviceAccount = serviceAccountFacts(saJwt);
      const ctx: CallContext = {
        operation: "login",
        step,
        action: "Vault login",
        method: "POST",
        path,
        role: roleName,
        mount,
        serviceAccount,
        secrets: [saJwt],
      };
      // Login paths are unauthenticated: no X-Vault-Token is sent, even when a token is set.
      const answer = await callVault(
        policy,
        ctx,
        send(ctx, { method: "POST", path, body: { role: roleName, jwt: saJwt } }),
      );
      const auth = toVaultAuth(answer, opts.clock.now(), { step, path });
      token = auth.clientToken;
      log.info(
        {
          step,
          mount,
          role: roleName,
          accessor: auth.accessor,
          policies: auth.policies,
          leaseDurationSec: auth.leaseDurationSec,
          renewable: auth.renewable,
        },
        "vault login succeeded",
      );
      return auth;
    },

    useToken(value) {
      if (typeof value !== "string" || !value.trim()) {
        throw new ConfigError({
          code: "VAULT_TOKEN_EMPTY",
          message: "The Vault token is empty.",
          hint: "Check VAULT_TOKEN or the token file.",
        });
      }
      token = value.trim();
    },

    hasToken: () => token !== undefined,

    async lookupSelf() {
      const path = "auth/token/lookup-self";
      const ctx: CallContext = {
        operation: "token",
        step: "vault-token-lookup",
        action: "Vault token lookup",
        method: "GET",
        path,
      };
      return toTokenInfo(await authed(ctx, { method: "GET", path }), { step: ctx.step, path });
    },

    async renewSelf(incrementSec) {
      const path = "auth/token/renew-self";
      const ctx: CallContext = {
        operation: "token",
        step: "vault-token-renew",
        action: "Vault token renewal",
        method: "POST",
        path,
      };
      const body = incrementSec === undefined ? {} : { increment: `${Math.floor(incrementSec)}s` };
      const auth = toVaultAuth(await authed(ctx, { method: "POST", path, body }), opts.clock.now(), {
        step: ctx.step,
        path,
      });
      token = auth.clientToken;
      log.info(
        { step: ctx.step, accessor: auth.accessor, leaseDurationSec: auth.leaseDurationSec },
        "vault token renewed",
      );
      return auth;
    },

    async revokeSelf() {
      const path = "auth/token/revoke-self";
      const ctx: CallContext = {
        operation: "token",
        step: "vault-token-revoke",
        action: "Vault token revocation",
        method: "POST",
        path,
      };
      await authed(ctx, { method: "POST", path, body: {} });
      token = undefined;
      log.info({ step: ctx.step }, "vault token revoked");
    },

    async pkiSign(req) {
      const step = "vault-pki-sign";
      return pkiRequest("sign", req, { csr: required(req.csrPem, "the CSR", "VAULT_PKI_REFUSED", step) });
    },

    async pkiIssue(req) {
      const cert = await pkiRequest("issue", req, {});
      // key_type/key_bits are role settings in Vault (pki/issue has no such parameters), so check instead of sending.
      const keyLabel = /BEGIN (RSA |EC )?PRIVATE KEY/
        .exec(cert.privateKeyPem ?? "")?.[1]
        ?.trim()
        .toLowerCase();
      if (req.keyType && keyLabel && keyLabel !== req.keyType) {
        throw new IamraError({
          code: "VAULT_PKI_REFUSED",
          message: `Vault PKI issue at ${pkiMount(req.mount)}/issue/${req.role} returned a ${keyLabel} key, not ${req.keyType}.`,
          hint: `Set key_type (and key_bits) on the role ${pkiMount(req.mount)}/roles/${req.role}.`,
          step: "vault-pki-issue",
        });
      }
      return cert;
    },

    read: (path) => generic("GET", path, true),
    write: (path, data) => generic("POST", path, false, data),
    delete: (path) => generic("DELETE", path, true),
    list: (path) => generic("LIST", path, true),

    async health() {
      const path = "sys/health";
      const ctx: CallContext = {
        operation: "health",
        step: "vault-health",
        action: "Vault health check",
        method: "GET",
        path,
      };
      // every state answers 200 with these, which also keeps proxies from treating 429/503 as failures; other
      // states' codes (472 DR secondary, 473 performance standby) carry the same body and are read as well
      const query = { standbyok: "true", sealedcode: "200", uninitcode: "200" };
      const answer = await callVault(policy, ctx, send(ctx, { method: "GET", path, query, anyStatus: true }));
      return toVaultHealth(answer, { step: ctx.step, path });
    },

    close,
  };
}
