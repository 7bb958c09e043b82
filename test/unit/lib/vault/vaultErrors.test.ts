import { expect } from "chai";
import { inspect } from "node:util";
import { IamraError } from "../../../../lib/errors.js";
import type { VaultCallContext } from "../../../../lib/vault/vaultCallContext.js";
import {
  scrubSecrets,
  toVaultError,
  vaultMessages,
  VaultDeadlineError,
  VaultStatusError,
} from "../../../../lib/vault/vaultErrors.js";

const ctx: VaultCallContext = {
  operation: "generic",
  step: "vault-get",
  action: "Vault read",
  method: "GET",
  path: "secret/data/x",
  addr: "https://vault:8200",
  timeoutMs: 500,
};

function apiError(status: number, errors: string[]): Error {
  return new VaultStatusError(status, { errors });
}

function netError(code: string): Error {
  return Object.assign(new Error(`boom ${code}`), {
    code,
    config: { headers: { "X-Vault-Token": "hvs.SECRET-IN-CONFIG" } },
  });
}

describe("vaultMessages", () => {
  const cases: Array<[unknown, string[]]> = [
    [{ errors: ["1 error occurred:\n\t* permission denied\n\n"] }, ["permission denied"]],
    [
      { errors: ["2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n"] },
      ["permission denied", "invalid token"],
    ],
    [{ errors: ["Vault is sealed"] }, ["Vault is sealed"]],
    [{ errors: [] }, []],
    ["oops", []],
    [null, []],
  ];
  for (const [body, expected] of cases) {
    it(`returns ${JSON.stringify(expected)} for ${JSON.stringify(body)}`, () => {
      expect(vaultMessages(body)).to.deep.equal(expected);
    });
  }
});

describe("toVaultError", () => {
  const table: Array<[string, unknown, VaultCallContext["operation"], string, boolean]> = [
    ["503 sealed", apiError(503, ["Vault is sealed"]), "generic", "VAULT_SEALED", true],
    ["503 other", apiError(503, ["Vault is not ready"]), "generic", "VAULT_SERVER_ERROR", true],
    ["500", apiError(500, ["internal error"]), "pki", "VAULT_SERVER_ERROR", true],
    ["501 uninitialised", apiError(501, []), "generic", "VAULT_SERVER_ERROR", false],
    ["429", apiError(429, []), "login", "VAULT_RATE_LIMITED", true],
    ["412", apiError(412, []), "generic", "VAULT_SERVER_ERROR", true],
    ["403 login", apiError(403, ["namespace not authorized"]), "login", "VAULT_LOGIN_DENIED", false],
    ["400 login", apiError(400, ["missing role"]), "login", "VAULT_LOGIN_INVALID", false],
    [
      "404 login mount",
      apiError(404, ['no handler for route "auth/k8s/login". route entry not found.']),
      "login",
      "VAULT_LOGIN_INVALID",
      false,
    ],
    [
      "403 invalid token",
      apiError(403, ["2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n"]),
      "generic",
      "VAULT_TOKEN_INVALID",
      false,
    ],
    ["404 generic", apiError(404, []), "generic", "VAULT_NOT_FOUND", false],
    ["405 generic", apiError(405, ["unsupported operation"]), "generic", "VAULT_BAD_REQUEST", false],
    ["ECONNREFUSED", netError("ECONNREFUSED"), "login", "VAULT_UNREACHABLE", true],
    ["ENOTFOUND", netError("ENOTFOUND"), "login", "VAULT_UNREACHABLE", true],
    ["ECONNRESET", netError("ECONNRESET"), "pki", "VAULT_UNREACHABLE", true],
    ["ETIMEDOUT", netError("ETIMEDOUT"), "pki", "VAULT_TIMEOUT", true],
    ["deadline", new VaultDeadlineError(500), "pki", "VAULT_TIMEOUT", true],
    ["untrusted certificate", netError("UNABLE_TO_VERIFY_LEAF_SIGNATURE"), "login", "VAULT_UNREACHABLE", false],
    ["wrong host name", netError("ERR_TLS_CERT_ALTNAME_INVALID"), "login", "VAULT_UNREACHABLE", false],
    ["anything else", new TypeError("x is not a function"), "generic", "VAULT_REQUEST_FAILED", false],
  ];
  for (const [name, err, operation, code, retryable] of table) {
    it(`maps ${name} (${operation}) to ${code}, retryable=${retryable}`, () => {
      const e = toVaultError(err, { ...ctx, operation, role: "app", mount: "kubernetes" });
      expect(e).to.be.instanceOf(IamraError);
      expect([e.code, e.retryable, e.step]).to.deep.equal([code, retryable, "vault-get"]);
      expect(e.hint).to.be.a("string").and.not.equal("");
    });
  }

  it("returns an IamraError unchanged", () => {
    const original = new IamraError({ code: "VAULT_DENIED", message: "m" });
    expect(toVaultError(original, ctx)).to.equal(original);
  });

  it("keeps only name, code and the scrubbed message of a failure as cause (never its other fields)", () => {
    const e = toVaultError(netError("ECONNREFUSED"), { ...ctx, secrets: ["hvs.SECRET-IN-CONFIG"] });
    const cause = e.cause as Error & { code?: string; config?: unknown };
    expect(cause).to.be.instanceOf(Error);
    expect(cause.code).to.equal("ECONNREFUSED");
    expect(cause.config).to.equal(undefined);
    expect(inspect(e, { depth: 10 })).to.not.include("SECRET-IN-CONFIG");
  });

  it("names the path, role, status and Vault's message", () => {
    const e = toVaultError(apiError(400, ["unknown role: web"]), {
      ...ctx,
      operation: "pki",
      action: "Vault PKI sign",
      path: "pki/sign/web",
      role: "web",
      mount: "pki",
    });
    expect(e.message).to.equal('Vault PKI sign failed at pki/sign/web for role "web" (HTTP 400: unknown role: web).');
    expect(e.code).to.equal("VAULT_PKI_ROLE_MISSING");
    expect(e.details).to.deep.include({ status: 400, path: "pki/sign/web", vaultErrors: ["unknown role: web"] });
  });
});

describe("scrubSecrets", () => {
  it("replaces every occurrence of each secret and ignores very short values", () => {
    expect(scrubSecrets("a hvs.x1y2 b hvs.x1y2 c", ["hvs.x1y2", "ab"])).to.equal("a [REDACTED] b [REDACTED] c");
  });
});
